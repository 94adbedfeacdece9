"""Round trip on the bundled plan: sheets for every area, filled as the areas would, collected."""

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
from chiari_xl.libreoffice import convert
from chiari_xl.progress import layout as L
from chiari_xl.progress.run import make_sheets, run_collect
from chiari_xl.progress.signature import KEY_NAME

from conftest import need_libreoffice
from test_progress_support import fill, rows_of, sheet_for

MONTH = "2025-06"

# what four areas report in June (objective.indicator -> input cells)
GARE = {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 50}}
POLIZIA = {"24.1": {"quantita": 28}, "25.1": {"stato": "Completato"}, "26.1": {"quantita": 80},
           "27.1": {"quantita": 100}, "27.2": {"quantita": 50}, "27.3": {"quantita": 50},
           "27.4": {"quantita": 45, "nota": "5 controlli rinviati a luglio"}, "27.5": {"quantita": 20}}
CULTURA = {**{f"15.{k}": {"stato": "Completato"} for k in range(1, 6)},
           "17.1": {"stato": "Completato"}, "17.2": {"stato": "In corso", "percentuale": 50},
           "17.3": {"stato": "Completato"}, "17.4": {"stato": "Completato"}}
GIOVANI = {f"17.{k}": {"stato": "Completato"} for k in range(1, 5)}

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
    out = tmp_path / "fogli"
    out.mkdir()
    return sample_plan, office, make_sheets(sample_plan, MONTH, out, office)


def returned(issued, tmp_path, lo_copy: bool = False):
    plan, office, sheets = issued
    back = tmp_path / "restituiti"
    files = [fill(sheet_for(sheets, n).path, back / sheet_for(sheets, n).path.name, v)
             for n, v in (("Gare", GARE), ("Corpo polizia", POLIZIA), ("Cultura", CULTURA),
                          ("Politiche giovanili", GIOVANI))]
    if lo_copy:  # the Polizia Locale saves its sheet with LibreOffice
        need_libreoffice()
        saved = convert(files[1], tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
        files[1].unlink()
        files[1] = saved.rename(back / saved.name)
    return files


def test_one_protected_sheet_per_area(issued):
    plan, office, sheets = issued
    assert len(sheets) == 17
    names = sorted(s.path.name for s in sheets)
    assert "Monitoraggio_2025-06_Gare_E_Contratti.xlsx" in names
    assert "Monitoraggio_2025-06_Corpo_Polizia_Locale.xlsx" in names
    polizia = sheet_for(sheets, "Corpo polizia")
    assert polizia.n_indicators == 17  # 1, 2, 3, 4, 5 (shared) + 24-27
    wb = openpyxl.load_workbook(polizia.path)
    assert wb.sheetnames == [L.INSTRUCTIONS, L.SHEET, L.SUMMARY, L.SIGNATURE]
    assert wb[L.SIGNATURE].sheet_state == "veryHidden"
    ws = wb[L.SHEET]
    assert ws.protection.sheet and wb[L.SUMMARY].protection.sheet
    last = L.FIRST_ROW + polizia.n_indicators - 1
    unlocked = {c.coordinate for row in ws.iter_rows(min_row=1, max_row=last + 5, max_col=20)
                for c in row if c.protection.locked is False}
    assert unlocked == {f"{c}{r}" for c in "HIJK" for r in range(L.FIRST_ROW, last + 1)}
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations[f"H{L.FIRST_ROW}"].formula1 == '"Non avviato,In corso,Completato"'
    pct = validations[f"J{L.FIRST_ROW}"]
    assert (pct.type, pct.formula1, pct.formula2) == ("decimal", "0", "100")  # "between" is the default
    assert "da 0 a 100" in validations[f"J{L.FIRST_ROW}"].error
    assert len(validations) == 4 * polizia.n_indicators
    assert ws[f"L{L.FIRST_ROW}"].value.startswith("=IF(J6")
    assert "Compilare SOLO le celle gialle" in "".join(str(c.value) for c in wb[L.INSTRUCTIONS]["A"] if c.value)


def test_key_stays_in_the_office(issued):
    plan, office, sheets = issued
    key = office / KEY_NAME
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    secret = key.read_text().strip()
    for s in sheets:
        with zipfile.ZipFile(s.path) as z:
            blob = b"".join(z.read(n) for n in z.namelist())
        assert secret.encode() not in blob and bytes.fromhex(secret) not in blob


@pytest.mark.parametrize("lo_copy", [False, True], ids=["openpyxl", "libreoffice"])
def test_collect_consolidates_and_pays_by_rule_5(issued, tmp_path, lo_copy):
    plan, office, sheets = issued
    files = returned(issued, tmp_path, lo_copy)
    out = run_collect(plan, files, MONTH, office, json_path=tmp_path / "r.json")
    assert [f.status for f in out.files] == ["accettato"] * 4, [f.reason for f in out.files]
    assert out.code == 0
    by_n = {o.n: o for o in out.objectives}
    for n, due in EXPECTED_DUE.items():
        assert by_n[n].due == due, n
        assert by_n[n].savings == by_n[n].amount - due
    assert [by_n[n].reached for n in (10, 24, 26, 27)] == [True, True, False, True]
    assert by_n[27].achievement == 98 and by_n[17].achievement == 85
    # nobody answered for objective 1: 0%, nothing due, the whole amount saved
    assert by_n[1].due == 0 and by_n[1].savings == D("4137.93")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {a["area"] for a in report["accepted"]} == {"Gare e contratti", "Corpo polizia locale",
                                                       "Cultura sistema biblioteca", "Politiche giovanili sport"}
    assert report["rejected"] == []
    assert {o["n"]: D(str(o["amount_due"])) for o in report["objectives"] if o["n"] in EXPECTED_DUE} == EXPECTED_DUE
    assert D(str(report["totals"]["amount_due"])) == sum(EXPECTED_DUE.values())
    kinds = [f["tipo"] for f in out.findings]
    assert kinds.count("Area senza risposta") == 13
    disagree = [f for f in out.findings if f["tipo"] == "Aree in disaccordo"]
    assert len(disagree) == 1 and "ob. 17, ind. 2" == disagree[0]["cella"]
    wb = openpyxl.load_workbook(out.output)
    for name in ("Riepilogo", "Obiettivi", "Indicatori", "Aree", "Andamento", "Segnalazioni",
                 "Generali e intersettoriali", "AMMINISTRATIVO-FINANZIARIO", "SOCIALE-EDUCATIVO", "TERRITORIO",
                 "SICUREZZA"):
        assert name in wb.sheetnames
    assert wb["Riepilogo"]._charts, "chart of achievement by sector"


def test_all_or_nothing_pays_the_whole_amount(issued, tmp_path):
    plan, office, sheets = issued
    out = run_collect(plan, returned(issued, tmp_path), MONTH, office, payout="all-or-nothing")
    by_n = {o.n: o for o in out.objectives}
    assert by_n[10].due == D("1241.07") and by_n[27].due == D("1942.25") and by_n[26].due == 0


def test_next_month_is_prefilled_with_accepted_values(issued, tmp_path):
    plan, office, sheets = issued
    run_collect(plan, returned(issued, tmp_path), MONTH, office)
    (tmp_path / "luglio").mkdir()
    july = make_sheets(plan, "2025-07", tmp_path / "luglio", office)
    p = sheet_for(july, "Corpo polizia").path
    ws = openpyxl.load_workbook(p)[L.SHEET]
    rows = rows_of(p)
    assert ws[f"I{rows['24.1']}"].value == 28
    assert ws[f"K{rows['27.4']}"].value == "5 controlli rinviati a luglio"
    assert ws[f"H{rows['1.1']}"].value is None
    assert "luglio 2025" in ws["A2"].value


def test_cli_round_trip(issued, tmp_path):
    plan, office, sheets = issued
    files = returned(issued, tmp_path)
    r = CliRunner().invoke(main, ["collect", str(plan), str(files[0].parent), "--month", MONTH,
                                  "--office-dir", str(office), "--json", str(tmp_path / "c.json"), "--final"])
    assert r.exit_code == 0, r.output
    assert "Liquidazione_finale_2025-06.xlsx" in r.output
    r2 = CliRunner().invoke(main, ["progress-sheets", str(plan), "--month", "2025-13"])
    assert r2.exit_code == 2 and "non valido" in r2.output
