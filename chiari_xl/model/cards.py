"""Which card (scheda) belongs to which objective: one rule for the checks and the progress sheets.

The cards sheet has one row per indicator. Rows are grouped into cards and cards are given
their objective like this:

1. A row with a number belongs to the card of that number (wherever it sits).
2. A row without a number continues the card above it when its title is the same (or blank):
   a card's later indicator rows often leave the number empty.
3. Otherwise a row without a number starts a new, unnumbered card. Unnumbered cards, in sheet
   order, take the objective whose title is most similar to theirs (difflib ratio on the
   normalised text, at least TITLE_MATCH) among the objectives no numbered card claims and no
   earlier unnumbered card took.

Matching a title against thousands of objectives is the slow part of a large messy plan: the
full ratio is computed only for the titles whose upper bound can still beat the best so far,
visited best bound first (TitleIndex).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np

from chiari_xl.text import norm

TITLE_MATCH = 0.6  # an unnumbered card is taken for an objective from this title similarity


@dataclass
class Card:
    n: int | None                    # the number written on the card, None if blank
    rows: list[dict] = field(default_factory=list)
    objective: int | None = None     # the objective it belongs to (n, or matched by title)
    score: float | None = None       # title similarity, for a card matched by title

    @property
    def first(self) -> dict:
        return self.rows[0]

    @property
    def by_title(self) -> bool:
        return self.n is None and self.objective is not None


def similarity(a, b) -> float:
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio()


def group_cards(rows: list[dict]) -> list[Card]:
    """Cards in sheet order (rules 1-2 above); no objective assigned yet."""
    cards: list[Card] = []
    numbered: dict[int, Card] = {}
    current: Card | None = None
    prev_title = None
    for row in rows:
        n = row.get("n")
        title = row.get("titolo") or ""
        if n is not None:
            current = numbered.get(n)
            if current is None:
                current = numbered[n] = Card(n=n, objective=n)
                cards.append(current)
        elif current is None or (title and title != prev_title):
            current = Card(n=None)
            cards.append(current)
        current.rows.append(row)
        if title:
            prev_title = title
    return cards


def assign_cards(rows: list[dict], titles: dict[int, str]) -> list[Card]:
    """Cards with their objective (rule 3 above). `titles`: objective n -> title in the table.
    A numbered card keeps its number even if the table has no such objective (the checks say so)."""
    cards = group_cards(rows)
    unnumbered = [card for card in cards if card.n is None]
    if not unnumbered:
        return cards
    taken = {c.n for c in cards if c.n is not None}
    index = TitleIndex(titles)
    for card in unnumbered:
        best, score = index.best_match(card.first.get("titolo"), taken)
        if best is not None and score >= TITLE_MATCH:
            card.objective, card.score = best, score
            taken.add(best)
    return cards


class TitleIndex:
    """The objectives' titles, ready to find the one most similar to a card's title.

    The answer is difflib's: the highest SequenceMatcher ratio, ties to the earlier objective.
    Computing that ratio against thousands of titles is slow, so candidates are visited from
    the highest upper bound down and the search stops when no bound can beat the best ratio
    found. The bound is difflib's own quick_ratio (2 x the characters two texts share, counted
    as multisets, over their total length), computed for all titles at once with numpy from a
    table of character counts (normalised text has only a-z, 0-9 and spaces).
    """

    def __init__(self, titles: dict[int, str]):
        self.numbers = list(titles)
        self.texts = [norm(t) for t in titles.values()]
        self.counts = np.array([_char_counts(t) for t in self.texts], dtype=np.int32).reshape(
            len(self.texts), len(_ALPHABET))
        self.lengths = self.counts.sum(axis=1)

    def best_match(self, title, taken: set[int]) -> tuple[int | None, float]:
        """(objective, similarity) of the most similar title not taken; (None, 0.0) if none is
        similar at all."""
        text = norm(title)
        if not self.numbers:
            return None, 0.0
        counts = np.array(_char_counts(text), dtype=np.int32)
        shared = np.minimum(self.counts, counts).sum(axis=1)
        total = self.lengths + len(text)
        bounds = np.where(total > 0, 2.0 * shared / np.maximum(total, 1), 1.0)
        order = np.lexsort((np.arange(len(bounds)), -bounds))  # highest bound first, then sheet order
        matcher = difflib.SequenceMatcher(None)
        matcher.set_seq1(text)
        best, best_pos, best_score = None, -1, 0.0
        for pos in order.tolist():
            if bounds[pos] < best_score or (bounds[pos] == best_score and best is not None and pos > best_pos):
                break  # bounds only decrease from here: nobody can beat the best any more
            n = self.numbers[pos]
            if n in taken:
                continue
            matcher.set_seq2(self.texts[pos])
            s = matcher.ratio()
            if s > best_score or (s == best_score and best is not None and pos < best_pos):
                best, best_pos, best_score = n, pos, s
        return best, best_score


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
_SLOT = {ch: i for i, ch in enumerate(_ALPHABET)}


def _char_counts(text: str) -> list[int]:
    counts = [0] * len(_ALPHABET)
    for ch in text:
        counts[_SLOT[ch]] += 1
    return counts
