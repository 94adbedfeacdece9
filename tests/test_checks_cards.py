"""Card (Schede) checks on small plans: one mistake per plan."""

from __future__ import annotations

from decimal import Decimal

from scenarios import plan, row

from chiari_xl.api import check_plan

D = Decimal


def findings_of(make_plan, name, mutate):
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan(name, rows, cards, params), write=False)
    return result, [(f.code, f.objective, f.sheet, f.cell) for f in result.findings if f.severity != "info"]


def card_rows(cards, n):
    return [c for c in cards if c["n"] == n]


# the Schede sheet has its header on row 3: the first card row is 4, two indicators per card
def card_row(n_index, indicator=0):
    return 4 + 2 * n_index + indicator


ORDER = [1, 2, 3, 6, 7, 14, 19, 24]


def test_base_cards_agree_with_table(make_plan):
    result, flat = findings_of(make_plan, "schede_coerenti.xlsx", None)
    assert [f for f in flat if f[2] == "Schede" or f[0].startswith("scheda")] == []


def test_indicator_weights_not_100(make_plan):
    def mutate(rows, cards, params):
        card_rows(cards, 14)[1]["peso_pct"] = D(30)  # 60 + 30
    _, flat = findings_of(make_plan, "indicatori_non_100.xlsx", mutate)
    assert ("indicatori-non-100", 14, "Schede", f"H{card_row(ORDER.index(14))}") in flat


def test_soglia_out_of_range(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 19):
            c["soglia_pct"] = D(120)
    _, flat = findings_of(make_plan, "soglia_non_valida.xlsx", mutate)
    assert ("soglia-non-valida", 19, "Schede", f"I{card_row(ORDER.index(19))}") in flat


def test_card_missing_and_card_without_objective(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 7):
            c["n"] = 70
    result, flat = findings_of(make_plan, "scheda_mancante.xlsx", mutate)
    assert ("scheda-mancante", 7, "Obiettivi", "A10") in flat
    assert ("scheda-senza-obiettivo", 70, "Schede", f"A{card_row(ORDER.index(7))}") in flat


def test_card_without_number_is_matched_by_title(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 14):
            c["n"] = None
    _, flat = findings_of(make_plan, "scheda_senza_numero.xlsx", mutate)
    assert ("scheda-senza-numero", 14, "Schede", f"A{card_row(ORDER.index(14))}") in flat
    assert not any(f[0] == "scheda-mancante" for f in flat)


def test_card_in_another_sector_with_euro_effect(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 7):
            c["intestazione"] = "SETTORE TERRITORIO / AREA MANUTENZIONE"
    result, flat = findings_of(make_plan, "scheda_settore_diverso.xlsx", mutate)
    assert ("scheda-settore-diverso", 7, "Schede", f"B{card_row(ORDER.index(7))}") in flat
    f = next(f for f in result.findings if f.code == "scheda-settore-diverso")
    territorio = D("41223.09") * 13 / 77
    moved = (territorio * 5 / (20 + 5)).quantize(D("0.01"))
    assert f.euro_effect == moved - row(result.plan.objectives.to_dict("records"), 7)["amount"]


def test_card_staff_differs_from_headcount(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 24):
            c["personale"] = "n.6 agenti del Comando"  # table: 8
    result, flat = findings_of(make_plan, "scheda_personale_diverso.xlsx", mutate)
    assert ("scheda-personale-diverso", 24, "Schede", f"J{card_row(ORDER.index(24))}") in flat
    assert result.counts["error"] == 0


def test_card_dates_differ(make_plan):
    def mutate(rows, cards, params):
        for c in card_rows(cards, 6):
            c["tempi"] = "2025-2027"  # table: 2025
    _, flat = findings_of(make_plan, "scheda_tempi_diversi.xlsx", mutate)
    assert ("scheda-tempi-diversi", 6, "Schede", f"D{card_row(ORDER.index(6))}") in flat


def test_card_dates_same_span_written_differently_are_fine(make_plan):
    def mutate(rows, cards, params):
        row(rows, 6)["tempi"] = "2025-2026"
        for c in card_rows(cards, 6):
            c["tempi"] = "biennio 2025 - 2026"
    _, flat = findings_of(make_plan, "scheda_tempi_uguali.xlsx", mutate)
    assert not any(f[0] == "scheda-tempi-diversi" for f in flat)


def test_plan_without_cards_says_so(make_plan):
    rows, _cards, params = plan()
    result = check_plan(make_plan("senza_schede.xlsx", rows, None, params), write=False)
    assert any(f.code == "schede-assenti" and f.severity == "info" for f in result.findings)
