"""Rule 5 at year end, as the office states it (progress/payout.py through `evaluate` and `amount_due`,
the functions the monthly report and the year-end payout, progress/run.py, get their results from).

Achievement = Σ indicator weight × completion; reached when achievement ≥ soglia (at exactly the
soglia too); paid in proportion to achievement (default) or whole (all-or-nothing); nothing when
not reached, or when the soglia or the amount is missing (never a crash). Unpaid = savings. Each
result has its state (Da compilare / Sopra soglia / Sotto soglia) and is provisional while one of
its reporting areas has not returned the month's sheet.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from tiny_plans import card, fund, row

from chiari_xl.dev.make_plan import write_plan
from chiari_xl.model.params import Payout
from chiari_xl.progress.indicators import plan_indicators
from chiari_xl.progress.completion import State
from chiari_xl.progress.payout import IndicatorState, amount_due, evaluate
from chiari_xl.reading.plan import read_plan

D = Decimal
DONE = {"stato": State.DONE}
LP, PL = "lavori-pubblici", "polizia-locale"  # the areas of the cards below


def pct(value):
    return {"percentuale": D(str(value))}


@pytest.fixture
def plan_path(tmp_path):
    rows = [row(1, amount="1000.00"), row(2, amount="700.00"), row(3, "SETTORE SICUREZZA", amount="500.00"),
            row(4, "SETTORE SICUREZZA", amount="300.00"), row(5, "SETTORE SICUREZZA"),
            row(6, "SETTORE FANTASMA", amount="100.00")]
    territorio, sicurezza = "SETTORE TERRITORIO – AREA LAVORI PUBBLICI", "SETTORE SICUREZZA – AREA POLIZIA LOCALE"
    title = {r["n"]: r["obiettivo"] for r in rows}
    cards = (card(1, territorio, title[1], ((60, "Progetto"), (40, "Collaudo")), soglia=80)
             # objective 2 has no card: no indicators
             + card(3, sicurezza, title[3], ((50, "Pattuglie", "n.30 pattuglie serali"), (50, "Corsi"),
                                             (None, "Senza peso")), soglia=50)
             + card(4, sicurezza, title[4], soglia=None)
             + card(5, sicurezza, title[5], soglia=50)
             + card(6, "SETTORE FANTASMA – AREA PROVA", title[6], soglia=50))
    params = fund(sectors={"TERRITORIO": 1, "SICUREZZA": 1}, sector_money=2500)
    return write_plan(tmp_path / "piano.xlsx", rows, cards, params)


def results(plan_path, current, payout=None):
    return {r.n: r for r in evaluate(plan_indicators(read_plan(plan_path)), current, payout)}


def test_achievement_is_the_sum_of_indicator_weights_times_completion(plan_path):
    # 60 % done + 40 % half done = 80 %
    res = results(plan_path, {LP: {(1, 1): DONE, (1, 2): pct(50)}})
    assert res[1].achievement == 80
    assert [s.completion for s in res[1].indicators] == [1, Fraction(1, 2)]


def test_at_exactly_the_soglia_the_objective_is_reached_and_paid(plan_path):
    res = results(plan_path, {LP: {(1, 1): DONE, (1, 2): pct(50)}})  # 80 % with a soglia of 80 %
    assert (res[1].reached, res[1].due, res[1].savings) == (True, D("800.00"), D("200.00"))
    whole = results(plan_path, {LP: {(1, 1): DONE, (1, 2): pct(50)}}, Payout.ALL_OR_NOTHING)
    assert (whole[1].reached, whole[1].due, whole[1].savings) == (True, D("1000.00"), D("0.00"))


def test_below_the_soglia_nothing_is_paid_and_all_is_saved(plan_path):
    res = results(plan_path, {LP: {(1, 1): DONE, (1, 2): pct("49.99")}})  # 79,996 % < 80 %
    assert (res[1].reached, res[1].due, res[1].savings) == (False, D(0), D("1000.00"))
    whole = results(plan_path, {LP: {(1, 1): DONE, (1, 2): pct("49.99")}}, Payout.ALL_OR_NOTHING)
    assert (whole[1].reached, whole[1].due) == (False, D(0))


def test_an_objective_without_indicators_does_not_stop_the_later_ones(plan_path):
    res = results(plan_path, {PL: {(3, 1): DONE, (3, 2): DONE}})
    assert sorted(res) == [1, 3, 4, 5, 6]  # objective 2 has no card: not evaluated
    assert res[3].due == D("500.00")


def test_an_indicator_without_a_weight_counts_for_nothing(plan_path):
    # 50 % done, 50 % not, the indicator without a weight done: 50 %, the soglia: half of 500 €
    res = results(plan_path, {PL: {(3, 1): DONE, (3, 3): DONE}})
    assert (res[3].achievement, res[3].reached, res[3].due) == (50, True, D("250.00"))


def test_a_missing_soglia_pays_nothing_and_does_not_crash(plan_path):
    res = results(plan_path, {PL: {(4, 1): DONE}})
    assert (res[4].soglia, res[4].achievement, res[4].reached, res[4].due) == (None, 100, False, D(0))
    assert res[4].savings == D("300.00")


def test_a_missing_amount_pays_nothing_and_does_not_crash(plan_path):
    res = results(plan_path, {PL: {(5, 1): DONE}})
    assert (res[5].amount, res[5].reached, res[5].due, res[5].savings) == (None, True, D(0), D(0))


def test_only_the_areas_responsible_for_an_objective_count(plan_path):
    # polizia locale reporting on objective 1 (not theirs), anyone on an indicator the plan lacks
    res = results(plan_path, {PL: {(1, 1): DONE, (1, 2): DONE}, LP: {(1, 9): DONE, (9, 1): DONE}})
    assert (res[1].achievement, res[1].due) == (0, D(0))
    assert all(not s.reports for s in res[1].indicators)
    # a report that does not count does not hide the reports after it
    res = results(plan_path, {LP: {(9, 1): DONE, (1, 9): DONE, (1, 1): DONE}})
    assert res[1].achievement == 60


def test_a_quantity_counts_against_the_target_of_the_indicator(plan_path):
    # 18 of 30 evening patrols: 60 % of a 50 % indicator = 30 %
    res = results(plan_path, {PL: {(3, 1): {"quantita": D(18)}}})
    assert res[3].achievement == 30
    assert res[3].indicators[0].completion == Fraction(3, 5)


def test_nothing_reported_counts_zero(plan_path):
    res = results(plan_path, {})
    assert {n: (r.achievement, r.due) for n, r in res.items()} == {1: (0, 0), 3: (0, 0), 4: (0, 0), 5: (0, 0),
                                                                    6: (0, 0)}


def test_each_result_says_the_objective_its_sector_and_its_amounts(plan_path):
    res = results(plan_path, {LP: {(1, 1): DONE}})
    r = res[1]
    assert (r.obiettivo, r.group, r.amount, r.amount_recomputed, r.soglia) == (
        "Obiettivo di prova 1", "TERRITORIO", D("1000.00"), D("625.00"), D(80))
    assert res[3].group == "SICUREZZA"
    assert res[6].group == ""  # a tipologia of no known sector
    assert [(s.n, s.k) for s in r.indicators] == [(1, 1), (1, 2)]
    assert r.indicators[0].values == {LP: DONE}


def test_each_result_says_its_state_for_the_month(plan_path):
    # nothing filled yet: "Da compilare", not "Sotto soglia"; a note alone fills nothing
    res = results(plan_path, {LP: {(1, 1): pct(10)}, PL: {(3, 1): {"nota": "in attesa del bando"}}})
    assert (res[1].status.label, res[3].status.label) == ("Sotto soglia", "Da compilare")
    assert (res[3].achievement, res[3].due) == (0, D(0))
    res = results(plan_path, {LP: {(1, 1): DONE, (1, 2): DONE}})
    assert (res[1].status.label, res[1].reached) == ("Sopra soglia", True)


def test_an_objective_whose_areas_have_not_all_returned_the_month_is_provisional(plan_path):
    pi = plan_indicators(read_plan(plan_path))
    res = {r.n: r for r in evaluate(pi, {LP: {(1, 1): DONE}}, returned={LP})}
    assert (res[1].reporters, res[1].missing, res[1].provisional) == ([LP], [], False)
    assert (res[3].reporters, res[3].missing, res[3].provisional) == ([PL], [PL], True)
    assert res[1].due == D(0) and res[3].due == D(0)  # provisional or not, Rule 5 is the same
    # every area returned: nothing provisional; completeness not judged (returned=None): nothing missing
    everyone = {a for r in res.values() for a in r.reporters}
    assert not any(r.provisional for r in evaluate(pi, {}, returned=everyone))
    unjudged = {r.n: r for r in evaluate(pi, {})}
    assert (unjudged[3].reporters, unjudged[3].missing, unjudged[3].provisional) == ([PL], [], False)


def test_the_plan_payout_rule_is_the_default(plan_path, tmp_path):
    pi = plan_indicators(read_plan(plan_path))
    current = {LP: {(1, 1): DONE, (1, 2): DONE}, PL: {(3, 1): DONE}}
    assert {r.n: r.due for r in evaluate(pi, current)}[3] == D("250.00")  # proportional: the plan's default
    pi.plan.params.payout = Payout.ALL_OR_NOTHING
    assert {r.n: r.due for r in evaluate(pi, current)}[3] == D("500.00")
    assert {r.n: r.due for r in evaluate(pi, current, Payout.PROPORTIONAL)}[3] == D("250.00")


def test_several_areas_on_one_indicator_count_with_the_lowest_completion():
    state = IndicatorState(1, 1, reports={"a": Fraction(1), "b": Fraction(1, 2)})
    assert (state.completion, state.disagreeing) == (Fraction(1, 2), True)
    agreeing = IndicatorState(1, 1, reports={"a": Fraction(1, 2), "b": Fraction(1, 2)})
    assert (agreeing.completion, agreeing.disagreeing) == (Fraction(1, 2), False)
    assert (IndicatorState(1, 1).completion, IndicatorState(1, 1).disagreeing) == (0, False)


@pytest.mark.parametrize("payout", list(Payout))
def test_amount_due_at_and_around_the_soglia(payout):
    assert amount_due(D("1000"), Fraction(60), D(60), payout) == (D("600.00") if payout == Payout.PROPORTIONAL
                                                                  else D("1000.00"))
    assert amount_due(D("1000"), Fraction(5999, 100), D(60), payout) == 0
    assert amount_due(None, Fraction(100), D(60), payout) == 0
    assert amount_due(D("1000"), Fraction(100), None, payout) == 0


def test_amount_due_is_the_exact_share_rounded_half_up_once():
    # 1.000 € at 66,666…% = 666,666… -> 666,67; 0,01 € at 50 % = 0,005 -> 0,01
    assert amount_due(D("1000"), Fraction(200, 3), D(60), Payout.PROPORTIONAL) == D("666.67")
    assert amount_due(D("0.01"), Fraction(50), D(50), Payout.PROPORTIONAL) == D("0.01")
    assert amount_due(D("100.005"), Fraction(70), D(60), Payout.ALL_OR_NOTHING) == D("100.01")
    assert str(amount_due(D("1000"), Fraction(100), D(60), Payout.ALL_OR_NOTHING)) == "1000.00"
