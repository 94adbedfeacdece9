"""What the year end needs from a plan: each objective's amount, soglia, pool and areas, and
the plan's areas (from the card headers, the rule of progress/areas.py).

An employee's area is written by the office; it is matched to a plan area by the same words
rule as the card headers (case, accents, articles, the word "area" ignored; a short name
matches the one area whose words contain all of its words: "Polizia Locale" -> "Corpo polizia
locale").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiari_xl.model.params import PlanParams
from chiari_xl.progress import areas as areas_rule
from chiari_xl.progress.areas import Area
from chiari_xl.progress.indicators import plan_indicators
from chiari_xl.reading.plan import Plan
from chiari_xl.text import clean

_IGNORED = frozenset({"area", "aree", "settore", "ufficio", "servizio"})


@dataclass(frozen=True)
class ObjectiveInfo:
    n: int
    title: str
    amount: Decimal | None      # allocated (importo stanziato, as published)
    pool: str | None            # the fund pool it is paid from
    sector: str | None          # its sector (or the general pool)
    n_dip: Decimal | None
    all_staff: bool
    soglia: Decimal | None      # minimum achievement %, from its card
    areas: tuple[str, ...]      # keys of the plan areas it belongs to


class PlanView:
    def __init__(self, plan: Plan):
        pi = plan_indicators(plan)
        self.plan = plan
        self.params: PlanParams = plan.params
        self.table = pi.table
        self.areas: dict[str, Area] = pi.area_map.areas
        soglie = {}
        for ind in pi.indicators:
            soglie.setdefault(ind.n, ind.soglia)
        self.objectives: dict[int, ObjectiveInfo] = {}
        for n, row in sorted(pi.objectives.items()):
            self.objectives[n] = ObjectiveInfo(
                n=n, title=clean(row["obiettivo"]), amount=row["amount"], pool=row["pool"],
                sector=plan.params.sector_for(row["tipologia"] or "") or row["pool"],
                n_dip=row["n_dip"], all_staff=bool(row.get("all_staff")), soglia=soglie.get(n),
                areas=tuple(pi.area_map.of.get(n, ())))

    @property
    def year(self) -> int | None:
        return self.params.year

    def resolve_area(self, text) -> str | None:
        """The key of the plan area `text` names, or None."""
        return resolve_area(text, self.areas)

    def area_name(self, key: str | None) -> str:
        return self.areas[key].name if key in self.areas else ""

    def area_sector(self, key: str | None) -> str:
        return (self.areas[key].sector or "") if key in self.areas else ""


def resolve_area(text, areas: dict[str, Area]) -> str | None:
    """The plan area an employee's area text names (progress/areas.py's rule, the generic words
    "area", "settore", "ufficio"... ignored), or None."""
    return areas_rule.resolve_area(areas, text, ignore=_IGNORED) if clean(text) else None
