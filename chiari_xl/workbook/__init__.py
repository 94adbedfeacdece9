"""The checked workbook (xlsxwriter): Riepilogo, Obiettivi, one sheet per sector, Schede,
Rilievi, Parametri. Amounts and totals are live formulas with pandas' values cached."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.findings import Finding, Severity, counts, worse
from chiari_xl.reading.plan import Plan
from chiari_xl.workbook import summary
from chiari_xl.workbook.cards_sheet import write_cards
from chiari_xl.workbook.fastsheet import FastWorksheet
from chiari_xl.model.frames import records
from chiari_xl.text import plural
from chiari_xl.model.rules import pool_summary
from chiari_xl.workbook.findings_sheet import described, write_findings
from chiari_xl.workbook.formats import COMUNE, SAFE_TEXT, Formats
from chiari_xl.workbook.objectives import COL, FIELD_TO_COL, SHEET as OBJ, write_objectives
from chiari_xl.workbook.parameters import write_parameters
from chiari_xl.workbook.sectors import write_sectors


IN_MEMORY_MAX = 2000  # objectives + findings
# The Parametri sheet's names this workbook's formulas read (the rest of the sheet is informative);
# tests/test_print_checked.py compares it with the names in the written formulas.
FORMULA_NAMES = frozenset({"PesiCategoria", "PesiValore", "FasceDa", "FasceA", "FasceCoeff", "CoeffTutti",
                           "FissiN", "FissiImporto", "SettoriNomi", "SettoriPesi", "FondoMassimo",
                           "FondoAttribuito", "FondoRiserva", "FondoWelfare", "FondoGenerali"})


def write_workbook(path, plan: Plan, df: pd.DataFrame, findings: list[Finding], info: dict):
    """Write the checked workbook to `path` (the caller makes it atomic), or into a BytesIO.

    Into a BytesIO the caller does the only write to the destination itself and handles its errors
    (a full disk) without xlsxwriter's half-open files. A small workbook is assembled in memory
    (its thirty temporary files cost more than its data); a large one through xlsxwriter's
    temporary files in the system's temporary folder (in memory: +130 MB at 10,000 objectives).
    """
    to_buffer = hasattr(path, "write")
    if not to_buffer:
        path = Path(path)
    small = len(df) + len(findings) <= IN_MEMORY_MAX
    wb = xlsxwriter.Workbook(path if to_buffer else str(path),
                             {**SAFE_TEXT, "nan_inf_to_errors": True, "in_memory": small})
    wb.set_properties({"title": info["title"], "subject": "Controllo del piano di performance",
                       "author": "chiari-xl", "comments": f"Da {info['file']} (sha256 {info['sha256']})"})
    wb.worksheet_class = FastWorksheet  # same output, formulas prepared without 29 regex passes each
    wb.set_calc_mode("auto")
    fmt = Formats(wb)
    summary_ws = summary.add_sheet(wb)
    row_flags, card_flags = _flags(plan, df, findings)
    lay = write_objectives(wb, fmt, df, row_flags, info["title"], plan.params)
    taken = {OBJ.lower(), summary.SHEET.lower(), "rilievi", "parametri", "schede"}
    pools = pool_summary(df, plan.params)
    write_sectors(wb, fmt, df, plan.params, lay, taken, info["title"], findings)
    card_cells = write_cards(wb, fmt, plan.cards, card_flags, info["title"])
    write_findings(wb, fmt, findings, lambda f: _locate(f, plan, df, lay, card_cells),
                   print_title=f"{info['title']} – Rilievi",
                   title=f"{COMUNE} – {info['title']}: rilievi del controllo")
    write_parameters(wb, fmt, plan.params, uses=FORMULA_NAMES)
    summary.write_summary(summary_ws, wb, fmt, df, plan.params, pools, counts(findings), info, findings)
    summary_ws.activate()
    wb.close()
    return path


def _flags(plan: Plan, df: pd.DataFrame, findings: list[Finding]):
    """Findings on the objectives table -> {row position: {column key: (severity, text)}};
    findings on the cards -> {input cell: (severity, text)} (text: the findings, for the cell comment)."""
    where: dict[str, tuple[int, str]] = {}
    for i, row in enumerate(records(df)):  # dicts: iterrows is slow
        for field, key in FIELD_TO_COL.items():
            cell = row.get(f"cell_{field}")
            if cell:
                where[cell] = (i, key)
    rows: dict[int, dict] = defaultdict(dict)
    per_row: dict[int, list[Finding]] = defaultdict(list)
    cards: dict[str, tuple] = {}
    for f in findings:
        if f.sheet == plan.cards_sheet and f.cell and f.severity != Severity.INFO:
            old = cards.get(f.cell)
            text = f"{old[1]}\n\n" if old else ""
            cards[f.cell] = (worse(old[0] if old else None, f.severity), f"{text}[{f.code}] {f.message}")
        if f.sheet != plan.table_sheet or f.cell not in where:
            continue
        i, key = where[f.cell]
        per_row[i].append(f)
        if f.severity == Severity.INFO:
            continue
        old = rows[i].get(key)
        severity = worse(old[0] if old else None, f.severity)
        text = f"{old[1]}\n\n" if old else ""
        rows[i][key] = (severity, f"{text}[{f.code}] {described(f)}")
    for i, fs in per_row.items():
        n_err = sum(f.severity == Severity.ERROR for f in fs)
        n_warn = sum(f.severity == Severity.WARNING for f in fs)
        parts = [plural(n_err, "errore", "errori")] if n_err else []
        parts += [plural(n_warn, "avviso", "avvisi")] if n_warn else []
        if parts:
            rows[i]["_summary"] = ("", ", ".join(parts))
    return rows, cards


def _locate(f: Finding, plan: Plan, df: pd.DataFrame, lay, card_cells: dict) -> str | None:
    if f.sheet == plan.table_sheet and f.cell:
        if f.cell in lay.cell_of:
            return f"'{OBJ}'!{lay.cell_of[f.cell]}"
        m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", f.cell)
        if m and m.group(1) in lay.column_of:
            c = lay.column_of[m.group(1)]
            return f"'{OBJ}'!{c}{lay.first + 1}:{c}{lay.last + 1}"
    if plan.cards_sheet and f.sheet == plan.cards_sheet and f.cell in card_cells:
        return f"'Schede'!{card_cells[f.cell]}"
    if f.sheet == "Parametri":
        return "'Parametri'!A1"
    if f.objective is not None:
        hits = [i for i, (idx, n) in enumerate(zip(df.index, df["n"])) if n == f.objective]
        if hits:
            return f"'{OBJ}'!{xl_rowcol_to_cell(lay.first + hits[0], COL['n'])}"
    return None


