"""Helpers for the progress tests: issue sheets, fill them as an area would, compare recalculations.

(No tests here; the name keeps the helpers among the progress test files.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from chiari_xl.dev.progress_demo import fill_sheet, indicator_rows

JUNE, JULY, MAY = "2025-06", "2025-07", "2025-05"


@dataclass(frozen=True)
class Typed:
    """A value as Excel stores what a person typed: `Typed(0.5, "0%")` is "50%" typed in a cell."""

    value: object
    number_format: str


rows_of = indicator_rows   # 'n.k' -> Excel row of the indicator in the Monitoraggio sheet
fill = fill_sheet          # write only unlocked input cells, as an area would


def sheet_for(results, name_part: str):
    hits = [r for r in results if r.area.name.lower().startswith(name_part.lower())]
    assert len(hits) == 1, [r.area.name for r in results]
    return hits[0]


def issue(plan: Path, month: str, office: Path, folder: Path):
    from chiari_xl.progress.run import make_sheets

    return make_sheets(plan, month, folder, office).written


def formula_mismatches(original: Path, recalculated: Path) -> tuple[int, list]:
    """Every formula cell of `original`: its cached value against LibreOffice's recalculated one."""
    formulas = openpyxl.load_workbook(original)
    cached = openpyxl.load_workbook(original, data_only=True)
    recalc = openpyxl.load_workbook(recalculated, data_only=True)
    count, bad = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    count += 1
                    a = cached[ws.title][c.coordinate].value
                    b = recalc[ws.title][c.coordinate].value
                    num = isinstance(a, (int, float)) and isinstance(b, (int, float))
                    if (num and abs(a - b) > 1e-9) or (not num and a != b):
                        bad.append((ws.title, c.coordinate, c.value, a, b))
    return count, bad


def table_rows(path: Path, sheet: str, header_row: int, data_only: bool = True) -> list[dict]:
    """The rows of the table whose headings are on `header_row` (1-based), as dicts by heading."""
    ws = openpyxl.load_workbook(path, data_only=data_only)[sheet]
    heads = [c.value for c in ws[header_row]]
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in row):
            break
        out.append(dict(zip(heads, row)))
    return out
