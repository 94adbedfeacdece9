"""The formulas of an .xlsx workbook, read from its sheet XML beside the values.

python-calamine gives the cached values only, and openpyxl gives either the values or the
formulas of a workbook, never both in one pass (and is ten times slower). The office's plan keeps
its totals and amounts as formulas, so the reader needs both: the value to compute with and the
formula to audit, and to know which formulas were saved without a value (a file written by a
program that does not calculate). A sheet part without any `<f>` element is not parsed at all,
so a plan of plain numbers costs one byte search per sheet.

Shared formulas (Excel writes one master `<f t="shared" ref=.. si=..>` and bare followers) are
expanded with openpyxl's Translator, as openpyxl itself does.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol

from chiari_xl.reading.grid import Grid

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_C, _F, _V, _IS = _MAIN + "c", _MAIN + "f", _MAIN + "v", _MAIN + "is"


def has_formulas(data: bytes) -> bool:
    return b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data


def scan(data: bytes, grid: Grid) -> None:
    """Fill grid.formulas and grid.uncached from the sheet's XML."""
    import io

    from defusedxml.ElementTree import iterparse
    from openpyxl.formula.translate import Translator  # only for a sheet that has formulas

    shared: dict[str, Translator] = {}
    for _, el in iterparse(io.BytesIO(data), events=("end",)):
        if el.tag != _C:
            continue
        f = el.find(_F)
        if f is None:
            el.clear()
            continue
        ref = el.get("r")
        kind = f.get("t")
        text = (f.text or "").strip()
        if kind == "shared":
            si = f.get("si")
            if text:
                shared[si] = Translator("=" + text, origin=ref)
                formula = "=" + text
            elif si in shared:
                formula = shared[si].translate_formula(ref)
            else:
                formula = ""
        elif kind == "dataTable":
            formula = ""  # what-if tables: their values are Excel's, no formula to audit
        else:
            formula = "=" + text if text else ""
        if formula and ref:
            rc = xl_cell_to_rowcol(ref)
            grid.formulas[rc] = formula
            v = el.find(_V)
            if (v is None or not v.text) and el.find(_IS) is None:  # openpyxl writes <v/>
                grid.uncached.add(rc)
        el.clear()


def defined_names(path: Path) -> dict[str, str]:
    """{NAME (upper case): 'Sheet'!$A$1 text} of the workbook-level defined names."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as zf:
        if "xl/workbook.xml" not in zf.namelist():
            return {}
        book = fromstring(zf.read("xl/workbook.xml"))
    out = {}
    for el in book.iter(_MAIN + "definedName"):
        if el.get("localSheetId") is None and el.text and not el.get("name", "").startswith("_xlnm."):
            out[el.get("name").upper()] = el.text.strip()
    return out
