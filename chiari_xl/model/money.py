"""Money, in one place: exact arithmetic, the rounding rules, and euros as Italian text.

Amounts are `Decimal` euros; shares of a pool are `fractions.Fraction` until the one final
rounding, so no binary float ever decides a cent. Floats appear only as the cached values a
spreadsheet shows (`to_float`), never in a computation.

Rounding rules:
- half-up to the cent (`round_cents`, `cents_half_up`): the municipality's rule for every amount;
- largest remainder (model/allocation.py) builds on `cents_half_up` for the pool total.

Euro text (`euro`, `euro4`) is formatted with babel's Italian (CLDR) rules: "4.137,93 €". A large
plan formats tens of thousands of amounts, mostly the same few hundred values, so each distinct
value is formatted once (lru_cache).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from math import floor

from babel.numbers import format_decimal

LOCALE = "it_IT"
CENT = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
HALF = Fraction(1, 2)
ZERO = Decimal(0)


def cents_half_up(x: Fraction) -> int:
    """Whole cents of an exact euro amount, half a cent away from zero."""
    return floor(x * 100 + HALF) if x >= 0 else -floor(-x * 100 + HALF)


def to_euro(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def round_cents(value: Decimal | Fraction | int) -> Decimal:
    """Half-up to the cent: the rounding the municipality uses for every amount."""
    if isinstance(value, Fraction):
        return to_euro(cents_half_up(value))
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value: Fraction | Decimal | int, places: int | None = None) -> Decimal:
    """An exact amount as a Decimal: exact for Decimals and ints, to 28 significant digits for a
    Fraction (far below a cent); quantized half-up to `places` decimals when given."""
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        d = Decimal(value)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return d


def to_float(value) -> float:
    """What a spreadsheet cell caches for a number (Fractions via their exact ratio)."""
    if isinstance(value, Fraction):
        return value.numerator / value.denominator
    return float(value)


def total(values) -> Decimal:
    """Sum of the amounts present (None is skipped), as a Decimal."""
    return sum((v for v in values if v is not None), ZERO)


@lru_cache(maxsize=65536)
def _euro_text(value: Decimal, pattern: str) -> str:
    return f"{format_decimal(value, format=pattern, locale=LOCALE)} €"


def euro(value: Decimal | Fraction | int | None) -> str:
    """Italian euro text rounded half-up to the cent: 4.137,93 € ("" for None)."""
    if value is None:
        return ""
    return _euro_text(round_cents(value), "#,##0.00")


def euro4(value: Decimal | Fraction | None) -> str:
    """Italian euro text to the fourth decimal when a fraction of a cent matters (rounding
    residuals): 0,0034 €; whole cents still print with two decimals (18.202,39 €)."""
    if value is None:
        return ""
    return _euro_text(as_decimal(value, 4), "#,##0.00##")
