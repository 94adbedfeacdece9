"""Where things are in an area's progress workbook: shared by the writer and the collector."""

from __future__ import annotations

import re

from xlsxwriter.utility import xl_rowcol_to_cell

SHEET = "Monitoraggio"
SUMMARY = "Riepilogo"
INSTRUCTIONS = "Istruzioni"
SIGNATURE = "_firma"
HEADER_ROW = 5  # 1-based row of the column headings
FIRST_ROW = 6   # 1-based row of the first indicator
TITLE_CELLS = ("A1", "A2", "A3")

# (letter, heading, kind): kind "locked" = written by the office and signed; "input" = the
# area's; "formula" = computed live, never read back
COLUMNS = [
    ("A", "N. ob.", "locked"),
    ("B", "Obiettivo", "locked"),
    ("C", "Indicatore", "locked"),
    ("D", "Target (come scritto nella scheda)", "locked"),
    ("E", "Target numerico", "locked"),
    ("F", "Peso indicatore (%)", "locked"),
    ("G", "Soglia minima obiettivo (%)", "locked"),
    ("H", "Stato", "input"),
    ("I", "Quantità raggiunta", "input"),
    ("J", "% completamento (0-100)", "input"),
    ("K", "Nota", "input"),
    ("L", "Completamento calcolato", "formula"),
    ("M", "Punti (peso × completamento)", "formula"),
]
COL = {heading: letter for letter, heading, _ in COLUMNS}
INPUT_FIELDS = {"H": "stato", "I": "quantita", "J": "percentuale", "K": "nota"}
FIELD_IT = {"stato": "Stato", "quantita": "Quantità raggiunta", "percentuale": "% completamento",
            "nota": "Nota"}
LOCKED_LETTERS = [c for c, _, k in COLUMNS if k == "locked"]
LAST_LETTER = COLUMNS[-1][0]
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


def locked_cells(n_rows: int) -> list[str]:
    """Every signed cell of the Monitoraggio sheet, in signing order."""
    cells = list(TITLE_CELLS)
    cells += [f"{c}{HEADER_ROW}" for c, _, _ in COLUMNS]
    for r in range(FIRST_ROW, FIRST_ROW + n_rows):
        cells += [f"{c}{r}" for c in LOCKED_LETTERS]
    return cells


def cell(row0: int, col0: int) -> str:
    return xl_rowcol_to_cell(row0, col0)
