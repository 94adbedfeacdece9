"""Splitting a pool of euros among objectives in proportion to their points, to the cent.

Exact rational arithmetic (fractions.Fraction) up to the final rounding, so that no
binary-float error can move a cent. Two rounding rules:
- half-up: every amount rounded to the cent, half a cent up (the municipality's rule);
  the rounded amounts may not add up to the pool exactly (a rounding residual).
- largest-remainder: amounts cut to the cent, then the cents still missing to reach the
  pool (itself rounded half-up) go one each to the largest cut-off remainders, ties to the
  earlier row; the amounts add up to the pool exactly. Each exact share is first rounded
  to 6 decimals (as the workbook's formulas do, so that spreadsheet and Python agree on
  floors and ties; a millionth of a euro is far below the cent being decided).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

from chiari_xl.model.money import HALF, cents_half_up, to_euro
from chiari_xl.model.params import Rounding


def allocate(pool: Fraction, points: list[Decimal | None], rounding: Rounding = Rounding.HALF_UP) -> list[Decimal | None]:
    """Amount of each item; None where its points are None (not part of the split)."""
    present = [Fraction(p) for p in points if p is not None]
    total = sum(present, Fraction(0))
    if total <= 0:  # nothing to split in proportion to (a spreadsheet would divide by zero)
        return [None for _ in points]
    exact = [None if p is None else pool * Fraction(p) / total for p in points]
    if rounding == Rounding.HALF_UP:
        return [None if x is None else to_euro(cents_half_up(x)) for x in exact]
    if rounding != Rounding.LARGEST_REMAINDER:
        raise ValueError(f"unknown rounding rule {rounding!r}")
    floors, rests = lr_parts(exact)
    missing = cents_half_up(pool) - sum(f for f in floors if f is not None)
    order = sorted((i for i, x in enumerate(exact) if x is not None), key=lambda i: (-rests[i], i))
    for i in order[:max(missing, 0)]:
        floors[i] += 1
    return [None if f is None else to_euro(f) for f in floors]


def lr_parts(exact: list[Fraction | None]) -> tuple[list[int | None], list[Fraction | None]]:
    """Largest remainder: (cents cut off, remainder in cents) of each exact share, after the
    share is rounded half-up to 6 decimals."""
    floors, rests = [], []
    for x in exact:
        if x is None:
            floors.append(None)
            rests.append(None)
            continue
        q = Fraction(floor(x * 10**6 + HALF), 10**6)
        f = floor(q * 100)
        floors.append(f)
        rests.append(q * 100 - f)
    return floors, rests


def amount_if(pool: Fraction, total_points: Fraction, old: Decimal | None, new: Decimal) -> Decimal | None:
    """Half-up amount of one item if its points changed from `old` to `new`, the others unchanged;
    None when the pool would have no points left to split in proportion to (as `allocate`).

    Used for the euro effect of a single correction: O(1) instead of re-splitting the pool.
    """
    denom = total_points - Fraction(old or 0) + Fraction(new)
    if denom <= 0:
        return None
    return to_euro(cents_half_up(pool * Fraction(new) / denom))
