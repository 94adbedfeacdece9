"""The completion rule of an indicator, written once: Python and Excel formulas both come from RULE.

Completion of one indicator (a fraction, capped to 0..1), first branch that applies:
  1. "% completamento" when filled (in points, 0-100);
  2. else "quantità raggiunta" / numeric target, when both are there and the target is > 0;
  3. else the state: "Completato" = 1, anything else = 0.

RULE is data (a few small expression classes); `completion()` evaluates it exactly with Fractions
and `completion_formula()` renders the same tree as an Excel formula, so the area sheet, the
consolidated workbook and the collector can never disagree on the rule.

How "% completamento" is read (people type 50, or 50%): points_of_cell() below. A number typed in
a cell with a percent format (Excel stores "50%" as 0.5 and formats the cell as a percentage) is
a fraction of 1 and counts ×100; a number in a plain cell is already in points (50 = 50 %); text
with a "%" sign is in points. A plain number above 0 and up to 1 is ambiguous (0,5 % or 50 %?)
and is refused for that cell with the reason, never silently read as 0,5 %.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from chiari_xl.text import norm


class State(StrEnum):
    """The state an area chooses for an indicator. Value: stable code; `label`: what the sheet shows."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @classmethod
    def from_text(cls, text) -> State | None:
        """'Completato', 'completato ', 'done' -> State.DONE; None when it is no state."""
        key = norm(text)
        for s in cls:
            if key in (norm(s.label), norm(s.value)):
                return s
        return None


_STATE_LABELS = {State.NOT_STARTED: "Non avviato", State.IN_PROGRESS: "In corso", State.DONE: "Completato"}
STATE_LABELS = [s.label for s in State]


# --------------------------------------------------------------------------- the rule as data

@dataclass(frozen=True)
class Field:
    name: str

    def py(self, env):
        return env[self.name]

    def xl(self, refs):
        return refs[self.name].value


@dataclass(frozen=True)
class Const:
    value: int

    def py(self, env):
        return Fraction(self.value)

    def xl(self, refs):
        return str(self.value)


@dataclass(frozen=True)
class Div:
    a: object
    b: object

    def py(self, env):
        return Fraction(self.a.py(env)) / Fraction(self.b.py(env))

    def xl(self, refs):
        return f"{self.a.xl(refs)}/{self.b.xl(refs)}"


@dataclass(frozen=True)
class Filled:
    name: str

    def py(self, env):
        return env[self.name] is not None

    def xl(self, refs):
        return f'{refs[self.name].raw}<>""'


@dataclass(frozen=True)
class Positive:
    name: str

    def py(self, env):
        return env[self.name] is not None and env[self.name] > 0

    def xl(self, refs):
        return f"N({refs[self.name].raw})>0"


@dataclass(frozen=True)
class Is:
    name: str
    state: State

    def py(self, env):
        return env[self.name] == self.state

    def xl(self, refs):
        return f'{refs[self.name].raw}="{self.state.label}"'


@dataclass(frozen=True)
class All:
    parts: tuple

    def py(self, env):
        return all(p.py(env) for p in self.parts)

    def xl(self, refs):
        return "AND(" + ",".join(p.xl(refs) for p in self.parts) + ")"


FIELDS = ("stato", "quantita", "percentuale", "target")
RULE = (
    (Filled("percentuale"), Div(Field("percentuale"), Const(100))),
    (All((Filled("quantita"), Positive("target"))), Div(Field("quantita"), Field("target"))),
    (Is("stato", State.DONE), Const(1)),
)
OTHERWISE = Const(0)


@dataclass(frozen=True)
class Ref:
    """How a formula reads one field: `raw` to test the cell, `value` to compute with it."""

    raw: str
    value: str | None = None

    def __post_init__(self):
        if self.value is None:
            object.__setattr__(self, "value", self.raw)


PROGRESS_FIELDS = ("stato", "quantita", "percentuale")  # a note alone says nothing about progress


def has_progress(values: dict) -> bool:
    """True when one of the fields the rule reads is filled: the indicator has been reported."""
    return any(values.get(f) is not None for f in PROGRESS_FIELDS)


def completion(stato: State | None, quantita, percentuale, target) -> Fraction:
    """The rule above, exact, in [0, 1]. percentuale in points (0-100)."""
    env = {"stato": stato, "quantita": quantita, "percentuale": percentuale, "target": target}
    for condition, value in RULE:
        if condition.py(env):
            return max(Fraction(0), min(Fraction(1), value.py(env)))
    return OTHERWISE.py(env)


def completion_formula(refs: dict[str, Ref]) -> str:
    """The rule above as one Excel formula; refs: field -> Ref (cell or structured reference)."""
    text = OTHERWISE.xl(refs)
    for condition, value in reversed(RULE):
        text = f"IF({condition.xl(refs)},MIN(1,MAX(0,{value.xl(refs)})),{text})"
    return "=" + text


def percent_points_formula(ref: str) -> str:
    """Excel's reading of a "% completamento" cell: ×100 when the cell has a percent format
    (CELL("format") starts with "P" in Excel and LibreOffice), as points_of_cell does."""
    return f'IF(LEFT(CELL("format",{ref}),1)="P",{ref}*100,{ref})'


# --------------------------------------------------------------------------- reading a percentage

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(number_format: str | None) -> bool:
    """True for a real percent format ('0%', '0.00%'); a quoted or escaped % is only text."""
    return "%" in _QUOTED.sub("", number_format or "")


class Ambiguous(ValueError):
    """A percentage that could mean two things: refused for its cell, with the Italian reason."""


def points_of_cell(value: Decimal, number_format: str | None, typed_text: str | None = None) -> Decimal:
    """Points (0-100) of a "% completamento" cell holding `value` (already a finite Decimal).

    typed_text: the cell's text when it held text (then a "%" sign means points)."""
    if typed_text is not None:
        if "%" in typed_text or value == 0 or value > 1:
            return value
        raise Ambiguous(_ambiguous(value))
    if is_percent_format(number_format):
        if value > 1:
            shown = _it(value * 100)
            raise Ambiguous(f"la cella è in formato percentuale e mostra {shown} %: scrivere 50 (oppure 50%) "
                            "per metà.")
        return value * 100
    if 0 < value <= 1:
        raise Ambiguous(_ambiguous(value))
    return value


def _ambiguous(value: Decimal) -> str:
    v = _it(value)
    return (f"{v} è ambiguo: {v} % oppure {_it(value * 100)} %? Scrivere {_it(value * 100)} (oppure "
            f"{_it(value * 100)}%) per {_it(value * 100)} %, oppure {v}% se si intende proprio {v} %.")


def _it(d: Decimal) -> str:
    return format(d.normalize(), "f").replace(".", ",")
