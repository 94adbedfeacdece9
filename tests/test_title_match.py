"""Matching an unnumbered card to an objective by title (model/cards.py): the fast search gives
difflib's answer, the most similar title (ties to the earlier objective), whatever the titles."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from chiari_xl.model.cards import TitleIndex
from chiari_xl.text import norm

WORDS = ["piano", "manutenzione", "verde", "pubblico", "scuole", "archivio", "digitale", "tributi",
         "biblioteca", "strade", "servizi", "sociali", "anziani", "polizia", "locale", "È", "n.", "2025"]
titles_st = st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join),
                     min_size=1, max_size=25)


def brute_force(title, titles: dict[int, str], taken: set[int]):
    """The rule as written: every title's difflib ratio, the first highest wins, 0 is no match."""
    best, best_score = None, 0.0
    for n, other in titles.items():
        if n in taken:
            continue
        s = difflib.SequenceMatcher(None, norm(title), norm(other)).ratio()
        if s > best_score:
            best, best_score = n, s
    return best, best_score


@settings(max_examples=300, deadline=None, derandomize=True)
@given(titles_st, st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join), st.data())
def test_fast_search_gives_the_brute_force_answer(titles, title, data):
    numbered = {i * 3 + 1: t for i, t in enumerate(titles)}
    taken = set(data.draw(st.lists(st.sampled_from(sorted(numbered)), max_size=3)))
    assert TitleIndex(numbered).best_match(title, taken) == brute_force(title, numbered, taken)


def test_duplicate_titles_go_to_the_earlier_objective():
    index = TitleIndex({7: "Verde pubblico", 3: "Archivio", 9: "verde PUBBLICO"})
    assert index.best_match("Verde pubblico", set()) == (7, 1.0)
    assert index.best_match("Verde pubblico", {7}) == (9, 1.0)
    assert index.best_match("", {7, 9, 3}) == (None, 0.0)
