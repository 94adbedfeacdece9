"""The indicators of a plan as the progress sheets use them, and who reports each one.

An indicator is (objective number, position in its card from 1, text). Within one version of
the plan "n.k" names it; across versions the history follows it by objective and text
(progress/revisions.py), so a value stays with its indicator when the plan is revised.
Cards are given their objective by model/cards.py, the same rule as the card checks. The
completion rule itself is progress/completion.py.

Who reports an indicator each month (its *reporters*), the same rule for every objective:
1. the card's "Rilevato da" column, when the plan has it: "Ufficio" (the office's own monthly
   sheet), "tutte le aree" (every area of the objective) or area names;
2. otherwise an objective of the whole structure or shared by several sectors (GENERALE,
   INTERSETTORIALE) shared by more than one area is reported by the office's own sheet, so
   such an objective is never scored from whichever area happened to answer;
3. otherwise every area of the objective reports it (two areas of one sector sharing an
   objective both report; the lower completion counts, progress/payout.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from chiari_xl.model.cards import assign_cards
from chiari_xl.model.frames import records
from chiari_xl.model.rules import compute
from chiari_xl.model.sectors import is_general
from chiari_xl.progress.areas import Area, AreaMap, build_area_map
from chiari_xl.progress.names import Vocabulary, display_name
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.reading.plan import Plan
from chiari_xl.text import clean, norm

OFFICE_KEY = "ufficio"
OFFICE = Area(key=OFFICE_KEY, name="Ufficio (obiettivi condivisi)")
_FIRST_NUMBER = re.compile(r"(?<![\d,])(\d+(?:,\d+)?)")
_EVERY_AREA = re.compile(r"\b(tutte|ciascuna|ogni)\b")
_NAME_SPLIT = re.compile(r"\s*(?:[,;/+]|\be\b|\bed\b|\barea\b|\baree\b)\s*", re.IGNORECASE)


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
    reporters: tuple[str, ...] = ()

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


@dataclass
class PlanIndicators:
    plan: Plan
    table: object  # model.rules.compute(...) DataFrame
    indicators: list[Indicator]
    area_map: AreaMap
    objectives: dict[int, dict]  # n -> row of the computed table
    areas: dict[str, Area] = field(default_factory=dict)  # who reports (areas, and the office if any)
    unresolved_reporters: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.plan.params.year

    def of_objective(self, n: int) -> list[Indicator]:
        return [i for i in self.indicators if i.n == n]

    def of_area(self, key: str) -> list[Indicator]:
        """The indicators `key` reports each month."""
        return [i for i in self.indicators if key in i.reporters]

    def reporters_of(self, n: int) -> list[str]:
        return sorted({a for i in self.of_objective(n) for a in i.reporters})

    def area_name(self, key: str | None) -> str:
        area = self.areas.get(key) or self.area_map.areas.get(key)
        return area.name if area else (key or "")


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
    pools = {n: r["pool"] for n, r in objectives.items()}
    # sectors come from the table's tipologia (the Giunta's fixed amounts are still an objective of a sector)
    sectors = {n: plan.params.sector_for(r["tipologia"] or "") for n, r in objectives.items()}
    vocab = Vocabulary.from_plan(plan)
    area_map = build_area_map(headers, {n: sectors.get(n) or pools.get(n) for n in headers}, plan.params,
                              lambda raw: display_name(raw, vocab))
    unresolved: list[str] = []
    indicators = []
    for n in sorted(by_n):
        obj = objectives[n]
        shared_by_office = is_general(obj["tipologia"]) and len(area_map.of.get(n, [])) > 1
        for k, row in enumerate(by_n[n], start=1):
            reporters = _reporters(row.get("rilevato_da"), area_map.of.get(n, []), area_map, shared_by_office,
                                   unresolved)
            indicators.append(Indicator(
                n=n, k=k, obiettivo=clean(obj["obiettivo"]) or clean(row["titolo"]),
                indicatore=clean(row["indicatore"]), quantita=clean(row["quantita"]),
                target=numeric_target(row["quantita"]), peso=row["peso_pct"], soglia=row["soglia_pct"],
                reporters=reporters))
    reporting = {a for i in indicators for a in i.reporters}
    areas = {k: a for k, a in area_map.areas.items() if k in reporting}
    if OFFICE_KEY in reporting:
        areas[OFFICE_KEY] = OFFICE
    return PlanIndicators(plan=plan, table=table, indicators=indicators, area_map=area_map,
                          objectives=objectives, areas=dict(sorted(areas.items())),
                          unresolved_reporters=unresolved)


def _reporters(text, owners: list[str], area_map: AreaMap, shared_by_office: bool,
               unresolved: list[str]) -> tuple[str, ...]:
    """Who reports one indicator (rules in the module docstring)."""
    said = clean(text)
    if said:
        t = norm(said)
        if t.startswith("ufficio"):
            return (OFFICE_KEY,)
        if _EVERY_AREA.search(t):
            return tuple(owners)
        keys = [area_map.resolve(part) for part in _NAME_SPLIT.split(said) if norm(part)]
        if keys and all(keys):
            return tuple(sorted(set(keys)))
        unresolved.append(said)  # said, but naming no area of the plan: the office reports it
        return (OFFICE_KEY,)
    if shared_by_office:
        return (OFFICE_KEY,)
    return tuple(owners)
