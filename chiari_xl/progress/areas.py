"""Areas of the plan, derived from the card headers (`intestazione`), and who gets which objective.

The rule, applied to every header the same way (no objective numbers in code):

1. *Whole structure*: a GENERALE / INTERSETTORIALE header that says "TUTTE LE AREE",
   "INTERA STRUTTURA" (or "INTERO ENTE") goes to **every** area.
2. *Area names*: the text after each word "AREA" is one area name ("... / AREA SUE-SUAP-commercio
   e AREA INFORMATICA" names two). Without the word "AREA", what is left after the sector
   words ("SETTORE SICUREZZA – CORPO POLIZIA LOCALE" -> "CORPO POLIZIA LOCALE",
   "SEGRETERIA AFFARI GENERALI") is the area name. Trailing connectors ("e", "in
   collaborazione con l'") are dropped.
3. *Same area, other spelling*: two names are the same area when their words, without
   articles/prepositions, are the same ("CONTABILITA' CONTROLLO [DI] GESTIONE TRIBUTI").
   A short mention resolves to the one known area whose words contain all of its words
   ("CULTURA" -> "Cultura sistema biblioteca", "POLIZIA LOCALE" -> "Corpo polizia locale").
4. *Lists with hyphens*: "SEGRETERIA-SERVIZI SOCIALI-POLIZIA LOCALE" is split at the hyphens
   only when every piece resolves to another known area; otherwise the hyphens belong to
   the name ("SUE-SUAP-commercio").
5. *Sectors only*: a header that names sectors but no area ("SETTORE AMMINISTRATIVO-
   FINANZIARIO – AREA", "INTERSETTORIALE (SICUREZZA E AMMINISTRATIVO-FINANZIARIO)") goes to
   every area of those sectors. The sector of an area is the one its own header names
   (paired in order when a header names as many sectors as areas), else the sector of
   the objective in the summary table.
6. A header naming nothing usable goes to every area (and is reported by `unresolved`).

An objective shared by several areas goes to each of them. The area *key* (lower-case ASCII
words joined by "-") is stable across months and spellings; the *file name* part is the
display name in ASCII with "_" for spaces (progress/names.py: names as the office writes them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from chiari_xl.model.params import PlanParams
from chiari_xl.model.sectors import GENERAL_POOL, sectors_named
from chiari_xl.progress.names import SEP as _SEP
from chiari_xl.progress.names import area_key, display_name, file_part, words
from chiari_xl.text import clean, norm

_ALL = re.compile(r"\b(tutte le aree|intera struttura|intero ente|tutto l ente)\b")
_AREA_WORD = re.compile(r"\bAREA\b", re.IGNORECASE)
_LEAD = re.compile(r"^\s*(generale|generali|intersettoriale|intersettoriali)\b", re.IGNORECASE)
_TRAIL = {"e", "ed", "con", "in", "collaborazione", "l", "la", "il", "lo", "insieme", "a", "per"}
_SECTOR_WORDS = {"settore", "settori"}


@dataclass
class Area:
    key: str
    name: str
    sector: str | None = None
    spellings: set[str] = field(default_factory=set)

    @property
    def file_part(self) -> str:
        return file_part(self.name)


@dataclass
class HeaderParse:
    header: str
    whole: bool = False
    sectors: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # raw area names as written


def _strip_trailing(text: str) -> str:
    text = clean(text).strip(_SEP)
    while True:
        parts = re.split(r"([\s\-–—/,;:()'’.]+)", text)
        last = parts[-1] if parts else ""
        if last and norm(last) in _TRAIL and len(parts) > 1:
            text = "".join(parts[:-1]).strip(_SEP)
            continue
        return text


def parse_header(header: str, params: PlanParams) -> HeaderParse:
    out = HeaderParse(header=header or "")
    text = clean(header)
    if not text:
        return out
    if _LEAD.match(text) and _ALL.search(norm(text)):
        out.whole = True
        return out
    pieces = _AREA_WORD.split(text)
    head, tails = pieces[0], pieces[1:]
    out.sectors = sectors_named(head, params.sector_weights)
    if tails:
        out.names = [n for n in (_strip_trailing(t) for t in tails) if n]
        return out
    # no word AREA: the area is what remains after the category, sector and sector words
    rest = _LEAD.sub("", head)
    rest = re.sub(r"\(.*?\)", " ", rest)
    sector_tokens = {w for s in params.sector_weights for w in norm(s).split()} | _SECTOR_WORDS
    kept = [w for w in re.split(r"\s+", rest) if w and not set(norm(w).split()) <= sector_tokens]
    name = _strip_trailing(" ".join(kept))
    if norm(name):
        out.names = [name]
    return out


class AreaMap:
    """Areas of a plan and the areas of each objective: `areas` (key -> Area), `of` (n -> keys)."""

    def __init__(self, areas: dict[str, Area], of: dict[int, list[str]], unresolved: list[str]):
        self.areas = areas
        self.of = of
        self.unresolved = unresolved

    def objectives_of(self, key: str) -> list[int]:
        return sorted(n for n, keys in self.of.items() if key in keys)

    def sectors(self) -> list[str]:
        return sorted({a.sector for a in self.areas.values() if a.sector})

    def resolve(self, name: str) -> str | None:
        """The key of the area `name` names (rule 3 above), or None."""
        return resolve_area(self.areas, name)


def resolve_area(catalogue: dict[str, Area], name: str, exclude: str | None = None,
                 ignore: frozenset[str] = frozenset()) -> str | None:
    """The key of the area `name` names: the same words, or the one area whose words contain all
    of its words (rule 3 above). `ignore`: words that name no area in particular (the year end
    reads an employee's area written as "Area Polizia Locale" or "Ufficio Gare")."""
    key = area_key(name)
    if key in catalogue and key != exclude:
        return key
    w = set(words(name)) - ignore
    if not w:
        return None
    hits = [k for k, a in catalogue.items() if k != exclude and w <= set(words(a.name))]
    return hits[0] if len(hits) == 1 else None


def build_area_map(headers: dict[int, str], table_pool: dict[int, str | None], params: PlanParams,
                   display: Callable[[str], str] = display_name) -> AreaMap:
    """headers: objective n -> card header; table_pool: n -> pool of the objective in the table;
    display: raw area name -> name as the office writes it."""
    parsed = {n: parse_header(h, params) for n, h in headers.items()}
    catalogue: dict[str, Area] = {}

    def remember(name: str, sector: str | None):
        key = area_key(name)
        if not key:
            return None
        area = catalogue.setdefault(key, Area(key=key, name=display(name)))
        area.spellings.add(clean(name))
        if area.sector is None and sector and sector != GENERAL_POOL:
            area.sector = sector
        return key

    def resolve(name: str, exclude: str | None = None) -> str | None:
        return resolve_area(catalogue, name, exclude)

    # pass 1: every name as written, with its sector
    for n, p in parsed.items():
        own = p.sectors if p.sectors else ([table_pool.get(n)] if table_pool.get(n) else [])
        for i, name in enumerate(p.names):
            sector = own[i] if len(own) == len(p.names) else (own[0] if len(own) == 1 else None)
            remember(name, sector)
    # pass 2: hyphenated lists whose every piece is another known area
    for n, p in parsed.items():
        for name in p.names:
            key = area_key(name)
            pieces = [x for x in re.split(r"\s*[-–]\s*", name) if norm(x)]
            if len(pieces) < 2:
                pieces = [name]  # a short mention of a longer name ("CULTURA")
            if all(resolve(x, exclude=key) for x in pieces):
                catalogue.pop(key, None)
    # pass 3: short mentions that are another area's name in full ("CULTURA")
    final: dict[int, list[str]] = {}
    unresolved: list[str] = []
    for n, p in parsed.items():
        keys: list[str] = []
        for name in p.names:
            key = area_key(name)
            if key in catalogue:
                keys.append(key)
                continue
            pieces = [x for x in re.split(r"\s*[-–]\s*", name) if norm(x)]
            targets = [resolve(x) for x in pieces] if len(pieces) > 1 else [resolve(name)]
            keys.extend(t for t in targets if t)
        final[n] = keys
    # short mentions resolved into a longer area leave no area of their own
    mentioned = {k for ks in final.values() for k in ks}
    for key in list(catalogue):
        if key not in mentioned:
            catalogue.pop(key)
    every = sorted(catalogue)
    for n, p in parsed.items():
        if p.whole:
            final[n] = list(every)
        elif not final[n]:
            sectors = p.sectors or ([table_pool[n]] if table_pool.get(n) not in (None, GENERAL_POOL) else [])
            in_sectors = [k for k in every if catalogue[k].sector in sectors]
            if not in_sectors:
                unresolved.append(p.header)
            final[n] = in_sectors or list(every)
        final[n] = sorted(dict.fromkeys(final[n]))
    return AreaMap(catalogue, final, unresolved)
