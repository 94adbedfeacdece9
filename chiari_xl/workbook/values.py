"""Cached values for formulas: what Excel would show before it recalculates."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from chiari_xl.model.money import to_float




def blank_or(value):
    """The cached value of a formula cell: '' where the formula gives an empty string."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, Fraction, int, float)):
        return to_float(value)
    return value


