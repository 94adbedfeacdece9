"""Each rule on a small plan holding just that mistake (Obiettivi sheet: data from row 6,
columns K=N. dip., L=peso, M=coeff., N=totale, O=importo)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scenarios import plan, row

from chiari_xl.api import check_plan
from chiari_xl.model.params import Bracket

D = Decimal
ROW = {1: 6, 2: 7, 3: 8, 6: 9, 7: 10, 14: 11, 19: 12, 24: 13}


def flat(result, severities=("error", "warning")):
    return sorted((f.code, f.objective, f.sheet, f.cell) for f in result.findings if f.severity in severities)


def run(make_plan, name, mutate=None, **kw):
    rows, cards, params = plan(mutate, **kw)
    path = make_plan(name, rows, cards, params)
    return check_plan(path, write=False)


def test_consistent_plan_has_no_objective_findings(make_plan):
    result = run(make_plan, "coerente.xlsx")
    assert [f for f in result.findings if f.objective is not None and f.severity != "info"] == []
    assert result.counts["error"] == 0
    # amounts written by Rule 4 are reproduced to the cent
    assert all(a == b for a, b in zip(result.table["amount"], result.table["amount_from_written"]))


def test_peso_sbagliato(make_plan):
    def mutate(rows, cards, params):
        r = row(rows, 19)
        r["peso"], r["total_coeff"] = D(25), D(25)  # "miglioramento" is worth 20
    result = run(make_plan, "peso_sbagliato.xlsx", mutate)
    assert flat(result, ("error",)) == [("peso-errato", 19, "Obiettivi", f"L{ROW[19]}")]
    f = next(f for f in result.findings if f.code == "peso-errato")
    assert (f.found, f.expected) == ("25", "20")
    # the only objective of its pool: correcting the weight doesn't move its euro
    assert f.euro_effect == D("0.00")


def test_coeff_sbagliato_with_euro_effect(make_plan):
    def mutate(rows, cards, params):
        r = row(rows, 7)  # 1 employee -> 0,5; written 1 (total 10)
        r["coeff"], r["total_coeff"] = D(1), D(10)
    result = run(make_plan, "coeff_sbagliato.xlsx", mutate)
    assert flat(result, ("error",)) == [("coeff-errato", 7, "Obiettivi", f"M{ROW[7]}")]
    f = next(f for f in result.findings if f.code == "coeff-errato")
    assert (f.found, f.expected) == ("1,00", "0,50")
    pool = D("41223.09") * 34 / 77  # Amm.-Fin. pool
    written = (pool * 10 / 60).quantize(D("0.01"))
    corrected = (pool * 5 / 55).quantize(D("0.01"))
    assert f.euro_effect == corrected - written
    assert row_of(result, 7)["amount_recomputed"] == corrected


def row_of(result, n):
    return result.table[result.table["n"] == n].iloc[0]


def test_totale_sbagliato(make_plan):
    def mutate(rows, cards, params):
        row(rows, 14)["total_coeff"] = D(35)  # 20 x 1,5 = 30
    result = run(make_plan, "totale_sbagliato.xlsx", mutate)
    assert flat(result, ("error",)) == [("totale-coeff-errato", 14, "Obiettivi", f"N{ROW[14]}")]


def test_importo_sbagliato(make_plan):
    rows, cards, params = plan()
    row(rows, 6)["amount"] += D("10.00")
    result = check_plan(make_plan("importo_sbagliato.xlsx", rows, cards, params), write=False)
    errors = flat(result, ("error",))
    assert ("importo-errato", 6, "Obiettivi", f"O{ROW[6]}") in errors
    f = next(f for f in result.findings if f.code == "importo-errato")
    assert f.euro_effect == D("-10.00")
    # the table no longer adds up to the fund beyond rounding
    assert any(code == "somma-diversa-dal-fondo" for code, *_ in errors)


def test_fixed_amount_changed(make_plan):
    rows, cards, params = plan()
    row(rows, 3)["amount"] = D("17000.00")
    result = check_plan(make_plan("importo_fisso.xlsx", rows, cards, params), write=False)
    assert ("importo-fisso-diverso", 3, "Obiettivi", f"O{ROW[3]}") in flat(result)


def test_categoria_mancante_e_multipla(make_plan):
    def mutate(rows, cards, params):
        row(rows, 1)["category"] = ""
    result = run(make_plan, "categoria_mancante.xlsx", mutate)
    assert ("categoria-mancante", 1, "Obiettivi", f"F{ROW[1]}") in flat(result)


def test_categoria_multipla(make_plan, tmp_path):
    import openpyxl

    rows, cards, params = plan()
    path = make_plan("categoria_multipla.xlsx", rows, cards, params)
    wb = openpyxl.load_workbook(path)
    wb["Obiettivi"][f"F{ROW[19]}"] = "strategico"  # a second mark beside "miglioramento"
    wb.save(path)
    result = check_plan(path, write=False)
    assert ("categoria-multipla", 19, "Obiettivi", f"F{ROW[19]}") in flat(result)


def test_exactly_ten_employees_is_a_warning_not_an_error(make_plan):
    def mutate(rows, cards, params):
        r = row(rows, 24)
        r["n_dip"], r["coeff"], r["total_coeff"] = D(10), D(3), D(120)
        r["personale"] = "n.10 agenti"
    result = run(make_plan, "dieci_dipendenti.xlsx", mutate)
    assert result.counts["error"] == 0
    assert ("coeff-regola-estesa", 24, "Obiettivi", f"K{ROW[24]}") in flat(result)


def test_headcount_outside_brackets(make_plan):
    def mutate(rows, cards, params):
        params.brackets = [b for b in params.brackets if not b.extension]  # the regulation's hole
        r = row(rows, 24)
        r["n_dip"], r["coeff"], r["total_coeff"] = D(10), D(3), D(120)
        r["personale"] = "n.10 agenti"
    result = run(make_plan, "fuori_fasce.xlsx", mutate)
    assert ("n-dip-fuori-tabella", 24, "Obiettivi", f"K{ROW[24]}") in flat(result)


@pytest.mark.parametrize("value", [D("-2"), D("2.5")])
def test_invalid_headcount(make_plan, value):
    def mutate(rows, cards, params):
        row(rows, 19)["n_dip"] = value
    result = run(make_plan, "n_dip_non_valido.xlsx", mutate)
    assert ("n-dip-non-valido", 19, "Obiettivi", f"K{ROW[19]}") in flat(result)


def test_staff_text_disagrees_with_headcount(make_plan):
    def mutate(rows, cards, params):
        row(rows, 6)["personale"] = "n.1 resp.Area EQ+n.9 dipendenti area"  # 9 or 10, N. dip. 6
        for c in cards:
            if c["n"] == 6:
                c["personale"] = "n.6 dipendenti area"
    result = run(make_plan, "personale_testo.xlsx", mutate)
    assert ("personale-diverso-da-n-dip", 6, "Obiettivi", f"E{ROW[6]}") in flat(result, ("warning",))
    assert result.counts["error"] == 0
    f = next(f for f in result.findings if f.code == "personale-diverso-da-n-dip")
    assert f.euro_effect > 0  # 9 employees -> coefficient 2,5 instead of 2


def test_same_staff_text_counted_differently(make_plan):
    def mutate(rows, cards, params):
        row(rows, 19)["personale"] = "n.1 resp.Area + n.3 dipendenti"  # N. dip. 3: without manager
        r = row(rows, 14)
        r["personale"] = "n.1 resp.Area + n.3 dipendenti"  # N. dip. 4: with the manager
        for c in cards:
            if c["n"] in (14, 19):
                c["personale"] = "n.1 resp.Area + n.3 dipendenti"
    result = run(make_plan, "personale_contato_diversamente.xlsx", mutate)
    codes = flat(result, ("warning",))
    assert ("personale-contato-diversamente", 19, "Obiettivi", f"K{ROW[19]}") in codes
    assert any(c[0] == "responsabili-contati-in-modo-diverso" for c in codes)


def test_duplicate_and_missing_numbers(make_plan):
    def mutate(rows, cards, params):
        row(rows, 7)["n"] = 6
    result = run(make_plan, "numero_duplicato.xlsx", mutate)
    assert ("numero-duplicato", 6, "Obiettivi", f"A{ROW[7]}") in flat(result)


def test_unknown_sector(make_plan):
    def mutate(rows, cards, params):
        row(rows, 19)["tipologia"] = "SETTORE CULTURA"
    result = run(make_plan, "settore_sconosciuto.xlsx", mutate, amounts_from_written=False)
    assert ("settore-sconosciuto", 19, "Obiettivi", f"B{ROW[19]}") in flat(result)


def test_fund_split_does_not_add_up(make_plan):
    def mutate(rows, cards, params):
        params.fund_total = D("91000.00")
    result = run(make_plan, "fondo_non_quadra.xlsx", mutate)
    f = next(f for f in result.findings if f.code == "fondo-non-quadra")
    assert (f.sheet, f.euro_effect) == ("Parametri", D("-223.09"))


def test_rounding_residuals_of_pools_are_information_and_of_the_plan_a_warning(make_plan):
    """A pool's sub-cent residual is worth knowing, not acting on (info); the table not adding
    up to the fund it splits is for the office to decide (warning)."""
    result = run(make_plan, "coerente.xlsx")
    residuals = [f for f in result.findings if f.code == "residuo-arrotondamento"]
    sums = [f for f in result.findings if f.code in ("somma-fondo-arrotondamento", "somma-diversa-dal-fondo")]
    written = sum(result.table["amount"])
    diff = D("69223.09") - written
    if diff:
        assert [f.code for f in sums] == ["somma-fondo-arrotondamento"]
        assert sums[0].euro_effect == diff and abs(diff) <= D("0.04")
        assert sums[0].severity == "warning"
    assert residuals and all(f.severity == "info" for f in residuals)


def test_total_row_checked(make_plan):
    rows, cards, params = plan()
    path = make_plan("totale_riga.xlsx", rows, cards, params, total_row=True)
    assert not [f for f in check_plan(path, write=False).findings if f.code == "totale-tabella-errato"]
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb["Obiettivi"]
    total_cell = f"O{6 + len(rows)}"
    ws[total_cell] = ws[total_cell].value + 5
    wb.save(path)
    found = [f for f in check_plan(path, write=False).findings if f.code == "totale-tabella-errato"]
    assert [(f.cell, f.euro_effect) for f in found] == [(total_cell, D("-5.00"))]


def test_missing_parameters_use_regulation_defaults(make_plan):
    rows, cards, _ = plan()
    path = make_plan("senza_parametri.xlsx", rows, cards, params=None)
    result = check_plan(path, write=False)
    assert any(f.code == "parametro-predefinito" for f in result.findings)
    # weights and coefficients are still checked with the regulation's tables
    assert all(result.table["peso_rule"].iloc[i] is not None for i in range(len(rows)) if rows[i]["n"] != 3)
    # and the fund is inferred from the amounts written (tests/test_infer_params.py), not left unchecked
    assert list(result.table["amount_from_written"]) == [r["amount"] for r in rows]
    assert any(f.code == "parametro-dedotto" for f in result.findings)


def test_brackets_are_parameters(make_plan):
    def mutate(rows, cards, params):
        params.brackets = [Bracket(1, 5, D(1)), Bracket(6, None, D(2))]
    result = run(make_plan, "fasce_diverse.xlsx", mutate)
    errors = flat(result, ("error",))
    # with these brackets, 15 -> 2 (written 3) and 1 -> 1 (written 0,5)...
    assert ("coeff-errato", 1, "Obiettivi", f"M{ROW[1]}") in errors
    assert ("coeff-errato", 7, "Obiettivi", f"M{ROW[7]}") in errors


def test_missing_column_is_an_error_not_silence(make_plan):
    rows, cards, params = plan()
    order = ["n", "tipologia", "obiettivo", "tempi", "personale", "category", "n_dip", "peso",
             "total_coeff", "amount"]  # no coefficient column
    result = check_plan(make_plan("senza_coeff.xlsx", rows, cards, params, column_order=order), write=False)
    f = [f for f in result.findings if f.code == "colonna-mancante"]
    assert [(x.severity, x.found) for x in f] == [("error", "Coeff. dip.")]
