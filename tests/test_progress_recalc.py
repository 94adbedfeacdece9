"""LibreOffice recalculation proof: the consolidated and final workbooks' formulas give the Python values."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl

from chiari_xl.progress import layout as L
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_roundtrip import CULTURA, EXPECTED_DUE, GARE, GIOVANI, MONTH, POLIZIA
from test_progress_support import fill, formula_mismatches, rows_of, sheet_for


def _collected(plan, tmp_path, final):
    office = tmp_path / "ufficio"
    (tmp_path / "fogli").mkdir()
    sheets = make_sheets(plan, MONTH, tmp_path / "fogli", office)
    files = [fill(sheet_for(sheets, n).path, tmp_path / "r" / sheet_for(sheets, n).path.name, v)
             for n, v in (("Gare", GARE), ("Corpo polizia", POLIZIA), ("Cultura", CULTURA),
                          ("Politiche giovanili", GIOVANI))]
    return run_collect(plan, files, MONTH, office, final=final), files


def test_consolidated_formulas_match_python(sample_plan, tmp_path, lo_recalc):
    out, _ = _collected(sample_plan, tmp_path, final=False)
    count, bad = formula_mismatches(out.output, lo_recalc(out.output))
    assert count > 500 and bad == []


def test_final_payout_formulas_match_python_to_the_cent(sample_plan, tmp_path, lo_recalc):
    out, _ = _collected(sample_plan, tmp_path, final=True)
    recalced = lo_recalc(out.output)
    count, bad = formula_mismatches(out.output, recalced)
    assert count > 500 and bad == []
    ws = openpyxl.load_workbook(recalced, data_only=True)["Liquidazione"]
    due = {r[0]: D(str(r[6])).quantize(D("0.01")) for r in ws.iter_rows(min_row=4, values_only=True)
           if isinstance(r[0], int)}
    for n, amount in EXPECTED_DUE.items():
        assert due[n] == amount, n
    total = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Totale liquidato")
    assert D(str(total[6])).quantize(D("0.01")) == sum(EXPECTED_DUE.values()) == sum(o.due for o in out.objectives)
    saved = next(r for r in ws.iter_rows(values_only=True)
                 if r[1] == "Economie rispetto al fondo attribuito ai settori")
    assert D(str(saved[6])).quantize(D("0.01")) == D("69223.09") - sum(EXPECTED_DUE.values())


def test_area_sheet_formulas_give_the_same_achievement(sample_plan, tmp_path, lo_recalc):
    out, files = _collected(sample_plan, tmp_path, final=False)
    polizia = files[1]
    wb = openpyxl.load_workbook(lo_recalc(polizia), data_only=True)
    summary = {r[0]: r[3] for r in wb[L.SUMMARY].iter_rows(min_row=4, values_only=True) if r[0]}
    expected = {o.n: float(o.achievement) for o in out.objectives}
    for n in (24, 25, 26, 27):
        assert abs(summary[n] - expected[n]) < 1e-9, n
    assert wb[L.SUMMARY][f"E{4 + list(summary).index(26)}"].value == "Sotto soglia"
    row = rows_of(polizia)["24.1"]
    assert abs(wb[L.SHEET][f"L{row}"].value - 28 / 30) < 1e-12
