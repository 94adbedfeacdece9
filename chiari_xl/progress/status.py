"""The state of an objective in a month, written once for Python and for the workbook formulas.

  Da compilare   nobody has filled anything for any of its indicators yet (an untouched sheet
                 is not "below the threshold": it is not filled in);
  Sopra soglia   achievement ≥ soglia (the soglia is met);
  Sotto soglia   otherwise (and when the plan gives no soglia).

A sum of float products may land a hair under an exactly met soglia in a spreadsheet, so the
formula compares ROUND(achievement, 9); Python compares exact Fractions.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction


class Status(StrEnum):
    TO_FILL = "to-fill"
    REACHED = "reached"
    BELOW = "below"

    @property
    def label(self) -> str:
        return {Status.TO_FILL: "Da compilare", Status.REACHED: "Sopra soglia", Status.BELOW: "Sotto soglia"}[self]


def status(filled: bool, achievement: Fraction, soglia) -> Status:
    if not filled:
        return Status.TO_FILL
    if soglia is not None and achievement >= Fraction(soglia):
        return Status.REACHED
    return Status.BELOW


def status_formula(filled: str, achievement: str, soglia: str) -> str:
    """The same rule as an Excel formula; arguments are Excel expressions (filled: a count)."""
    return (f'=IF({filled}=0,"{Status.TO_FILL.label}",IF(AND(ISNUMBER({soglia}),ROUND({achievement},9)>={soglia}),'
            f'"{Status.REACHED.label}","{Status.BELOW.label}"))')


def status_highlights(ws, first_row: int, last_row: int, col: int, fmt) -> None:
    """Green / red / yellow for the three states in column `col` (0-based rows and column)."""
    for st, f in ((Status.REACHED, fmt.ok), (Status.BELOW, fmt.flag_error), (Status.TO_FILL, fmt.flag_warning)):
        ws.conditional_format(first_row, col, last_row, col, {"type": "cell", "criteria": "==",
                                                              "value": f'"{st.label}"', "format": f})
