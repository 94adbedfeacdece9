"""Area names as the office writes them, their stable keys, and file names any system accepts.

Card headers shout ("AREA CONTABILITA’ CONTROLLO GESTIONE TRIBUTI"); the office's own running
text (titles, indicators, targets, activities, staff) writes "Contabilità", "CED", "Piano di
Zona". The display name of a shouted area name is rebuilt from that text, the same way for
every area:

1. the whole name found as a phrase in the running text (case and punctuation aside): its most
   frequent spelling that is not itself shouted ("Piano di Zona", "Corpo Polizia Locale");
2. otherwise word by word: a word the text writes in capitals at least as often as in lower
   case is an acronym (CED, SUAP); a word the text writes in lower case takes that spelling, accents
   included (contabilità); a short word (up to 3 letters, not an article or preposition) that
   the text never writes in lower case is an acronym (URP, SIT); any other word is lower case;
3. a final vowel followed by an apostrophe (CONTABILITA’) is the typewriter's accent (à);
4. the first letter is upper case. A name not shouted is kept as written ("SUE-SUAP-commercio").

The *key* of an area (lower-case ASCII words without articles, joined by "-") does not depend
on spelling or case, so it is what identifies an area across months, plan versions and file
names; the *file part* is the display name in ASCII with "_" for spaces, cut at 50 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from chiari_xl.model.frames import records
from chiari_xl.text import clean, norm

# words that do not tell two area names apart
STOP = {"di", "del", "della", "dei", "degli", "delle", "e", "ed", "l", "la", "il", "lo", "i", "gli",
        "le", "a", "per", "con", "in", "d", "al", "alla", "ai", "agli", "alle", "da", "dal", "su"}
SEP = " \t-–—/,;:()'’."
_WORD = re.compile(r"[^\W\d_]+|\d+")
_APOSTROPHES = "’'`´"
_GRAVE = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"}
_TABLE_TEXT = ("obiettivo", "personale", "tempi")
_CARD_TEXT = ("titolo", "tempi", "indicatore", "quantita", "attivita", "personale")


def words(name: str) -> tuple[str, ...]:
    return tuple(w for w in norm(name).split() if w not in STOP)


def area_key(name: str) -> str:
    return "-".join(words(name))


def file_part(name: str, limit: int = 50) -> str:
    """'Contabilità controllo gestione tributi' -> 'Contabilita_controllo_gestione_tributi'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    out = ""
    for p in (p for p in re.split(r"[^A-Za-z0-9-]+", text) if p):
        if out and len(out) + 1 + len(p) > limit:
            break
        out = f"{out}_{p}" if out else p[:limit]
    return out or "Area"


def _shouted(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


@dataclass
class Vocabulary:
    """How the plan's running text spells each word (key: norm of the word)."""

    forms: dict[str, Counter] = field(default_factory=dict)
    texts: list[list[str]] = field(default_factory=list)  # running texts as word lists

    @classmethod
    def from_texts(cls, texts) -> Vocabulary:
        vocab = cls()
        for text in texts:
            text = clean(text)
            if not text or _shouted(text):
                continue  # a shouted text says nothing about how a word is written
            ws = _WORD.findall(text)
            vocab.texts.append(ws)
            for i, w in enumerate(ws):
                if i == 0 or w.isdigit():
                    continue  # the first word is capitalised whatever it is
                vocab.forms.setdefault(norm(w), Counter())[w] += 1
        return vocab

    @classmethod
    def from_plan(cls, plan) -> Vocabulary:
        texts = [r.get(f) for r in records(plan.objectives) for f in _TABLE_TEXT]
        if plan.cards is not None:
            texts += [r.get(f) for r in records(plan.cards) for f in _CARD_TEXT]
        return cls.from_texts(texts)

    def phrase(self, keys: list[str]) -> list[str] | None:
        """The most frequent not-shouted spelling of the words `keys` as a phrase, or None."""
        n = len(keys)
        seen: Counter = Counter()
        for ws in self.texts:
            low = [norm(w) for w in ws]
            for i in range(len(ws) - n + 1):
                if low[i:i + n] == keys:
                    spelt = tuple(ws[i:i + n])
                    if not all(w.isupper() for w in spelt if len(w) > 1):
                        seen[spelt] += 1
        return list(seen.most_common(1)[0][0]) if seen else None

    def word(self, key: str, accented: bool) -> str:
        forms = self.forms.get(key, Counter())
        # A capitalised word inside a sentence says little ("Area Sport", "Risorse Umane"): only
        # the whole phrase (rule 1) keeps such a spelling.
        lower = Counter({f: c for f, c in forms.items() if f.islower()})
        upper = Counter({f: c for f, c in forms.items() if f.isupper() and len(f) > 1})
        if upper and upper.total() >= lower.total():
            return upper.most_common(1)[0][0]
        if lower:
            return lower.most_common(1)[0][0]
        if len(key) <= 3 and key not in STOP and key.isalpha():
            return key.upper()
        if accented and key[-1:] in _GRAVE:
            return key[:-1] + _GRAVE[key[-1]]
        return key


def display_name(raw: str, vocab: Vocabulary | None = None) -> str:
    """The area name as the office writes it (rules in the module docstring)."""
    text = clean(raw).strip(SEP)
    if not _shouted(text):
        return text
    vocab = vocab or Vocabulary()
    parts: list[tuple[str, bool]] = []  # (word, typed with an apostrophe accent)
    seps: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        sep = text[pos:m.start()]
        if parts and parts[-1][1]:
            sep = sep[1:]  # the apostrophe was the previous word's accent
        seps.append(sep)
        after = text[m.end():m.end() + 2]
        accented = after[:1] in _APOSTROPHES and not after[1:2].isalpha() and after[:1] != ""
        parts.append((m.group(), accented))
        pos = m.end()
    keys = [norm(w) for w, _ in parts]
    spelt = vocab.phrase(keys) or [w if w.isdigit() else vocab.word(k, acc) for (w, acc), k in zip(parts, keys)]
    out = "".join(s + w for s, w in zip(seps, spelt))
    return (out[:1].upper() + out[1:]).strip(SEP)
