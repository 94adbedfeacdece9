"""LibreOffice recalculates every formula of the year-end workbooks to the value written, and
editing a participation in the payout workbook moves the shares as the library would."""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import openpyxl

from conftest import ROOT, SAMPLE
from test_progress_support import formula_mismatches
from test_yearend_support import person, run, small_plan, staff

from chiari_xl.yearend.run import make_template, run_payout

STAFF = ROOT / "workbooks" / "personale_2025_esempio.xlsx"


def test_sample_payout_formulas_recalculate_to_their_cached_values(tmp_path, lo_recalc):
    shutil.copyfile(SAMPLE, tmp_path / SAMPLE.name)
    out = run_payout(tmp_path / SAMPLE.name, STAFF, output=tmp_path / "Liquidazione.xlsx")
    count, bad = formula_mismatches(out.output, lo_recalc(out.output))
    assert count > 3000 and bad == []
    lo = openpyxl.load_workbook(lo_recalc(out.output), data_only=True)
    ws = lo["Obiettivi"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Totale")
    assert D(str(round(total[9], 2))) == out.payout.totals["paid"]
    assert D(str(round(total[10], 2))) == out.payout.totals["savings"]


def test_staff_workbooks_formulas_recalculate(sample_plan, tmp_path, lo_recalc):
    template = make_template(sample_plan, tmp_path / "Personale.xlsx")
    for path in (template, STAFF):
        count, bad = formula_mismatches(path, lo_recalc(path))
        assert count > 20 and bad == [], path.name


def test_editing_a_participation_in_excel_moves_the_shares(make_plan, tmp_path, lo_recalc):
    plan_path = small_plan(make_plan)
    out = run(tmp_path, plan_path, staff(tmp_path, plan_path))
    wb = openpyxl.load_workbook(out.output)
    ws = wb["Quote"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "102" and ws.cell(r, 4).value == 1)
    ws.cell(row, 6).value = 2                       # 102 now weighs 2 × 50% = 1, as much as 101
    assert wb["Dipendenti"]["A5"].value == "101"
    wb["Dipendenti"]["E5"] = 50                     # and 101 becomes half-time: 1 × 50% = 0,5
    wb.save(tmp_path / "modificato.xlsx")
    lo = openpyxl.load_workbook(lo_recalc(tmp_path / "modificato.xlsx"), data_only=True)

    def change(f):
        person(f, "102")["obj"][1] = D(2)
        person(f, "101")["part_time"] = D(50)
    (tmp_path / "atteso").mkdir()
    expected = run(tmp_path / "atteso", plan_path, staff(tmp_path, plan_path, change, name="atteso.xlsx"))
    q = lo["Quote"]
    got = {(q.cell(r, 2).value, q.cell(r, 4).value): D(str(round(q.cell(r, 12).value, 2)))
           for r in range(5, q.max_row + 1) if q.cell(r, 2).value and q.cell(r, 4).value}
    for m, shares in expected.payout.shares.items():
        for n, amount in shares.items():
            assert got[(m, n)] == amount, (m, n)
    assert got[("101", 1)] == D("333.33") and got[("102", 1)] == D("666.67")


def test_the_first_share_row_gets_its_cent_in_excel_too(make_plan, tmp_path, lo_recalc):
    """Objective 1 splits 1.000,00 € as 2/3 and 1/3: 666,66|6 and 333,33|3, the missing cent to the
    first row of the Quote sheet. Its rank must not count the row itself as a tie above it (a range
    from the first data row to the row above is inverted there, and spreadsheets swap its ends)."""
    plan_path = small_plan(make_plan)
    out = run(tmp_path, plan_path, staff(tmp_path, plan_path))
    assert out.payout.shares["101"][1] == D("666.67")
    count, bad = formula_mismatches(out.output, lo_recalc(out.output))
    assert count > 100 and bad == []
