"""Objective cards (schede) against the summary table, and each card on its own.

A card is matched to its objective by number; a card without a number is matched by title.
Sector, title, dates and staff of the card are compared with the table; the indicator
weights of a card must add up to 100 and its soglia must be a percentage.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from decimal import Decimal

from chiari_xl import findings as F
from chiari_xl.reading.numbers import num
from chiari_xl.model.params import GENERAL_POOL, PlanParams
from chiari_xl.model.staff import parse_staff
from chiari_xl.text import norm
from chiari_xl.checks.context import Context

TITLE_MATCH = 0.6  # a blank-number card is taken for an objective from this title similarity
TITLE_SAME = 0.6  # below this the card's title is flagged as different
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def check(ctx: Context):
    cards = ctx.plan.cards
    if cards is None or cards.empty:
        return
    sheet = ctx.plan.cards_sheet
    groups = _group_cards(cards)
    table = {row["n"]: row for _, row in ctx.objectives() if row["n"] is not None}
    matched: dict[int, list] = {}
    for key, rows in groups.items():
        first = rows[0]
        n = first["n"]
        if n is None:
            best, score = best_title_match(first["titolo"], table, exclude=set(g for g in groups if g[0] != "?"))
            if best is not None and score >= TITLE_MATCH:
                yield F.make("scheda-senza-numero", objective=best, sheet=sheet, cell=first["cell_n"],
                             found=first["titolo"][:80], expected=best)
                matched[best] = rows
            else:
                yield F.make("numero-mancante", sheet=sheet, cell=first["cell_n"])
        elif n not in table:
            yield F.make("scheda-senza-obiettivo", objective=n, sheet=sheet, cell=first["cell_n"], found=n)
        else:
            matched[n] = rows
        yield from _card_itself(rows, n if n is not None else None, sheet)
    for n, row in table.items():
        if n not in matched:
            yield F.make("scheda-mancante", objective=n, sheet=ctx.sheet, cell=row["cell_n"])
            continue
        yield from _card_vs_table(ctx, matched[n], row, sheet)


def _group_cards(cards):
    """Card key -> its indicator rows, in order. Consecutive blank-number rows form one card."""
    groups: dict[tuple, list] = defaultdict(list)
    blank_id = 0
    prev_title = None
    for _, row in cards.iterrows():
        if row["n"] is None:
            if row["titolo"] != prev_title:
                blank_id += 1
            key = ("?", blank_id)
        else:
            key = (row["n"],)
        prev_title = row["titolo"]
        groups[key].append(row)
    return groups


def best_title_match(title, table, exclude):
    best, score = None, 0.0
    taken = {k[0] for k in exclude}
    for n, row in table.items():
        if n in taken:
            continue
        s = _similarity(title, row["obiettivo"])
        if s > score:
            best, score = n, s
    return best, score


def _similarity(a, b) -> float:
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio()


def _card_itself(rows, n, sheet):
    first = rows[0]
    weights = [r["peso_pct"] for r in rows]
    if all(w is not None for w in weights):
        total = sum(weights, Decimal(0))
        if total != 100:
            yield F.make("indicatori-non-100", objective=n, sheet=sheet, cell=first["cell_peso_pct"],
                         found=num(total), expected=100)
    else:
        for r in rows:
            if r["peso_pct"] is None:
                yield F.make("valore-mancante", objective=n, sheet=sheet, cell=r["cell_peso_pct"],
                             field="la percentuale dell'indicatore")
    soglie = {r["soglia_pct"] for r in rows if r["soglia_pct"] is not None}
    if not soglie:
        yield F.make("valore-mancante", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                     field="la soglia minima")
    elif len(soglie) > 1:
        yield F.make("soglia-diversa", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                     found=", ".join(num(s) for s in sorted(soglie)))
    for s in soglie:
        if not 0 <= s <= 100:
            yield F.make("soglia-non-valida", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                         found=f"{num(s)}%", expected="0-100%")


def card_pool(header: str, params: PlanParams) -> set[str]:
    """Pools a card header names: GENERAL_POOL, or the sectors it mentions ('SETTORE X ...')."""
    text = norm(header)
    if text.startswith("generale") or text.startswith("intersettoriale"):
        return {GENERAL_POOL}
    found = set()
    for name in params.sector_weights:
        token = norm(name).removeprefix("settore ").split(" ")[0]
        if token and re.search(rf"\bsettore\s+{re.escape(token)}\b", text):
            found.add(name)
    return found


def _card_vs_table(ctx: Context, rows, row, sheet):
    card = rows[0]
    n = row["n"]
    pools = card_pool(card["intestazione"], ctx.params)
    if pools and row["pool"] is not None and row["pool"] not in pools and row["pool"] in (
            GENERAL_POOL, *ctx.params.sector_weights):
        other = sorted(pools)[0]
        yield F.make("scheda-settore-diverso", objective=n, sheet=sheet, cell=card["cell_intestazione"],
                     found=card["intestazione"], expected=row["tipologia"],
                     euro_effect=ctx.effect_of_moving(row, other))
    if card["titolo"] and row["obiettivo"] and _similarity(card["titolo"], row["obiettivo"]) < TITLE_SAME:
        yield F.make("scheda-titolo-diverso", objective=n, sheet=sheet, cell=card["cell_titolo"],
                     found=card["titolo"], expected=row["obiettivo"])
    if _dates_differ(card["tempi"], row["tempi"]):
        yield F.make("scheda-tempi-diversi", objective=n, sheet=sheet, cell=card["cell_tempi"],
                     found=card["tempi"], expected=row["tempi"])
    n_dip = row["n_dip"]
    if card["personale"] and n_dip is not None and n_dip == n_dip.to_integral_value():
        count = parse_staff(card["personale"])
        if not count.agrees_with(int(n_dip)):
            effect = None
            if row["peso_rule"] is not None:
                coeff, _ = ctx.params.coefficient(count.nearest(int(n_dip)))
                effect = ctx.effect_of_total(row, row["peso_rule"] * coeff) if coeff is not None else None
            yield F.make("scheda-personale-diverso", objective=n, sheet=sheet, cell=card["cell_personale"],
                         found=count.describe(), expected=num(n_dip), text=card["personale"], euro_effect=effect)


def _span(text: str):
    years = [int(y) for y in _YEAR.findall(text or "")]
    return (min(years), max(years)) if years else None


def _last_date(text: str):
    dates = [(int(y), int(m), int(d)) for d, m, y in _DATE.findall(text or "")]
    return max(dates) if dates else None


def _dates_differ(card: str, table: str) -> bool:
    a, b = _span(card), _span(table)
    if a and b and a != b:
        return True
    da, db = _last_date(card), _last_date(table)
    return bool(da and db and da != db)
