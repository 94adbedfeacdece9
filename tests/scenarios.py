"""Small plans, one mistake each, built from a consistent base plan.

Amounts in the base are computed here with a few lines of independent Decimal arithmetic
(Rule 4: pool × points / Σ points, half-up to the cent), not with the library under test.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal

from conftest import obj, params_2025

D = Decimal


def rule4_amounts(rows: list[dict], params) -> None:
    """Fill `amount` of each row by Rule 4 from its written total (in place)."""
    fixed_total = sum(params.fixed.values(), D(0))
    sector_fund = params.fund_assigned - fixed_total - params.general_pool
    w_total = sum(params.sector_weights.values(), D(0))
    pools: dict[str, list[dict]] = {}
    for r in rows:
        if r["n"] in params.fixed:
            r["amount"] = params.fixed[r["n"]]
            continue
        t = r["tipologia"].upper()
        key = "GEN" if t.startswith(("GENERALE", "INTERSETTORIALE")) else t.removeprefix("SETTORE ").strip()
        pools.setdefault(key, []).append(r)
    for key, members in pools.items():
        money = params.general_pool if key == "GEN" else None
        points = sum((m["total_coeff"] for m in members if m["total_coeff"] is not None), D(0))
        for m in members:
            if m["total_coeff"] is None or points == 0:
                continue
            if money is not None:
                exact = money * m["total_coeff"] / points
            else:
                # keep it exact: (fund × w × t) / (W × Σt), one division at the end
                exact = (sector_fund * params.sector_weights[key] * m["total_coeff"]) / (w_total * points)
            m["amount"] = exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def base_rows() -> list[dict]:
    rows = [
        obj(1, "GENERALE", "miglioramento", 15, 20, 3, 60, personale="n.15 dipendenti"),
        obj(2, "INTERSETTORIALE", "mantenimento", 5, 10, 1.5, 15, personale="n.5 dipendenti"),
        obj(3, "INTERSETTORIALE", "strategico", 35, None, None, None, personale="dipendenti volontari"),
        obj(6, "SETTORE AMMINISTRATIVO-FINANZIARIO", "innovativo", 6, 25, 2, 50,
            personale="n.6 dipendenti area"),
        obj(7, "SETTORE AMMINISTRATIVO-FINANZIARIO", "mantenimento", 1, 10, 0.5, 5, personale="n.1 dipendente"),
        obj(14, "SETTORE SOCIALE-EDUCATIVO", "miglioramento", 4, 20, 1.5, 30, personale="n.4 dipendenti"),
        obj(19, "SETTORE TERRITORIO", "miglioramento", 3, 20, 1, 20, personale="n.3 dipendenti"),
        obj(24, "SETTORE SICUREZZA", "strategico", 8, 40, 2.5, 100, personale="n.8 agenti"),
    ]
    return rows


def card(n, intestazione, titolo, indicators=((100, "Azione unica"),), soglia=80, personale="",
         tempi="2025"):
    return [{"n": n, "intestazione": intestazione, "titolo": titolo, "tempi": tempi, "indicatore": name,
             "quantita": "n.1 azione", "attivita": "Attività", "peso_pct": D(w), "soglia_pct": D(soglia),
             "personale": personale} for w, name in indicators]


def base_cards(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        t = r["tipologia"]
        header = t if not t.startswith("SETTORE") else f"{t} – AREA PROVA"
        out += card(r["n"], header, r["obiettivo"], personale=r["personale"], tempi=r["tempi"],
                    indicators=((60, "Prima fase"), (40, "Seconda fase")))
    return out


def plan(mutate=None, amounts_from_written=True, params=None):
    """(rows, cards, params) of the base plan after `mutate(rows, cards, params)`."""
    params = params or params_2025()
    rows = base_rows()
    cards = base_cards(rows)
    if mutate:
        mutate(rows, cards, params)
    if amounts_from_written:
        rule4_amounts(rows, params)
    return rows, cards, params


def row(rows, n) -> dict:
    return next(r for r in rows if r["n"] == n)


def clone(rows):
    return copy.deepcopy(rows)
