"""Which sector (or pool) a text names: one rule for the table, the cards and the areas.

- the summary table's "Tipologia" -> the pool the objective is paid from
  (`pool_of_tipologia`: GENERALE/INTERSETTORIALE -> the general pool, else a sector);
- a card header or an area header -> the sectors it mentions (`sectors_named`), in the
  order they appear ("SETTORE SOCIALE-EDUCATIVO/AREA SERVIZI SOCIALI" -> SOCIALE-EDUCATIVO).

A sector is recognised by its name without the word "settore", compared on letters and
digits only (case, accents and punctuation ignored), so "Settore Sicurezza - Corpo P.L."
and "SICUREZZA" are the same sector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chiari_xl.text import norm, squash

GENERAL_POOL = "Generali e intersettoriali"
FIXED_POOL = "Importi fissati dalla Giunta"
_GENERAL = re.compile(r"^(generale|generali|intersettoriale|intersettoriali)\b")


def is_general(text: str | None) -> bool:
    """GENERALE / INTERSETTORIALE objectives are paid from the general pool."""
    return bool(_GENERAL.match(norm(text)))


def _key(name: str) -> str:
    return squash(name).removeprefix("settore")


def sector_label(name: str | None) -> str:
    """How a sector (or pool) is written in every workbook: "AMMINISTRATIVO-FINANZIARIO" ->
    "Amministrativo-Finanziario"; a name already in mixed case stays as written."""
    if not name:
        return ""
    return name.title() if name.isupper() else name


def pool_of_tipologia(tipologia: str | None, sectors: Iterable[str]) -> str | None:
    """GENERAL_POOL, the sector whose name the tipologia is (or starts with), or None."""
    if is_general(tipologia):
        return GENERAL_POOL
    flat = _key(tipologia or "")
    names = list(sectors)
    for name in names:
        if _key(name) == flat:
            return name
    for name in names:  # "SETTORE SICUREZZA - CORPO P.L." and the like
        key = _key(name)
        if key and flat.startswith(key):
            return name
    return None


_SETTORE_WORD = re.compile(r"^settore\b[\s:.\-–]*", re.IGNORECASE)


def sector_name(tipologia: str) -> str:
    """The name a sector's pool is called by: 'SETTORE SICUREZZA' -> 'SICUREZZA'."""
    text = " ".join(str(tipologia).split())
    return _SETTORE_WORD.sub("", text) or text


def sectors_of_table(tipologie: Iterable[str | None]) -> list[str]:
    """The sectors a table's tipologie name (no Parametri sheet to list them), in the order they
    first appear. A tipologia that starts with another one's sector name ('SETTORE SICUREZZA -
    CORPO P.L.' after 'SETTORE SICUREZZA') is that sector, whichever comes first in the table."""
    distinct = list(dict.fromkeys(t for t in tipologie if _key(t or "") and not is_general(t)))
    names: list[str] = []
    for t in sorted(distinct, key=lambda t: len(_key(t))):  # shortest first: the sector itself
        if pool_of_tipologia(t, names) is None:
            names.append(sector_name(t))
    first_seen = {}
    for i, t in enumerate(distinct):
        first_seen.setdefault(pool_of_tipologia(t, names), i)
    return sorted(names, key=lambda n: first_seen[n])


def sectors_named(text: str | None, sectors: Iterable[str], after_settore: bool = False) -> list[str]:
    """The sectors `text` mentions, in the order they appear. A sector is found by the first
    word of its name ("SOCIALE-EDUCATIVO" -> "sociale"); with `after_settore` only when it
    follows the word "settore" (a card header: "SETTORE TERRITORIO/AREA ...")."""
    t = norm(text)
    hits = []
    for name in sectors:
        token = norm(name).removeprefix("settore ").split(" ")[0]
        if not token:
            continue
        pattern = rf"\bsettore\s+{re.escape(token)}\b" if after_settore else rf"\b{re.escape(token)}\b"
        m = re.search(pattern, t)
        if m:
            hits.append((m.start(), name))
    return [name for _, name in sorted(hits)]
