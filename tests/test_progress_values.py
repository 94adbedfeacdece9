"""Every input value judged cell by cell: NaN, inf, 1E+5000, text, dates, "50" and "50%", ambiguous 0,5;
and the completion rule written once for Python and Excel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from chiari_xl.progress import layout as L
from chiari_xl.progress.completion import (RULE, Ambiguous, Ref, State, completion, completion_formula,
                                           is_percent_format, points_of_cell)
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_support import JUNE, Typed, fill, rows_of, sheet_for


@pytest.fixture
def gare(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    sheets = make_sheets(sample_plan, JUNE, tmp_path / "fogli", office).written
    return sample_plan, office, sheet_for(sheets, "Gare").path


def _collect(gare, tmp_path, values, name="r"):
    plan, office, src = gare
    back = fill(src, tmp_path / name / src.name, values)
    out = run_collect(plan, [back], JUNE, office)
    return out, out.files[0], rows_of(back)


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "inf", "-inf", "1E+5000", "tanto", "sNaN"])
def test_non_numbers_are_refused_for_their_cell_only(gare, tmp_path, typed):
    out, f, rows = _collect(gare, tmp_path, {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": typed},
                                            "10.3": {"quantita": typed}})
    assert f.status == Outcome.PARTIAL and out.report is not None  # no traceback, the report is written
    cells = {n.finding.cell: n for n in f.cell_notices}
    assert set(cells) == {L.cell(rows["10.2"], "percentuale"), L.cell(rows["10.3"], "quantita")}
    for n in cells.values():
        assert n.code == "cella-rifiutata" and typed in n.message
        assert ("non è un numero" in n.message) or ("fuori misura" in n.message)
        assert "Decimal" not in n.message and "Overflow" not in n.message
    assert {o.n: o.achievement for o in out.objectives}[10] == 35  # 10.1 still counts


def test_a_date_or_a_boolean_is_not_a_quantity(gare, tmp_path):
    out, f, rows = _collect(gare, tmp_path, {"10.1": {"quantita": dt.datetime(2025, 6, 1)},
                                            "10.2": {"quantita": True}})
    assert {n.finding.cell for n in f.cell_notices} == {L.cell(rows["10.1"], "quantita"),
                                                        L.cell(rows["10.2"], "quantita")}


@pytest.mark.parametrize("typed, points", [
    (50, 50),                      # 50 in a plain cell
    (Typed(0.5, "0%"), 50),        # "50%" typed: Excel stores 0.5 and formats the cell as a percentage
    (Typed(0.5, "0.00%"), 50),
    ("50%", 50),                   # typed in a cell formatted as text
    ("50 %", 50),
    ("0,5%", D("0.5")),            # the % sign says it: half a percent
    (Typed(0.005, "0.0%"), D("0.5")),
    (100, 100), (0, 0), (Typed(1, "0%"), 100),
])
def test_percentages_as_people_type_them(gare, tmp_path, typed, points):
    out, f, rows = _collect(gare, tmp_path, {"10.3": {"percentuale": typed}})
    assert f.status == Outcome.ACCEPTED, [n.message for n in f.notices]
    assert {(v["n"], v["k"]): v for v in f.values}[(10, 3)]["percentuale"] == points
    assert {o.n: o.achievement for o in out.objectives}[10] == 30 * Fraction(points) / 100


@pytest.mark.parametrize("typed", [0.5, 1, "0,5", Typed(50, "0%")])
def test_an_ambiguous_percentage_is_flagged_never_read_as_half_a_percent(gare, tmp_path, typed):
    out, f, rows = _collect(gare, tmp_path, {"10.3": {"percentuale": typed}, "10.1": {"stato": "Completato"}})
    assert f.status == Outcome.PARTIAL
    (n,) = f.cell_notices
    assert n.code == "percentuale-ambigua" and n.finding.cell == L.cell(rows["10.3"], "percentuale")
    assert "crivere " in n.message and ("ambiguo" in n.message or "percentuale" in n.message)
    assert (10, 3) not in {(v["n"], v["k"]) for v in f.values}


def test_percent_formats():
    assert is_percent_format("0%") and is_percent_format("0.00%") and is_percent_format("#,##0.0 %")
    assert not is_percent_format('0.##" %"') and not is_percent_format("General") and not is_percent_format(None)
    assert not is_percent_format("0\\%")
    assert points_of_cell(D("0.5"), "0%") == 50 and points_of_cell(D(50), "General") == 50
    with pytest.raises(Ambiguous):
        points_of_cell(D("0.5"), "General")


def test_the_completion_rule_is_one_definition():
    """Python's rule and the Excel formula come from RULE: one branch per rule, in order."""
    refs = {k: Ref(k.upper()) for k in ("stato", "quantita", "percentuale", "target")}
    assert completion_formula(refs) == (
        '=IF(PERCENTUALE<>"",MIN(1,MAX(0,PERCENTUALE/100)),'
        'IF(AND(QUANTITA<>"",N(TARGET)>0),MIN(1,MAX(0,QUANTITA/TARGET)),'
        'IF(STATO="Completato",MIN(1,MAX(0,1)),0)))')
    assert len(RULE) == 3
    assert completion(State.DONE, D(3), D(40), D(10)) == Fraction(2, 5)     # % first
    assert completion(State.DONE, D(3), None, D(10)) == Fraction(3, 10)     # then quantity / target
    assert completion(State.DONE, D(3), None, None) == 1                    # then the state
    assert completion(State.IN_PROGRESS, None, None, D(10)) == 0
    assert completion(None, D(50), None, D(10)) == 1                        # capped
    assert State.from_text(" completato ") == State.DONE and State.from_text("finito") is None


def test_an_unforeseen_failure_refuses_that_file_only(sample_plan, tmp_path, monkeypatch):
    """No traceback ends a collection: a file that fails unexpectedly is refused whole with its
    reason and the others are collected."""
    from chiari_xl.dev.progress_demo import JUNE_RETURNS
    from chiari_xl.progress import collect as C

    office = tmp_path / "ufficio"
    sheets = make_sheets(sample_plan, JUNE, tmp_path / "fogli", office).written
    files = [fill(sheet_for(sheets, n).path, tmp_path / "r" / sheet_for(sheets, n).path.name, JUNE_RETURNS[k])
             for n, k in (("Gare", "Gare"), ("Corpo polizia", "Corpo_Polizia"))]
    real = C._compare_with_plan

    def broken(pi, res, rows):
        if "Gare" in res.path.name:
            raise ZeroDivisionError("divisione per zero")
        return real(pi, res, rows)
    monkeypatch.setattr(C, "_compare_with_plan", broken)
    out = run_collect(sample_plan, files, JUNE, office)
    assert [f.status for f in out.files] == [Outcome.REFUSED, Outcome.ACCEPTED]
    assert out.files[0].notices[-1].code == "errore-imprevisto" and "ZeroDivisionError" in out.files[0].reason
    assert out.output is not None and {o.n: o.achievement for o in out.objectives}[25] == 100
