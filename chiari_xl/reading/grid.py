"""A sheet as a plain grid of values, whatever file it came from.

The reader works on grids, so the file formats (openpyxl for .xlsx/.xlsm, calamine for
.xls/.ods) only have to produce them. Merged ranges are filled with their top-left value,
which is what a person sees across the merged block. Beside the values, a grid keeps the
formulas of its cells (read from the .xlsx XML by formula_cells.py), so the value a rule uses
and the formula that made it travel together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

ERROR_VALUES = {"#REF!", "#RIF!", "#DIV/0!", "#VALUE!", "#VALORE!", "#NAME?", "#NOME?", "#N/A",
                "#N/D", "#NUM!", "#NULL!", "#NULLO!", "#SPILL!", "#CALC!", "#GETTING_DATA"}


@dataclass
class Grid:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based inclusive
    # .xlsx only: (row, col) -> formula text ('=L6*M6'), and the formula cells saved without a value
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def value(self, r: int, c: int):
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def formula(self, r: int, c: int) -> str:
        return self.formulas.get((r, c), "")

    def set_value(self, r: int, c: int, value) -> None:
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value

    @staticmethod
    def a1(r: int, c: int) -> str:
        """0-based row/col -> 'B7', as the user sees it."""
        return xl_rowcol_to_cell(r, c)

    def fill_merged(self) -> None:
        for r1, c1, r2, c2 in self.merged:
            top = self.value(r1, c1)
            for r in range(r1, min(r2, len(self.rows) - 1) + 1):
                row = self.rows[r]
                if len(row) <= c2:
                    row.extend([None] * (c2 + 1 - len(row)))
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        row[c] = top


def is_error_value(value) -> bool:
    return isinstance(value, str) and value.strip().upper() in ERROR_VALUES


def column_range(cells) -> str:
    """'K5:K31' spanning the given cells of one column (for a finding about a whole column)."""
    cells = [c for c in cells if c]
    if not cells:
        return ""
    col = "".join(ch for ch in cells[0] if ch.isalpha())
    rows = sorted(int("".join(ch for ch in c if ch.isdigit())) for c in cells)
    return f"{col}{rows[0]}:{col}{rows[-1]}"
