"""LibreOffice recalculation proof: every formula of the area sheets, the monthly report and the final
payout gives the cached value, which is Python's value."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl

from chiari_xl.progress import layout as L
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_roundtrip import EXPECTED_DUE, RETURNS
from test_progress_support import JUNE, Typed, fill, formula_mismatches, rows_of, sheet_for, table_rows


def _collected(plan, tmp_path, final):
    office = tmp_path / "ufficio"
    sheets = make_sheets(plan, JUNE, tmp_path / "fogli", office).written
    files = [fill(sheet_for(sheets, n).path, tmp_path / "r" / sheet_for(sheets, n).path.name, v) for n, v in RETURNS]
    return run_collect(plan, files, JUNE, office, final=final), files


def test_monthly_report_formulas_match_python(sample_plan, tmp_path, lo_recalc):
    out, _ = _collected(sample_plan, tmp_path, final=False)
    recalced = lo_recalc(out.output)
    count, bad = formula_mismatches(out.output, recalced)
    assert count > 200 and bad == []
    states = {o["N. ob."]: o["Esito"] for o in table_rows(recalced, "Obiettivi", 4)}
    assert states == {o.n: o.status.label for o in out.objectives}


def test_final_payout_formulas_match_python_to_the_cent(sample_plan, tmp_path, lo_recalc):
    out, _ = _collected(sample_plan, tmp_path, final=True)
    recalced = lo_recalc(out.output)
    count, bad = formula_mismatches(out.output, recalced)
    assert count > 400 and bad == []
    rows = table_rows(recalced, "Liquidazione", 4)
    due = {r["N. ob."]: D(str(r["Importo da liquidare"])).quantize(D("0.01")) for r in rows
           if isinstance(r["N. ob."], int)}
    for n, amount in EXPECTED_DUE.items():
        assert due[n] == amount, n
    assert sum(due.values()) == sum(EXPECTED_DUE.values()) == sum(o.due for o in out.objectives)
    ws = openpyxl.load_workbook(recalced, data_only=True)["Riepilogo"]
    saved = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Non liquidato rispetto al fondo attribuito")
    assert D(str(saved[1])).quantize(D("0.01")) == D("69223.09") - sum(EXPECTED_DUE.values())


def test_area_sheet_formulas_give_the_same_achievement(sample_plan, tmp_path, lo_recalc):
    """Including "50%" typed in the % column (0.5 with a percent format: read as 50 % by the
    formula as by the collector)."""
    office = tmp_path / "ufficio"
    sheets = make_sheets(sample_plan, JUNE, tmp_path / "fogli", office).written
    src = sheet_for(sheets, "Corpo polizia").path
    typed = {"24.1": {"quantita": 28}, "25.1": {"stato": "Completato"},
             "27.1": {"percentuale": Typed(0.5, "0%")}, "27.2": {"percentuale": Typed(0.5, "0.00%")},
             "27.3": {"percentuale": 50}}
    polizia = fill(src, tmp_path / "r" / src.name, typed)
    out = run_collect(sample_plan, [polizia], JUNE, office)
    assert not out.files[0].cell_notices, [n.message for n in out.files[0].notices]
    wb = openpyxl.load_workbook(lo_recalc(polizia), data_only=True)
    summary = {r[0]: r for r in wb[L.SUMMARY].iter_rows(min_row=5, values_only=True) if r[0]}
    expected = {o.n: o for o in out.objectives}
    for n in (24, 25, 26, 27):
        assert abs(summary[n][3] - float(expected[n].achievement)) < 1e-9, n
        assert summary[n][4] == expected[n].status.label, n
    assert expected[27].achievement == 30 * D("0.5") + 20 * D("0.5") + 20 * D("0.5")  # weights 30, 20, 20
    rows = rows_of(polizia)
    assert abs(wb[L.SHEET][L.cell(rows["24.1"], "completamento")].value - 28 / 30) < 1e-12
    assert wb[L.SHEET][L.cell(rows["27.1"], "completamento")].value == 0.5
