"""`chiari-xl modello-personale` and `chiari-xl liquidazione` as the office runs them."""

from __future__ import annotations

import shutil

import openpyxl
from click.testing import CliRunner

from conftest import ROOT
from test_progress_support import formula_mismatches

from chiari_xl.cli import main
from chiari_xl.yearend.staff_read import read_staff

STAFF = ROOT / "workbooks" / "personale_2025_esempio.xlsx"


def test_template_is_written_protected_and_read_back_empty(sample_plan):
    r = CliRunner().invoke(main, ["modello-personale", str(sample_plan)])
    assert r.exit_code == 0, r.output
    path = sample_plan.parent / "Personale_2025.xlsx"
    assert f"Scritto: {path}" in r.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Istruzioni", "Personale", "Presenze eventi", "Raggiungimento"]
    ws = wb["Personale"]
    assert ws.protection.sheet and ws["A5"].value == "Matricola" and ws["A6"].protection.locked is False
    assert ws["A5"].protection.locked is not False
    headings = [c.value for c in ws[5]]
    assert "Ob. 3" not in headings and "Ob. 4" in headings   # objective 3 is paid by the events sheet
    raw = read_staff(path)
    assert raw.staff == [] and raw.events == [] and len(raw.objective_columns) == 26
    again = CliRunner().invoke(main, ["modello-personale", str(sample_plan)])
    assert "Personale_2025 (2).xlsx" in again.output


def test_liquidazione_on_the_sample(sample_plan, tmp_path):
    staff = tmp_path / STAFF.name
    shutil.copyfile(STAFF, staff)
    r = CliRunner().invoke(main, ["liquidazione", str(sample_plan), "--personale", str(staff),
                                  "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    assert "Stanziato 69.223,06 €; dovuto 65.428,39 €; liquidato 65.428,39 €; economie 3.794,67 €." in r.output
    assert "pagato 18.000,00 € su 18.000,00 € dovuti" in r.output
    assert "Ob. 4 - Polizia Locale: 1.379,31 € a 2 persone." in r.output
    for name in ("Liquidazione_2025.xlsx", "Cedolini.csv", "Dati_relativi_ai_premi_2025.xlsx",
                 "Dati_relativi_ai_premi_2025.csv", "r.json"):
        assert (tmp_path / name).exists(), name


def test_liquidazione_with_an_unreadable_staff_file(sample_plan, tmp_path):
    bad = tmp_path / "personale.xlsx"
    bad.write_text("matricola;nome\n1;Prova\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["liquidazione", str(sample_plan), "--personale", str(bad)])
    assert r.exit_code == 2
    assert "ERRORE: Impossibile leggere «personale.xlsx»" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obiettivi_2025.xlsx", "personale.xlsx"]


def test_empty_template_pays_nothing_and_says_why(sample_plan, tmp_path):
    CliRunner().invoke(main, ["modello-personale", str(sample_plan)])
    r = CliRunner().invoke(main, ["liquidazione", str(sample_plan), "--personale",
                                  str(sample_plan.parent / "Personale_2025.xlsx")])
    assert r.exit_code == 1
    assert "raggiungimento" in r.output and "liquidato 0,00 €" in r.output


def test_payout_with_nobody_assigned_yet_recalculates_without_a_circular_reference(sample_plan, lo_recalc):
    # an early run with the blank template: no objective has participants, so the Dipendenti sheet
    # has no objective columns and each person's total must not sum a range that takes in itself
    CliRunner().invoke(main, ["modello-personale", str(sample_plan)])
    r = CliRunner().invoke(main, ["liquidazione", str(sample_plan), "--personale",
                                  str(sample_plan.parent / "Personale_2025.xlsx")])
    assert r.exit_code == 1, r.output
    out = sample_plan.parent / "Liquidazione_2025.xlsx"
    count, bad = formula_mismatches(out, lo_recalc(out))
    assert count and bad == []


def test_help_is_italian():
    r = CliRunner().invoke(main, ["liquidazione", "--help"])
    assert "Liquidazione di fine anno" in r.output and "Opzioni" in r.output
    assert "Crea il file del personale" in CliRunner().invoke(main, ["modello-personale", "--help"]).output
