"""Round trip on the bundled plan: sheets for every reporting area, filled as the areas would, collected."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from click.testing import CliRunner

from chiari_xl.cli import main
from chiari_xl.dev.progress_demo import JUNE_RETURNS
from chiari_xl.libreoffice import convert
from chiari_xl.progress import layout as L
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.office import KEY_NAME
from chiari_xl.progress.run import make_sheets, run_collect
from chiari_xl.progress.status import Status

from conftest import need_libreoffice
from test_progress_support import JUNE as MONTH
from test_progress_support import fill, rows_of, sheet_for, table_rows

# what four areas report in June (objective.indicator -> input cells); the office's sheet stays out
GARE, POLIZIA, CULTURA, GIOVANI = (JUNE_RETURNS[k] for k in ("Gare", "Corpo_Polizia", "Cultura", "Politiche_giovanili"))
RETURNS = (("Gare", GARE), ("Corpo polizia", POLIZIA), ("Cultura", CULTURA), ("Politiche giovanili", GIOVANI))

# Rule 5 by hand: amount as published × achievement, half-up to the cent
EXPECTED_DUE = {
    10: D("1054.91"),   # 1.241,07 × 85%  = 1.054,9095
    15: D("1092.14"),   # 100%
    17: D("1237.76"),   # 1.456,19 × 85% (lowest of the two areas: 50% on 17.2) = 1.237,7615
    24: D("3625.54"),   # 3.884,51 × 28/30 = 3.625,5426...
    25: D("647.42"),    # 100%
    26: D("0.00"),      # 80% < soglia 90
    27: D("1903.41"),   # 1.942,25 × 98% = 1.903,405: the half cent goes up
}


@pytest.fixture
def issued(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    return sample_plan, office, make_sheets(sample_plan, MONTH, tmp_path / "fogli", office).written


def returned(issued, tmp_path, lo_copy: bool = False):
    plan, office, sheets = issued
    back = tmp_path / "restituiti"
    files = [fill(sheet_for(sheets, n).path, back / sheet_for(sheets, n).path.name, v) for n, v in RETURNS]
    if lo_copy:  # the Polizia Locale saves its sheet with LibreOffice
        need_libreoffice()
        saved = convert(files[1], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
        files[1].unlink()
        files[1] = saved.rename(back / saved.name)
    return files


def test_one_protected_sheet_per_reporting_area(issued):
    plan, office, sheets = issued
    assert len(sheets) == 18  # 17 areas and the office's own sheet for the shared objectives
    names = sorted(s.path.name for s in sheets)
    assert "Monitoraggio_2025-06_Gare_e_Contratti.xlsx" in names
    assert "Monitoraggio_2025-06_Corpo_Polizia_Locale.xlsx" in names
    assert "Monitoraggio_2025-06_Contabilita_controllo_gestione_tributi.xlsx" in names
    polizia = sheet_for(sheets, "Corpo polizia")
    assert polizia.n_indicators == 8  # 24-27; the shared 1-5 are on the office's sheet
    assert sheet_for(sheets, "Ufficio").n_indicators == 9  # objectives 1 (1 indicator), 2 (4), 3, 4 (1 each), 5 (2)
    wb = openpyxl.load_workbook(polizia.path)
    assert wb.sheetnames == [L.INSTRUCTIONS, L.SHEET, L.SUMMARY, L.SIGNATURE]
    assert wb[L.SIGNATURE].sheet_state == "veryHidden"
    ws = wb[L.SHEET]
    assert ws.protection.sheet and wb[L.SUMMARY].protection.sheet
    assert L.TABLE in ws.tables and L.SUMMARY_TABLE in wb[L.SUMMARY].tables
    last = L.row_of(polizia.n_indicators - 1)
    unlocked = {c.coordinate for row in ws.iter_rows(min_row=1, max_row=last + 5, max_col=20)
                for c in row if c.protection.locked is False}
    assert unlocked == L.input_cells(polizia.n_indicators)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations[L.cell(L.FIRST_ROW, "stato")].formula1 == '"Non avviato,In corso,Completato"'
    pct = validations[L.cell(L.FIRST_ROW, "percentuale")]
    assert (pct.type, pct.formula1, pct.formula2) == ("decimal", "0", "100")
    assert "50 oppure 50%" in pct.prompt
    assert len(validations) == 4 * polizia.n_indicators
    # formulas name the columns they read
    assert ws[L.cell(L.FIRST_ROW, "completamento")].value.startswith("=IF(Indicatori[[#This Row],[% completamento")
    instructions = " ".join(str(c.value) for c in wb[L.INSTRUCTIONS]["A"] if c.value)
    assert "Compilare SOLO le celle gialle" in instructions and "50 oppure 50%" in instructions
    assert "Gli obiettivi 1, 2, 3, 4, 5" in instructions


def test_an_untouched_sheet_says_to_fill_in_not_below_threshold(issued):
    plan, office, sheets = issued
    ws = openpyxl.load_workbook(sheet_for(sheets, "Gare").path)[L.SUMMARY]
    cached = openpyxl.load_workbook(sheet_for(sheets, "Gare").path, data_only=True)[L.SUMMARY]
    states = [cached.cell(r, 5).value for r in range(5, ws.max_row + 1) if cached.cell(r, 1).value]
    assert states and set(states) == {Status.TO_FILL.label}


def test_key_stays_in_the_office_and_out_of_git(issued):
    plan, office, sheets = issued
    key = office / KEY_NAME
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert (office / ".gitignore").read_text().splitlines()[-1] == "*"
    secret = key.read_text().strip()
    for s in sheets:
        with zipfile.ZipFile(s.path) as z:
            blob = b"".join(z.read(n) for n in z.namelist())
        assert secret.encode() not in blob and bytes.fromhex(secret) not in blob


@pytest.mark.parametrize("lo_copy", [False, True], ids=["openpyxl", "libreoffice"])
def test_final_payout_by_rule_5(issued, tmp_path, lo_copy):
    plan, office, sheets = issued
    files = returned(issued, tmp_path, lo_copy)
    out = run_collect(plan, files, MONTH, office, json_path=tmp_path / "r.json", final=True)
    assert [f.status for f in out.files] == [Outcome.ACCEPTED] * 4, [f.reason for f in out.files]
    assert out.code == 1  # 14 areas have not answered: provisional
    by_n = {o.n: o for o in out.objectives}
    for n, due in EXPECTED_DUE.items():
        assert by_n[n].due == due, n
        assert by_n[n].savings == by_n[n].amount - due
        assert not by_n[n].provisional
    assert [by_n[n].reached for n in (10, 24, 26, 27)] == [True, True, False, True]
    assert by_n[27].achievement == 98 and by_n[17].achievement == 85
    # objective 1 is reported by the office's sheet, which did not come back: nothing due, provisional
    assert by_n[1].due == 0 and by_n[1].savings == D("4137.93") and by_n[1].provisional
    assert by_n[1].status == Status.TO_FILL
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["final"] and report["provisional"]
    assert {a["area"] for a in report["areas"]["returned"]} == {
        "Gare e Contratti", "Corpo Polizia Locale", "Cultura sistema biblioteca", "Politiche giovanili sport"}
    assert len(report["areas"]["missing"]) == 14
    assert {o["n"]: D(str(o["amount_due"])) for o in report["objectives"] if o["n"] in EXPECTED_DUE} == EXPECTED_DUE
    assert D(str(report["totals"]["amount_due"])) == sum(EXPECTED_DUE.values())
    codes = [f["code"] for f in report["findings"]]
    assert codes.count("area-senza-risposta") == 14 and codes.count("liquidazione-provvisoria") == 1
    disagree = [f for f in report["findings"] if f["code"] == "aree-in-disaccordo"]
    assert len(disagree) == 1 and disagree[0]["objective"] == 17 and "17.2" in disagree[0]["message"]
    assert out.output.name == "Liquidazione_provvisoria_2025-06.xlsx"
    wb = openpyxl.load_workbook(out.output)
    for name in ("Riepilogo", "Liquidazione", "Obiettivi", "Indicatori", "Valori", "Andamento", "Storico",
                 "Segnalazioni", "Generali e intersettoriali", "Amministrativo-Finanziario", "Sociale-Educativo",
                 "Territorio", "Sicurezza"):
        assert name in wb.sheetnames
    assert "PROVVISORIA" in wb["Riepilogo"]["A1"].value


def test_the_monthly_report_is_progress_not_payout(issued, tmp_path):
    plan, office, sheets = issued
    out = run_collect(plan, returned(issued, tmp_path), MONTH, office, json_path=tmp_path / "m.json")
    assert out.output.name == "Monitoraggio_consolidato_2025-06.xlsx"
    wb = openpyxl.load_workbook(out.output)
    assert "Liquidazione" not in wb.sheetnames
    every_text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "Importo" not in every_text and "Economi" not in every_text and "€" not in every_text
    report = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert "totals" not in report and all("amount_due" not in o for o in report["objectives"])
    # the first sheet names who is missing
    first = wb.worksheets[0]
    assert first.title == "Riepilogo" and "Mancano 14 aree" in first["A3"].value
    areas = table_rows(out.output, "Riepilogo", 7)
    missing = [a["Area"] for a in areas if a["Foglio del mese"] == "MANCANTE"]
    assert len(missing) == 14 and "Ufficio (obiettivi condivisi)" in missing and "Piano di Zona" in missing
    objectives = {o["N. ob."]: o for o in table_rows(out.output, "Obiettivi", 4)}
    assert objectives[1]["Esito"] == "Da compilare" and objectives[1]["Completezza"].startswith("parziale")
    assert objectives[24]["Esito"] == "Sopra soglia" and objectives[24]["Completezza"] == "completo"
    assert objectives[26]["Esito"] == "Sotto soglia"


def test_next_month_is_prefilled_with_accepted_values(issued, tmp_path):
    plan, office, sheets = issued
    run_collect(plan, returned(issued, tmp_path), MONTH, office)
    july = make_sheets(plan, "2025-07", tmp_path / "luglio", office).written
    p = sheet_for(july, "Corpo polizia").path
    ws = openpyxl.load_workbook(p)[L.SHEET]
    rows = rows_of(p)
    assert ws[L.cell(rows["24.1"], "quantita")].value == 28
    assert ws[L.cell(rows["27.4"], "nota")].value == "5 controlli rinviati a luglio"
    assert ws[L.cell(rows["26.1"], "stato")].value is None
    assert "luglio 2025" in ws["A2"].value


def test_cli_round_trip(issued, tmp_path):
    plan, office, sheets = issued
    files = returned(issued, tmp_path)
    r = CliRunner().invoke(main, ["raccogli", str(plan), str(files[0].parent), "--mese", MONTH,
                                  "--cartella-ufficio", str(office), "--json", str(tmp_path / "c.json"), "--final"])
    assert r.exit_code == 1, r.output  # areas are missing: the payout is provisional
    assert "Liquidazione_provvisoria_2025-06.xlsx" in r.output
    assert "MANCANO 14 aree" in r.output and "Piano di Zona" in r.output
    assert "Liquidazione PROVVISORIA" in r.output
    r2 = CliRunner().invoke(main, ["fogli-monitoraggio", str(plan), "--month", "2025-13"])
    assert r2.exit_code == 2 and "non valido" in r2.output


def test_objective_results_for_the_payout_per_person(issued, tmp_path):
    """The library's final result per objective (what the year-end payout per person builds on)."""
    from chiari_xl.progress.run import objective_results

    plan, office, sheets = issued
    collected = run_collect(plan, returned(issued, tmp_path), MONTH, office, final=True)
    results = objective_results(plan, office)  # month: the latest with an accepted return
    assert [(o.n, o.achievement, o.due, o.provisional) for o in results] == \
        [(o.n, o.achievement, o.due, o.provisional) for o in collected.objectives]
    assert {o.n: o.due for o in results if o.n in EXPECTED_DUE} == EXPECTED_DUE
    assert history_unchanged(office, lambda: objective_results(plan, office))


def history_unchanged(office, action) -> bool:
    from chiari_xl.progress import history

    before = history.counts(office)
    action()
    return history.counts(office) == before


def test_every_sheet_prints_on_a4_fitted_to_the_width(issued, tmp_path):
    plan, office, sheets = issued
    out = run_collect(plan, returned(issued, tmp_path), MONTH, office, final=True)
    for path in (sheet_for(sheets, "Corpo polizia").path, out.output):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            assert ws.page_setup.paperSize == 9, (path.name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage, (path.name, ws.title)
            assert ws.page_setup.fitToHeight == 0, (path.name, ws.title)
