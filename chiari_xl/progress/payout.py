"""Achievement and payout per objective (Rule 5), exact.

Per indicator, each area's completion (indicators.completion); an indicator reported by
several areas counts with the LOWEST completion reported (prudent: pay only what every
responsible area confirms) and the disagreement is a finding. An indicator nobody reported
counts 0.

Achievement % = Σ peso% × completion (exact Fraction). Reached when achievement ≥ soglia.
Amount: the objective's amount as published in the plan. Due, by the plan's payout rule:
  proportional     amount × achievement / 100 when reached, else 0;
  all-or-nothing   amount when reached, else 0;
rounded half-up to the cent (Decimal). Savings (economie) = amount − due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.money import round_cents
from chiari_xl.model.params import Payout
from chiari_xl.progress.indicators import PlanIndicators, completion

D0 = Decimal(0)


@dataclass
class IndicatorState:
    n: int
    k: int
    reports: dict[str, Fraction] = field(default_factory=dict)  # area key -> completion
    values: dict[str, dict] = field(default_factory=dict)       # area key -> reported values

    @property
    def completion(self) -> Fraction:
        return min(self.reports.values()) if self.reports else Fraction(0)

    @property
    def disagreeing(self) -> bool:
        return len(set(self.reports.values())) > 1


@dataclass
class ObjectiveResult:
    n: int
    obiettivo: str
    group: str
    amount: Decimal | None
    amount_recomputed: Decimal | None
    soglia: Decimal | None
    achievement: Fraction
    reached: bool
    due: Decimal
    savings: Decimal
    indicators: list[IndicatorState]


def amount_due(amount: Decimal | None, achievement: Fraction, soglia: Decimal | None, payout: str) -> Decimal:
    if amount is None or soglia is None or achievement < Fraction(soglia):
        return D0
    if payout == Payout.ALL_OR_NOTHING:
        return round_cents(amount)
    exact = Fraction(amount) * achievement / 100
    # the exact value, rounded once: half-up to the cent
    return round_cents(exact)


def evaluate(pi: PlanIndicators, current: dict[str, dict], payout: str | None = None) -> list[ObjectiveResult]:
    """current: area key -> {(n, k): values} (history.as_of)."""
    payout = payout or pi.plan.params.payout
    states: dict[tuple[int, int], IndicatorState] = {
        (i.n, i.k): IndicatorState(i.n, i.k) for i in pi.indicators}
    targets = {(i.n, i.k): i.target for i in pi.indicators}
    for area, values in current.items():
        for (n, k), v in values.items():
            st = states.get((n, k))
            if st is None or area not in pi.area_map.of.get(n, []):
                continue
            st.reports[area] = completion(v.get("stato"), v.get("quantita"), v.get("percentuale"), targets[(n, k)])
            st.values[area] = v
    out = []
    for n, row in sorted(pi.objectives.items()):
        inds = pi.of_objective(n)
        if not inds:
            continue
        ach = sum((Fraction(i.peso or 0) * states[(i.n, i.k)].completion for i in inds), Fraction(0))
        soglia = inds[0].soglia
        amount = row["amount"]
        due = amount_due(amount, ach, soglia, payout)
        out.append(ObjectiveResult(
            n=n, obiettivo=inds[0].obiettivo, group=pi.plan.params.sector_for(row["tipologia"] or "") or "",
            amount=amount, amount_recomputed=row.get("amount_recomputed"), soglia=soglia, achievement=ach,
            reached=soglia is not None and ach >= Fraction(soglia), due=due,
            savings=(amount or D0) - due, indicators=[states[(i.n, i.k)] for i in inds]))
    return out
