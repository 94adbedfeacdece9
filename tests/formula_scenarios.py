"""Small plans kept with formulas, as the office keeps them, and the edits that spoil them.

The base is a consistent 16-objective plan (three or more objectives in every pool, so every
column and every pool has a pattern), written as numbers by make_plan and turned into formulas by
chiari_xl.dev.formula_plan. Its formulas carry no cached values (openpyxl writes none); `cache`
gives chosen cells the value a calculating program would have saved.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from conftest import obj, params_2025
from openpyxl import load_workbook
from scenarios import rule4_amounts

from chiari_xl.dev.formula_plan import add_formulas
from chiari_xl.dev.make_plan import Style, write_plan

AF, SOC, TER, SIC = ("SETTORE AMMINISTRATIVO-FINANZIARIO", "SETTORE SOCIALE-EDUCATIVO",
                     "SETTORE TERRITORIO", "SETTORE SICUREZZA")
# Obiettivi sheet of make_plan: data from row 6; K=N. dip., L=peso, M=coeff., N=totale, O=importo
FIRST = 6


def rows() -> list[dict]:
    table = [
        obj(1, "GENERALE", "miglioramento", 15, 20, 3, 60),
        obj(2, "GENERALE", "mantenimento", 5, 10, 1.5, 15),
        obj(3, "INTERSETTORIALE", "strategico", 35, None, None, None),
        obj(4, "INTERSETTORIALE", "innovativo", 4, 25, 1.5, 37.5),
        obj(6, AF, "innovativo", 6, 25, 2, 50),
        obj(7, AF, "mantenimento", 1, 10, 0.5, 5),
        obj(8, AF, "miglioramento", 3, 20, 1, 20),
        obj(14, SOC, "miglioramento", 4, 20, 1.5, 30),
        obj(15, SOC, "strategico", 2, 40, 1, 40),
        obj(16, SOC, "una tantum", 8, 5, 2.5, 12.5),
        obj(19, TER, "miglioramento", 3, 20, 1, 20),
        obj(20, TER, "mantenimento", 6, 10, 2, 20),
        obj(21, TER, "innovativo", 11, 25, 3, 75),
        obj(24, SIC, "strategico", 8, 40, 2.5, 100),
        obj(25, SIC, "miglioramento", 2, 20, 1, 20),
        obj(26, SIC, "mantenimento", 4, 10, 1.5, 15),
    ]
    rule4_amounts(table, params_2025())
    return table


def row_of(n: int) -> int:
    """The sheet row of objective n."""
    return FIRST + [r["n"] for r in rows()].index(n)


TOTAL_ROW = FIRST + 16


def formula_plan(folder: Path, name: str, edits: dict[str, object] | None = None) -> Path:
    """The consistent plan with formulas, with `edits` ({'N9': '=L9+M9', 'O12': 1234.5}) applied."""
    folder.mkdir(parents=True, exist_ok=True)
    plain = write_plan(folder / f"plain_{name}", rows(), None, params_2025(), Style())
    path = add_formulas(plain, folder / name)
    if edits:
        wb = load_workbook(path)
        ws = wb["Obiettivi"]
        for cell, value in edits.items():
            ws[cell] = value
        wb.save(path)
    return path


def cache(path: Path, values: dict[str, float], sheet_part: str = "xl/worksheets/sheet1.xml") -> Path:
    """Give formula cells a saved value, as a file saved by a calculating program has (in place)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == sheet_part:
                text = data.decode("utf-8")
                for cell, value in values.items():
                    pattern = re.compile(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>\s*)(?:<v\s*/>|<v>\s*</v>)')
                    text, n = pattern.subn(rf"\g<1><v>{value}</v>", text)
                    assert n == 1, f"no formula without value in {cell}"
                data = text.encode("utf-8")
            dst.writestr(info, data)
    shutil.move(tmp, path)
    return path
