"""Rule 4's checks as the office reads them (checks/amounts.py): which objective, which cell, what
was written, what it should be, and the euro effect (expected − written: what the objective or the
fund gains with the right figure)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from tiny_plans import amount_cell, check, findings, fund, one, row

from chiari_xl.api import check_plan
from chiari_xl.model.params import GENERAL_POOL

D = Decimal


def codes(result, severities=("error", "warning", "info")):
    return sorted(f.code for f in result.findings if f.severity in severities and f.code != "schede-assenti")


def value_cell(result, label: str) -> str:
    """The value cell next to `label` in the plan's Parametri sheet, found as the office would."""
    ws = openpyxl.load_workbook(result.plan.path)["Parametri"]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(label):
                return f"B{cell.row}"
    raise AssertionError(f"{label!r} not in Parametri")


def general(*amounts, **kw):
    """Objectives of the general pool with the amounts written (20 points each unless `totals`)."""
    totals = kw.pop("totals", [None] * len(amounts))
    return [row(i, "GENERALE", amount=a, **({"total": t} if t is not None else {}))
            for i, (a, t) in enumerate(zip(amounts, totals), start=1)]


def test_amounts_written_as_the_split_gives_are_no_finding(make_plan):
    result = check(make_plan, general("50.00", "50.00"), fund(general=100))
    assert codes(result) == []


def test_amount_written_wrong_is_an_error_at_its_cell_with_its_euro(make_plan):
    # 100 € over two objectives of 20 points: 50 € each; objective 2 writes 60 €
    result = check(make_plan, general("50.00", "60.00"), fund(general=100))
    f = one(result, "importo-errato")
    assert (f.severity, f.objective, f.sheet, f.cell) == ("error", 2, "Obiettivi", amount_cell(2))
    assert (f.found, f.expected, f.euro_effect) == ("60,00 €", "50,00 €", D("-10.00"))
    assert f.message == "Applicando la ripartizione ai totali scritti l'importo è 50,00 €, ma è scritto 60,00 €."
    # an amount written too low: the objective gains
    f = one(check(make_plan, general("50.00", "40.00"), fund(general=100), "basso.xlsx"), "importo-errato")
    assert (f.objective, f.euro_effect) == (2, D("10.00"))


def test_amount_that_changes_when_the_plan_is_corrected_is_information_on_that_row_only(make_plan):
    # objective 2 writes total 60 for 20 × 1 and takes 75 € of 100 as written; by the rules 50 €
    result = check(make_plan, general("25.00", "75.00", totals=[None, 60]), fund(general=100))
    found = sorted((f.objective, f.sheet, f.cell, f.found, f.expected, f.euro_effect) for f in
                   findings(result, "importo-da-ricalcolo"))
    assert found == [(1, "Obiettivi", amount_cell(1), "25,00 €", "50,00 €", D("25.00")),
                     (2, "Obiettivi", amount_cell(2), "75,00 €", "50,00 €", D("-25.00"))]
    assert {f.severity for f in findings(result, "importo-da-ricalcolo")} == {"info"}
    assert findings(result, "importo-da-ricalcolo")[0].message == (
        "Ricalcolando pesi e coefficienti secondo le regole l'importo diventa 50,00 € (scritto 25,00 €).")
    assert not findings(result, "importo-errato")


def test_giunta_amount_written_differently_is_an_error(make_plan):
    params = fund(general=100, fixed={3: "500.00"})
    rows = general("50.00", "50.00") + [row(3, "INTERSETTORIALE", amount="450.00")]
    f = one(check(make_plan, rows, params), "importo-fisso-diverso")
    assert (f.severity, f.objective, f.cell, f.found, f.expected) == (
        "error", 3, amount_cell(3), "450,00 €", "500,00 €")
    assert f.euro_effect == D("50.00")
    assert f.message == "La Giunta ha assegnato 500,00 €, ma è scritto 450,00 €."
    # the Giunta's amount is not part of any split: no other amount finding on it
    assert [f.code for f in check(make_plan, rows, params, "b.xlsx").findings if f.objective == 3] == [
        "importo-fisso-diverso"]


def test_giunta_amount_written_right_is_no_finding(make_plan):
    params = fund(general=100, fixed={3: "500.00"})
    rows = general("50.00", "50.00") + [row(3, "INTERSETTORIALE", amount="500.00")]
    assert codes(check(make_plan, rows, params)) == []


def test_missing_amount_of_an_objective_in_a_pool_is_an_error(make_plan):
    result = check(make_plan, general(None, "60.00"), fund(general=100))
    f = one(result, "valore-mancante")
    assert (f.objective, f.sheet, f.cell, f.message) == (
        1, "Obiettivi", amount_cell(1), "Manca l'importo stanziato, necessario per il calcolo.")
    # the rows after it are still checked
    assert one(result, "importo-errato").objective == 2
    # a row of no known pool is reported by the sector check, not as a missing amount
    rows = general("100.00") + [row(2, "SETTORE FANTASMA")]
    assert not findings(check(make_plan, rows, fund(general=100), "fantasma.xlsx"), "valore-mancante")


def test_a_table_without_amounts_nor_fund_is_not_checked_for_amounts(make_plan):
    # nothing to check the amounts against (no fund, nothing to infer it from): no missing amounts
    result = check(make_plan, general(None, None), None)
    assert result.plan.params.amounts_ready is False
    assert not [c for c in codes(result) if c.startswith(("importo", "somma", "residuo", "valore"))]


def test_rounding_residual_of_a_pool_says_its_sum_the_exact_pool_and_the_difference(make_plan):
    # 100 € over three objectives of 20 points: 33,33 € each, 99,99 € in all, 0,01 € lost
    result = check(make_plan, general("33.33", "33.33", "33.33"), fund(general=100))
    f = one(result, "residuo-arrotondamento")
    assert (f.severity, f.objective, f.sheet, f.cell, f.found, f.expected, f.euro_effect) == (
        "info", None, "Obiettivi", "O6:O8", "99,99 €", "100,00 €", D("0.01"))
    assert f.message == f"Gli importi di «{GENERAL_POOL}» arrotondati al centesimo sommano 99,99 € invece di 100,00 €."


def test_rounding_residual_to_the_fraction_of_a_cent_of_a_sector_pool(make_plan):
    # 100 € for the sectors at 1 : 2: TERRITORIO 33,3333… € paid 33,33 €, SICUREZZA 66,6666… € paid 66,67 €
    params = fund(sectors={"TERRITORIO": 1, "SICUREZZA": 2}, sector_money=100)
    rows = [row(1, amount="33.33"), row(2, "SETTORE SICUREZZA", amount="66.67")]
    result = check(make_plan, rows, params)
    got = sorted((f.found, f.expected, f.euro_effect) for f in findings(result, "residuo-arrotondamento"))
    assert got == [("33,33 €", "33,3333 €", D("0.0033")), ("66,67 €", "66,6667 €", D("-0.0033"))]
    # the two residuals cancel out: the table adds up to the fund
    assert not findings(result, "somma-fondo-arrotondamento") and not findings(result, "somma-diversa-dal-fondo")


def test_amounts_adding_up_to_the_fund_only_by_rounding_is_a_warning(make_plan):
    # 100,01 € over two equal objectives: 50,005 -> 50,01 € each (half-up), 100,02 € in all: one
    # cent over the fund, exactly the half cent of each of the 2 objectives
    result = check(make_plan, general("50.01", "50.01"), fund(general="100.01"))
    f = one(result, "somma-fondo-arrotondamento")
    assert (f.severity, f.sheet, f.cell, f.found, f.expected, f.euro_effect) == (
        "warning", "Obiettivi", "O6:O7", "100,02 €", "100,01 €", D("-0.01"))
    assert f.message == "Gli importi sommano 100,02 € invece di 100,01 €: -0,01 € si perdono negli arrotondamenti."
    assert not findings(result, "somma-diversa-dal-fondo")


def test_amount_a_cent_off_is_a_real_mismatch_with_the_fund_not_rounding(make_plan):
    # 50 + 50,01 = 100,01 € for a fund of 100 €: as small as a rounding, but objective 2 is wrong
    result = check(make_plan, general("50.00", "50.01"), fund(general=100))
    f = one(result, "somma-diversa-dal-fondo")
    assert (f.severity, f.cell, f.found, f.expected, f.euro_effect) == (
        "error", "O6:O7", "100,01 €", "100,00 €", D("-0.01"))
    assert f.message == "Gli importi scritti sommano 100,01 €, ma il fondo attribuito è 100,00 €."
    assert not findings(result, "somma-fondo-arrotondamento")


def test_amounts_consistent_with_the_split_of_another_fund_are_a_real_mismatch(make_plan):
    # amounts split from 100 € while the fund says 100,02 €: 2 cents for 2 objectives is more than rounding
    rows = general("50.00", "50.00")
    params = fund(general=100)
    params.fund_assigned = params.fund_total = D("100.02")
    result = check(make_plan, rows, params)
    assert one(result, "somma-diversa-dal-fondo").euro_effect == D("0.02")


def test_fund_parts_that_do_not_add_up_to_the_maximum(make_plan):
    params = fund(general=100)
    params.fund_total = D("150.00")
    params.fund_reserve, params.fund_welfare = D("20.00"), D("10.00")
    result = check(make_plan, general("50.00", "50.00"), params)
    f = one(result, "fondo-non-quadra")
    # 100 + 20 + 10 = 130 written as 150: pointed at the cell holding the 150 €
    assert (f.severity, f.sheet, f.cell, f.found, f.expected, f.euro_effect) == (
        "error", "Parametri", value_cell(result, "Importo massimo dei premi"), "130,00 €", "150,00 €", D("20.00"))
    assert f.message == "Attribuito + riserva + welfare: 130,00 € invece di 150,00 €."


def test_fixed_amounts_and_general_pool_larger_than_the_fund(make_plan):
    params = fund(general=100, fixed={3: 50})
    params.general_pool = D("120")  # 50 + 120 = 170 for a fund of 150
    rows = general("60.00", "60.00") + [row(3, "INTERSETTORIALE", amount="50.00")]
    result = check(make_plan, rows, params)
    f = next(f for f in result.findings if f.code == "fondo-non-quadra")
    assert (f.sheet, f.cell, f.found, f.expected, f.euro_effect) == (
        "Parametri", value_cell(result, "Fondo obiettivi generali"), "170,00 €", "al massimo 150,00 €", D("-20"))
    assert f.message.startswith("Importi fissati + fondo generali superano il fondo attribuito: 170,00 €")


def test_general_pool_inferred_from_the_table_larger_than_the_fund(make_plan):
    # no general pool in Parametri: the table's 60 + 60 € give 120 €, plus the Giunta's 50 € = 170 € > 150 €
    params = fund(general=100, fixed={3: 50})
    params.general_pool = None
    rows = general("60.00", "60.00") + [row(3, "INTERSETTORIALE", amount="50.00")]
    result = check(make_plan, rows, params)
    assert result.plan.params.inferred == ["general_pool"]
    f = one(result, "fondo-non-quadra")
    assert (f.sheet, f.cell, f.found, f.expected) == ("Parametri", "", "170,00 €", "al massimo 150,00 €")
    # the sectors' pool is negative, not empty: said once, by the fund
    assert not findings(result, "fondo-senza-obiettivi")


def test_fund_parts_missing_say_which_check_was_not_done(make_plan):
    params = fund(general=100)
    params.fund_total, params.fund_welfare = None, None
    result = check(make_plan, general("50.00", "50.00"), params)
    f = one(result, "controllo-non-eseguito")
    assert (f.severity, f.sheet) == ("info", "Parametri")
    assert f.message == ("Non controllato: attribuito + riserva + welfare = importo massimo dei premi. Motivo: "
                         "mancano l'importo massimo dei premi, il welfare (sono nel testo della delibera: "
                         "scriverli nel foglio Parametri).")
    assert not findings(result, "fondo-non-quadra")
    params.fund_total, params.fund_welfare, params.fund_reserve = D(100), D(0), None
    f = one(check(make_plan, general("50.00", "50.00"), params, "senza_riserva.xlsx"), "controllo-non-eseguito")
    assert "Motivo: mancano la riserva (sono" in f.message


def total_row_written(make_plan, name, points, amount):
    path = make_plan(name, general("50.00", "50.00"), None, fund(general=100), total_row=True)
    wb = openpyxl.load_workbook(path)
    wb["Obiettivi"]["N8"], wb["Obiettivi"]["O8"] = points, amount
    wb.save(path)
    result = check_plan(path, write=False)
    return sorted((f.sheet, f.cell, f.found, f.expected, f.euro_effect)
                  for f in findings(result, "totale-tabella-errato"))


def test_total_row_written_wrong_is_an_error_on_its_cells(make_plan):
    assert total_row_written(make_plan, "totale.xlsx", 45, 110) == [
        ("Obiettivi", "N8", "45", "40", None), ("Obiettivi", "O8", "110,00 €", "100,00 €", D("-10.00"))]
    # a total row with only the points written: the points are still checked
    assert total_row_written(make_plan, "totale_punti.xlsx", 45, None) == [("Obiettivi", "N8", "45", "40", None)]


def test_total_row_written_right_is_no_finding(make_plan):
    result = check(make_plan, general("50.00", "50.00"), fund(general=100), total_row=True)
    assert not findings(result, "totale-tabella-errato")
