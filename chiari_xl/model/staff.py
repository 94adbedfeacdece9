"""Headcount from the free text that describes the staff of an objective.

"n.1 resp.Area EQ+n.6 dipendenti area" -> 6 staff + 1 manager. The plans count the area
manager (Responsabile EQ) sometimes in N. dip. and sometimes not, so the text gives two
admissible headcounts: without and with managers. Text that names people without a
number ("agenti incaricati", "dirigenti", "tutto il personale") makes the count open-ended:
it gives only a lower bound. Alternatives ("n. 2 / 3 dip.") and fractions ("2,5 dipendenti")
make it ambiguous: no claim.
This is soft evidence, so the checks built on it are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiari_xl.text import norm, plural

_MANAGER = re.compile(r"^(resp|responsabil|dirigent|disability|comandant|capo|eq$|e q$|p o$|incaricat)")
_PLURAL_PEOPLE = re.compile(
    r"\b(dirigenti|responsabili|incaricati|agenti|dipendenti|impiegati|operai|istruttori|"
    r"tecnici|operatori|personale|volontari|addetti)\b")
_NUMBER = re.compile(r"(?:\bn\s*[.°º]?\s*|n°\s*|\b)(\d{1,3})(?!\s*[.,/]\s*\d)(?![\d%])")
_ALTERNATIVE = re.compile(r"\b\d{1,3}\s*/\s*\d{1,3}\b")
_FRACTIONAL = re.compile(r"(?<!\d)\d{1,3}[.,]\d{1,2}(?![\d.,])")  # "2,5 dipendenti": no headcount
_NAMED_BY_PAREN = re.compile(r"(\d)\s*\(([^()\d]*)\)")
_PAREN = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class StaffCount:
    staff: int  # people other than managers
    managers: int
    open_ended: bool = False  # some people are named without a number: this is a minimum
    ambiguous: bool = False  # the text gives alternatives: no headcount can be claimed
    counted: bool = True  # the text holds at least one count at all

    @property
    def admissible(self) -> set[int]:
        return {self.staff, self.staff + self.managers}

    def agrees_with(self, n: int) -> bool:
        if self.ambiguous or not self.counted:
            return True
        if self.open_ended:
            return n >= self.staff
        return n in self.admissible

    def describe(self) -> str:
        if self.ambiguous:
            return "un numero non determinabile"
        if self.open_ended:
            return f"almeno {self.staff}"
        staff = plural(self.staff, "dipendente", "dipendenti")
        if self.managers:
            return (f"{staff} + {plural(self.managers, 'responsabile', 'responsabili')} "
                    f"({self.staff} o {self.staff + self.managers})")
        return staff

    def nearest(self, n: int) -> int:
        """The admissible headcount closest to n (the one a correction would use)."""
        return min(sorted(self.admissible), key=lambda a: abs(a - n))


def _count_segment(text: str) -> tuple[int, int, bool]:
    """(staff, managers, saw_unnumbered_people) of text without parentheses."""
    staff = managers = 0
    consumed: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(text):
        value = int(m.group(1))
        if value == 0 or value > 500:
            continue
        # the noun the number counts: up to the next separator ("+", ",", ";", " e ")
        raw_noun = re.split(r"[+,;]|\be\b", text[m.end():m.end() + 40])[0]
        noun = norm(raw_noun)
        # "resp. Area", "dirigente", and the abbreviations "EQ", "E.Q.", "P.O." on their own
        if _MANAGER.match(noun.split(" ")[0]) or _MANAGER.match(noun):
            managers += value
        else:
            staff += value
        consumed.append((m.start(), m.end() + len(raw_noun)))
    # managers named without a number ("Responsabile Area EQ", "Resp.EQ")
    rest = text
    for a, b in reversed(consumed):
        rest = rest[:a] + " " * (b - a) + rest[b:]
    # ("responsabili", "dirigenti" without a number are people of unknown number, as "tutto il personale")
    managers += sum(1 for m in re.finditer(r"(?i)\b(resp\w*|dirigent\w*|comandante)", rest)
                    if m.group(1).lower() not in ("responsabili", "dirigenti"))
    rest_norm = norm(rest)
    unnumbered_people = bool(_PLURAL_PEOPLE.search(rest_norm)) or "tutti" in rest_norm
    return staff, managers, unnumbered_people


def parse_staff(text: str | None) -> StaffCount:
    text = text or ""
    if not text.strip():
        return StaffCount(0, 0, counted=False)
    if _ALTERNATIVE.search(text) or _FRACTIONAL.search(text):
        return StaffCount(0, 0, ambiguous=True)
    # "4+1(Dirigente)": a parenthesis right after a number names what the number counts
    text = _NAMED_BY_PAREN.sub(r"\1 \2 ", text)
    outer = _PAREN.sub(" ", text)
    staff, managers, open_ended = _count_segment(outer)
    # a parenthesis either breaks down the number before it ("3 dipendenti (2 AS, 1 amm.)"),
    # or is the only count of a group ("Gruppo di lavoro (n.5 dipendenti)")
    for m in _PAREN.finditer(text):
        inner_staff, inner_managers, inner_open = _count_segment(m.group(1))
        before = re.findall(r"\d{1,3}", _PAREN.sub(" ", text[:m.start()]))
        inner = inner_staff + inner_managers
        if before and int(before[-1]) == inner:
            continue
        staff += inner_staff
        managers += inner_managers
        open_ended = open_ended or (inner == 0 and inner_open)
    counted = staff + managers > 0
    if not counted:
        return StaffCount(0, 0, open_ended=True, counted=open_ended)
    return StaffCount(staff, managers, open_ended=open_ended)
