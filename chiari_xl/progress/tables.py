"""Excel tables for the progress workbooks: formulas refer to columns by name, never by letter.

A Table is declared once (name, columns); `this(key)` and `column(key)` give its structured
references, `write()` lays it out with xlsxwriter and writes every value, and every formula with
its cached value. The references are written in the explicit form `Table[[#This Row],[Col]]`,
which Excel shows as [@Col] and LibreOffice reads too (it does not resolve the short form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiari_xl.workbook.formats import fit_row_height


@dataclass(frozen=True)
class Col:
    key: str
    heading: str
    width: float
    fmt: str = "text"    # name of a format in the writer's format map


@dataclass(frozen=True)
class Formula:
    text: str
    cached: object


def escape(heading: str) -> str:
    """A column name inside a structured reference: ' [ ] # are escaped with '."""
    return re.sub(r"(['\[\]#])", r"'\1", heading)


def this_row(table: str, heading: str) -> str:
    return f"{table}[[#This Row],[{escape(heading)}]]"


def whole_column(table: str, heading: str) -> str:
    return f"{table}[[{escape(heading)}]]"


class Table:
    def __init__(self, name: str, cols: list[Col]):
        self.name = name
        self.cols = cols
        self.by_key = {c.key: c for c in cols}
        self.index = {c.key: i for i, c in enumerate(cols)}

    def this(self, key: str) -> str:
        return this_row(self.name, self.by_key[key].heading)

    def column(self, key: str) -> str:
        return whole_column(self.name, self.by_key[key].heading)

    def write(self, ws, header_row: int, rows: list[dict], formats: dict, header_fmt,
              style: str = "Table Style Light 1") -> int:
        """The table with its header on 0-based row `header_row`; returns its last 0-based row.
        rows: key -> value (str, number, None) or Formula. A table needs one data row: an empty
        one is written when `rows` is empty."""
        rows = rows or [{}]
        last = header_row + len(rows)
        ws.add_table(header_row, 0, last, len(self.cols) - 1,
                     {"name": self.name, "autofilter": False, "style": style,
                      "columns": [{"header": c.heading} for c in self.cols]})
        for i, c in enumerate(self.cols):
            ws.write_string(header_row, i, c.heading, header_fmt)
            ws.set_column(i, i, c.width)
        for j, row in enumerate(rows):
            r = header_row + 1 + j
            for i, c in enumerate(self.cols):
                put(ws, r, i, row.get(c.key), formats[c.fmt])
        return last


def put(ws, r: int, c: int, value, fmt) -> None:
    """One cell: text stays text (never a formula), numbers are numbers, Formula has its cached value."""
    if isinstance(value, Formula):
        ws.write_formula(r, c, value.text, fmt, value.cached)
    elif value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)


def note(ws, row: int, text: str, table: Table, f, large: bool = False) -> None:
    """A line of text across the width of `table` (one narrow first column would cut it)."""
    width = sum(c.width for c in table.cols)
    ws.merge_range(row, 0, row, len(table.cols) - 1, text, f)
    fit_row_height(ws, row, [(text, width * (0.7 if large else 1))], line_pt=17 if large else 13)


def fit_heights(ws, header_row: int, rows: list[dict], table: Table, keys: tuple[str, ...]) -> None:
    """Rows tall enough for their wrapped text (what a spreadsheet would not do by itself)."""
    fit_row_height(ws, header_row, [(c.heading, c.width * 0.7) for c in table.cols])
    for j, row in enumerate(rows):
        fit_row_height(ws, header_row + 1 + j, [(row.get(k), table.by_key[k].width) for k in keys
                                                if isinstance(row.get(k), str)])
