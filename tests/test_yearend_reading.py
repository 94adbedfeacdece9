"""The staff workbook is read like a plan: whoever wrote it, the same payout comes out."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import need_libreoffice
from test_yearend_support import run, small_plan, staff

from chiari_xl.errors import PlanReadError
from chiari_xl.libreoffice import convert
from chiari_xl.yearend.run import run_payout


@pytest.fixture
def plan_path(make_plan):
    return small_plan(make_plan)


def _by_hand(path):
    """The BASE staff list typed by a person in their own layout: title rows, headings retyped,
    columns moved, numbers and dates as Italian text, stray spaces."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elenco personale"
    ws["A1"] = "Comune di Chiari - personale 2025"
    ws.append([])
    ws.append(["Ob 4", "MATRICOLA ", "Cognome Nome", "Area di appartenenza", "part time", "Obiettivo n. 1", "OB.2"])
    ws.append(["", " 101 ", "Prova Anna", "AREA LAVORI PUBBLICI", "100", "1", ""])
    ws.append(["", "102", "Prova Bruno", "lavori pubblici", "50%", "1,0", ""])
    ws.append(["x", 201, "Esempio Carla", "Polizia Locale", "", "", "1"])
    ws.append(["", "202", "Esempio Dario", "polizia locale", "100,00", "", 1])
    ws.append(["1", "301", "Fittizia Elena", "Segreteria", 100, "", ""])
    ws.append(["1", "302", "Fittizio Fabio", "Segreteria ", "100", "", ""])
    ev = wb.create_sheet("Eventi 2025")
    ev.append(["Matricola", "Data", "Evento", "Ore", "Dalle", "Festivo/notturno"])
    ev.append(["101", "02/03/2025", "Carnevale", "3", "14:00", "no"])
    ev.append(["301", "2/3/2025", "Carnevale", "1,5", "14.00", ""])
    ev.append([201, "31/12/2025", "Capodanno", 5, "21:30", "sì"])
    ev.append(["202", "15/08/2025", "Ferragosto", "10", "9:00", "X"])
    ach = wb.create_sheet("Raggiungimento obiettivi")
    ach.append(["N. obiettivo", "Raggiungimento %"])
    for n in (1, 2, 3, 4):
        ach.append([n, "100%"])
    wb.save(path)
    return path


def _shares(outcome):
    return {m: dict(v) for m, v in outcome.payout.shares.items()}


def test_a_hand_made_layout_gives_the_same_payout(tmp_path, plan_path):
    reference = run(tmp_path, plan_path, staff(tmp_path, plan_path))
    typed = run(tmp_path, plan_path, _by_hand(tmp_path / "a_mano.xlsx"))
    assert [f.code for f in typed.findings if f.severity != "info"] == []
    assert _shares(typed) == _shares(reference)
    assert typed.payout.totals == reference.payout.totals


@pytest.mark.parametrize("fmt", ["ods", "xlsx:Calc MS Excel 2007 XML"])
def test_saved_by_libreoffice(tmp_path, plan_path, fmt):
    need_libreoffice()
    original = staff(tmp_path, plan_path)
    saved = convert(original, tmp_path / "lo", fmt)
    assert _shares(run(tmp_path, plan_path, saved)) == _shares(run(tmp_path, plan_path, original))


def test_not_a_staff_workbook_is_a_clear_error_and_writes_nothing(tmp_path, plan_path):
    with pytest.raises(PlanReadError, match="non trovo il foglio del personale"):
        run_payout(plan_path, plan_path, output=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists() and not list(tmp_path.glob("Cedolini*"))
