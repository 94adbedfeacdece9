"""Cached values for formulas: what Excel would show before it recalculates."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def flt(value) -> float:
    if isinstance(value, Fraction):
        return value.numerator / value.denominator
    return float(value)


def blank_or(value):
    """The cached value of a formula cell: '' where the formula gives an empty string."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, Fraction, int, float)):
        return flt(value)
    return value


def records(df) -> list[dict]:
    """The rows of an object DataFrame as dicts of the stored objects (None stays None).

    Same values as df.iterrows()/to_dict("records") for our object frames, at a fraction of
    the cost (no Series per row, no per-value boxing): it mattered at 10,000 objectives.
    """
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]
