"""The bundled sample workbooks are what their build scripts make today: a newcomer who rebuilds
them (after changing the writer, the plan's transcription or the invented staff) gets the very
files the README's figures and the tests speak of, cell for cell."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import ROOT, need_libreoffice, script


def contents(path) -> dict:
    """Every sheet's non-empty cells (value or formula), with its merged ranges and validations."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: ({c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
                       sorted(str(r) for r in ws.merged_cells.ranges),
                       sorted((str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation))
            for ws in wb.worksheets}


@pytest.mark.parametrize("name, bundled", [
    ("build_sample_plan", "obiettivi_2025.xlsx"),
    ("build_staff_sample", "personale_2025_esempio.xlsx"),
    pytest.param("build_formula_plan", "obiettivi_2025_con_formule.xlsx", marks=pytest.mark.libreoffice)])
def test_bundled_sample_is_what_its_script_builds(name, bundled, tmp_path):
    if name == "build_formula_plan":
        need_libreoffice()
    out = tmp_path / bundled
    script(name).main(out)
    built, committed = contents(out), contents(ROOT / "workbooks" / bundled)
    assert list(built) == list(committed)
    for sheet in built:
        cells_b, cells_c = built[sheet][0], committed[sheet][0]
        differ = sorted(k for k in cells_b.keys() | cells_c.keys() if cells_b.get(k) != cells_c.get(k))
        assert differ == [], (f"{bundled}!{sheet}: {len(differ)} cells differ, e.g. "
                              f"{[(k, cells_c.get(k), cells_b.get(k)) for k in differ[:3]]}; "
                              f"rebuild with scripts/{name}.py")
        assert built[sheet][1:] == committed[sheet][1:], sheet
