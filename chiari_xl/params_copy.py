"""`chiari-xl parametri`: the office's own workbook handed back with a Parametri sheet to confirm.

The municipality's workbook has no Parametri sheet (the fund is in the text of the
deliberation); reading it infers the fund figures from the amounts written
(model/infer_params.py). This puts those figures where the office can see, correct and keep
them: a copy of its workbook with a `Parametri` sheet in the layout reading/params_sheet.py
reads back, the inferred cells highlighted with a comment and the sheet marked «da confermare».
The next check of the copy then reads its parameters from the sheet, explicitly.

openpyxl keeps every sheet of an .xlsx/.xlsm (values, formulas, formats, merges, widths,
macros with keep_vba); what it drops (shapes, some drawings) is detected by comparing the
parts of the two files and said. .xls and .ods cannot be edited by openpyxl: their values are
copied to a new .xlsx (formats are lost) and that is said too. The original is never touched;
the copy is written atomically and never over an existing file.
"""

from __future__ import annotations

import copy
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from chiari_xl.errors import ParamsNotInferred
from chiari_xl.model.money import euro4
from chiari_xl.model.params import PlanParams
from chiari_xl.reading.files import load_grids, sniff
from chiari_xl.reading.grid import Grid
from chiari_xl.reading.params_sheet import SHEET, layout
from chiari_xl.reading.plan import Plan, read_plan
from chiari_xl.safe_files import atomic_output
from chiari_xl.text import norm

SUFFIX = "_con_parametri"
EURO = '#,##0.00## "€"'
INFERRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # dedotto: da verificare
TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # vuoto: da completare dalla delibera
_FROM_DELIBERATION = ("year", "fund_total", "fund_reserve", "fund_welfare")
# parts whose number must not drop in the copy (comments add vmlDrawing parts, not these)
_LOST_PARTS = {"xl/drawings/drawing": "disegni e forme", "xl/charts/chart": "grafici", "xl/media/": "immagini"}


@dataclass
class ParamsCopy:
    output: Path
    plan: Plan
    notes: list[str] = field(default_factory=list)


def put(ws, r: int, c: int, value):
    """Write a cell; text is text (openpyxl would store '=...' typed by a person as a formula)."""
    cell = ws.cell(r, c, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_params_sheet(ws, params: PlanParams) -> None:
    """The Parametri sheet (openpyxl) in the layout the reader reads; inferred figures highlighted
    with a comment, figures only the deliberation gives left blank and marked to complete."""
    pools = params.pool_amounts()
    for r, (role, values) in enumerate(layout(params), start=1):
        kind, _, name = role.partition(":")
        for c, value in enumerate(values, start=1):
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = put(ws, r, c, value)
            if c == 2 and (name.startswith("fund") or name == "general_pool" or (kind == "row" and name == "fixed")):
                cell.number_format = EURO
        if role in ("title", "section") or role.startswith("header:"):
            for c in range(1, max(len(values), 1) + 1):
                ws.cell(r, c).font = Font(bold=True, size=13 if role == "title" else 11)
        if kind == "note":  # a sentence across the table's width, wrapped
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 15 * (1 + len(values[0]) // 110)
        if not (params.inferred or params.to_confirm):
            continue
        note = None
        if kind == "scalar" and name in params.inferred:
            note = "Dedotto dagli importi scritti nella tabella: verificarlo con la delibera."
        elif kind == "scalar" and name in _FROM_DELIBERATION and values[1] is None:
            ws.cell(r, 2).fill = TO_FILL
            ws.cell(r, 2).comment = Comment("Non si deduce dalla tabella: scriverlo dalla delibera.", "chiari-xl")
        elif kind == "scalar" and name == "to_confirm":
            ws.cell(r, 2).fill = INFERRED_FILL
        elif kind == "row" and name == "fixed" and "fixed" in params.inferred and values[0] is not None:
            note = "Importo scritto senza peso né coefficiente: fissato dalla Giunta? Verificarlo."
        elif kind == "row" and name == "sectors" and "sector_weights" in params.inferred and values[0]:
            note = (f"Peso dedotto dagli importi scritti: con questi pesi il fondo del settore è "
                    f"{euro4(pools.get(values[0], 0))}. Verificarlo con la delibera.")
        if note:
            ws.cell(r, 2).fill = INFERRED_FILL
            ws.cell(r, 2).comment = Comment(note, "chiari-xl", width=300, height=90)
    ws.column_dimensions["A"].width = 52
    for col in "BCD":
        ws.column_dimensions[col].width = 22
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def default_output(path: Path, suffix: str) -> Path:
    return path.with_name(f"{path.stem}{SUFFIX}{suffix}")


def copy_with_params(path, output: Path | None = None) -> ParamsCopy:
    """Write a copy of the plan at `path` with a Parametri sheet of the inferred figures.

    Raises PlanReadError (not a readable plan), ParamsNotInferred (nothing to infer, or the
    amounts do not give the fund) and OutputError; the original is never modified.
    """
    path = Path(path)
    plan = read_plan(path)
    params = plan.params
    if not params.inferred:
        raise ParamsNotInferred(f"«{path.name}» ha già nel foglio Parametri le cifre del fondo: "
                                "non c'è niente da dedurre, nessun file scritto.")
    if not params.amounts_ready:
        why = "; ".join(f.message for f in plan.findings if f.code == "controllo-non-eseguito")
        raise ParamsNotInferred(f"dagli importi di «{path.name}» non si deducono le cifre del fondo "
                                f"({why}): nessun file scritto.")
    notes: list[str] = []
    kind = sniff(path)
    parts_before = _zip_parts(path) if kind == "xlsx" else []
    macros = "xl/vbaProject.bin" in parts_before
    suffix = ".xlsm" if macros else ".xlsx"
    if kind == "xlsx":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported": openpyxl says what it drops
            wb = load_workbook(path, keep_vba=macros)
    else:
        wb = _values_workbook(load_grids(path))
        notes.append(f"Il file {path.suffix or kind} non si può modificare direttamente: la copia è una "
                     f"cartella di lavoro {suffix} con i soli valori (formati e formule non sono copiati).")
    target = Path(output) if output else default_output(path, suffix)
    if target.suffix.lower() != suffix:
        target = target.with_suffix(suffix)
        notes.append(f"La copia è in formato {suffix}: si chiama «{target.name}».")
    old = next((name for name in wb.sheetnames if norm(name).startswith("parametri")), None)
    index = len(wb.sheetnames)
    if old is not None:
        index = wb.sheetnames.index(old)
        wb.remove(wb[old])
        notes.append(f"Il foglio «{old}» è sostituito nella copia da un foglio Parametri completo "
                     "(i valori che indicava sono ripresi).")
    confirm = copy.deepcopy(params)
    confirm.to_confirm = True
    write_params_sheet(wb.create_sheet(SHEET, index), confirm)
    with atomic_output(target) as out, _fonts_in_schema_order():
        wb.save(out.tmp)
        parts_after = _zip_parts(out.tmp)
    for prefix, label in _LOST_PARTS.items():
        before = sum(p.startswith(prefix) for p in parts_before)
        if before > sum(p.startswith(prefix) for p in parts_after):
            notes.append(f"Attenzione: la copia non conserva tutti i {label} dell'originale "
                         "(la libreria che scrive la copia non li gestisce); l'originale resta intatto.")
    return ParamsCopy(out.final, plan, notes)


@contextmanager
def _fonts_in_schema_order():
    """openpyxl writes a font's children as <name><family><color><sz>, an order the OOXML schema
    (as Excel's own validator reads it) rejects: "Unexpected element 'color'". While saving, it
    writes them in the schema's order instead."""
    from openpyxl.styles.fonts import Font

    saved = Font.__elements__
    Font.__elements__ = tuple(e for e in _FONT_ORDER if e in saved)
    try:
        yield
    finally:
        Font.__elements__ = saved


_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
               "name", "family", "charset", "scheme")


def _zip_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def _values_workbook(grids: dict[str, Grid]) -> Workbook:
    """A new workbook holding the values of every grid (merged ranges merged again)."""
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids.values():
        ws = wb.create_sheet(grid.name[:31])
        covered = {(r, c) for r1, c1, r2, c2 in grid.merged
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is not None and (r, c) not in covered:
                    put(ws, r + 1, c + 1, value)
        for r1, c1, r2, c2 in grid.merged:
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    return wb
