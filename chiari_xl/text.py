"""Text helpers: matching labels people type (case, accents, stray spaces, punctuation), and
numbers written as Italian text (1,5 · 37,5 · 0,50). Money has its own home: model/money.py."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def norm(value) -> str:
    """'  COEFF. Multiplic.\\nDIP. ' -> 'coeff multiplic dip'; 'Strategicità' -> 'strategicita'."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def squash(value) -> str:
    """Letters and digits only: for comparing two spellings of the same label."""
    return norm(value).replace(" ", "")


def clean(value) -> str:
    """Cell text as shown, with runs of white space (line breaks included) folded to one space."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def num(value: Decimal | int | float | None) -> str:
    """Italian text for a coefficient or a count: 1,5 · 37,5 · 10."""
    if value is None:
        return ""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    d = d.normalize()
    if d == d.to_integral():
        d = d.quantize(Decimal(1))
    return _format(d, "#,##0.###")


def coeff(value) -> str:
    """A headcount coefficient as the regulation prints it: 0,50 · 1,00 · 2,50."""
    if value is None:
        return ""
    return _format(Decimal(str(value)), "#,##0.00")


@lru_cache(maxsize=16384)
def _format(value: Decimal, pattern: str) -> str:
    return format_decimal(value, format=pattern, locale="it_IT")


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def join_and(items) -> str:
    """['3', '7', '21'] -> '3, 7 e 21'."""
    items = [str(i) for i in items]
    return " e ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


# Italian articles, prepositions and conjunctions, and the words every phase and indicator uses
STOPWORDS = frozenset(
    "il lo la i gli le un una uno di del dello della dei degli delle dell a al allo alla ai agli alle all da dal "
    "dallo dalla dai dagli dalle dall in nel nello nella nei negli nelle nell con su sul sulla sui per tra fra e "
    "ed o od che come non entro fase fasi anno".split())


def content_words(text) -> set[str]:
    """The words that carry meaning, accents and case folded: for comparing two wordings of one thing."""
    return {w for w in norm(text).split() if len(w) >= 3 and not w.isdigit() and w not in STOPWORDS}
