"""An objective's amount due among its people, exact to the cent.

Each participant weighs participation × part-time % / 100 (× evaluation score / 100 when the
plan's split rule says so; a participant without a score then counts 100). The amount is
split in proportion to the weights and rounded by largest remainder (model/allocation.py),
so the shares of an objective add up exactly to its amount due. An objective with an area-
group split (group_split.py) is first shared among its groups, then each group among its
people. A unit (an objective, or one group of it) with nobody to pay pays nothing: its money
goes to savings, and checks.py says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.allocation import allocate
from chiari_xl.model.params import GroupShare, Rounding, SplitRule
from chiari_xl.model.money import total
from chiari_xl.yearend.group_split import group_amounts, group_index
from chiari_xl.yearend.staff import Employee

HUNDRED = Decimal(100)


@dataclass
class Share:
    matricola: str
    n: int
    unit: str
    participation: Decimal
    weight: Decimal
    amount: Decimal


@dataclass
class Unit:
    """What is split among one set of people: a whole objective, or one group of it."""

    key: str
    n: int
    group: str            # "" for an ordinary objective
    areas: str            # the group's areas as written on Parametri
    quota: Fraction       # 1 for an ordinary objective
    amount: Decimal       # the money to split
    shares: list[Share] = field(default_factory=list)

    @property
    def paid(self) -> Decimal:
        return total(s.amount for s in self.shares)

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid


def unit_key(n: int, group: str = "") -> str:
    return f"Ob. {n} - {group}" if group else f"Ob. {n}"


def weight(emp: Employee, participation: Decimal, rule: SplitRule) -> Decimal:
    w = participation * emp.part_time / HUNDRED
    if rule == SplitRule.WITH_SCORE:
        w = w * (emp.score if emp.score is not None else HUNDRED) / HUNDRED
    return w


def _fill(unit: Unit, people: list[tuple[Employee, Decimal]], rule: SplitRule) -> Unit:
    weights = [weight(e, p, rule) for e, p in people]
    if not people or sum(weights) <= 0:
        return unit
    amounts = allocate(Fraction(unit.amount), weights, Rounding.LARGEST_REMAINDER)
    unit.shares = [Share(e.matricola, unit.n, unit.key, p, w, a)
                   for (e, p), w, a in zip(people, weights, amounts)]
    return unit


def split_objective(n: int, due: Decimal, people: list[tuple[Employee, Decimal]], rule: SplitRule,
                    groups: list[GroupShare], areas: dict) -> list[Unit]:
    """The units of objective n with their shares. `people`: (employee, participation > 0)."""
    if not groups:
        return [_fill(Unit(unit_key(n), n, "", "", Fraction(1), due), people, rule)]
    units = []
    members: dict[int, list] = {i: [] for i in range(len(groups))}
    for emp, part in people:
        i = group_index(emp.area_key, groups, areas)
        if i is not None:
            members[i].append((emp, part))
    for i, (g, amount) in enumerate(zip(groups, group_amounts(due, groups))):
        units.append(_fill(Unit(unit_key(n, g.group), n, g.group, g.areas, g.quota, amount), members[i], rule))
    return units


def outside_groups(people: list[tuple[Employee, Decimal]], groups: list[GroupShare], areas: dict) -> list[Employee]:
    """Participants no group takes (no catch-all group and an area no group names)."""
    return [e for e, _p in people if groups and group_index(e.area_key, groups, areas) is None]
