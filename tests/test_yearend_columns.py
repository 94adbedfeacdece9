"""The year-end workbooks' formulas name the columns they read: with every sheet's columns in
another order and a column inserted, the payout workbook and the Personale template still
recalculate (LibreOffice and the second engine) to their cached values, and those values are,
column by column read by heading, the ones written in the usual order and Python's amounts."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from second_engine import mismatches
from test_progress_support import formula_mismatches, table_rows
from test_yearend_support import run, small_plan, staff

from chiari_xl.workbook.columns import Columns
from chiari_xl.yearend import payout_columns, staff_layout

EXTRA = "Colonna aggiunta"
PAYOUT_TABLES = {"Obiettivi": 4, "Ripartizioni": 4, "Quote": 4, "Dipendenti": 4, "Presenze eventi": 7}


def moved(cols: Columns) -> Columns:
    """The columns in reverse order, with an unknown one inserted as the third."""
    keyed = [(c.key, c.heading, c.width) for c in reversed(cols.columns)]
    return Columns(keyed[:2] + [("extra", EXTRA, 9)] + keyed[2:])


@pytest.fixture
def moved_payout_columns(monkeypatch):
    for name in ("OBJ", "UNITS", "SHARES", "EMP", "EVENTS"):
        monkeypatch.setattr(payout_columns, name, moved(getattr(payout_columns, name)))


@pytest.fixture
def moved_staff_columns(monkeypatch):
    for name in ("STAFF_COLUMNS", "EVENT_COLUMNS", "ACHIEVEMENT_COLUMNS"):
        monkeypatch.setattr(staff_layout, name, moved(getattr(staff_layout, name)))


def rows_by_heading(path, sheet: str, header_row: int) -> list[dict]:
    """The table's rows down to its Totale row included, each as {heading: value}, without the
    inserted column."""
    return [{h: v for h, v in row.items() if h and h != EXTRA} for row in table_rows(path, sheet, header_row)]


def round_all(rows: list[dict]) -> list[dict]:
    """Numbers to 6 decimals, an empty text as an empty cell (LibreOffice saves it so)."""
    return [{h: round(v, 6) if isinstance(v, float) else (None if v == "" else v) for h, v in r.items()}
            for r in rows]


@pytest.fixture
def usual(make_plan, tmp_path):
    """The small plan, its staff file and the payout written in the usual column order."""
    plan_path = small_plan(make_plan)
    staff_path = staff(tmp_path, plan_path)
    (tmp_path / "solito").mkdir()
    return plan_path, staff_path, run(tmp_path / "solito", plan_path, staff_path)


def test_payout_with_its_columns_moved_recalculates_to_the_same_values(usual, moved_payout_columns, tmp_path,
                                                                        lo_recalc):
    plan_path, staff_path, before = usual
    (tmp_path / "spostate").mkdir()
    out = run(tmp_path / "spostate", plan_path, staff_path)
    first = openpyxl.load_workbook(out.output)["Quote"]
    assert [first.cell(4, c).value for c in (1, 3)] == ["Quota", EXTRA]   # the columns did move

    count, bad = formula_mismatches(out.output, lo_recalc(out.output))
    assert count > 150 and bad == [], bad[:3]
    count, bad = mismatches(out.output, tmp_path / "motore")
    assert count > 150 and bad == [], bad[:3]

    recalculated = lo_recalc(out.output)
    for sheet, header_row in PAYOUT_TABLES.items():
        expected = round_all(rows_by_heading(before.output, sheet, header_row))
        assert len(expected) > 2, sheet
        for path in (out.output, recalculated):
            assert round_all(rows_by_heading(path, sheet, header_row)) == expected, (sheet, path.name)

    shares = rows_by_heading(recalculated, "Quote", 4)
    got: dict[tuple[str, int], D] = {}
    for r in shares:
        if r["Matricola"]:
            key = (r["Matricola"], r["N."])
            got[key] = got.get(key, D(0)) + D(str(round(r["Quota"], 2)))
    assert got == {(m, n): a for m, by_n in out.payout.shares.items() for n, a in by_n.items()}
    employees = {r["Matricola"]: D(str(round(r["Totale"], 2))) for r in rows_by_heading(recalculated, "Dipendenti", 4)
                 if r["Matricola"]}
    assert employees == {e.matricola: out.payout.total_of(e.matricola) for e in out.payout.staff.employees}
    total = rows_by_heading(recalculated, "Obiettivi", 4)[-1]
    assert D(str(round(total["Liquidato"], 2))) == out.payout.totals["paid"] == D("2400.00") - out.payout.totals[
        "savings"]


def test_staff_template_with_its_columns_moved_is_filled_and_read_alike(usual, moved_staff_columns, tmp_path,
                                                                        lo_recalc):
    plan_path, _staff_path, before = usual
    (tmp_path / "spostate").mkdir()
    path = staff(tmp_path / "spostate", plan_path)
    ws = openpyxl.load_workbook(path)["Presenze eventi"]
    assert ws.cell(3, 3).value == EXTRA

    count, bad = formula_mismatches(path, lo_recalc(path))
    assert count > 5 and bad == [], bad[:3]
    names = [r["Cognome e nome (automatico)"] for r in rows_by_heading(lo_recalc(path), "Presenze eventi", 3)]
    assert names == ["Prova Anna", "Fittizia Elena", "Esempio Carla", "Esempio Dario"]

    after = run(tmp_path / "spostate", plan_path, path)
    assert after.payout.shares == before.payout.shares
    assert after.payout.totals == before.payout.totals


def test_people_listed_but_in_no_objective_yet_recalculate_without_a_circular_reference(make_plan, tmp_path,
                                                                                          lo_recalc):
    # the office has typed the staff list but not yet who works on what: the Dipendenti sheet has
    # no objective column, and each person's total must not sum a range that takes in itself
    def nobody_assigned(fill):
        for p in fill.people:
            p["obj"] = {}
        fill.events = []
    plan_path = small_plan(make_plan)
    out = run(tmp_path, plan_path, staff(tmp_path, plan_path, nobody_assigned)).output
    count, bad = formula_mismatches(out, lo_recalc(out))
    assert count and bad == []
    totals = [r["Totale"] for r in rows_by_heading(lo_recalc(out), "Dipendenti", 4)[:-1]]
    assert totals == [0] * 6
