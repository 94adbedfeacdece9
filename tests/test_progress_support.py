"""Helpers for the progress tests: issue sheets, fill them as an area would, compare recalculations.

(No tests here; the name keeps the helpers among the progress test files.)
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from chiari_xl.progress import layout as L

INPUT_COLS = {"stato": "H", "quantita": "I", "percentuale": "J", "nota": "K"}


def rows_of(path: Path) -> dict[str, int]:
    """'n.k' -> row of the indicator in the Monitoraggio sheet (from the signed metadata)."""
    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb[L.SIGNATURE].iter_rows(values_only=True)}
    idents = json.loads(meta["rows"])
    return {ident: L.FIRST_ROW + i for i, ident in enumerate(idents)}


def fill(src: Path, dst: Path, values: dict[str, dict]) -> Path:
    """Write only unlocked input cells, as an area would; values: 'n.k' -> {stato, quantita, ...}."""
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET]
    rows = rows_of(src)
    for ident, fields in values.items():
        r = rows[ident]
        for fld, v in fields.items():
            cell = ws[f"{INPUT_COLS[fld]}{r}"]
            assert cell.protection.locked is False, f"{cell.coordinate} is not an input cell"
            cell.value = v
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def sheet_for(results, name_part: str):
    hits = [r for r in results if r.area.name.lower().startswith(name_part.lower())]
    assert len(hits) == 1, [r.area.name for r in results]
    return hits[0]


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
