"""One sheet per sector, to hand to its managers: its objectives, their amounts read live from
Obiettivi, the difference coloured, each objective's findings and what to do beside it, and the
totals. The general and inter-sector objectives share a sheet with the amounts the Giunta fixed,
shown apart: those are not split by points, so their points count in no total."""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from chiari_xl.findings import Finding, Severity, kind_of
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float
from chiari_xl.model.money import total as money_total
from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams
from chiari_xl.model.sectors import sector_label
from chiari_xl.text import join_and
from chiari_xl.workbook.formats import (COMUNE, SECTION_ROW_PT, TITLE_ROW_PT, Formats, fit_row_height, print_scale,
                                       print_setup, row_breaks, text_lines)
from chiari_xl.workbook.names import OBJECTIVES
from chiari_xl.workbook.objectives import MAX_LINES, ObjectivesLayout
from chiari_xl.workbook.values import blank_or

HEADER = 4
COLUMNS = [("n", "N.", 4), ("obiettivo", "Obiettivo", 28), ("n_dip", "N. dip.", 6),
           ("total_rule", "Totale coeff. (regola)", 8), ("amount", "Importo pubblicato", 11),
           ("amount_recomputed", "Importo ricalcolato", 11), ("diff", "Differenza", 11),
           ("findings", "Rilievi", 32), ("todo", "Cosa fare", 24)]
COL = {key: c for c, (key, _h, _w) in enumerate(COLUMNS)}
WIDTHS = {key: w for key, _h, w in COLUMNS}
AMOUNTS = ("amount", "amount_recomputed", "diff")
FIXED_TITLE = "Importi fissati dalla Giunta Comunale (non ripartiti per coefficienti)"


def sheet_name(pool: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\']", "-", sector_label(pool))[:31]
    base, i = name, 2
    while name.lower() in taken:
        name = f"{base[:28]} {i}"
        i += 1
    taken.add(name.lower())
    return name


def write_sectors(wb, fmt: Formats, df: pd.DataFrame, params: PlanParams, lay: ObjectivesLayout,
                  taken: set[str], title: str, findings: list[Finding]) -> None:
    """`title`: the plan's title (with its year)."""
    notes = _notes(df, findings)
    groups = [(GENERAL_POOL, "Obiettivi generali e intersettoriali", [GENERAL_POOL, FIXED_POOL])]
    groups += [(s, f"Obiettivi del settore {s}", [s]) for s in params.sector_weights]
    for name, subject, pools in groups:
        ws = wb.add_worksheet(sheet_name(name, taken))
        _write_one(ws, fmt, title, subject, df, pools, lay, notes)


def _write_one(ws, fmt: Formats, title: str, subject: str, df: pd.DataFrame, pools: list[str],
               lay: ObjectivesLayout, notes: dict):
    ws.write_string(0, 0, f"{COMUNE} – {title}", fmt.title)
    ws.write_string(1, 0, subject, fmt.section_plain)
    heights = {0: TITLE_ROW_PT, 1: SECTION_ROW_PT}
    ws.set_row(0, TITLE_ROW_PT)
    ws.set_row(1, SECTION_ROW_PT)
    ws.write_string(2, 0, "Differenza = importo ricalcolato − importo pubblicato: in rosso se l'importo scende, "
                          "in verde se sale. Accanto a ogni obiettivo i suoi rilievi e cosa fare; gli importi "
                          "sono collegati al foglio Obiettivi.", fmt.subtitle)
    for c, (_k, h, w) in enumerate(COLUMNS):
        ws.write_string(HEADER, c, h, fmt.header)
        ws.set_column(c, c, w)
    heights[HEADER] = max(text_lines(h, w, bold=True) for _k, h, w in COLUMNS) * 13 + 4
    ws.set_row(HEADER, heights[HEADER])
    r = HEADER + 1
    totals, together = [], []
    for pool in pools:
        part = df[df["pool"] == pool]
        if pool == FIXED_POOL:
            if not len(part):
                continue
            r += 1
            ws.merge_range(r, 0, r, len(COLUMNS) - 1, FIXED_TITLE, fmt.section_plain)
            heights[r] = SECTION_ROW_PT
            ws.set_row(r, SECTION_ROW_PT)
            together.append((r, r + 1))  # the heading with its first row
            r += 1
        first = r
        for idx, row in zip(part.index, records(part)):  # dicts: iterrows is slow
            heights[r] = _write_objective(ws, fmt, r, lay.position[idx], row, pool == FIXED_POOL, notes)
            r += 1
        together.append((max(first, r - 1), r))  # the total with the last row
        label = "Totale importi fissati dalla Giunta" if pool == FIXED_POOL else "Totale"
        totals.append(_total_row(ws, fmt, r, first, r - 1, part, label, points=pool != FIXED_POOL))
        r += 1
    if len(totals) > 1:  # the sheet's own total: the amounts of every block
        r += 1
        together.append((totals[-1][0], r))
        ws.write_string(r, COL["obiettivo"], "Totale del foglio", fmt.total_label)
        for key in AMOUNTS:
            c = COL[key]
            cells = ",".join(xl_rowcol_to_cell(t, c) for t, _v in totals)
            ws.write_formula(r, c, f"=SUM({cells})", fmt.total_euro,
                             sum(v[key] for _t, v in totals))
    diff = xl_rowcol_to_cell(HEADER + 1, COL["diff"], col_abs=True)
    for criteria, f in ((f"=ROUND({diff},2)<0", fmt.flag_error), (f"=ROUND({diff},2)>0", fmt.ok)):
        ws.conditional_format(HEADER + 1, COL["diff"], max(r, HEADER + 1), COL["diff"],
                              {"type": "formula", "criteria": criteria, "format": f})
    ws.freeze_panes(HEADER + 1, 0)
    scale = print_scale(WIDTHS.values())
    print_setup(ws, (HEADER, HEADER), f"{title} – {subject}", scale=scale)
    ws.set_h_pagebreaks(row_breaks(heights, 0, r, heights[HEADER], scale, keep=1, together=together))


def _write_objective(ws, fmt: Formats, r: int, k: int, row: dict, fixed: bool, notes: dict) -> float:
    """Objective `row`, the k-th row of ObiettiviTab, on row r; returns the row's height."""
    if row["n"] is not None:
        ws.write_number(r, COL["n"], to_float(row["n"]), fmt.number)
    else:
        ws.write_blank(r, COL["n"], None, fmt.number)
    ws.write_string(r, COL["obiettivo"], row["obiettivo"] or "", fmt.text)
    if row["n_dip"] is not None:
        ws.write_number(r, COL["n_dip"], to_float(row["n_dip"]), fmt.number)
    else:
        ws.write_string(r, COL["n_dip"], "tutto il personale" if row["all_staff"] else "", fmt.number)
    if fixed:
        ws.write_string(r, COL["total_rule"], "—", fmt.number)
    else:
        _linked(ws, r, "total_rule", k, row["total_rule"], fmt.number)
    _linked(ws, r, "amount", k, row["amount"], fmt.euro)
    _linked(ws, r, "amount_recomputed", k, row["amount_recomputed"], fmt.euro)
    _linked(ws, r, "diff", k, row["amount_change"], fmt.euro)
    said, todo = notes.get(row["n"], ("", ""))
    ws.write_string(r, COL["findings"], said, fmt.text)
    ws.write_string(r, COL["todo"], todo, fmt.text)
    return fit_row_height(ws, r, [(row["obiettivo"] or "", WIDTHS["obiettivo"]), (said, WIDTHS["findings"]),
                                  (todo, WIDTHS["todo"])], max_lines=MAX_LINES)


def _linked(ws, r: int, key: str, k: int, value, f) -> None:
    src = OBJECTIVES.at(key, k)
    ws.write_formula(r, COL[key], f'=IF({src}="","",{src})', f, blank_or(value))


def _total_row(ws, fmt: Formats, r: int, first: int, last: int, part: pd.DataFrame, label: str,
               points: bool) -> tuple[int, dict]:
    ws.write_string(r, COL["obiettivo"], label, fmt.total_label)
    keys = (("total_rule", "total_rule"),) if points else ()
    keys += (("amount", "amount"), ("amount_recomputed", "amount_recomputed"), ("diff", "amount_change"))
    values = {}
    for key, value_key in keys:
        c = COL[key]
        values[key] = to_float(money_total(part[value_key]))
        f = fmt.total_number if key == "total_rule" else fmt.total_euro
        if last < first:  # no objective in this pool: nothing to sum (a SUM would read its own cell)
            ws.write_number(r, c, 0, f)
        else:
            ws.write_formula(r, c, f"=SUM({xl_range(first, c, last, c)})", f, values[key])
    return r, values


def _notes(df: pd.DataFrame, findings: list[Finding]) -> dict:
    """objective number -> (its errors and warnings, what to do), as the sector sheets show them.
    An amount that changes only because another objective of its pool is corrected says so."""
    own: dict = defaultdict(list)
    for f in findings:
        if f.objective is not None and f.severity != Severity.INFO:
            own[f.objective].append(f)
    wrong_in_pool: dict = defaultdict(set)  # pool -> objectives with an error
    for n, pool in zip(df["n"], df["pool"]):
        if any(f.severity == Severity.ERROR for f in own.get(n, ())):
            wrong_in_pool[pool].add(n)
    out = {}
    for n, pool, change in zip(df["n"], df["pool"], df["amount_change"]):
        fs = sorted(own.get(n, []), key=lambda f: f.severity.rank)
        said = [f"{f.severity.label}: {f.message}" for f in fs]
        todo = list(dict.fromkeys(kind_of(f.code).todo for f in fs))
        others = sorted(wrong_in_pool.get(pool, set()) - {n})
        if change and not any(f.severity == Severity.ERROR for f in fs):
            if others:
                word = "l'obiettivo" if len(others) == 1 else "gli obiettivi"
                said.append(f"L'importo cambia perché nello stesso fondo si corregge {word} {join_and(others)}.")
            else:
                said.append("L'importo cambia applicando le regole agli obiettivi dello stesso fondo.")
            todo.append(kind_of("importo-da-ricalcolo").todo)
        if said:
            if len(todo) > 1:  # one line per finding, told apart
                said, todo = [f"– {t}" for t in said], [f"– {t}" for t in todo]
            out[n] = ("\n".join(said), "\n".join(todo))
    return out
