"""Achievements from the monthly history (as `collect --final`), and which one counts when the
Personale workbook has them too."""

from __future__ import annotations

from decimal import Decimal as D

from conftest import script
from test_progress_roundtrip import GARE, POLIZIA
from test_progress_support import fill, sheet_for

from chiari_xl.progress.run import make_sheets, run_collect
from chiari_xl.reading.plan import read_plan
from chiari_xl.yearend.plan_view import PlanView
from chiari_xl.yearend.run import run_payout
from chiari_xl.yearend.staff_template import StaffFill, write_staff_workbook

MONTH = "2025-12"


def _sample_builder():
    return script("build_staff_sample")


def test_history_gives_the_achievements_the_staff_file_leaves_blank(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    (tmp_path / "fogli").mkdir()
    sheets = make_sheets(sample_plan, MONTH, tmp_path / "fogli", office).written
    returned = [fill(sheet_for(sheets, n).path, tmp_path / "r" / sheet_for(sheets, n).path.name, v)
                for n, v in (("Gare", GARE), ("Corpo polizia", POLIZIA))]
    collected = run_collect(sample_plan, returned, MONTH, office, final=True)
    from_collect = {o.n: o.due for o in collected.objectives}

    b = _sample_builder()
    people = b.people()
    # the office types only objective 24 (90%); the history says 28 of 30 services (93,33...%)
    staff = write_staff_workbook(tmp_path / "personale.xlsx", PlanView(read_plan(sample_plan)),
                                 StaffFill(people=people, events=b.events(people), achievements={24: D(90)}))
    out = run_payout(sample_plan, staff, output=tmp_path / "out.xlsx", office_dir=office)
    by = {o.n: o for o in out.payout.objectives}
    for n in (10, 25, 26, 27):   # from the history: the same amounts due as collect --final
        assert by[n].source == "storico mensile" and by[n].due == from_collect[n], n
    assert by[10].due == D("1054.91") and by[27].due == D("1903.41")
    assert by[24].source == "file del personale" and by[24].due == D("3496.06")   # 3.884,51 × 90%
    codes = {(f.code, f.objective) for f in out.findings}
    assert ("raggiungimento-diverso-da-storico", 24) in codes
    assert ("raggiungimento-mancante", 1) in codes and ("raggiungimento-mancante", 10) not in codes
    assert by[1].due == D("0.00") and by[1].savings == by[1].allocated
    assert out.has_errors


def test_without_history_nothing_is_created_in_the_office_folder(sample_plan, tmp_path):
    b = _sample_builder()
    people = b.people()
    staff = write_staff_workbook(tmp_path / "personale.xlsx", PlanView(read_plan(sample_plan)),
                                 StaffFill(people=people, achievements={}))
    office = tmp_path / "ufficio"
    office.mkdir()
    out = run_payout(sample_plan, staff, output=tmp_path / "out.xlsx", office_dir=office)
    assert list(office.iterdir()) == []
    assert {f.code for f in out.findings if f.severity == "error"} == {"raggiungimento-mancante"}
    assert out.payout.totals["paid"] == 0


def test_a_full_year_of_returns_pays_every_objective_to_the_cent(sample_plan, tmp_path):
    """Every area returns its December sheet with every indicator done; the sample's people, no
    typed achievement: each objective's whole amount is due and reaches its people to the cent."""
    from test_progress_support import rows_of

    office = tmp_path / "ufficio"
    (tmp_path / "fogli").mkdir()
    sheets = make_sheets(sample_plan, MONTH, tmp_path / "fogli", office).written
    returned = [fill(s.path, tmp_path / "r" / s.path.name, {i: {"stato": "Completato"} for i in rows_of(s.path)})
                for s in sheets]
    collected = run_collect(sample_plan, returned, MONTH, office, final=True)
    assert all(o.reached for o in collected.objectives)
    b = _sample_builder()
    people = b.people()
    staff = write_staff_workbook(tmp_path / "personale.xlsx", PlanView(read_plan(sample_plan)),
                                 StaffFill(people=people, events=b.events(people)))
    out = run_payout(sample_plan, staff, output=tmp_path / "out.xlsx", office_dir=office)
    assert not out.has_errors
    for o in out.payout.objectives:
        assert o.source == "storico mensile" and o.due == o.allocated, o.n
        shares = sum((s.get(o.n, D(0)) for s in out.payout.shares.values()), D(0))
        assert shares == o.paid, o.n
        assert o.paid == o.due, o.n       # every objective has people: nothing left unpaid
    t = out.payout.totals
    assert t["paid"] == t["allocated"] == D("69223.06") and t["savings"] == 0
