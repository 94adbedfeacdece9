"""A card's "Fasi di attuazione" as dated steps, and the step an indicator names.

The phases are free text in one cell: "ENTRO IL 30.04.2025- Ricognizione … ENTRO IL 30.11.2026
Ricognizione ed elaborazione dati …", "2025: - Preparazione evento …: entro 15 febbraio; …
2026 : - Progettazione …", "Fasi previste entro il 31/12/2025: 1) … Fasi previste nel 2026: …".
The text is cut into steps at list markers, bullets, sentence ends and deadlines that open a step;
each step is due in the year of its own deadline, else in the year of the heading it sits under
("2026:", "Anno 2025", "Fasi previste nel 2026:"). A month without a year ("entro giugno")
takes the heading's year.

Cards often name an indicator with the words of its phase ("Approvazione del registro dei
trattamenti …"): `step_named` finds that step by the share of the indicator's words it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiari_xl.model.dates import When, dates
from chiari_xl.text import content_words

NAME_SHARE = 0.6  # an indicator names a step when the step holds this share of its words (and 2 at least)

_MONTHS = "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
_CUT = re.compile(
    r";\s*"  # after a semicolon
    # a sentence end (not "D.Lgs. 22", not the list marker "1. ")
    r"|(?<![\s(]\d)(?<=[a-zà-ù0-9)\]»”])\.\s+(?=[A-ZÀ-Ý“«\"]|20\d\d\b)"
    r"|(?<=\s)(?<!Fase\s)(?=(?:Fase\s+)?\d{1,2}[.)]\s)"  # "1) ", "2. ", "Fase 2) "
    r"|(?<=\s)(?=-\s)|(?<=[:;]\s)(?=–\s)"  # bullets: "- …", and "– …" after a colon
    r"|(?=\b(?:Entro|ENTRO)\b)"  # a deadline that opens a step
    r"|(?=\bFas[ei]\s+previst[ei]\b)"  # "… e collaudo Fasi previste nel 2026: …"
    rf"|(?<=\s)(?=entro\s+(?:il\s+|la\s+fine\s+(?:del\s+)?)?(?:mese\s+di\s+)?(?:\d|{_MONTHS})[^:;.]{{0,30}}:)"
    # a year heading: "2025:", "2026 ÷ 2028 Procedura…", "… seguenti fasi: 2025 Fase…"
    r"|(?<=[:.;]\s)(?=(?:Anno\s+)?20\d\d(?:\s*[÷\-–]\s*20\d\d)?\s*(?::|÷|[A-Z]))",
)
# the words of a heading that dates the steps under it: "Fasi previste nel 2026:", "entro il 31/12/2025:"
HEADING_WORDS = frozenset({"fasi", "fase", "previste", "previsti", "riferite", "riferiti", "annualita", "attivita",
                           "periodo", "corso"})
_HEADING_YEAR = re.compile(r"^[-–\s]*(?:anno\s+)?(20\d\d)(?:\s*[÷\-–/]\s*20\d\d)?\b\s*:?", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    text: str
    year: int | None  # the year it is due, None when the text does not say
    due: str  # the words that date it: "ENTRO IL 30.11.2026", or the heading "2026:"


def steps(phases: str) -> list[Step]:
    """The dated steps of a phases text, in order (headings are not steps)."""
    out: list[Step] = []
    heading_year, heading_text = None, ""
    for piece in _pieces(phases or ""):
        piece = " ".join(piece.split()).rstrip(";").strip()
        m = _HEADING_YEAR.match(piece)
        if m:  # "2025:", "Anno 2025", "2026 ÷ 2028 Procedura…"
            heading_year, heading_text = int(m.group(1)), m.group(0).strip(" -–")
            piece = piece[m.end():].strip(" -–")
        if not re.search(r"[^\W\d_]", piece):
            continue  # a lone bullet or number
        mentions = [d for d in dates(piece) if d.sets_time or d.when == When.PLAIN]
        timed = [d for d in mentions if d.sets_time]
        if mentions and content_words(_without_dates(piece, mentions)) <= HEADING_WORDS:
            dated = [d for d in mentions if d.last.year is not None]
            if dated:  # "Fasi previste nel 2026:", "entro il 31/12/2026:": a heading
                heading_year, heading_text = dated[-1].last.year, piece.rstrip(":")
            continue
        dated = [(d.last.year if d.last.year is not None else heading_year, d) for d in timed]
        dated = [(year, d) for year, d in dated if year is not None]
        if dated:
            year, d = max(dated, key=lambda pair: pair[0])
            out.append(Step(piece, year, d.text))
        else:
            out.append(Step(piece, heading_year, heading_text))
    return out


def _pieces(text: str) -> list[str]:
    """`text` cut at the step boundaries, never inside a date ("Entro aprile 2024:" stays whole)."""
    inside = [(d.start, d.end) for d in dates(text)]
    cuts = [0]
    for m in _CUT.finditer(text):
        pos = m.end() if m.group() else m.start()
        if 0 < pos < len(text) and not any(a < pos < b for a, b in inside):
            cuts.append(pos)
    cuts = sorted(set(cuts)) + [len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


def _without_dates(text: str, mentions) -> str:
    for d in sorted(mentions, key=lambda d: -d.start):
        text = text[:d.start] + text[d.end:]
    return text


def step_named(name: str, candidates: list[Step]) -> Step | None:
    """The step whose words hold most of the indicator's `name` (at least NAME_SHARE of them, at
    least two), when one step is strictly the best; else None."""
    words = content_words(name)
    if len(words) < 2:
        return None
    scored = sorted(((len(words & content_words(s.text)), i) for i, s in enumerate(candidates)), reverse=True)
    if not scored:
        return None
    shared, best = scored[0]
    if shared < 2 or shared / len(words) < NAME_SHARE:
        return None
    if len(scored) > 1 and scored[1][0] == shared:
        return None  # two steps fit as well: no claim
    return candidates[best]
