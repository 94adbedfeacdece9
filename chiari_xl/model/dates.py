"""Dates, years and durations written in a card's Italian text, with what each one says.

"entro il 31/12/2025", "10/03/2023", "maggio 2023", "2025-2027", "dal 2025 al 2026",
"tra il 15/06/2024 ed il 31/12/2024", "Gennaio – dicembre 2025", "triennio", "biennale".

A date in a plan is not always a deadline: "D.L. 24/2/2023 n.13" cites a law, "avviata nel 2022"
tells the history, "Piano Triennale per l'informatica 2024-2026" names a plan, "dal 27.01.2025"
says since when. Each mention carries `when`, read from the words around it, and only
deadlines, time windows and "during the year" mentions set the objective's time (`sets_time`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from chiari_xl.model.quantities import just_before, unit_of

MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre")
MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS, start=1)}
# a duration word -> the years it says
DURATION_WORDS = {"annuale": 1, "biennale": 2, "biennio": 2, "triennale": 3, "triennio": 3, "quadriennale": 4,
                  "quadriennio": 4, "quinquennale": 5, "quinquennio": 5}


class When(StrEnum):
    """What a date says about the objective."""

    DEADLINE = "deadline"  # entro il 30/06/2025 · fino al 31/12/2028 · entro il mese di aprile
    WINDOW = "window"  # tra il 15/06/2025 ed il 30/09/2025 · dal 2025 al 2026 · 01/01/2025 – 31/12/2025
    DURING = "during"  # nel corso dell'anno 2025 · anno 2025 · annualità 2025/2027
    SINCE = "since"  # dal 27.01.2025 · a partire dall'anno educativo 2026/2027 · dopo marzo 2026
    CITATION = "citation"  # D.L. 24/2/2023 n.13 · decreto-legge 2 marzo 2024, n. 19
    PLAIN = "plain"  # anything else: a name ("Piano Triennale 2024-2026"), history ("avviata nel 2022")


class Day(NamedTuple):
    year: int | None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class DateMention:
    text: str  # as written, with the words that say what it is: "entro il 30.11.2026"
    start: int
    end: int
    first: Day
    last: Day  # == first for a single date
    when: When

    @property
    def sets_time(self) -> bool:
        return self.when in (When.DEADLINE, When.WINDOW, When.DURING)

    @property
    def is_span(self) -> bool:
        return self.first != self.last

    @property
    def years(self) -> tuple[int, int] | None:
        if self.first.year is None or self.last.year is None:
            return None
        return self.first.year, self.last.year

    def span_years(self) -> int | None:
        """How many years the mention covers (2025-2027: 3; 01/01/2023 – 31/12/2025: 3);
        None for less than about a year or when a year is missing."""
        if self.years is None:
            return None
        if self.first.month is None and self.last.month is None:
            return self.last.year - self.first.year + 1
        months = (self.last.year - self.first.year) * 12 + (self.last.month or 12) - (self.first.month or 1) + 1
        return round(months / 12) if months >= 11 else None


@dataclass(frozen=True)
class Duration:
    word: str  # as written: "Triennale"
    years: int
    start: int
    end: int
    span: DateMention | None  # the years written right after it ("triennale 2024-2026"), if any


_M = "|".join(MONTHS)
_Y = r"(?:19[5-9]\d|20\d\d)"
_POINT = re.compile(
    rf"(?P<numdate>(?<![\d/.])(?P<d1>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<m1>\d{{1,2}})\s*(?P=sep)\s*"
    rf"(?P<y1>\d{{4}})(?!\d))"
    rf"|(?P<textdate>(?<!\d)(?P<d2>\d{{1,2}})\s*[°º]?\s+(?P<m2>{_M})\s+(?P<y2>{_Y})(?!\d))"
    rf"|(?P<monthspan>\b(?P<ma>{_M})\s*[-–]\s*(?P<mb>{_M})\s+(?P<y3>{_Y})(?!\d))"
    rf"|(?P<monthyear>\b(?P<m4>{_M})\s+(?:del\s+)?(?P<y4>{_Y})(?!\d))"
    rf"|(?P<daymonth>(?<!\d)(?P<d5>\d{{1,2}})\s+(?P<m5>{_M})\b)"
    rf"|(?P<month>\b(?P<m6>{_M})\b)"
    rf"|(?P<yearspan>(?<![\d/.,\w])(?P<ya>{_Y})\s*/\s*(?P<yb>{_Y})(?![\d]|[/.,]\d))"
    rf"|(?P<year>(?<![\d/.,\w])(?P<y7>{_Y})(?![\d]|[/.,]\d))",
    re.IGNORECASE)
# what may stand between the two ends of a span: "2025-2027", "dal 2025 al 2026", "tra il … ed il …"
_SPAN_JOIN = re.compile(r"^\s*(?:[-–÷/]|al|all['’]|a|ed?\s+il|ed?\s+l['’]|ed?|fino\s+al)?\s*$", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_FILLER = {"il", "lo", "la", "l", "i", "le", "al", "allo", "alla", "all", "a", "ai", "fine", "mese", "di", "del",
           "dello", "della", "dell", "dei", "termine", "giorno"}
_CITATION_BEFORE = re.compile(
    r"(?:\bn\s*[°.º]?\s*[\w/]+|\b(?:d\s*\.?\s*lgs|d\s*\.?\s*l|d\s*\.?\s*p\s*\.?\s*r|legge|l\s*\.\s*r|l)\s*\.?\s*"
    r"(?:n\s*[°.º]?\s*)?\d+)\s+del\s*$|\b(?:d\s*\.\s*lgs|d\s*\.\s*l|decreto(?:[\s-]legge)?|legge|l\s*\.\s*r|"
    r"d\s*\.\s*p\s*\.\s*r|d\s*\.\s*c\s*\.\s*r|delibera\w*|circolare)\s*\.?\s*(?:n\s*[°.º]?\s*\d+\s*)?(?:del\s*)?$",
    re.IGNORECASE)
_CITATION_AFTER = re.compile(r"^\s*,?\s*n\s*[°.º]\s*\d", re.IGNORECASE)
_SENTENCE = re.compile(r"[.;:!?]\s")
_DURATION = re.compile(r"\b(" + "|".join(DURATION_WORDS) + r")\b", re.IGNORECASE)
_ANY_DATE = re.compile(rf"\d|{_M}", re.IGNORECASE)  # no digit and no month: no date


def _day(m: re.Match) -> tuple[Day, Day]:
    g = m.groupdict()
    month = lambda name: MONTH_NUMBER[name.lower()]  # noqa: E731
    if g["numdate"]:
        d = Day(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        return d, d
    if g["textdate"]:
        d = Day(int(g["y2"]), month(g["m2"]), int(g["d2"]))
        return d, d
    if g["monthspan"]:
        return Day(int(g["y3"]), month(g["ma"])), Day(int(g["y3"]), month(g["mb"]))
    if g["monthyear"]:
        d = Day(int(g["y4"]), month(g["m4"]))
        return d, d
    if g["daymonth"]:
        d = Day(None, month(g["m5"]), int(g["d5"]))
        return d, d
    if g["month"]:
        d = Day(None, month(g["m6"]))
        return d, d
    if g["yearspan"]:
        return Day(int(g["ya"])), Day(int(g["yb"]))
    d = Day(int(g["y7"]))
    return d, d


_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")
_N_MARK = re.compile(r"\bn\s*[.°º]\s*$", re.IGNORECASE)


def _points(text: str) -> list[tuple[int, int, Day, Day]]:
    out = []
    for m in _POINT.finditer(text):
        first, last = _day(m)
        if m.group("numdate") and not (1 <= first.month <= 12 and 1 <= first.day <= 31):
            continue  # "45/60/2025" is no date
        if m.group("year"):
            after = _WORD_AFTER.match(text, m.end())
            if after and unit_of(after.group(1)):
                continue  # "2000 verbali" is a count, not a year
            if just_before(text, m.start(), _N_MARK):
                continue  # "n. 2024": a number
        out.append((m.start(), m.end(), first, last))
    return out


def _marker(before: str) -> str:
    """The word that says what the following date is, ignoring articles and 'mese di'."""
    words = [w.lower() for w in _WORDS.findall(before[-60:])]
    while words and words[-1] in _FILLER:
        words.pop()
    return " ".join(words[-3:])


def _when(text: str, start: int, end: int, first: Day, last: Day) -> When:
    # what says what a date is stands within a few words of it: looked for just before the date and
    # in the 60 characters after it, not through the whole card
    if just_before(text, start, _CITATION_BEFORE) or _CITATION_AFTER.match(text[end:end + 60]):
        return When.CITATION
    marker = _marker(text[max(0, start - 60):start])
    last_word = marker.split()[-1] if marker else ""
    if last_word in ("entro", "fino", "sino", "scadenza") or marker.endswith("non oltre"):
        return When.DEADLINE
    # "nel periodo 2025-2026" is the objective's window; "per il periodo 2024-2029" (of the mandate) is not
    if first != last and (last_word in ("dal", "dall", "tra", "fra", "ricompreso") or marker.endswith("nel periodo")
                          or (first.day is not None and last.day is not None)):
        return When.WINDOW
    if last_word in ("anno", "annualita", "annualità", "corso", "durante"):
        return When.DURING
    if last_word in ("dal", "dall", "da", "partire", "dopo", "decorrere"):
        return When.SINCE
    return When.PLAIN


def dates(text: str) -> tuple[DateMention, ...]:
    """Every date, month, year and span of `text`, in order, with what each says."""
    text = text or ""
    if not _ANY_DATE.search(text):
        return ()
    return _dates(text)


@lru_cache(maxsize=8192)  # a card's texts are read by several checks, and plans repeat them
def _dates(text: str) -> tuple[DateMention, ...]:
    points = _points(text)
    out: list[DateMention] = []
    i = 0
    while i < len(points):
        start, end, first, last = points[i]
        j = i
        # join "2024 - 2025 - 2026", "dal 01/01/2025 al 31/12/2025", "tra il … ed il …" into one span
        while j + 1 < len(points) and points[j + 1][2].year is not None and last.year is not None \
                and _SPAN_JOIN.match(text[points[j][1]:points[j + 1][0]]) \
                and points[j + 1][3].year >= last.year:
            j += 1
            end, last = points[j][1], points[j][3]
        when = _when(text, start, end, first, last)
        lead = _lead(text, start, when)
        out.append(DateMention(" ".join(text[lead:end].split()), lead, end, first, last, when))
        i = j + 1
    return tuple(out)


def _lead(text: str, start: int, when: When) -> int:
    """Where the words that say what a date is begin ("entro il ", "tra il ", "nel corso dell'anno ")."""
    if when in (When.PLAIN, When.CITATION):
        return start
    m = re.search(r"(?:\b(?:entro|fino|sino|non\s+oltre|tra|fra|dal|dall['’]|da|nel\s+corso|durante|"
                  r"nel\s+periodo|anno|annualit[aà]['’]?|a\s+partire|dopo|a\s+decorrere)\b[^.;:,\d]{0,40})$",
                  text[:start], re.IGNORECASE)
    return m.start() if m else start


def durations(text: str) -> list[Duration]:
    """Duration words ("triennale", "biennio"), each with the span written right after it, if any
    (at most five words later, in the same sentence: "Piano Triennale per l'informatica 2024-2026")."""
    text = text or ""
    if not _DURATION.search(text):
        return []
    mentions = dates(text)
    out = []
    for m in _DURATION.finditer(text):
        span = None
        for d in mentions:
            if d.start < m.end():
                continue
            between = text[m.end():d.start]
            if len(_WORDS.findall(between)) <= 5 and not _SENTENCE.search(between + " ") \
                    and d.is_span and d.span_years():
                span = d
            break
        out.append(Duration(m.group(1), DURATION_WORDS[m.group(1).lower()], m.start(), m.end(), span))
    return out


def years_of(text: str) -> tuple[int, int] | None:
    """The years a 'tempi di attuazione' text covers: the first and last year it writes
    (citations aside). "avvio nel 2024 e conclusione nel 2028" -> (2024, 2028); "Triennale" -> None."""
    years = [y for d in dates(text) if d.when != When.CITATION and d.years for y in d.years]
    return (min(years), max(years)) if years else None
