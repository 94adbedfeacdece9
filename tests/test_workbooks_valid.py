"""Every workbook chiari-xl writes is valid everywhere: an OOXML schema validator (openxml-audit,
the checks of Excel's own Open XML SDK in pure Python) finds no error in any of them, and a second
formula engine (the `formulas` package) computes every formula to its cached value, as
LibreOffice does in the recalculation tests.

The second engine cannot read structured references to Excel tables nor CELL("format", …):
tests/second_engine.py rewrites those to plain A1 references (from each table's own definition)
and to the code of the cell's number format, and the engine computes all the rest. The
transparency workbook has no formulas (published figures, values only) and the `parametri` copy
none of ours (its Parametri sheet holds values; the office's own formulas are copied as they are),
so for those two only the schema is checked.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from second_engine import mismatches
from workbook_kinds import KINDS, build_all

VALIDATED = [k for k in KINDS if k != "area-sheet-returned"]  # that one is saved by openpyxl, as an area's Excel would
WITH_FORMULAS = ["checked-half-up", "checked-largest-remainder", "area-sheet", "monthly-report", "final-payout",
                 "staff-template"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("cartelle"))


@pytest.mark.parametrize("kind", VALIDATED)
def test_every_workbook_passes_the_schema_validator(workbooks, kind):
    from openxml_audit import OpenXmlValidator
    from openxml_audit.errors import ValidationSeverity

    result = OpenXmlValidator().validate(str(workbooks[kind]))
    errors = [(e.part_uri, e.path, e.description) for e in result.errors
              if e.severity == ValidationSeverity.ERROR]
    assert errors == []


@pytest.mark.parametrize("kind", WITH_FORMULAS)
def test_a_second_engine_computes_every_formula_to_its_cached_value(workbooks, kind, tmp_path):
    count, bad = mismatches(workbooks[kind], tmp_path)
    assert count > 20 and bad == [], bad[:5]


def test_the_yearend_payout_formulas_agree_with_the_second_engine(make_plan, tmp_path):
    """The small plan of the year-end tests: events paid by bands, a split by groups of areas,
    largest remainders (the bundled sample's 4.000 formulas take a minute in this engine; the
    LibreOffice test recalculates those)."""
    from test_yearend_support import run, small_plan, staff

    plan_path = small_plan(make_plan)
    out = run(tmp_path, plan_path, staff(tmp_path, plan_path))
    count, bad = mismatches(out.output, tmp_path / "motore")
    assert count > 150 and bad == [], bad[:5]


def test_workbooks_without_formulas_of_ours(workbooks):
    for kind in ("transparency", "params-copy"):
        wb = openpyxl.load_workbook(workbooks[kind])
        ours = [ws.title for ws in wb.worksheets if kind == "transparency" or ws.title == "Parametri"]
        formulas = [c.coordinate for name in ours for row in wb[name].iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")]
        assert formulas == [], kind


def test_choice_lists_come_from_cells_and_hold_the_cells_value(workbooks):
    """A list typed in the validation is split at its commas; the rules' labels have commas."""
    for kind in ("checked-half-up", "yearend-payout", "final-payout", "area-sheet", "staff-template"):
        wb = openpyxl.load_workbook(workbooks[kind])
        for ws in wb.worksheets:
            for dv in ws.data_validations.dataValidation:
                if dv.type != "list":
                    continue
                source = dv.formula1
                if source.startswith('"'):       # a typed list: fine only without commas inside items
                    items = source.strip('"').split(",")
                else:
                    name = wb.defined_names.get(source)
                    ref = name.attr_text if name is not None else source.lstrip("=")
                    sheet, cells = ref.split("!")
                    target = wb[sheet.strip("'")]
                    items = [c.value for row in target[cells.replace("$", "")] for c in row if c.value is not None]
                for cell_range in str(dv.sqref).split():
                    for row in ws[cell_range] if ":" in cell_range else [[ws[cell_range]]]:
                        for c in row:
                            if c.value not in (None, ""):
                                assert c.value in items, (kind, ws.title, c.coordinate, c.value, items)
