"""Plan identity by content: a plan saved again keeps every sheet valid; a changed indicator invalidates
its area's sheets only, saying what changed; a mid-year revision keeps every value accepted before it,
and the final payout uses the plan in force with the whole year's values."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal as D

import openpyxl
import pytest

from chiari_xl.libreoffice import convert
from chiari_xl.progress import layout as L
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.run import make_sheets, open_plan, report_month, run_collect

from conftest import need_libreoffice, obj, params_2025
from test_progress_roundtrip import EXPECTED_DUE, RETURNS
from test_progress_support import JULY, JUNE, fill, rows_of, sheet_for


def _returns(sheets, folder):
    return [fill(sheet_for(sheets, n).path, folder / sheet_for(sheets, n).path.name, v) for n, v in RETURNS]


def test_a_plan_saved_again_by_libreoffice_keeps_every_sheet_valid(sample_plan, tmp_path):
    need_libreoffice()
    office = tmp_path / "ufficio"
    first = open_plan(sample_plan, office)
    sheets = make_sheets(sample_plan, JUNE, tmp_path / "fogli", office, plan=first).written
    resaved = convert(sample_plan, tmp_path / "salvato", "xlsx:Calc MS Excel 2007 XML")
    assert resaved.read_bytes() != sample_plan.read_bytes()
    again = open_plan(resaved, office)
    assert again.fingerprint == first.fingerprint and again.revision == []
    out = run_collect(resaved, _returns(sheets, tmp_path / "r"), JUNE, office, final=True, plan=again)
    assert [f.status for f in out.files] == [Outcome.ACCEPTED] * 4, [f.reason for f in out.files]
    assert {o.n: o.due for o in out.objectives if o.n in EXPECTED_DUE} == EXPECTED_DUE


def test_a_changed_indicator_invalidates_its_areas_sheets_only(make_plan, table_2025, cards_2025, tmp_path):
    plan = make_plan("obiettivi_2025.xlsx", table_2025, cards_2025)
    office = tmp_path / "ufficio"
    sheets = make_sheets(plan, JUNE, tmp_path / "fogli", office).written
    cards = [dict(c) for c in cards_2025]
    first_24 = next(c for c in cards if c["n"] == 24)
    assert first_24["quantita"] == "n. 30 servizi"
    first_24["quantita"] = "n. 40 servizi"
    revised = make_plan("obiettivi_2025_luglio.xlsx", table_2025, cards)
    now = open_plan(revised, office)
    (change,) = [f for f in now.revision if f.code == "indicatore-modificato"]
    assert change.objective == 24 and "«n. 30 servizi» → «n. 40 servizi»" in change.message
    assert "si confronta con il nuovo target" in change.message
    out = run_collect(revised, _returns(sheets, tmp_path / "r"), JUNE, office, plan=now)
    by_area = {f.area_name: f for f in out.files}
    assert by_area["Corpo Polizia Locale"].status == Outcome.REFUSED
    reason = by_area["Corpo Polizia Locale"].reason
    assert "indicatore 24.1: target «n. 30 servizi» → «n. 40 servizi»" in reason
    assert "target numerico «30» → «40»" in reason and "foglio aggiornato" in reason
    assert [by_area[a].status for a in ("Gare e Contratti", "Cultura sistema biblioteca",
                                        "Politiche giovanili sport")] == [Outcome.ACCEPTED] * 3


def _revised_plan(make_plan, table_2025, cards_2025):
    """July's plan: objective 28 funded from the 4.000 € reserve, objective 10's title corrected."""
    table = [dict(r) for r in table_2025]
    ten = next(r for r in table if r["n"] == 10)
    ten["obiettivo"] = ten["obiettivo"].replace("Formazione straordinaria", "Formazione straordinaria e mirata")
    table.append(obj(28, tipologia="SETTORE SICUREZZA", obiettivo="Presidio notturno dei parchi cittadini",
                     n_dip=2, amount=D("4000.00"), personale="n.2 agenti"))
    cards = [dict(c) for c in cards_2025]
    cards.append({"n": 28, "intestazione": "SETTORE SICUREZZA – CORPO POLIZIA LOCALE",
                  "titolo": "Presidio notturno dei parchi cittadini", "tempi": "2025",
                  "indicatore": "Servizi notturni nei parchi", "quantita": "n. 20 servizi",
                  "attivita": "Pattuglie serali", "peso_pct": D(100), "soglia_pct": D(80), "personale": "n.2 agenti"})
    p = params_2025()
    params = replace(p, fixed={**p.fixed, 28: D("4000.00")}, fund_assigned=p.fund_assigned + 4000,
                     fund_reserve=D("0.00"))
    return make_plan("obiettivi_2025_rev_luglio.xlsx", table, cards, params=params)


def test_a_mid_year_revision_keeps_every_value_accepted_before_it(make_plan, table_2025, cards_2025, tmp_path):
    plan = make_plan("obiettivi_2025.xlsx", table_2025, cards_2025)
    office = tmp_path / "ufficio"
    june_sheets = make_sheets(plan, JUNE, tmp_path / "giugno", office).written
    june = run_collect(plan, _returns(june_sheets, tmp_path / "r6"), JUNE, office, final=True)
    assert {o.n: o.due for o in june.objectives if o.n in EXPECTED_DUE} == EXPECTED_DUE

    revised = _revised_plan(make_plan, table_2025, cards_2025)
    now = open_plan(revised, office)
    codes = [f.code for f in now.revision]
    assert codes[0] == "piano-rivisto" and "1 obiettivo nuovo" in now.revision[0].message
    assert {"obiettivo-nuovo", "obiettivo-modificato", "indicatore-nuovo", "fondo-modificato"} <= set(codes)
    title = next(f for f in now.revision if f.code == "obiettivo-modificato")
    assert title.objective == 10 and "titolo" in title.message and "i valori già accettati restano" in title.message
    assert not {"indicatore-rimosso", "obiettivo-rimosso"} & set(codes)

    # July's sheets come from the revised plan, prefilled with every value accepted in June
    july = make_sheets(revised, JULY, tmp_path / "luglio", office, plan=now).written
    polizia = sheet_for(july, "Corpo polizia").path
    rows = rows_of(polizia)
    ws = openpyxl.load_workbook(polizia)[L.SHEET]
    assert ws[L.cell(rows["24.1"], "quantita")].value == 28 and "28.1" in rows
    assert ws[L.cell(rows["28.1"], "quantita")].value is None
    gare = openpyxl.load_workbook(sheet_for(july, "Gare").path)[L.SHEET]
    gare_rows = rows_of(sheet_for(july, "Gare").path)
    assert gare[L.cell(gare_rows["10.1"], "stato")].value == "Completato"
    assert "e mirata" in gare[L.cell(gare_rows["10.1"], "obiettivo")].value

    # a June sheet arriving late: Gare's only has an old title (accepted, noted), the police's
    # lacks the new indicator 28.1 (refused, saying so)
    late_gare = fill(sheet_for(june_sheets, "Gare").path, tmp_path / "tardi" / "Monitoraggio_2025-06_Gare_e_Contratti.xlsx",
                     {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 60}})
    late_police = tmp_path / "tardi" / sheet_for(june_sheets, "Corpo polizia").path.name
    shutil.copyfile(sheet_for(june_sheets, "Corpo polizia").path, late_police)
    late = run_collect(revised, [late_gare, late_police], JUNE, office, plan=now)
    assert late.files[0].status == Outcome.ACCEPTED and "titolo-corretto" in [n.code for n in late.files[0].notices]
    assert late.files[1].status == Outcome.REFUSED and "nuovo indicatore 28.1" in late.files[1].reason

    # July: the police report the new objective; the others send nothing new
    july_police = fill(polizia, tmp_path / "r7" / polizia.name, {"28.1": {"quantita": 16}})
    final = run_collect(revised, [july_police], JULY, office, final=True, plan=now)
    by_n = {o.n: o for o in final.objectives}
    assert by_n[10].achievement == 35 + 35 + 30 * D("0.6")  # June's values, 10.3 corrected late to 60 %
    assert by_n[10].due == D("1092.14")  # 1.241,07 × 88 % = 1.092,1416
    for n in (15, 17, 24, 25, 26, 27):  # every value accepted before the revision still counts
        assert by_n[n].due == EXPECTED_DUE[n], n
    assert by_n[28].achievement == 80 and by_n[28].due == D("3200.00")  # 4.000 × 16/20, soglia 80 met
    report = final.json
    assert [r["findings"][0]["code"] for r in report["revisions"]] == ["piano-rivisto"]
    wb = openpyxl.load_workbook(final.output)
    assert "Revisioni" in wb.sheetnames
    texts = " ".join(str(c.value) for c in wb["Revisioni"]["E"] if c.value)
    assert "Nuovo obiettivo 28" in texts and "Nuovo indicatore 28.1" in texts


@pytest.mark.parametrize("what", ["removed", "weight"])
def test_a_removed_or_reweighted_indicator_is_reported_with_what_happens_to_its_values(
        make_plan, table_2025, cards_2025, tmp_path, what):
    plan = make_plan("obiettivi_2025.xlsx", table_2025, cards_2025)
    office = tmp_path / "ufficio"
    sheets = make_sheets(plan, JUNE, tmp_path / "giugno", office).written
    run_collect(plan, _returns(sheets, tmp_path / "r"), JUNE, office)
    cards = [dict(c) for c in cards_2025]
    tens = [c for c in cards if c["n"] == 10]
    if what == "removed":
        cards.remove(tens[2])   # 10.3 (the 50 % reported in June) is gone
        tens[1]["peso_pct"] = D(65)
    else:
        tens[2]["peso_pct"], tens[1]["peso_pct"] = D(40), D(25)
    revised = make_plan("obiettivi_2025_rev.xlsx", table_2025, cards)
    now = open_plan(revised, office)
    messages = " ".join(f.message for f in now.revision)
    june = report_month(revised, JUNE, office, plan=now)
    ach = {o.n: o.achievement for o in june.objectives}[10]
    if what == "removed":
        assert "L'indicatore 10.3" in messages and "non contano più" in messages
        assert ach == 35 + 65  # 10.1 and 10.2 done; 10.3's 50 % no longer counts
        assert any(n.code == "valori-senza-indicatore" for n in june.report.notices)
    else:
        assert "contano con il nuovo peso" in messages
        assert ach == 35 + 25 + 40 * D("0.5")  # the same values, the new weights
