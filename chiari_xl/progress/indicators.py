"""The indicators of a plan as the progress sheets use them, and the completion rule.

An indicator is identified by (objective number, position in its card, from 1): stable for
as long as the plan does not change (the plan's sha256 is signed into every sheet).
Cards are given their objective by model/cards.py, the same rule as the card checks.

Completion of one indicator (a fraction, capped at 1) — the same rule in Python and in the
workbook formulas:
  1. "% completamento" when filled (0-100);
  2. else "quantità raggiunta" / numeric target, when both are there and the target is > 0;
  3. else the state: "Completato" = 1, anything else = 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.model.cards import assign_cards
from chiari_xl.model.frames import records
from chiari_xl.model.rules import compute
from chiari_xl.reading.plan import Plan
from chiari_xl.text import clean
from chiari_xl.progress.areas import AreaMap, build_area_map

STATES = ("Non avviato", "In corso", "Completato")
DONE = "Completato"
_FIRST_NUMBER = re.compile(r"(?<![\d,])(\d+(?:,\d+)?)")


@dataclass(frozen=True)
class Indicator:
    n: int
    k: int
    obiettivo: str
    indicatore: str
    quantita: str
    target: Decimal | None
    peso: Decimal | None
    soglia: Decimal | None

    @property
    def ident(self) -> str:
        return f"{self.n}.{self.k}"


def numeric_target(text) -> Decimal | None:
    """First number of the target as written ("almeno n.10" -> 10); None if none or 0."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        value = to_decimal(text)
        return value if value and value > 0 else None
    m = _FIRST_NUMBER.search(clean(text))
    if not m:
        return None
    try:
        value = to_decimal(m.group(1))
    except NotANumber:
        return None
    return value if value and value > 0 else None


def completion(stato, quantita, percentuale, target) -> Fraction:
    """Rule above, exact (Fraction), in [0, 1]."""
    if percentuale is not None:
        value = Fraction(Decimal(percentuale)) / 100
    elif quantita is not None and target:
        value = Fraction(Decimal(quantita)) / Fraction(Decimal(target))
    else:
        value = Fraction(1 if stato == DONE else 0)
    return max(Fraction(0), min(Fraction(1), value))


@dataclass
class PlanIndicators:
    plan: Plan
    table: object  # pipeline.compute(...) DataFrame
    indicators: list[Indicator]
    area_map: AreaMap
    objectives: dict[int, dict]  # n -> row of the computed table

    def of_objective(self, n: int) -> list[Indicator]:
        return [i for i in self.indicators if i.n == n]

    def of_area(self, key: str) -> list[Indicator]:
        wanted = set(self.area_map.objectives_of(key))
        return [i for i in self.indicators if i.n in wanted]


def plan_indicators(plan: Plan) -> PlanIndicators:
    table = compute(plan.objectives, plan.params)
    objectives = {int(r["n"]): r for r in records(table) if r["n"] is not None}
    rows = records(plan.cards) if plan.cards is not None else []
    by_n: dict[int, list] = {}
    headers: dict[int, str] = {}
    titles = {n: r["obiettivo"] for n, r in objectives.items()}
    for card in assign_cards(rows, titles):
        if card.objective not in objectives or card.objective in by_n:
            continue
        by_n[card.objective] = card.rows
        headers[card.objective] = clean(card.first["intestazione"])
    indicators = []
    for n in sorted(by_n):
        obj = objectives[n]
        for k, row in enumerate(by_n[n], start=1):
            indicators.append(Indicator(
                n=n, k=k, obiettivo=clean(obj["obiettivo"]) or clean(row["titolo"]),
                indicatore=clean(row["indicatore"]), quantita=clean(row["quantita"]),
                target=numeric_target(row["quantita"]), peso=row["peso_pct"], soglia=row["soglia_pct"]))
    pools = {n: r["pool"] for n, r in objectives.items()}
    # sectors come from the table's tipologia (the Giunta's fixed amounts are still an objective of a sector)
    sectors = {n: plan.params.sector_for(r["tipologia"] or "") for n, r in objectives.items()}
    area_map = build_area_map(headers, {n: sectors.get(n) or pools.get(n) for n in headers}, plan.params)
    return PlanIndicators(plan=plan, table=table, indicators=indicators, area_map=area_map,
                          objectives=objectives)
