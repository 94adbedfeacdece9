"""Where things are in an area's progress workbook: declared once, for the writer and the collector.

The indicator rows are an Excel table (TABLE) whose columns are COLUMNS, in this order; formulas
refer to them by name (structured references, `ref()`), the signature and the collector by
row and column numbers computed here from the same list. Rows are 1-based Excel rows.
The layout has not moved since the first version of the sheets, so sheets still in circulation
from then are read the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.progress.tables import this_row, whole_column

SHEET = "Monitoraggio"
SUMMARY = "Riepilogo"
INSTRUCTIONS = "Istruzioni"
SIGNATURE = "_firma"
TABLE = "Indicatori"          # the indicator rows of the Monitoraggio sheet
SUMMARY_TABLE = "Obiettivi"   # one row per objective on the Riepilogo sheet
HEADER_ROW = 5                # Excel row of the column headings
FIRST_ROW = 6                 # Excel row of the first indicator
TITLE_ROWS = (1, 2, 3)        # A1..A3: signed titles
NOTE_ROW = 4                  # A4: the one-line reminder (not signed)


class Kind(StrEnum):
    LOCKED = "locked"    # written by the office and signed
    INPUT = "input"      # the area's
    FORMULA = "formula"  # computed live, never read back


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: Kind
    width: float


# widths add up to 164: fitted to A4 landscape the sheet prints at about 83 %, its text at 8 pt or more
COLUMNS = [
    Column("n", "N. ob.", Kind.LOCKED, 5),
    Column("obiettivo", "Obiettivo", Kind.LOCKED, 25),
    Column("indicatore", "Indicatore", Kind.LOCKED, 25),
    Column("quantita_testo", "Target (come scritto nella scheda)", Kind.LOCKED, 16),
    Column("target", "Target numerico", Kind.LOCKED, 8),
    Column("peso", "Peso indicatore (%)", Kind.LOCKED, 8),
    Column("soglia", "Soglia minima obiettivo (%)", Kind.LOCKED, 8),
    Column("stato", "Stato", Kind.INPUT, 11),
    Column("quantita", "Quantità raggiunta", Kind.INPUT, 9),
    Column("percentuale", "% completamento (50 o 50%)", Kind.INPUT, 12),
    Column("nota", "Nota", Kind.INPUT, 17),
    Column("completamento", "Completamento calcolato", Kind.FORMULA, 13),
    Column("punti", "Punti (peso × compl.)", Kind.FORMULA, 9),
]
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
BY_KEY = {c.key: c for c in COLUMNS}
INPUTS = [c for c in COLUMNS if c.kind == Kind.INPUT]
FIELD_IT = {"stato": "Stato", "quantita": "Quantità raggiunta", "percentuale": "% completamento", "nota": "Nota"}
NOTE_MAX = 500
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
             "settembre", "ottobre", "novembre", "dicembre")


def month_label(month: str) -> str:
    """'2025-06' -> 'giugno 2025'."""
    m = MONTH_RE.match(month or "")
    if not m:
        return str(month)
    return f"{MONTHS_IT[int(m.group(2)) - 1]} {m.group(1)}"


def when_text(iso, with_time: bool = True) -> str:
    """An ISO time stamp as the office reads it: '2025-06-02T09:00:00' -> '02/06/2025 09:00'."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    except (TypeError, ValueError):
        return str(iso or "")


def next_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def cell(row: int, key: str) -> str:
    """A1 name of column `key` on Excel row `row`."""
    return xl_rowcol_to_cell(row - 1, INDEX[key])


def row_of(i: int) -> int:
    """Excel row of the i-th indicator (0-based)."""
    return FIRST_ROW + i


def ref(key: str) -> str:
    """Structured reference to the current row's `key` column of the indicator table."""
    return this_row(TABLE, BY_KEY[key].heading)


def column_ref(key: str) -> str:
    """Structured reference to the whole `key` column of the indicator table."""
    return whole_column(TABLE, BY_KEY[key].heading)


def locked_cells(n_rows: int) -> list[str]:
    """Every signed cell of the Monitoraggio sheet, in signing order."""
    cells = [f"A{r}" for r in TITLE_ROWS]
    cells += [xl_rowcol_to_cell(HEADER_ROW - 1, i) for i in range(len(COLUMNS))]
    for i in range(n_rows):
        cells += [cell(row_of(i), c.key) for c in COLUMNS if c.kind == Kind.LOCKED]
    return cells


def input_cells(n_rows: int) -> set[str]:
    return {cell(row_of(i), c.key) for i in range(n_rows) for c in INPUTS}
