"""The office's own workbook has no Parametri sheet: the fund is inferred from the amounts
written, every amount is checked against the rate its pool's other amounts agree on, and
`chiari-xl parametri` hands back a copy with a Parametri sheet to confirm."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SRC, need_libreoffice, params_2025
from hypothesis import given
from hypothesis import strategies as st
from scenarios import plan, rule4_amounts
from test_properties import SETTINGS, plans

from chiari_xl.api import check_plan
from chiari_xl.cli import main
from chiari_xl.dev.make_plan import Style, read_table_csv, write_plan
from chiari_xl.model.params import Rounding
from chiari_xl.model.money import euro

D = Decimal
WEIGHTS_2025 = {"AMMINISTRATIVO-FINANZIARIO": D(34), "SOCIALE-EDUCATIVO": D(17), "TERRITORIO": D(13),
                "SICUREZZA": D(13)}


def without_parametri(path, dst=None):
    """A copy of the plan with its Parametri sheet removed (the office's own workbook)."""
    dst = dst or path.with_name(f"{path.stem}_senza_parametri.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb["Parametri"]
    wb.save(dst)
    return dst


def set_cell(path, sheet, cell, value):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def reproduced(result) -> int:
    return sum(a == b for a, b in zip(result.table["amount"], result.table["amount_from_written"]))


def flat(result, severities=("error", "warning")):
    return sorted((f.code, f.objective, f.sheet, f.cell) for f in result.findings if f.severity in severities)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundled_plan_without_parametri_reproduces_the_published_amounts(sample_plan):
    with_sheet = check_plan(sample_plan, write=False)
    result = check_plan(without_parametri(sample_plan), write=False)
    p = result.plan.params
    assert reproduced(result) == 27
    # the figures of the deliberation, found again from the table alone
    assert p.fixed == {3: D("18000.00")}
    assert p.general_pool == D("10000")
    assert p.sector_weights == WEIGHTS_2025
    assert p.fund_assigned == D("69223.09")
    # ... and the year, from the table's headings ("IMPORTO STANZIATO 2025")
    assert p.year == 2025
    assert set(p.inferred) == {"fixed", "general_pool", "sector_weights", "fund_assigned", "year"}
    # objective 3 is the Giunta's fixed amount, not three missing values
    assert not [f for f in result.findings if f.objective == 3 and f.severity == "error"]
    assert not [f for f in result.findings if f.code == "valore-mancante"]
    # checked as fully as with the sheet: the same errors and warnings
    assert flat(result) == flat(with_sheet)
    said = [f.message for f in result.findings if f.code == "parametro-dedotto"]
    assert any("Pesi dei settori: 34 : 17 : 13 : 13" in m for m in said)
    assert any(m.startswith("Fondo «Generali e intersettoriali»: 10.000,00 €") and "68,9655 € per punto" in m
               for m in said)
    assert any(m.startswith("Fondo attribuito ai settori con progettualità finanziate: 69.223,09 €") for m in said)
    assert any(m.startswith("Importo fissato, obiettivo 3: 18.000,00 €") for m in said)


@pytest.mark.parametrize("n, cell, delta", [(2, "O7", 100), (9, "O14", -100), (20, "O25", 100), (26, "O31", 100)])
def test_one_amount_changed_by_100_is_flagged_at_its_cell(sample_plan, n, cell, delta):
    path = without_parametri(sample_plan)
    written = D(str(openpyxl.load_workbook(path)["Obiettivi"][cell].value))
    set_cell(path, "Obiettivi", cell, float(written + delta))
    result = check_plan(path, write=False)
    off = [f for f in result.findings if f.code == "importo-fuori-tariffa"]
    assert [(f.objective, f.cell, f.severity) for f in off] == [(n, cell, "error")]
    # bringing it back to its pool's rate undoes the change (to the cent the other rows allow:
    # objective 20 is one of the rows that pin the Territorio pool to the cent)
    assert abs(off[0].euro_effect + delta) <= D("0.01")
    assert f"l'importo sarebbe {euro(off[0].euro_effect + written + delta)}" in off[0].message
    # the wrong row cannot move its pool: the fund is still the deliberation's
    p = result.plan.params
    assert (p.general_pool, p.sector_weights) == (D("10000"), WEIGHTS_2025)
    assert abs(p.fund_assigned - D("69223.09")) <= D("0.01")
    assert reproduced(result) == 26
    # said once, with its reason, not again as a difference from the split
    assert not [f for f in result.findings if f.code == "importo-errato"]


def test_a_plan_with_a_fund_10_percent_larger_is_inferred_right(make_plan):
    rows = read_table_csv(SRC / "obiettivi_2025_tabella.csv")
    params = params_2025()
    params.fund_assigned, params.general_pool, params.fixed = D("76145.40"), D("11000.00"), {3: D("19800.00")}
    rule4_amounts(rows, params)  # independent arithmetic: every amount of the larger fund
    result = check_plan(make_plan("piano_2026.xlsx", rows, params=None), write=False)
    p = result.plan.params
    assert reproduced(result) == 27
    assert (p.fixed, p.general_pool, p.sector_weights) == ({3: D("19800.00")}, D("11000"), WEIGHTS_2025)
    assert p.fund_assigned == D("76145.40")
    assert not [f for f in result.findings if f.code in ("importo-fuori-tariffa", "importo-errato")]


def test_sector_funds_that_are_not_small_integer_multiples_are_their_own_weights(make_plan):
    rows = read_table_csv(SRC / "obiettivi_2025_tabella.csv")
    params = params_2025()
    params.sector_weights = {"AMMINISTRATIVO-FINANZIARIO": D("1000.37"), "SOCIALE-EDUCATIVO": D("517.11"),
                             "TERRITORIO": D("130.9"), "SICUREZZA": D("13")}
    rule4_amounts(rows, params)
    result = check_plan(make_plan("pesi_non_interi.xlsx", rows, params=None), write=False)
    assert reproduced(result) == 27
    said = [f.message for f in result.findings if f.code == "parametro-dedotto"]
    assert any("i fondi dei settori non stanno come numeri interi piccoli" in m for m in said)
    assert not [f for f in result.findings if f.code in ("importo-fuori-tariffa", "importo-errato")]


def test_a_pool_with_one_objective_cannot_be_cross_checked_and_says_so(make_plan):
    rows, cards, _ = plan()  # one objective each in Sociale-Educativo, Territorio and Sicurezza
    result = check_plan(make_plan("un_obiettivo.xlsx", rows, cards, params=None), write=False)
    single = [f for f in result.findings if f.code == "fondo-con-un-obiettivo"]
    assert [(f.objective, f.severity) for f in single] == [(14, "info"), (19, "info"), (24, "info")]
    assert "non si può confrontare" in single[0].message
    assert reproduced(result) == len(rows)
    # the pools with two objectives are cross-checked, not said to be single
    assert not [f for f in single if f.objective in (1, 2, 6, 7)]


def test_amounts_that_agree_on_no_rate_are_said_not_guessed(make_plan):
    rows, cards, _ = plan()
    next(r for r in rows if r["n"] == 6)["amount"] += 100  # two objectives in the sector: which is wrong?
    result = check_plan(make_plan("tariffe_discordi.xlsx", rows, cards, params=None), write=False)
    found = [f for f in result.findings if f.code == "tariffa-non-concorde"]
    assert [(f.severity, f.cell) for f in found] == [("warning", "O9:O10")]
    assert not [f for f in result.findings if f.code == "importo-fuori-tariffa"]
    sector = sum(r["amount"] for r in rows if r["tipologia"] == "SETTORE AMMINISTRATIVO-FINANZIARIO")
    assert result.plan.params.pool_amounts()["AMMINISTRATIVO-FINANZIARIO"] == sector


def test_a_table_without_amounts_says_the_amounts_were_not_checked(make_plan):
    rows, cards, _ = plan()
    for r in rows:
        r["amount"] = None
    result = check_plan(make_plan("senza_importi.xlsx", rows, cards, params=None), write=False)
    not_run = [f.message for f in result.findings if f.code == "controllo-non-eseguito"]
    assert any(m.startswith("Non controllato: gli importi stanziati") and "non ha importi scritti" in m
               for m in not_run)
    assert result.table["amount_from_written"].isna().all()


def test_a_parametri_sheet_without_the_fund_gets_it_from_the_table(make_plan):
    rows, cards, params = plan()
    params.fund_assigned = params.general_pool = None
    params.sector_weights = {}
    result = check_plan(make_plan("parametri_senza_fondo.xlsx", rows, cards, params), write=False)
    p = result.plan.params
    assert set(p.inferred) == {"general_pool", "sector_weights", "fund_assigned"}  # fixed: from the sheet
    assert reproduced(result) == len(rows)
    assert not [f for f in result.findings if f.code == "valore-mancante"]


def test_complete_parametri_sheet_infers_nothing(sample_plan):
    result = check_plan(sample_plan, write=False)
    assert result.plan.params.inferred == []
    assert not [f for f in result.findings if f.code in ("parametro-dedotto", "controllo-non-eseguito")]


def test_check_console_and_riepilogo_say_where_the_parameters_came_from(sample_plan, tmp_path):
    bare = without_parametri(sample_plan)
    res = CliRunner().invoke(main, ["controlla", str(bare), "-o", str(tmp_path / "c.xlsx"),
                                    "--json", str(tmp_path / "c.json")])
    assert res.exit_code == 1, res.output
    report = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert report["parameters"]["inferred"] == ["fixed", "general_pool", "sector_weights", "fund_assigned", "year"]
    assert all(o["amount_from_written"] == o["amount_published"] for o in report["objectives"])
    assert "Parametri: il file non ha il foglio Parametri; dedotti dagli importi scritti, da confermare" in res.output
    assert "Pesi dei settori: 34 : 17 : 13 : 13" in res.output
    assert "Non controllato: attribuito + riserva + welfare = importo massimo dei premi" in res.output
    assert "chiari-xl parametri" in res.output
    riepilogo = openpyxl.load_workbook(tmp_path / "c.xlsx")["Riepilogo"]
    assert riepilogo["A4"].value.startswith("Parametri: il file non ha il foglio Parametri; dedotti dagli importi")
    full = CliRunner().invoke(main, ["controlla", str(sample_plan), "-o", str(tmp_path / "d.xlsx")])
    assert "Non controllato" not in full.output and "dedotti" not in full.output
    assert openpyxl.load_workbook(tmp_path / "d.xlsx")["Riepilogo"]["A4"].value == \
        "Parametri: tutti dal foglio Parametri del file."


def test_parametri_command_hands_back_a_copy_to_confirm(sample_plan, tmp_path):
    bare = without_parametri(sample_plan)
    before = sha(bare)
    inferred = check_plan(bare, write=False)
    out = tmp_path / "con_parametri.xlsx"
    res = CliRunner().invoke(main, ["parametri", str(bare), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"Scritto: {out}" in res.output and "Pesi dei settori: 34 : 17 : 13 : 13" in res.output
    assert sha(bare) == before  # the original is untouched
    original, copy_ = openpyxl.load_workbook(bare), openpyxl.load_workbook(out)
    assert copy_.sheetnames == original.sheetnames + ["Parametri"]
    for name in original.sheetnames:  # every original sheet kept: values, merges, widths
        a, b = original[name], copy_[name]
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert {k: d.width for k, d in a.column_dimensions.items()} == \
            {k: d.width for k, d in b.column_dimensions.items()}
    # checking the copy reads the parameters from its sheet and gives the same amounts
    checked = check_plan(out, write=False)
    assert checked.plan.params.inferred == []
    assert list(checked.table["amount_from_written"]) == list(inferred.table["amount_from_written"])
    assert list(checked.table["amount_recomputed"]) == list(inferred.table["amount_recomputed"])
    assert flat(checked, ("error",)) == flat(inferred, ("error",))
    status = [f for f in checked.findings if f.code == "parametri-da-confermare"]
    assert [(f.sheet, f.severity) for f in status] == [("Parametri", "warning")]
    # once the office has confirmed them, the reminder goes
    set_cell(out, "Parametri", status[0].cell, "confermati")
    confirmed = check_plan(out, write=False)
    assert not [f for f in confirmed.findings if f.code == "parametri-da-confermare"]
    assert confirmed.plan.params.provenance == "Parametri: tutti dal foglio Parametri del file."
    # never overwrites: a second run takes a new name
    again = CliRunner().invoke(main, ["parametri", str(bare), "-o", str(out)])
    assert again.exit_code == 0 and (tmp_path / "con_parametri (2).xlsx").exists()


def test_parametri_command_on_a_plan_that_has_them_writes_nothing(sample_plan):
    res = CliRunner().invoke(main, ["parametri", str(sample_plan)])
    assert res.exit_code == 1 and "niente da dedurre" in res.output
    assert sorted(p.name for p in sample_plan.parent.iterdir()) == [sample_plan.name]


def test_parametri_command_unreadable_file(tmp_path):
    bad = tmp_path / "piano.xlsx"
    bad.write_text("non sono un foglio excel", encoding="utf-8")
    res = CliRunner().invoke(main, ["parametri", str(bad)])
    assert res.exit_code == 2 and "piano.xlsx" in res.output and "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano.xlsx"]


@pytest.mark.libreoffice
def test_parametri_from_an_ods_writes_an_xlsx_and_says_so(sample_plan, tmp_path):
    need_libreoffice()
    from chiari_xl.libreoffice import convert

    bare = without_parametri(sample_plan, tmp_path / "piano.xlsx")
    ods = convert(bare, tmp_path / "ods", "ods")
    res = CliRunner().invoke(main, ["parametri", str(ods), "-o", str(tmp_path / "copia.ods")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "copia.xlsx"
    assert "formato .xlsx" in res.output and f"Scritto: {out}" in res.output
    assert reproduced(check_plan(out, write=False)) == 27


@pytest.mark.libreoffice
def test_checked_workbook_of_inferred_parameters_recalculates_to_its_cached_values(sample_plan, tmp_path,
                                                                                  lo_recalc):
    from test_workbook_formulas import formula_cells, same

    result = check_plan(without_parametri(sample_plan), output=tmp_path / "controllato.xlsx")
    cached = openpyxl.load_workbook(result.output, data_only=True)
    lo = openpyxl.load_workbook(lo_recalc(result.output), data_only=True)
    cells = list(formula_cells(result.output))
    assert len(cells) > 300
    assert [(s, c) for s, c in cells if not same(cached[s][c].value, lo[s][c].value)] == []


def readme_block(command: str) -> list[str]:
    """The console lines the README shows after `$ command` (its '...' elisions left out)."""
    text = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    block = text.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and "..." not in line]


def test_readme_example_without_parametri_still_holds(sample_plan, tmp_path, monkeypatch):
    without_parametri(sample_plan, tmp_path / "obiettivi_2025_ufficio.xlsx")
    monkeypatch.chdir(tmp_path)
    for command in ("chiari-xl controlla obiettivi_2025_ufficio.xlsx", "chiari-xl parametri obiettivi_2025_ufficio.xlsx"):
        shown = readme_block(command)
        assert len(shown) >= 2
        out = CliRunner().invoke(main, command.split()[1:]).output.splitlines()
        assert [line for line in shown if line not in out] == []


@SETTINGS
@given(data=st.data())
def test_any_consistent_table_alone_is_reproduced_from_its_inferred_fund(data):
    """Random plans, their amounts by independent arithmetic, no Parametri sheet: every amount is
    reproduced from the inferred figures and none is flagged."""
    rows, params = data.draw(plans(rounding=Rounding.HALF_UP))
    for r in rows:
        if r["n"] in params.fixed:  # the Giunta's amount: no weight, no coefficient
            r["peso"] = r["coeff"] = r["total_coeff"] = None
    rule4_amounts(rows, params)
    with tempfile.TemporaryDirectory(prefix="infer-") as tmp:
        path = write_plan(Path(tmp) / "piano.xlsx", rows, None, None, Style())
        result = check_plan(path, write=False)
    assert reproduced(result) == len(rows)
    assert result.plan.params.fixed == params.fixed
    assert not [f for f in result.findings if f.code in ("importo-fuori-tariffa", "importo-errato",
                                                         "tariffa-non-concorde")]


def test_parametri_command_completes_a_sheet_without_the_fund(make_plan, tmp_path):
    rows, cards, params = plan()
    params.fund_assigned = params.general_pool = None
    params.sector_weights = {}
    path = make_plan("parametri_senza_fondo.xlsx", rows, cards, params)
    res = CliRunner().invoke(main, ["parametri", str(path), "-o", str(tmp_path / "completo.xlsx")])
    assert res.exit_code == 0, res.output
    assert "Il foglio «Parametri» è sostituito nella copia da un foglio Parametri completo" in res.output
    assert openpyxl.load_workbook(tmp_path / "completo.xlsx").sheetnames == ["Obiettivi", "Schede", "Parametri"]
    checked = check_plan(tmp_path / "completo.xlsx", write=False)
    assert checked.plan.params.inferred == [] and reproduced(checked) == len(rows)
    assert checked.plan.params.fixed == params.fixed  # what the sheet said is kept
