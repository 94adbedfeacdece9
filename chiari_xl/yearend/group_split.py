"""Card-4-like splits: an objective's amount shared by area groups before its people.

The groups are data (Parametri, table «Obiettivo n. (riparto per gruppi) / Gruppo / Quota /
Aree»): card 4 of the 2025 plan gives 2/3 to Area Polizia Locale and 1/3 to the staff of the
other areas. Each group receives amount × quota / Σ quotas of the objective, to the cent by
largest remainder (so the groups add up exactly to the amount); inside a group the ordinary
rule applies (split.py). A person belongs to the first group that names their area; a group
whose «Aree» is blank or says «altre aree» takes the participants no other group names.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.allocation import allocate
from chiari_xl.model.params import GroupShare, Rounding
from chiari_xl.progress.areas import Area
from chiari_xl.text import norm
from chiari_xl.yearend.plan_view import resolve_area

_REST = ("altre aree", "altre", "tutte le altre aree", "resto", "*", "")


def is_rest(group: GroupShare) -> bool:
    return norm(group.areas) in _REST or group.areas.strip() == "*"


def named_areas(group: GroupShare, areas: dict[str, Area]) -> tuple[list[str], list[str]]:
    """(plan area keys the group names, names that match no plan area)."""
    keys, unknown = [], []
    if is_rest(group):
        return keys, unknown
    for part in group.areas.replace(",", ";").split(";"):
        if not part.strip():
            continue
        key = resolve_area(part, areas)
        (keys if key else unknown).append(key or part.strip())
    return keys, unknown


def group_index(area_key: str | None, groups: list[GroupShare], areas: dict[str, Area]) -> int | None:
    """Which group a person of `area_key` belongs to (index in `groups`), or None."""
    for i, g in enumerate(groups):
        if not is_rest(g) and area_key in named_areas(g, areas)[0]:
            return i
    return next((i for i, g in enumerate(groups) if is_rest(g)), None)


def group_amounts(amount: Decimal, groups: list[GroupShare]) -> list[Decimal]:
    """Each group's part of `amount`, largest remainder: they add up to `amount` exactly."""
    if not groups:
        return []
    parts = allocate(Fraction(amount), [g.quota for g in groups], Rounding.LARGEST_REMAINDER)
    return [p if p is not None else Decimal("0.00") for p in parts]
