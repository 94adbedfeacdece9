"""Checks on the staff data: each mistake planted in a small workbook, and the consistent twin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from test_yearend_support import flat, person, run, small_plan, staff


@pytest.fixture
def plan_path(make_plan):
    return small_plan(make_plan)


def payout_of(tmp_path, plan_path, change=None):
    return run(tmp_path, plan_path, staff(tmp_path, plan_path, change))


def test_consistent_staff_list_has_no_finding(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path)
    assert flat(out, info=True) == []
    by = {o.n: o for o in out.payout.objectives}
    # 1.000,00 € between a full-time and a half-time person: 2/3 and 1/3, the cent by largest remainder
    assert out.payout.shares["101"][1] == D("666.67") and out.payout.shares["102"][1] == D("333.33")
    # events: 60 € (3 h) + 40 € (1,5 h) + 80 € × 1,15 (5 h, night) + 140 € × 1,15 (10 h, holiday)
    assert by[3].paid == D("60") + D("40") + D("92.00") + D("161.00") == D("353.00")
    assert by[3].savings == D("147.00")
    # objective 4: 200,00 € to Polizia Locale (one person), 100,00 € to the other two
    assert out.payout.shares["201"][4] == D("200.00")
    assert out.payout.shares["301"][4] == out.payout.shares["302"][4] == D("50.00")


def test_participants_differ_from_n_dip(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: person(f, "102")["obj"].pop(1))
    assert flat(out) == [("partecipanti-diversi-da-n-dip", 1, "")]
    assert out.payout.shares["101"][1] == D("1000.00")


def test_person_in_an_objective_of_another_area(tmp_path, plan_path):
    def change(f):
        person(f, "301")["obj"][2] = D(1)
    out = payout_of(tmp_path, plan_path, change)
    assert ("area-non-dell-obiettivo", 2, "A10") in flat(out)
    assert ("partecipanti-diversi-da-n-dip", 2, "") in flat(out)


def test_unknown_area(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: person(f, "202").update(area="Ufficio inesistente"))
    assert flat(out) == [("area-personale-sconosciuta", None, "C9")]


@pytest.mark.parametrize("matricola,code", [(None, "matricola-mancante"), ("101", "matricola-duplicata")])
def test_missing_or_duplicate_matricola(tmp_path, plan_path, matricola, code):
    def change(f):
        f.people.append({"matricola": matricola, "name": "Modello Gino", "area": "Lavori pubblici",
                         "part_time": D(100), "obj": {1: D(1)}})
    out = payout_of(tmp_path, plan_path, change)
    assert flat(out) == [(code, None, "A12")]
    # the extra row takes nothing: objective 1 is still shared by 101 and 102 only
    assert out.payout.shares["101"][1] == D("666.67")


def test_unknown_matricola_in_events_is_not_paid(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: f.events[0].update(matricola="999"))
    assert flat(out) == [("matricola-sconosciuta", 3, "C4")]
    assert {o.n: o.paid for o in out.payout.objectives}[3] == D("293.00")


@pytest.mark.parametrize("hours,code", [(D(0), "ore-non-valide"), (D(25), "ore-non-valide"),
                                        (D(-2), "ore-non-valide"), (D(12), "ore-oltre-fasce")])
def test_hours(tmp_path, plan_path, hours, code):
    out = payout_of(tmp_path, plan_path, lambda f: f.events[0].update(hours=hours))
    assert flat(out) == [(code, 3, "E4")]
    paid = {o.n: o.paid for o in out.payout.objectives}[3]
    assert paid == (D("433.00") if code == "ore-oltre-fasce" else D("293.00"))  # 12 h: paid as the last band


def test_date_outside_the_plan_year_or_not_a_date(tmp_path, plan_path):
    def change(f):
        f.events[0]["date"] = dt.date(2024, 12, 31)
        f.events[1]["date"] = "31/02/2025"
    out = payout_of(tmp_path, plan_path, change)
    assert flat(out) == [("data-fuori-anno", 3, "A4"), ("data-non-valida", 3, "A5")]
    assert {o.n: o.paid for o in out.payout.objectives}[3] == D("253.00")


def test_same_person_at_two_events_at_once(tmp_path, plan_path):
    def change(f):
        f.events.append({"date": dt.date(2025, 3, 2), "event": "Mostra", "matricola": "101", "hours": D(2),
                         "start": dt.time(15, 30), "night": False})
    assert flat(payout_of(tmp_path, plan_path, change)) == [("presenze-sovrapposte", 3, "C8")]


def test_same_day_without_start_times_only_when_more_than_24_hours(tmp_path, plan_path):
    def change(f, extra):
        f.events[0]["start"] = None
        f.events.append({"date": dt.date(2025, 3, 2), "event": "Mostra", "matricola": "101", "hours": extra,
                         "start": None, "night": False})
    assert flat(payout_of(tmp_path, plan_path, lambda f: change(f, D(8)))) == []
    assert flat(payout_of(tmp_path, plan_path, lambda f: change(f, D(22)))) == [
        ("ore-oltre-fasce", 3, "E8"), ("presenze-sovrapposte", 3, "C8")]


def test_same_event_twice_pays_once(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: f.events.append(dict(f.events[0])))
    assert flat(out) == [("presenza-duplicata", 3, "C8")]
    assert {o.n: o.paid for o in out.payout.objectives}[3] == D("353.00")


@pytest.mark.parametrize("value", [D(0), D(120), "metà"])
def test_part_time_outside_0_100(tmp_path, plan_path, value):
    out = payout_of(tmp_path, plan_path, lambda f: person(f, "102").update(part_time=value))
    assert flat(out) == [("part-time-non-valido", None, "D7")]
    assert out.payout.shares["102"][1] == D("500.00")  # counted as full time, and said


def test_objective_with_an_amount_due_and_nobody_to_pay(tmp_path, plan_path):
    def change(f):
        for p in f.people:
            p["obj"].pop(1, None)
    out = payout_of(tmp_path, plan_path, change)
    assert flat(out) == [("obiettivo-senza-partecipanti", 1, "")]
    o1 = {o.n: o for o in out.payout.objectives}[1]
    assert (o1.due, o1.paid, o1.savings) == (D("1000.00"), D("0.00"), D("1000.00"))


def test_group_without_participants_goes_to_savings(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: person(f, "201")["obj"].pop(4))
    assert flat(out) == [("gruppo-senza-partecipanti", 4, ""), ("partecipanti-diversi-da-n-dip", 4, "")]
    o4 = {o.n: o for o in out.payout.objectives}[4]
    assert (o4.paid, o4.savings) == (D("100.00"), D("200.00"))


def test_events_worth_more_than_the_amount_are_scaled_to_it(tmp_path, plan_path):
    def change(f):
        for k in range(10):
            f.events.append({"date": dt.date(2025, 5, 1 + k), "event": f"Fiera {k}", "matricola": "202",
                             "hours": D(7), "start": dt.time(9), "night": k % 2 == 0})
    out = payout_of(tmp_path, plan_path, change)
    assert flat(out) == [("presenze-oltre-stanziamento", 3, "")]
    led = out.payout.ledger
    assert led.value == D("353.00") + 5 * D("100") + 5 * D("115.00")
    assert led.paid == D("500.00") == sum(r.paid for r in led.rows)
    assert all(r.paid <= r.band for r in led.rows)


@pytest.mark.parametrize("value,code", [(None, "raggiungimento-mancante"), (D(120), "raggiungimento-non-valido")])
def test_achievement_missing_or_invalid(tmp_path, plan_path, value, code):
    def change(f):
        f.achievements[2] = value
    out = payout_of(tmp_path, plan_path, change)
    expected = [(code, 2, "E5")] if code.endswith("valido") else []
    assert flat(out) == sorted(expected + [("raggiungimento-mancante", 2, "")])
    o2 = {o.n: o for o in out.payout.objectives}[2]
    assert (o2.due, o2.savings) == (D("0.00"), D("600.00"))


def test_below_the_soglia_pays_nothing(tmp_path, plan_path):
    out = payout_of(tmp_path, plan_path, lambda f: f.achievements.update({2: D(85), 1: D("87.5")}))
    by = {o.n: o for o in out.payout.objectives}
    assert by[2].due == D("0.00")      # 85 < soglia 90
    assert by[1].due == D("875.00")    # 87,5% of 1.000,00 € (proportional, over the soglia 80)
    assert flat(out) == []


def test_score_rule_uses_the_score_and_says_when_missing(tmp_path, make_plan):
    from test_yearend_support import small_params

    from chiari_xl.model.params import SplitRule

    params = small_params()
    params.split_rule = SplitRule.WITH_SCORE
    plan_path = small_plan(make_plan, params)

    def change(f):
        person(f, "101")["score"] = D(90)
        person(f, "102")["score"] = D(60)
    out = payout_of(tmp_path, plan_path, change)
    # weights 1 × 100% × 90% and 1 × 50% × 60%: 0,9 and 0,3 of 1.000,00 €
    assert out.payout.shares["101"][1] == D("750.00") and out.payout.shares["102"][1] == D("250.00")
    assert {c for c, *_ in flat(out)} == {"punteggio-mancante"}


def test_parameters_missing_on_parametri_are_said(tmp_path, make_plan):
    from test_yearend_support import small_params

    params = small_params()
    params.event_objective = None
    plan_path = small_plan(make_plan, params)
    out = payout_of(tmp_path, plan_path)
    assert ("presenze-senza-obiettivo", None, "") in flat(out)
    assert out.payout.ledger is None
