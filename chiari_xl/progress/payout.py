"""Achievement, state and payout per objective (Rule 5), exact.

Per indicator, each reporting area's completion (progress/completion.py); an indicator reported
by several areas counts with the LOWEST completion reported (prudent: pay only what every
responsible area confirms) and the disagreement is a finding. An indicator nobody reported
counts 0. Only the areas that report an indicator in the plan in force count for it.

Achievement % = Σ peso% × completion (exact Fraction); the state is progress/status.py
(Da compilare / Sopra soglia / Sotto soglia). An objective some of whose reporting areas have
not returned their sheet for the month is *provisional* (its missing areas are listed).

Amount: the objective's amount as published in the plan in force. Due, by the plan's payout rule:
  proportional     amount × achievement / 100 when the soglia is met, else 0;
  all-or-nothing   amount when the soglia is met, else 0;
rounded half-up to the cent (Decimal). Savings (economie) = amount − due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.money import round_cents
from chiari_xl.model.params import Payout
from chiari_xl.progress.completion import completion, has_progress
from chiari_xl.progress.indicators import PlanIndicators
from chiari_xl.progress.status import Status, status

D0 = Decimal(0)


@dataclass
class IndicatorState:
    n: int
    k: int
    reporters: tuple[str, ...] = ()
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
    status: Status
    due: Decimal
    savings: Decimal
    indicators: list[IndicatorState]
    reporters: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # reporting areas without a sheet this month

    @property
    def reached(self) -> bool:
        return self.status == Status.REACHED

    @property
    def provisional(self) -> bool:
        return bool(self.missing)


def amount_due(amount: Decimal | None, achievement: Fraction, soglia: Decimal | None, payout: str) -> Decimal:
    if amount is None or soglia is None or achievement < Fraction(soglia):
        return D0
    if payout == Payout.ALL_OR_NOTHING:
        return round_cents(amount)
    return round_cents(Fraction(amount) * achievement / 100)  # the exact value, rounded once


def evaluate(pi: PlanIndicators, current: dict[str, dict], payout: str | None = None,
             returned: set[str] | None = None) -> list[ObjectiveResult]:
    """current: area key -> {(n, k): values} (history.as_of); returned: the areas whose sheet for
    the month was accepted (None: do not judge completeness)."""
    payout = payout or pi.plan.params.payout
    states = {(i.n, i.k): IndicatorState(i.n, i.k, i.reporters) for i in pi.indicators}
    targets = {(i.n, i.k): i.target for i in pi.indicators}
    for area, values in current.items():
        for (n, k), v in values.items():
            st = states.get((n, k))
            if st is None or area not in st.reporters or not has_progress(v):
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
        filled = any(states[(i.n, i.k)].reports for i in inds)
        amount = row["amount"]
        due = amount_due(amount, ach, soglia, payout)
        reporters = pi.reporters_of(n)
        out.append(ObjectiveResult(
            n=n, obiettivo=inds[0].obiettivo, group=pi.plan.params.sector_for(row["tipologia"] or "") or "",
            amount=amount, amount_recomputed=row.get("amount_recomputed"), soglia=soglia, achievement=ach,
            status=status(filled, ach, soglia), due=due, savings=(amount or D0) - due,
            indicators=[states[(i.n, i.k)] for i in inds], reporters=reporters,
            missing=[a for a in reporters if returned is not None and a not in returned]))
    return out
