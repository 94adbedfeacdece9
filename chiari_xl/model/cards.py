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

Matching a title against thousands of objectives is the slow part of a large messy plan, so
candidates are first screened with difflib's cheap upper bounds (real_quick_ratio, quick_ratio)
and the full ratio is computed only for those that can still beat the best so far.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

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
    taken = {c.n for c in cards if c.n is not None}
    normalised = {n: norm(t) for n, t in titles.items()}
    for card in cards:
        if card.n is not None:
            continue
        best, score = best_title_match(card.first.get("titolo"), normalised, taken)
        if best is not None and score >= TITLE_MATCH:
            card.objective, card.score = best, score
            taken.add(best)
    return cards


def best_title_match(title, normalised: dict[int, str], taken: set[int]) -> tuple[int | None, float]:
    """(objective, similarity) of the most similar title not taken; ties go to the first.
    `normalised`: objective n -> its title already through text.norm."""
    matcher = difflib.SequenceMatcher(None)
    matcher.set_seq1(norm(title))
    best, best_score = None, 0.0
    for n, other in normalised.items():
        if n in taken:
            continue
        matcher.set_seq2(other)
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        s = matcher.ratio()
        if s > best_score:
            best, best_score = n, s
    return best, best_score
