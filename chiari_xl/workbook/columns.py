"""A sheet's columns declared once, each by a key: writers and formulas ask for a key's position,
letter, cell or range, never for a number or a letter of their own.

For sheets that are not Excel tables (the year-end workbooks: their formulas rank rows against
the rows above, a range structured references cannot express, and their totals sit under the
data). Reordering or inserting a column in a declaration moves every cell and formula with it.
The checked workbook's tables, read by structured references, are declared in names.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_range_abs, xl_rowcol_to_cell


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: float


class Columns:
    """Columns in sheet order from (key, heading, width); the first at column `first` (0 = A).
    Rows are 0-based, as xlsxwriter counts them."""

    def __init__(self, columns, first: int = 0):
        self.columns = [Column(*c) for c in columns]
        self.first = first
        self._index = {c.key: first + i for i, c in enumerate(self.columns)}
        if len(self._index) != len(self.columns):
            raise ValueError(f"duplicate column keys in {[c.key for c in self.columns]}")

    def __len__(self) -> int:
        return len(self.columns)

    def __iter__(self):
        """(column number, Column) in sheet order."""
        return ((self.first + i, c) for i, c in enumerate(self.columns))

    @property
    def last(self) -> int:
        return self.first + len(self.columns) - 1

    def index(self, key: str) -> int:
        return self._index[key]

    def letter(self, key: str) -> str:
        return xl_col_to_name(self._index[key])

    def width(self, key: str) -> float:
        return self.columns[self._index[key] - self.first].width

    def headings(self) -> list[tuple[str, float]]:
        """(heading, width) in sheet order."""
        return [(c.heading, c.width) for c in self.columns]

    def cell(self, key: str, row: int, row_abs: bool = False, col_abs: bool = False) -> str:
        """F5; $F5, F$5, $F$5 as asked."""
        return xl_rowcol_to_cell(row, self._index[key], row_abs, col_abs)

    def range(self, key: str, first: int, last: int, sheet: str | None = None) -> str:
        """The column's rows first..last, absolute: $F$5:$F$9, with 'Sheet'! when given."""
        c = self._index[key]
        ref = xl_range_abs(first, c, last, c)
        return f"'{sheet}'!{ref}" if sheet else ref

    def above(self, key: str, head: int, row: int) -> str:
        """From the heading row `head` (absolute) to the row above `row` (relative): $F$4:F8.
        Starting at the heading keeps the range upright on the first data row: spreadsheets read
        $F$5:F4 as F4:F5, which would count the row itself."""
        c = self._index[key]
        return f"{xl_rowcol_to_cell(head, c, True, True)}:{xl_rowcol_to_cell(row - 1, c)}"
