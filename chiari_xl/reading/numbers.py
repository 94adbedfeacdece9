"""Numbers as people type them in an Italian workbook: 4.137,93 · 1,5 · '15,00 €' · 40%.

Italian parsing is babel's (CLDR rules for grouping and decimal signs) rather than
hand-written regexes; plain dot-decimal text such as "1.5" (what a CSV export or an
English-locale Excel gives) is accepted as a fallback when babel says it is not Italian.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

LOCALE = "it_IT"
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_STRIP = str.maketrans("", "", "€%\u00a0\u202f ")


class NotANumber(ValueError):
    """The cell holds text that is not a number."""


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def to_decimal(value) -> Decimal | None:
    """A cell value as an exact Decimal; None for a blank cell; NotANumber otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber(str(value))
        # repr gives the shortest text that round-trips: 4137.93, not 4137.9300000000002
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise NotANumber(str(value))
    text = value.strip().translate(_STRIP)
    if text.startswith("'"):
        text = text[1:]
    if text == "":
        raise NotANumber(value)
    try:
        return parse_decimal(text, locale=LOCALE, strict=True)
    except NumberFormatError:
        if _PLAIN.match(text):
            return Decimal(text)
        raise NotANumber(value) from None
    except InvalidOperation:
        raise NotANumber(value) from None
