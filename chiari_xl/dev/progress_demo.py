"""A month of progress on the bundled plan, filled as the areas would: for the README's pictures
(scripts/progress_pictures.py) and the tests. Development only: never used by the office's commands.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from chiari_xl.progress import layout as L

# what a few areas report in June (objective.indicator -> input cells)
JUNE_RETURNS = {
    "Gare": {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 50}},
    "Corpo_Polizia": {"24.1": {"quantita": 28}, "25.1": {"stato": "Completato"}, "26.1": {"quantita": 80},
                      "27.1": {"quantita": 100}, "27.2": {"quantita": 50}, "27.3": {"quantita": 50},
                      "27.4": {"quantita": 45, "nota": "5 controlli rinviati a luglio"}, "27.5": {"quantita": 20}},
    "Cultura": {**{f"15.{k}": {"stato": "Completato"} for k in range(1, 6)}, "17.1": {"stato": "Completato"},
                "17.2": {"stato": "In corso", "percentuale": 50}, "17.3": {"stato": "Completato"},
                "17.4": {"stato": "Completato"}},
    "Politiche_giovanili": {f"17.{k}": {"stato": "Completato"} for k in range(1, 5)},
    "Ufficio": {"1.1": {"stato": "In corso", "percentuale": 80}, "2.1": {"stato": "Completato"},
                "2.2": {"stato": "Completato"}, "3.1": {"quantita": 9}},
}


def indicator_rows(path: Path) -> dict[str, int]:
    """'n.k' -> Excel row of the indicator in the Monitoraggio sheet (from the signed metadata)."""
    import json

    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb[L.SIGNATURE].iter_rows(values_only=True)}
    return {ident: L.row_of(i) for i, ident in enumerate(json.loads(meta["rows"]))}


def fill_sheet(src: Path, dst: Path, values: dict[str, dict]) -> Path:
    """Write only the unlocked input cells, as an area would; values: 'n.k' -> {stato, quantita, ...}.
    A value with `.value` and `.number_format` (tests' Typed) is stored as Excel stores what was typed."""
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET]
    rows = indicator_rows(src)
    for ident, fields in values.items():
        for fld, v in fields.items():
            cell = ws[L.cell(rows[ident], fld)]
            if cell.protection.locked is not False:
                raise ValueError(f"{cell.coordinate} is not an input cell")
            if hasattr(v, "number_format"):
                cell.value, cell.number_format = v.value, v.number_format
            else:
                cell.value = v
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def june_returns(sheets_dir: Path, returned_dir: Path) -> list[Path]:
    """The June returns of JUNE_RETURNS, from the sheets in `sheets_dir`, saved in `returned_dir`."""
    out = []
    for part, values in JUNE_RETURNS.items():
        (src,) = [p for p in Path(sheets_dir).iterdir() if f"_{part}" in p.name]
        out.append(fill_sheet(src, Path(returned_dir) / src.name, values))
    return out
