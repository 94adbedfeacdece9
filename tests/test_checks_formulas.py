"""The formula audit: each kind on a small plan kept with formulas that holds just that mistake,
and the consistent plan (every formula follows its column) with no audit finding at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from formula_scenarios import TOTAL_ROW, cache, formula_plan, row_of, rows

from chiari_xl.api import check_plan
from chiari_xl.checks.formulas import KINDS

D = Decimal
AUDIT = {k.code for k in KINDS}


def audit(result):
    return sorted((f.code, f.objective, f.cell) for f in result.findings if f.code in AUDIT)


def check(tmp_path, name, edits=None):
    return check_plan(formula_plan(tmp_path, name, edits), write=False)


def one(result, code):
    hits = [f for f in result.findings if f.code == code]
    assert len(hits) == 1, [(f.code, f.cell) for f in result.findings if f.code in AUDIT]
    return hits[0]


def test_consistent_formula_plan_has_no_audit_finding(tmp_path):
    result = check(tmp_path, "coerente.xlsx")
    assert audit(result) == []
    assert result.counts["error"] == 0
    # the amounts the formulas give are Rule 4's, to the cent
    assert list(result.table["amount"]) == [r["amount"] for r in rows()]


def test_formula_unlike_its_column(tmp_path):
    r = row_of(7)
    result = check(tmp_path, "formula_incoerente.xlsx", {f"N{r}": f"=L{r}+M{r}"})
    f = one(result, "formula-incoerente")
    assert (f.objective, f.cell, f.found, f.expected) == (7, f"N{r}", f"=L{r}+M{r}", f"=L{r}*M{r}")
    assert f.formula == f"=L{r}+M{r}"
    # 10 + 0,5 written as total instead of 10 × 0,5 = 5: the objective would lose money
    assert f.euro_effect is not None and f.euro_effect < 0
    assert audit(result) == [("formula-incoerente", 7, f"N{r}")]


def test_number_typed_over_formula_column_with_its_euro(tmp_path):
    r = row_of(15)
    amount = next(x["amount"] for x in rows() if x["n"] == 15)
    result = check(tmp_path, "numero_su_formula.xlsx", {f"O{r}": float(amount + 100)})
    f = one(result, "numero-su-formula")
    assert (f.objective, f.cell, f.formula) == (15, f"O{r}", "")
    assert f.expected.startswith(f"=ROUND(Ripartizione!$C$4*N{r}/SUM(N$13:N$15),2)")
    assert f.euro_effect == D("-100.00")
    assert audit(result) == [("numero-su-formula", 15, f"O{r}")]


def test_reference_to_another_objectives_row(tmp_path):
    r = row_of(20)
    result = check(tmp_path, "riga_sbagliata.xlsx", {f"N{r}": f"=L{r + 1}*M{r + 1}"})
    f = one(result, "riferimento-altra-riga")
    assert (f.objective, f.cell, f.found, f.expected) == (20, f"N{r}", f"=L{r + 1}*M{r + 1}", f"=L{r}*M{r}")
    assert f"L{r + 1}" in f.message
    # objective 20 is paid on objective 21's 75 points instead of its own 20: corrected, it gets less
    assert f.euro_effect is not None and f.euro_effect < 0
    assert audit(result) == [("riferimento-altra-riga", 20, f"N{r}")]


def test_total_row_sum_missing_the_last_row(tmp_path):
    last = TOTAL_ROW - 1
    result = check(tmp_path, "somma_corta.xlsx", {f"O{TOTAL_ROW}": f"=SUM(O6:O{last - 1})"})
    f = one(result, "somma-righe-mancanti")
    assert (f.objective, f.cell, f.expected) == (None, f"O{TOTAL_ROW}", f"=SUM(O6:O{last})")
    assert f"riga {last}" in f.message
    missing = next(x["amount"] for x in rows() if x["n"] == 26)
    assert f.euro_effect == missing
    assert audit(result) == [("somma-righe-mancanti", None, f"O{TOTAL_ROW}")]


def test_pool_sum_missing_a_row_of_the_pool(tmp_path):
    a, b = row_of(19), row_of(21)
    r = row_of(20)
    result = check(tmp_path, "denominatore_corto.xlsx",
                   {f"O{r}": f"=ROUND(Ripartizione!$C$5*N{r}/SUM(N${a}:N${b - 1}),2)"})
    f = one(result, "somma-righe-mancanti")
    assert (f.objective, f.cell) == (20, f"O{r}")
    assert f.expected == f"=ROUND(Ripartizione!$C$5*N{r}/SUM(N${a}:N${b}),2)"
    assert f.euro_effect is not None and f.euro_effect < 0  # the sum is smaller: the amount too big
    assert audit(result) == [("somma-righe-mancanti", 20, f"O{r}")]


def test_sum_including_the_total_row(tmp_path):
    a, r = row_of(24), row_of(25)
    result = check(tmp_path, "somma_con_totale.xlsx",
                   {f"O{r}": f"=ROUND(Ripartizione!$C$6*N{r}/SUM(N${a}:N${TOTAL_ROW}),2)"})
    f = one(result, "somma-include-totale")
    assert (f.objective, f.cell) == (25, f"O{r}")
    assert f.expected == f"=ROUND(Ripartizione!$C$6*N{r}/SUM(N${a}:N${TOTAL_ROW - 1}),2)"
    assert str(TOTAL_ROW) in f.message
    assert audit(result) == [("somma-include-totale", 25, f"O{r}")]


def test_parameter_typed_into_a_formula(tmp_path):
    r = row_of(14)  # 4 employees: coefficient 1,5, a parameter of the Parametri sheet
    result = check(tmp_path, "costante.xlsx", {f"N{r}": f"=L{r}*1.5"})
    f = one(result, "costante-in-formula")
    assert (f.objective, f.cell, f.found) == (14, f"N{r}", f"=L{r}*1.5")
    assert f.expected.startswith("Parametri!C")
    assert "1,5" in f.message and "coefficiente" in f.message
    assert audit(result) == [("costante-in-formula", 14, f"N{r}")]


def test_round_digits_and_neutral_numbers_are_not_parameters(tmp_path):
    r = row_of(6)
    result = check(tmp_path, "costanti_neutre.xlsx", {f"N{r}": f"=L{r}*M{r}*1+0"})
    assert [c for c, _, _ in audit(result)] == ["formula-incoerente"]


def test_cached_value_not_what_the_formula_gives(tmp_path):
    path = formula_plan(tmp_path, "non_ricalcolato.xlsx")
    r = row_of(8)
    amount = next(x["amount"] for x in rows() if x["n"] == 8)
    cache(path, {f"O{r}": float(amount) + 50, f"O{r - 1}": float(next(x["amount"] for x in rows() if x["n"] == 7))})
    result = check_plan(path, write=False)
    f = one(result, "valore-non-ricalcolato")
    assert (f.objective, f.cell, f.expected) == (8, f"O{r}", f"{amount:,.2f} €".replace(",", "X").replace(".", ",").replace("X", "."))
    assert f.euro_effect == D("-50.00")
    assert f.formula.startswith("=ROUND(")
    assert audit(result) == [("valore-non-ricalcolato", 8, f"O{r}")]


@pytest.mark.parametrize("edit", ["nothing", "right value"])
def test_cached_values_that_agree_are_not_flagged(tmp_path, edit):
    path = formula_plan(tmp_path, "ricalcolato.xlsx")
    if edit == "right value":
        r = row_of(8)
        cache(path, {f"O{r}": float(next(x["amount"] for x in rows() if x["n"] == 8))})
    assert audit(check_plan(path, write=False)) == []
