"""Rules 1-4 as the finance office states them, on tiny plans (model/rules.py through check_plan).

Rule 1: the strategicity gives the weight. Rule 2: the headcount gives the coefficient ("tutto il
personale" 3,00). Rule 3: total = weight × coefficient. Rule 4: each pool split in proportion to
the totals, half-up to the cent (or largest remainder); the Giunta's amounts are fixed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tiny_plans import by_n, check, findings, fund, one, row

from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, Bracket, Rounding
from chiari_xl.model.rules import compute, pool_summary

D = Decimal


def test_each_strategicity_has_the_weight_of_the_parameters(make_plan):
    rows = [row(1, category="strategico"), row(2, category="innovativo"), row(3, category="miglioramento"),
            row(4, category="mantenimento"), row(5, category="una tantum"), row(6, category=None, peso=20)]
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100))
    assert by_n(result, "peso_rule") == {1: 40, 2: 25, 3: 20, 4: 10, 5: 5, 6: None}
    params = fund(sectors={"TERRITORIO": 1}, sector_money=100)
    params.weights = {**params.weights, "strategico": D(50)}
    result = check(make_plan, [row(1, category="strategico", peso=50)], params, "pesi.xlsx")
    assert by_n(result, "peso_rule") == {1: 50}


def test_each_headcount_has_the_coefficient_of_its_bracket(make_plan):
    heads = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40]
    rows = [row(i, n_dip=h) for i, h in enumerate(heads, start=1)]
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100))
    expected = ["0.5", "1", "1", "1.5", "1.5", "2", "2", "2.5", "2.5", "3", "3", "3"]
    assert by_n(result, "coeff_rule") == {i: D(c) for i, c in enumerate(expected, start=1)}
    # only exactly 10 is covered by the plan's extension of the regulation ("più di 10")
    assert [n for n, ext in by_n(result, "coeff_extension").items() if ext] == [10]


def test_all_staff_has_the_all_staff_coefficient_and_the_rows_after_it_still_count(make_plan):
    rows = [row(1, n_dip=1), row(2, n_dip="tutto il personale", coeff="3", category="innovativo"),
            row(3, n_dip=4), row(4, n_dip=10)]
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100))
    assert by_n(result, "coeff_rule") == {1: D("0.5"), 2: D(3), 3: D("1.5"), 4: D(3)}
    assert by_n(result, "total_rule") == {1: 10, 2: 75, 3: 30, 4: 60}
    # "tutto il personale" is in the regulation's table: not an extension to confirm
    assert by_n(result, "coeff_extension") == {1: False, 2: False, 3: False, 4: True}
    assert not [f for f in result.findings if f.objective == 2 and f.code.startswith(("coeff", "totale"))]


def test_all_staff_coefficient_is_a_parameter(make_plan):
    params = fund(sectors={"TERRITORIO": 1}, sector_money=100, all_staff_coeff=D("2.75"))
    result = check(make_plan, [row(1, n_dip="tutto il personale", coeff="2.75")], params)
    assert by_n(result, "coeff_rule") == {1: D("2.75")}
    assert by_n(result, "total_rule") == {1: D(55)}


def test_all_staff_with_another_coefficient_written_is_an_error(make_plan):
    rows = [row(1, n_dip="tutto il personale", coeff="1", amount="100.00")]
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100))
    f = one(result, "coeff-errato")
    assert (f.objective, f.cell, f.found, f.expected) == (1, "M6", "1,00", "3,00")
    assert "tutto il personale" in f.message


@pytest.mark.parametrize("n_dip, shown", [(D("2.5"), "2,5"), (D(0), "0"), (D("0.5"), "0,5")])
def test_a_headcount_that_is_not_a_whole_positive_number_gets_no_coefficient(make_plan, n_dip, shown):
    rows = [row(1, amount="50.00"), row(2, n_dip=3, amount="50.00")]
    rows[0]["n_dip"] = n_dip
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1}, sector_money=100))
    assert by_n(result, "coeff_rule")[1] is None and by_n(result, "total_rule")[1] is None
    assert by_n(result, "amount_recomputed") == {1: None, 2: D("100.00")}
    f = one(result, "n-dip-non-valido")
    assert (f.objective, f.cell, f.found) == (1, "K6", shown)
    assert not findings(result, "coeff-errato")


def test_total_is_weight_times_coefficient(make_plan):
    result = check(make_plan, [row(1, category="innovativo", n_dip=4)], fund(sectors={"TERRITORIO": 1}))
    assert by_n(result, "total_rule") == {1: D("37.5")}


def test_each_objective_is_paid_from_the_pool_of_its_tipologia(make_plan):
    rows = [row(1, "GENERALE"), row(2, "INTERSETTORIALE"), row(3, "SETTORE TERRITORIO"),
            row(4, "SETTORE SICUREZZA"), row(5, "SETTORE SICUREZZA"), row(6, "SETTORE FANTASMA")]
    params = fund(general=100, sectors={"TERRITORIO": 1, "SICUREZZA": 1}, fixed={5: 40}, sector_money=200)
    result = check(make_plan, rows, params)
    assert by_n(result, "pool") == {1: GENERAL_POOL, 2: GENERAL_POOL, 3: "TERRITORIO", 4: "SICUREZZA",
                                    5: FIXED_POOL, 6: None}
    # the Giunta's amount is fixed; an objective of no known pool gets no amount
    assert by_n(result, "amount_from_written") == {1: D("50.00"), 2: D("50.00"), 3: D("100.00"),
                                                   4: D("100.00"), 5: D(40), 6: None}
    assert by_n(result, "amount_recomputed") == by_n(result, "amount_from_written")


def test_a_pool_is_split_in_proportion_to_the_totals_half_up(make_plan):
    # 1.000 € over 20/30/50/7 points: 186,9158 · 280,3738 · 467,2897 · 65,4206
    rows = [row(1, "GENERALE", total=20), row(2, "GENERALE", total=30), row(3, "GENERALE", total=50),
            row(4, "GENERALE", total=7)]
    result = check(make_plan, rows, fund(general=1000))
    assert list(by_n(result, "amount_from_written").values()) == [D("186.92"), D("280.37"), D("467.29"),
                                                                  D("65.42")]


def test_sector_pools_share_the_sector_fund_by_their_weights(make_plan):
    # 1.000 € for the sectors, weights 1 : 3 -> 250 € and 750 €; 750 € over 20 and 40 points
    rows = [row(1, "SETTORE TERRITORIO"), row(2, "SETTORE SICUREZZA"),
            row(3, "SETTORE SICUREZZA", category="strategico")]
    result = check(make_plan, rows, fund(sectors={"TERRITORIO": 1, "SICUREZZA": 3}, sector_money=1000))
    assert by_n(result, "amount_from_written") == {1: D("250.00"), 2: D("250.00"), 3: D("500.00")}


def test_amount_from_written_uses_the_totals_written_and_recomputed_the_rules(make_plan):
    # objective 2 writes total 60 for 20 × 1: as written it takes 60/80 of the pool, by the rules 20/40
    rows = [row(1, "GENERALE"), row(2, "GENERALE", total=60)]
    result = check(make_plan, rows, fund(general=800))
    assert by_n(result, "amount_from_written") == {1: D("200.00"), 2: D("600.00")}
    assert by_n(result, "amount_recomputed") == {1: D("400.00"), 2: D("400.00")}


def test_largest_remainder_is_applied_to_every_pool_when_the_plan_asks(make_plan):
    # 100 € over three equal objectives: 33,34 · 33,33 · 33,33 (half-up would pay 99,99 €)
    rows = [row(1, "GENERALE"), row(2, "GENERALE"), row(3, "GENERALE")]
    result = check(make_plan, rows, fund(general=100, rounding=Rounding.LARGEST_REMAINDER))
    assert list(by_n(result, "amount_from_written").values()) == [D("33.34"), D("33.33"), D("33.33")]
    assert list(by_n(result, "amount_recomputed").values()) == [D("33.34"), D("33.33"), D("33.33")]
    half_up = check(make_plan, rows, fund(general=100), "mezzo.xlsx")
    assert list(by_n(half_up, "amount_from_written").values()) == [D("33.33")] * 3


def test_without_the_fund_the_rules_are_applied_but_no_amount_is_computed(make_plan):
    result = check(make_plan, [row(1, "GENERALE", category="strategico")], None)
    assert by_n(result, "total_rule") == {1: D(40)}
    assert by_n(result, "amount_from_written") == {1: None}
    assert by_n(result, "amount_recomputed") == {1: None}


def test_headcount_bracket_table_is_a_parameter(make_plan):
    params = fund(sectors={"TERRITORIO": 1}, sector_money=100)
    params.brackets = [Bracket(1, 5, D("1")), Bracket(6, 6, D("4"), extension=True)]
    result = check(make_plan, [row(1, n_dip=5, coeff="1"), row(2, n_dip=6, coeff="4"), row(3, n_dip=7)], params)
    assert by_n(result, "coeff_rule") == {1: D(1), 2: D(4), 3: None}
    assert by_n(result, "coeff_extension") == {1: False, 2: True, 3: False}


def test_pool_summary_gives_each_pool_its_money_points_and_amounts(make_plan):
    # general 100 € over 20 + 60 written points (20 + 20 by the rules); sectors 1.000 € at 1 : 3;
    # objective 4 is the Giunta's 40 €
    rows = [row(1, "GENERALE", amount="25.00"), row(2, "GENERALE", total=60, amount="75.00"),
            row(3, "SETTORE SICUREZZA", amount="750.00"), row(4, "SETTORE SICUREZZA", amount="40.00")]
    params = fund(general=100, sectors={"TERRITORIO": 1, "SICUREZZA": 3}, fixed={4: 40}, sector_money=1000)
    result = check(make_plan, rows, params)
    summary = pool_summary(result.table, params)
    got = {r["pool"]: r for r in summary.to_dict("records")}
    assert list(got) == [FIXED_POOL, GENERAL_POOL, "TERRITORIO", "SICUREZZA"]
    assert {k: got[FIXED_POOL][k] for k in ("weight", "exact", "n_objectives", "amount_written")} == {
        "weight": None, "exact": 40, "n_objectives": 1, "amount_written": D(40)}
    gen = got[GENERAL_POOL]
    assert (gen["exact"], gen["n_objectives"], gen["points_written"], gen["points_rule"]) == (100, 2, 80, 40)
    assert (gen["amount_written"], gen["amount_from_written"], gen["amount_recomputed"]) == (
        D("100.00"), D("100.00"), D("100.00"))
    assert (got["TERRITORIO"]["weight"], got["TERRITORIO"]["exact"], got["TERRITORIO"]["n_objectives"]) == (1, 250, 0)
    assert got["TERRITORIO"]["amount_from_written"] == 0
    sic = got["SICUREZZA"]
    assert (sic["weight"], sic["exact"], sic["points_written"], sic["amount_written"]) == (3, 750, 20, D("750.00"))
    assert (sic["amount_from_written"], sic["amount_recomputed"]) == (D("750.00"), D("750.00"))


def test_the_rounding_residual_of_a_pool_is_its_money_minus_the_recomputed_amounts(make_plan):
    # 100 € over three equal objectives: 33,33 € each, 0,01 € left; the sector's 10 € split whole
    rows = [row(1, "GENERALE"), row(2, "GENERALE"), row(3, "GENERALE"), row(4)]
    params = fund(general=100, sectors={"TERRITORIO": 1}, sector_money=10)
    summary = pool_summary(check(make_plan, rows, params).table, params)
    got = {r["pool"]: (r["exact"], r["amount_recomputed"], r["residual"]) for r in summary.to_dict("records")}
    assert got == {FIXED_POOL: (0, 0, D("0.00")), GENERAL_POOL: (100, D("99.99"), D("0.01")),
                   "TERRITORIO": (10, D("10.00"), D("0.00"))}
    # weights that cannot split the sector fund give the sector no money, and so no residual
    params = fund(general=100, sectors={"TERRITORIO": 0}, sector_money=10)
    summary = pool_summary(check(make_plan, rows, params, "pesi.xlsx").table, params)
    assert summary.set_index("pool").loc["TERRITORIO", ["exact", "residual"]].tolist() == [None, None]


def test_before_the_fund_is_known_the_general_pool_still_has_its_money(make_plan):
    # a draft: the general pool is set, the fund attributed not yet (the workbook shows =FondoGenerali)
    rows = [row(1, "GENERALE"), row(2)]
    plan = check(make_plan, rows, fund(general=100, sectors={"TERRITORIO": 1}, sector_money=10)).plan
    plan.params.fund_assigned = None
    summary = pool_summary(compute(plan.objectives, plan.params), plan.params).set_index("pool")
    assert summary.loc[GENERAL_POOL, "exact"] == 100
    assert summary.loc["TERRITORIO", ["exact", "amount_recomputed", "residual"]].tolist() == [None, 0, None]


def test_the_order_of_the_rows_changes_no_result(make_plan):
    rows = [row(1, "GENERALE", total=20), row(2, "GENERALE", category="strategico", n_dip=4),
            row(3, n_dip="tutto il personale", coeff="3"), row(4, n_dip=10)]
    result = check(make_plan, rows, fund(general=1000, sectors={"TERRITORIO": 1}, sector_money=500))
    plan = result.plan
    backwards = compute(plan.objectives.iloc[::-1], plan.params)
    columns = ["peso_rule", "coeff_rule", "coeff_extension", "total_rule", "pool", "amount_from_written",
               "amount_recomputed"]
    for column in columns:
        assert by_n(result, column) == dict(zip(backwards["n"], backwards[column])), column
