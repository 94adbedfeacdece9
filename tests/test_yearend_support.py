"""Helpers for the year-end tests: a small plan made for them, its consistent staff list, a
year-end run on both, flattened findings. (No tests here; the name keeps the helpers among
the year-end test files.)

The small plan: objective 1 (Territorio, Area Lavori pubblici, 2 people, 1.000,00 €),
2 (Sicurezza, Area Polizia locale, 2 people, 600,00 €), 3 (paid by events, 500,00 € fixed by
the Giunta), 4 (Segreteria and Polizia locale, 3 people, 300,00 €, 2/3 to Polizia locale and
1/3 to the other areas). Every figure is consistent: the run on BASE has no finding.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

from conftest import obj
from scenarios import card

from chiari_xl.model.params import GroupShare, PlanParams
from chiari_xl.reading.plan import read_plan
from chiari_xl.yearend.plan_view import PlanView
from chiari_xl.yearend.run import run_payout
from chiari_xl.yearend.staff_template import StaffFill, write_staff_workbook


def small_params() -> PlanParams:
    return PlanParams(year=2025, fund_total=D("3000.00"), fund_assigned=D("2400.00"), general_pool=D("300.00"),
                      fixed={3: D("500.00")}, sector_weights={"TERRITORIO": D(1), "SICUREZZA": D(1)},
                      event_objective=3,
                      group_splits=[GroupShare(4, "Polizia Locale", Fraction(2, 3), "Polizia locale"),
                                    GroupShare(4, "Altre aree", Fraction(1, 3), "altre aree")])


def small_plan(make_plan, params: PlanParams | None = None):
    rows = [obj(1, "SETTORE TERRITORIO", "miglioramento", 2, 20, 1, 20, amount=D("1000.00")),
            obj(2, "SETTORE SICUREZZA", "miglioramento", 2, 20, 1, 20, amount=D("600.00")),
            obj(3, "INTERSETTORIALE", "strategico", None, None, None, None, amount=D("500.00")),
            obj(4, "INTERSETTORIALE", "miglioramento", 3, 20, 1, 20, amount=D("300.00"))]
    cards = (card(1, "SETTORE TERRITORIO / AREA LAVORI PUBBLICI", "Obiettivo di prova 1", soglia=80)
             + card(2, "SETTORE SICUREZZA / AREA POLIZIA LOCALE", "Obiettivo di prova 2", soglia=90)
             + card(3, "INTERSETTORIALE - TUTTE LE AREE", "Obiettivo di prova 3", soglia=100)
             + card(4, "INTERSETTORIALE / AREA SEGRETERIA e AREA POLIZIA LOCALE", "Obiettivo di prova 4", soglia=75))
    return make_plan("piccolo.xlsx", rows, cards, params or small_params())


BASE = StaffFill(
    people=[
        {"matricola": "101", "name": "Prova Anna", "area": "Lavori pubblici", "part_time": D(100), "obj": {1: D(1)}},
        {"matricola": "102", "name": "Prova Bruno", "area": "Lavori pubblici", "part_time": D(50), "obj": {1: D(1)}},
        {"matricola": "201", "name": "Esempio Carla", "area": "Polizia locale", "part_time": D(100),
         "obj": {2: D(1), 4: D(1)}},
        {"matricola": "202", "name": "Esempio Dario", "area": "Polizia locale", "part_time": D(100), "obj": {2: D(1)}},
        {"matricola": "301", "name": "Fittizia Elena", "area": "Segreteria", "part_time": D(100), "obj": {4: D(1)}},
        {"matricola": "302", "name": "Fittizio Fabio", "area": "Segreteria", "part_time": D(100), "obj": {4: D(1)}},
    ],
    events=[
        {"date": dt.date(2025, 3, 2), "event": "Carnevale", "matricola": "101", "hours": D(3),
         "start": dt.time(14, 0), "night": False},
        {"date": dt.date(2025, 3, 2), "event": "Carnevale", "matricola": "301", "hours": D("1.5"),
         "start": dt.time(14, 0), "night": False},
        {"date": dt.date(2025, 12, 31), "event": "Capodanno", "matricola": "201", "hours": D(5),
         "start": dt.time(21, 30), "night": True},
        {"date": dt.date(2025, 8, 15), "event": "Ferragosto", "matricola": "202", "hours": D(10),
         "start": dt.time(9, 0), "night": True},
    ],
    achievements={1: D(100), 2: D(100), 3: D(100), 4: D(100)},
)


def staff(tmp_path, plan_path, change=None, name="personale.xlsx"):
    """The BASE staff workbook after `change(fill)`."""
    fill = copy.deepcopy(BASE)
    if change:
        change(fill)
    return write_staff_workbook(tmp_path / name, PlanView(read_plan(plan_path)), fill)


def person(fill: StaffFill, matricola: str) -> dict:
    return next(p for p in fill.people if p["matricola"] == matricola)


def run(tmp_path, plan_path, staff_path, **kw):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return run_payout(plan_path, staff_path, output=out / "Liquidazione.xlsx", **kw)


def flat(outcome, info=False):
    return sorted((f.code, f.objective, f.cell) for f in outcome.findings if info or f.severity != "info")
