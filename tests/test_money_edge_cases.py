"""Plans the split cannot handle as usual: each gets an Italian finding or no amount, never a crash,
and the checked workbook is still written."""

from __future__ import annotations

import openpyxl

from decimal import Decimal

from tiny_plans import by_n, findings, fund, one, row

from chiari_xl.api import check_plan
from chiari_xl.model.params import GENERAL_POOL, Rounding

D = Decimal


def checked(make_plan, tmp_path, rows, params, name):
    """check_plan writing the checked workbook too (the writer must cope as well)."""
    result = check_plan(make_plan(name, rows, None, params), output=tmp_path / f"out_{name}")
    assert result.output.exists()
    return result


def codes(result, severities=("error", "warning")):
    return sorted(f.code for f in result.findings if f.severity in severities)


def test_pool_whose_objectives_all_have_zero_points_is_said_not_split(make_plan, tmp_path):
    params = fund(general=100)
    params.weights = {**params.weights, "una tantum": D(0)}  # the plan values "una tantum" nothing
    rows = [row(1, "GENERALE", category="una tantum", peso=0, amount="50.00"),
            row(2, "GENERALE", category="una tantum", peso=0, amount="50.00")]
    result = checked(make_plan, tmp_path, rows, params, "zero_punti.xlsx")
    assert by_n(result, "amount_from_written") == {1: None, 2: None}
    f = one(result, "fondo-senza-punti")
    assert (f.severity, f.sheet, f.cell, f.found) == ("error", "Obiettivi", "N6:N7", "0")
    assert f.message == (f"I totali coeff. degli obiettivi di «{GENERAL_POOL}» sommano 0: i suoi 100,00 € non "
                         "si possono ripartire in proporzione e i loro importi non sono controllati.")
    # no false rounding residual of the whole pool, no amount called wrong
    assert codes(result) == ["fondo-senza-punti"]


def test_the_pools_after_a_pool_without_points_are_still_checked(make_plan, tmp_path):
    params = fund(general=100, sectors={"TERRITORIO": 1}, sector_money=200)
    rows = [row(1, "GENERALE", total=0, amount="100.00"), row(2, amount="66.67"), row(3, amount="66.67"),
            row(4, amount="66.67")]
    result = checked(make_plan, tmp_path, rows, params, "dopo_zero_punti.xlsx")
    assert one(result, "fondo-senza-punti").cell == "N6:N9"
    assert one(result, "residuo-arrotondamento").found == "200,01 €"


def test_a_pool_of_a_single_point_is_split_as_any_other(make_plan, tmp_path):
    rows = [row(1, "GENERALE", total="0.5", amount="100.00")]
    result = checked(make_plan, tmp_path, rows, fund(general=100), "mezzo_punto.xlsx")
    assert by_n(result, "amount_from_written") == {1: D("100.00")}
    assert "fondo-senza-punti" not in codes(result)


def test_pool_with_zero_points_written_but_points_by_the_rules(make_plan, tmp_path):
    rows = [row(1, "GENERALE", total=0, amount="50.00"), row(2, "GENERALE", total=0, amount="50.00")]
    result = checked(make_plan, tmp_path, rows, fund(general=100), "zero_scritti.xlsx")
    assert codes(result) == ["fondo-senza-punti", "totale-coeff-errato", "totale-coeff-errato"]
    # by the rules each has 20 points: 50 € each, as written
    assert by_n(result, "amount_recomputed") == {1: D("50.00"), 2: D("50.00")}


def test_sector_with_money_and_no_objectives_is_said_and_the_fund_does_not_add_up(make_plan, tmp_path):
    # SICUREZZA (100 €) has no objective; TERRITORIO's 200 € over three objectives: 66,67 € each
    params = fund(sectors={"SICUREZZA": 1, "TERRITORIO": 2}, sector_money=300)
    rows = [row(1, amount="66.67"), row(2, amount="66.67"), row(3, amount="66.67")]
    result = checked(make_plan, tmp_path, rows, params, "settore_vuoto.xlsx")
    f = one(result, "fondo-senza-obiettivi")
    assert (f.severity, f.sheet, f.cell, f.found, f.euro_effect) == (
        "warning", "Obiettivi", "O6:O8", "100,00 €", D("100.00"))
    assert f.message == "Il fondo «SICUREZZA» vale 100,00 € ma nessun obiettivo vi appartiene: nessuno lo riceve."
    # the pools after it are still checked
    assert one(result, "residuo-arrotondamento").found == "200,01 €"
    assert codes(result) == ["fondo-senza-obiettivi", "somma-diversa-dal-fondo"]  # per-pool residuals are information


def test_even_a_few_cents_without_objectives_are_said(make_plan, tmp_path):
    params = fund(sectors={"TERRITORIO": 1, "SICUREZZA": 1}, sector_money="1.00")
    result = checked(make_plan, tmp_path, [row(1, amount="0.50")], params, "centesimi.xlsx")
    assert one(result, "fondo-senza-obiettivi").found == "0,50 €"


def test_pool_without_money_and_without_objectives_is_no_finding(make_plan, tmp_path):
    params = fund(general=0, sectors={"TERRITORIO": 1}, sector_money=100)
    result = checked(make_plan, tmp_path, [row(1, amount="100.00")], params, "senza_generali.xlsx")
    assert codes(result) == []


def test_sector_weights_adding_up_to_zero_are_refused_not_divided_by(make_plan, tmp_path):
    params = fund(sectors={"TERRITORIO": 0, "SICUREZZA": 0}, sector_money=200)
    rows = [row(1, amount="100.00"), row(2, "SETTORE SICUREZZA", amount="100.00")]
    result = checked(make_plan, tmp_path, rows, params, "pesi_zero.xlsx")
    f = one(result, "pesi-settori-non-validi")
    # at the heading of the sector weights' table, wherever the Parametri layout puts it
    sheet = openpyxl.load_workbook(result.plan.path, read_only=True)["Parametri"]
    heading = next(f"A{r}" for r, (v,) in enumerate(sheet.iter_rows(max_col=1, values_only=True), 1) if v == "Settore")
    assert (f.severity, f.sheet, f.cell, f.found) == ("error", "Parametri", heading, "TERRITORIO 0, SICUREZZA 0")
    # the sector amounts are not computed, so not called wrong either
    assert by_n(result, "amount_from_written") == {1: None, 2: None}
    assert not findings(result, "importo-errato")


def test_with_sector_weights_that_cannot_split_the_other_pools_are_still_split(make_plan, tmp_path):
    params = fund(general=100, sectors={"AMMINISTRATIVO-FINANZIARIO": 0}, sector_money=50, fixed={3: 40})
    rows = [row(1, "SETTORE AMMINISTRATIVO-FINANZIARIO", amount="50.00"), row(2, "GENERALE", amount="100.00"),
            row(3, "INTERSETTORIALE", amount="40.00")]
    result = checked(make_plan, tmp_path, rows, params, "altri_fondi.xlsx")
    assert by_n(result, "amount_from_written") == {1: None, 2: D("100.00"), 3: D(40)}


def test_a_negative_sector_weight_is_refused(make_plan, tmp_path):
    params = fund(sectors={"TERRITORIO": 3, "SICUREZZA": -1}, sector_money=200)
    rows = [row(1, amount="300.00"), row(2, "SETTORE SICUREZZA", amount="-100.00")]
    result = checked(make_plan, tmp_path, rows, params, "peso_negativo.xlsx")
    assert one(result, "pesi-settori-non-validi").found == "TERRITORIO 3, SICUREZZA -1"
    assert by_n(result, "amount_from_written") == {1: None, 2: None}


def test_a_sector_of_weight_zero_among_others_simply_gets_nothing(make_plan, tmp_path):
    params = fund(sectors={"TERRITORIO": 1, "SICUREZZA": 0}, sector_money=200)
    rows = [row(1, amount="200.00"), row(2, "SETTORE SICUREZZA", amount="0.00")]
    result = checked(make_plan, tmp_path, rows, params, "settore_a_zero.xlsx")
    assert by_n(result, "amount_from_written") == {1: D("200.00"), 2: D("0.00")}
    assert codes(result) == []


def test_fractional_headcount_is_an_error_and_gets_no_amount(make_plan, tmp_path):
    rows = [row(1, amount="50.00"), row(2, amount="50.00")]
    rows[0]["n_dip"] = D("2.5")
    result = checked(make_plan, tmp_path, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100), "n_dip.xlsx")
    assert codes(result) == ["n-dip-non-valido"]
    assert by_n(result, "amount_recomputed") == {1: None, 2: D("100.00")}


def test_largest_remainder_with_an_objective_without_points(make_plan, tmp_path):
    rows = [row(1, "GENERALE", amount="50.00"), row(2, "GENERALE", total=None, amount="10.00"),
            row(3, "GENERALE", amount="50.00")]
    params = fund(general=100, rounding=Rounding.LARGEST_REMAINDER)
    result = checked(make_plan, tmp_path, rows, params, "resti_senza_punti.xlsx")
    assert by_n(result, "amount_from_written") == {1: D("50.00"), 2: None, 3: D("50.00")}
    assert "valore-mancante" in codes(result)


def test_a_correction_that_leaves_the_pool_without_points_has_no_euro_effect(make_plan, tmp_path):
    # the plan values "una tantum" 0 but objective 1, alone in its pool, writes weight 5: correcting
    # it leaves nothing to split the pool by, so no euro effect can be stated
    params = fund(sectors={"TERRITORIO": 1}, sector_money=100)
    params.weights = {**params.weights, "una tantum": D(0)}
    rows = [row(1, category="una tantum", peso=5, amount="100.00")]
    result = checked(make_plan, tmp_path, rows, params, "correzione_a_zero.xlsx")
    f = one(result, "peso-errato")
    assert (f.found, f.expected, f.euro_effect) == ("5", "0", None)
