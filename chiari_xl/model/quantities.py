"""Quantities written in a card's Italian text: a number with what it counts.

"n. 25 strade", "almeno n.12 vie su 20 (60%)", "minimo 80 controlli", "12 incontri",
"il 30% delle pratiche", "3 edifici/anno", "n.120 nominativi circa (350 sul triennio)".

Only the units listed in UNITS are read. A number next to a word that is not a unit
("ambito 7", "art. 15", "Riforma 1.15", "2° livello") is not a quantity: the checks built on
this compare numbers of the same thing, and an unknown word could be anything. Numbers that
belong to dates, law references ("n. 120/2017"), ranges ("50/60 gg") and list markers
("1 Preliminari valutazioni…", "Azione 1.") are not quantities either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial

from chiari_xl.text import norm

# canonical unit -> the words that count it (singular, plural, synonyms). One place for all.
# Synonyms are only words that count the same objects in the plans' usage:
# - strada / via: "via" is the street of an address; "n. 40 strade" and "32 vie su 45" count streets.
# - edificio / immobile / fabbricato: the cards use the three words for the same municipal
#   buildings (card 11: "edifici" in title and targets, "immobili" in the description,
#   "fabbricati" in the activities).
# - giorno / gg: "gg" is the usual abbreviation of giorni.
# Words that look close but count different things stay apart: an "incontro" (with citizens,
# parents) is not a "riunione" (of a body), a "controllo" is not a "servizio" (a patrol).
UNITS: dict[str, tuple[str, ...]] = {
    "controllo": ("controllo", "controlli"),
    "strada": ("strada", "strade", "via", "vie"),
    "servizio": ("servizio", "servizi"),
    "edificio": ("edificio", "edifici", "immobile", "immobili", "fabbricato", "fabbricati"),
    "incontro": ("incontro", "incontri"),
    "riunione": ("riunione", "riunioni"),
    "azione": ("azione", "azioni"),
    "attività": ("attivita",),
    "corso": ("corso", "corsi"),
    "webinar": ("webinar",),
    "evento": ("evento", "eventi"),
    "verbale": ("verbale", "verbali"),
    "pratica": ("pratica", "pratiche"),
    "nominativo": ("nominativo", "nominativi"),
    "presenza": ("presenza", "presenze"),
    "documento": ("documento", "documenti"),
    "relazione": ("relazione", "relazioni"),
    "rendicontazione": ("rendicontazione", "rendicontazioni"),
    "aggiornamento": ("aggiornamento", "aggiornamenti"),
    "report": ("report",),
    "comune": ("comune", "comuni"),
    "impianto": ("impianto", "impianti"),
    "punto": ("punto", "punti"),
    "libro": ("libro", "libri"),
    "cartina": ("cartina", "cartine"),
    "modulo": ("modulo", "moduli"),
    "scheda": ("scheda", "schede"),
    "questionario": ("questionario", "questionari"),
    "candidatura": ("candidatura", "candidature"),
    "assemblea": ("assemblea", "assemblee"),
    "lettura": ("lettura", "letture"),
    "sabato": ("sabato", "sabati"),
    "caldaia": ("caldaia", "caldaie"),
    "elaborato": ("elaborato", "elaborati"),
    "richiesta": ("richiesta", "richieste"),
    "fascicolo": ("fascicolo", "fascicoli"),
    "utente": ("utente", "utenti"),
    "cittadino": ("cittadino", "cittadini"),
    "dipendente": ("dipendente", "dipendenti"),
    "agente": ("agente", "agenti"),
    "pattuglia": ("pattuglia", "pattuglie"),
    "sera": ("sera", "sere"),
    "giorno": ("giorno", "giorni", "gg"),
    "settimana": ("settimana", "settimane"),
    "mese": ("mese", "mesi"),
    "ora": ("ora", "ore"),
    "anno": ("anno", "anni"),
}
PERCENT = "%"
_FORM = {form: unit for unit, forms in UNITS.items() for form in forms}

WORD_NUMBERS = {"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
                "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "quindici": 15, "venti": 20,
                "trenta": 30, "cinquanta": 50, "cento": 100}
# multi-year periods a total can be given for, and how many years they are
PERIOD_YEARS = {"biennio": 2, "triennio": 3, "quadriennio": 4, "quinquennio": 5}

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_WORDNUM = "|".join(WORD_NUMBERS)
_NUMBER = re.compile(rf"(?<![\w/,°])(?<!\d\.)(?P<num>{_NUM}|(?i:{_WORDNUM})\b)(?![\w/]|[.,]\d|°|\^)", re.UNICODE)
_ANY_NUMBER = re.compile(rf"\d|\b(?:{_WORDNUM})\b", re.IGNORECASE)
_NUMBER_MARK = re.compile(r"(?:\b[nN][rR]?\s*[.°º]?|n°|\bnumero)\s*$")
_WORD = re.compile(r"\s*([^\W\d_]+)", re.UNICODE)
_RATIO = re.compile(rf"\s+su\s+(?:un\s+totale\s+di\s+)?(?:[nN]\.\s*)?(?P<of>{_NUM})(?![\w/]|[.,]\d)")
_BESIDE_PCT = re.compile(rf"\s*\(\s*(?P<pct>{_NUM})\s*%\s*\)")
_PCT = re.compile(r"\s*%")
_YEARLY = re.compile(r"\s*(?:/\s*anno\b|all['’]\s*anno\b|l['’]\s*anno\b|per\s+anno\b|ogni\s+anno\b|"
                     r"annu[ie]\b|annual[ie]\b)", re.IGNORECASE)
_MULTI = re.compile(r"\s*\(?\s*(?:sul|nel|per\s+il|nell['’]intero)\s+(?P<period>" + "|".join(PERIOD_YEARS) + r")\b",
                    re.IGNORECASE)
_APPROX_AFTER = re.compile(r"\s*(?:circa|indicativamente|approssimativamente)\b", re.IGNORECASE)
_APPROX_BEFORE = re.compile(r"(?:\bcirca|\bindicativamente|\bapprossimativamente|\boltre|~)\s*"
                            r"(?:il\s+|l['’]\s*|a\s+)?"
                            r"(?:[nN]\.\s*)?$", re.IGNORECASE)
_MIN_BEFORE = re.compile(r"(?:\balmeno|\bminimo|\bnon\s+meno\s+di|\bun\s+minimo\s+di)\s*(?:il\s+|l['’]\s*|di\s+)?"
                         r"(?:[nN][.°]?\s*)?$", re.IGNORECASE)
_MAX_BEFORE = re.compile(r"(?:\bmassimo|\bal\s+massimo|\bnon\s+oltre|\bfino\s+a)\s*(?:il\s+|l['’]\s*)?"
                         r"(?:[nN][.°]?\s*)?$", re.IGNORECASE)
_OF = re.compile(r"\s*(?:d(?:ella|elle|ello|egli|ell['’]|el|ei|i)\b|sul(?:la|le|l['’]|i|gli)?\b|sui\b)\s*"
                 r"(?P<of>[^.;()]{0,80})",
                 re.IGNORECASE)
# "2 ore ciascuno", "della durata di 2 ore", "3 incontri al mese": a figure per item or per period
_RATE_AFTER = re.compile(r"\s*(?:ciascun[oa]?|cadaun[oa]|l['’]\s*un[oa]|a\s+testa|al\s+giorno|alla\s+settimana|"
                         r"a\s+settimana|al\s+mese|per\s+(?:ogni|ciascun[oa]?)\b)", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\bdurata\s+(?:di\s+)?(?:circa\s+)?$", re.IGNORECASE)
# "(se completata = raggiungimento 35% obiettivo)": the indicator's weight, not a measure
_WEIGHT_TEXT = re.compile(r"^\s*(?:di\s+|dell['’]\s*)?obiettivo\b", re.IGNORECASE)
_ACHIEVEMENT_BEFORE = re.compile(r"raggiungimento\s*$", re.IGNORECASE)
_LIST_START = re.compile(r"(?:^|[.;:]\s|\)\s)\s*$")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # a key of UNITS, or PERCENT
    text: str  # as written, with its "n.", "almeno", "su 45 (70%)"
    start: int
    end: int
    of: Decimal | None = None  # "32 vie su 45": the total (45)
    percent: Decimal | None = None  # "(70%)" written beside "32 su 45"
    approx: bool = False  # "circa 120", "120 circa"
    bound: str | None = None  # "min" (almeno, minimo), "max" (massimo, fino a)
    years: int | None = None  # 1: per year ("/anno", "all'anno"); 3: "sul triennio"; None: not said
    rate: bool = False  # per item or per period ("2 ore ciascuno", "3 incontri al mese"): not a total
    measure: str = ""  # for a percentage: what it is a share of ("degli impianti individuati")

    @property
    def reference(self) -> Decimal:
        """The number that says how many of the unit there are: the total of a ratio, else the value."""
        return self.of if self.of is not None else self.value


def parse_number(text: str) -> Decimal:
    """'1.500' -> 1500, '2,5' -> 2.5, 'tre' -> 3 (Italian notation)."""
    t = text.strip().lower()
    if t in WORD_NUMBERS:
        return Decimal(WORD_NUMBERS[t])
    return Decimal(t.replace(".", "").replace(",", "."))


def unit_of(word: str) -> str | None:
    """The canonical unit a word counts, or None: 'vie' -> 'strada', 'Attività' -> 'attività'."""
    return _FORM.get(norm(word))


def quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity with a known unit (or a percentage) in `text`, in order."""
    text = text or ""
    if not _ANY_NUMBER.search(text):
        return ()
    return _quantities(text)


@lru_cache(maxsize=8192)  # a card's texts are read by several checks, and plans repeat them
def _quantities(text: str) -> tuple[Quantity, ...]:
    found: list[Quantity] = []
    taken_until = 0
    for m in _NUMBER.finditer(text):
        if m.start() < taken_until:
            continue
        q = _read_at(text, m)
        if q is None:
            continue
        if q.unit == "" and q.years and found and found[-1].unit not in ("", PERCENT) \
                and m.start() - found[-1].end < 40:
            # "n.120 nominativi circa (350 sul triennio)": the total counts what the number before counts
            q = Quantity(**{**q.__dict__, "unit": found[-1].unit})
        # without a unit only a ratio ("18 su 30 (60%)") or a per-period figure ("100 all'anno") is kept
        if q.unit or q.of is not None or q.years:
            found.append(q)
            taken_until = q.end
    return tuple(found)


BEFORE_WINDOW = 200  # characters: far more than any of the words a number is read with


def just_before(text: str, end: int, pattern: re.Pattern) -> re.Match | None:
    """`pattern` (anchored with $) matched right before `text[end]`. The search starts at most
    BEFORE_WINDOW characters back, not at the text's start: on a long card every number used to
    rescan all the text before it. Word boundaries and ^ still see the whole text (pos/endpos).
    Used for the words before numbers here and before dates (model/dates.py)."""
    return pattern.search(text, max(0, end - BEFORE_WINDOW), end)


def _read_at(text: str, m: re.Match) -> Quantity | None:
    """The quantity whose number is `m`, with the words around it, or None when it is not one."""
    value = parse_number(m.group("num"))
    pos = m.end()
    before = partial(just_before, text, m.start())
    mark = before(_NUMBER_MARK)  # "n. 40", "N.5"
    start = mark.start() if mark else m.start()
    lead = next((hit for pattern in (_MIN_BEFORE, _MAX_BEFORE, _APPROX_BEFORE)
                 if (hit := before(pattern)) is not None), None)
    if lead is not None:  # "almeno", "minimo", "massimo", "circa" (with "il", "n." after them)
        start = min(start, lead.start())
    bound = "min" if before(_MIN_BEFORE) else "max" if before(_MAX_BEFORE) else None
    approx = bool(before(_APPROX_BEFORE))

    pct = _PCT.match(text, pos)
    if pct:
        end = pct.end()
        if _WEIGHT_TEXT.match(text, end) or before(_ACHIEVEMENT_BEFORE):
            return None  # an indicator's weight, not a measure
        of = _OF.match(text, end)
        measure = " ".join(of.group("of").split()[:6]) if of else ""
        return Quantity(value, PERCENT, text[start:end].strip(), start, end, bound=bound, approx=approx,
                        measure=measure)

    unit, after_unit = None, pos
    w = _WORD.match(text, pos)
    if w and unit_of(w.group(1)):
        unit, after_unit = unit_of(w.group(1)), w.end()
        if not mark and w.group(1)[0].isupper() and before(_LIST_START):
            return None  # "… (50/60 gg). 2 Incontri preliminari…": a numbered list, not a count
    end = after_unit
    of = percent = None
    ratio = _RATIO.match(text, end)
    if ratio:
        of, end = parse_number(ratio.group("of")), ratio.end()
        w2 = _WORD.match(text, end)
        if w2 and unit_of(w2.group(1)):
            unit = unit or unit_of(w2.group(1))
            end = w2.end()
        beside = _BESIDE_PCT.match(text, end)
        if beside:
            percent, end = parse_number(beside.group("pct")), beside.end()
    years = None
    approx_after = _APPROX_AFTER.match(text, end)  # "120 nominativi circa"
    if approx_after:
        approx, end = True, approx_after.end()
    yearly = _YEARLY.match(text, end)
    multi = _MULTI.match(text, end)
    if yearly:
        years, end = 1, yearly.end()
    elif multi:
        years, end = PERIOD_YEARS[multi.group("period").lower()], multi.end()
    if unit is None:
        if of is not None or years:
            return Quantity(value, "", text[start:end].strip().lstrip("("), start, end, of=of, percent=percent,
                            approx=approx, bound=bound, years=years)
        return None
    rate = bool(_RATE_AFTER.match(text, end) or _RATE_BEFORE.search(text[:start]))
    return Quantity(value, unit, text[start:end].strip(), start, end, of=of, percent=percent, approx=approx,
                    bound=bound, years=years, rate=rate)
