"""The checked workbook of plans the split cannot handle as usual (test_money_edge_cases.py) still has
formulas that LibreOffice recalculates to the values cached by Python: blank where Python has no amount."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from test_workbook_formulas import formula_cells, same
from tiny_plans import fund, row

from chiari_xl.api import check_plan
from chiari_xl.model.params import Rounding

D = Decimal


def zero_points_and_empty_sector():
    params = fund(general=100, sectors={"TERRITORIO": 1, "SICUREZZA": 1}, sector_money=200)
    return [row(1, "GENERALE", total=0, amount="100.00"), row(2, amount="100.00")], params


def zero_sector_weights():
    params = fund(sectors={"TERRITORIO": 0, "SICUREZZA": 0}, sector_money=200)
    return [row(1, amount="100.00"), row(2, "SETTORE SICUREZZA", amount="100.00")], params


def largest_remainder_with_gaps():
    rows = [row(1, "GENERALE", amount="50.00"), row(2, "GENERALE", total=None, amount="10.00"),
            row(3, "GENERALE", amount="50.00"), row(4, amount="100.00")]
    rows[3]["n_dip"] = D("2.5")
    return rows, fund(general=100, sector_money=100, rounding=Rounding.LARGEST_REMAINDER)


@pytest.mark.libreoffice
@pytest.mark.parametrize("scenario", [zero_points_and_empty_sector, zero_sector_weights, largest_remainder_with_gaps])
def test_edge_plans_recalculate_to_their_cached_values(make_plan, tmp_path, lo_recalc, scenario):
    rows, params = scenario()
    result = check_plan(make_plan(f"{scenario.__name__}.xlsx", rows, None, params),
                        output=tmp_path / "controllato.xlsx")
    cached = openpyxl.load_workbook(result.output, data_only=True)
    lo = openpyxl.load_workbook(lo_recalc(result.output), data_only=True)
    cells = list(formula_cells(result.output))
    assert cells
    bad = [(s, c, cached[s][c].value, lo[s][c].value) for s, c in cells
           if not same(cached[s][c].value, lo[s][c].value)]
    assert bad == [], "\n".join(map(str, bad))
