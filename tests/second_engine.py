"""A second formula engine: the `formulas` package recalculates a written workbook, and every
formula's cached value is compared with what it computes.

What `formulas` cannot read, and how it is bridged (the rest of the formula is its own work):
  - structured references to Excel tables (`Valori[[#This Row],[Stato]]`, `Obiettivi[[Esito]]`,
    `ObiettiviTab[Fondo di ripartizione]`),
    which the progress workbooks use so that formulas name what they read: it has no parser for
    them. Each is rewritten to the A1 range it stands for, from the table's own definition in the
    file (its range and column names): `[#This Row]` to the cell of that column on the formula's
    row, a whole column to its data rows (absolute, with the sheet when read from another sheet).
  - CELL("format", X), with which an area sheet tells "50%" typed (stored 0,5 in a percent
    format) from 50: it is not implemented. It is replaced by the code Excel gives for X's number
    format ("P…" for a percent format, "G" otherwise), read from the file, so the rest of the
    formula is still computed by the engine.
The rewritten copy is saved by openpyxl (without cached values) and recalculated whole.

(No tests here: a helper for the tests of every written workbook.)
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

_NAME = r"[A-Za-z_][A-Za-z0-9_.]*"
_COLNAME = r"(?:[^\]']|'.)+"
THIS_ROW = re.compile(rf"({_NAME})\[\[#This Row\],\[({_COLNAME})\]\]")
WHOLE = re.compile(rf"({_NAME})\[\[({_COLNAME})\]\]")
COLUMN = re.compile(rf"({_NAME})\[(?![\[#@])({_COLNAME})\]")  # Tab[Column], the checked workbook's form
CELL_FORMAT = re.compile(r'CELL\("format",\s*(\$?[A-Z]{1,3}\$?\d+)\)')
MONEY_HALF_CENT = 0.005


def _unescape(name: str) -> str:
    return re.sub(r"'(.)", r"\1", name)


def _tables(wb) -> dict[str, tuple[str, int, int, int, dict[str, int]]]:
    """Table name -> (sheet, first data row, last row, first column, {column name: column})."""
    out = {}
    for ws in wb.worksheets:
        for t in ws.tables.values():
            c1, r1, _c2, r2 = range_boundaries(t.ref)
            cols = {tc.name: c1 + i for i, tc in enumerate(t.tableColumns)}
            out[t.name] = (ws.title, r1 + 1, r2, c1, cols)
    return out


def _sheet_ref(sheet: str, here: str) -> str:
    return "" if sheet == here else "'" + sheet.replace("'", "''") + "'!"


def plain_formula(formula: str, sheet: str, row: int, tables, wb) -> str:
    """`formula` of a cell on `sheet`, row `row`, without structured references nor CELL("format")."""
    def this_row(m):
        tsheet, _first, _last, _c1, cols = tables[m.group(1)]
        col = get_column_letter(cols[_unescape(m.group(2))])
        return f"{_sheet_ref(tsheet, sheet)}{col}{row}"

    def whole(m):
        tsheet, first, last, _c1, cols = tables[m.group(1)]
        col = get_column_letter(cols[_unescape(m.group(2))])
        return f"{_sheet_ref(tsheet, sheet)}${col}${first}:${col}${last}"

    def cell_format(m):
        ref = m.group(1).replace("$", "")
        fmt = wb[sheet][ref].number_format or "General"
        return '"P2"' if "%" in fmt else '"G"'

    out = THIS_ROW.sub(this_row, formula)
    out = WHOLE.sub(whole, out)
    out = COLUMN.sub(whole, out)
    return CELL_FORMAT.sub(cell_format, out)


def recalculate(path: Path, workdir: Path) -> dict[tuple[str, str], object]:
    """{(sheet, cell): value} of every formula cell of `path`, as the `formulas` engine computes it."""
    import formulas

    wb = openpyxl.load_workbook(path)
    tables = _tables(wb)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.value = plain_formula(c.value, ws.title, c.row, tables, wb)
                    cells.append((ws.title, c.coordinate))
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / f"{Path(path).stem}_a1.xlsx"
    wb.save(copy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = formulas.ExcelModel().loads(str(copy)).finish()
        solution = model.calculate()
    values = {}
    for key, ranges in solution.items():
        m = re.match(r"'\[[^\]]+\](.+)'!([A-Z]+\d+)$", key)
        if m:
            value = ranges.value[0, 0] if hasattr(ranges, "value") else ranges
            values[(m.group(1), m.group(2))] = value
    upper = {(s.upper(), a): (s, a) for s, a in cells}
    return {upper[k]: _plain(v) for k, v in values.items() if k in upper}


def _plain(v):
    """numpy scalars, the engine's empty value and its errors as Python values / error text."""
    if hasattr(v, "item"):
        v = v.item()
    name = type(v).__name__
    if name in ("XlError",) or str(v).startswith("#"):
        return str(v)
    if name == "EmptyValue" or str(v) == "empty":
        return ""
    return v


def mismatches(path: Path, workdir: Path) -> tuple[int, list]:
    """(formula cells compared, [(sheet, cell, formula, cached, computed), ...] that disagree).

    Agree: numbers within 1e-9 relative (money, a cell formatted in €, within half a cent),
    text equal (an empty text and an empty cell alike), booleans equal.
    """
    formulas_wb = openpyxl.load_workbook(path)
    cached_wb = openpyxl.load_workbook(path, data_only=True)
    computed = recalculate(path, workdir)
    count, bad = 0, []
    for ws in formulas_wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                count += 1
                a = cached_wb[ws.title][c.coordinate].value
                b = computed.get((ws.title, c.coordinate), "#MANCANTE")
                if not _agree(a, b, "€" in (c.number_format or "")):
                    bad.append((ws.title, c.coordinate, c.value, a, b))
    return count, bad


def _agree(a, b, money: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        tol = max(1e-9 * max(abs(a), abs(b)), 1e-12)
        return abs(a - b) <= (max(tol, MONEY_HALF_CENT) if money else tol)
    return (a if a is not None else "") == (b if b is not None else "")


def column_number(letter: str) -> int:
    return column_index_from_string(letter)
