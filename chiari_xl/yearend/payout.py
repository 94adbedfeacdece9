"""The year-end payout, computed (no I/O): each objective's amount due reaches its people.

Per objective: allocated = the amount in the plan; due = Rule 5 on its achievement
(progress/payout.amount_due: the plan's payout rule and soglia); paid = Σ of what its people
receive (split.py, group_split.py; events.py for the objective paid by attendance); savings =
allocated − paid. So, exactly to the cent: Σ shares of each objective = its paid, and
Σ paid + Σ savings = Σ allocated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chiari_xl import findings as F
from chiari_xl.model.money import total
from chiari_xl.progress.payout import amount_due
from chiari_xl.yearend import checks
from chiari_xl.yearend.events import EventLedger, pay_events
from chiari_xl.yearend.plan_view import PlanView
from chiari_xl.yearend.split import Unit, outside_groups, split_objective
from chiari_xl.yearend.staff import Employee, StaffData

ZERO = Decimal("0.00")
ORDINARY, GROUPS, EVENTS = "ordinario", "per gruppi di aree", "a presenze agli eventi"
FROM_STAFF, FROM_HISTORY = "file del personale", "storico mensile"


@dataclass
class ObjectivePay:
    n: int
    title: str
    sector: str
    rule: str
    allocated: Decimal
    soglia: Decimal | None
    achievement: Fraction | None
    source: str
    due: Decimal
    paid: Decimal
    participants: int      # people with a share (of the events: with a paid attendance)

    @property
    def savings(self) -> Decimal:
        return self.allocated - self.paid


@dataclass
class Payout:
    view: PlanView
    staff: StaffData
    objectives: list[ObjectivePay]
    units: list[Unit]
    ledger: EventLedger | None
    shares: dict[str, dict[int, Decimal]]     # matricola -> objective -> amount
    findings: list[F.Finding] = field(default_factory=list)

    def total_of(self, matricola: str) -> Decimal:
        return total(self.shares.get(matricola, {}).values())

    def sector_of(self, e: Employee) -> str:
        return self.view.area_sector(e.area_key)

    @property
    def totals(self) -> dict[str, Decimal | None]:
        return {"fund": self.view.params.fund_total,
                "allocated": total(o.allocated for o in self.objectives),
                "due": total(o.due for o in self.objectives),
                "paid": total(o.paid for o in self.objectives),
                "savings": total(o.savings for o in self.objectives)}


def compute_payout(view: PlanView, staff: StaffData, achievements: dict[int, tuple[Fraction, str]],
                   findings: list[F.Finding]) -> Payout:
    """achievements: objective n -> (achievement %, where it came from), for the objectives that have one."""
    params = view.params
    found = list(findings)
    units: list[Unit] = []
    ledger = None
    outside = []
    objectives = []
    shares: dict[str, dict[int, Decimal]] = {}
    for n, obj in view.objectives.items():
        allocated = obj.amount if obj.amount is not None else ZERO
        ach, source = achievements.get(n, (None, ""))
        due = amount_due(allocated, ach, obj.soglia, params.payout) if ach is not None else ZERO
        if n == params.event_objective:
            ledger = pay_events(staff.events, due, params)
            per_person = ledger.per_person()
            for m, amount in per_person.items():
                shares.setdefault(m, {})[n] = amount
            objectives.append(ObjectivePay(n, obj.title, obj.sector or "", EVENTS, allocated, obj.soglia, ach,
                                           source, due, ledger.paid, len(per_person)))
            continue
        people = [(e, e.participation[n]) for e in staff.employees if n in e.participation]
        groups = [g for g in params.group_splits if g.objective == n]
        mine = split_objective(n, due, people, params.split_rule, groups, view.areas)
        outside += [(n, e) for e in outside_groups(people, groups, view.areas)]
        units += mine
        for u in mine:
            for s in u.shares:
                shares.setdefault(s.matricola, {})[n] = shares.get(s.matricola, {}).get(n, ZERO) + s.amount
        paid = total(u.paid for u in mine)
        objectives.append(ObjectivePay(n, obj.title, obj.sector or "", GROUPS if groups else ORDINARY, allocated,
                                       obj.soglia, ach, source, due, paid, sum(len(u.shares) for u in mine)))
    found += checks.payout_findings(units, ledger, outside, view, staff.by_matricola())
    return Payout(view, staff, objectives, units, ledger, shares, found)
