"""A copy of the objective cards' indicators, so card findings have a cell to link to."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.workbook.formats import Formats, fit_row_height, print_setup
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float

SHEET = "Schede"
HEADER = 2
COLUMNS = [("n", "N.", 5), ("intestazione", "Settore / Area", 28), ("titolo", "Titolo nella scheda", 36),
           ("tempi", "Tempi di attuazione", 16), ("indicatore", "Indicatore operativo", 32),
           ("quantita", "Quantità", 16), ("attivita", "Attività", 40), ("peso_pct", "Peso %", 8),
           ("soglia_pct", "Soglia minima %", 9), ("personale", "Personale da coinvolgere", 32)]


def write_cards(wb, fmt: Formats, cards: pd.DataFrame | None, flags: dict) -> dict[str, str]:
    """Write the sheet; return input cell -> output cell."""
    cell_of: dict[str, str] = {}
    if cards is None:
        return cell_of
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, "Schede degli obiettivi: indicatori, pesi e soglie", fmt.title)
    for c, (_k, h, w) in enumerate(COLUMNS):
        ws.write_string(HEADER, c, h, fmt.header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER, 30)
    for i, row in enumerate(records(cards)):  # dicts: iterrows builds a Series per row
        r = HEADER + 1 + i
        for c, (key, _h, _w) in enumerate(COLUMNS):
            src = row.get(f"cell_{key}")
            severity = flags.get(src)
            if src:
                cell_of[src] = xl_rowcol_to_cell(r, c)
            value = row.get(key)
            if key in ("n", "peso_pct", "soglia_pct"):
                f = fmt.flagged("int", severity) if severity else (fmt.int if key == "n" else fmt.pct)
                if value is None:
                    ws.write_string(r, c, row.get(f"{key}_text") or "", f)
                else:
                    ws.write_number(r, c, to_float(value), f)
            else:
                f = fmt.flagged("text", severity) if severity else fmt.text
                ws.write_string(r, c, value or "", f)
        fit_row_height(ws, r, [(row.get(k) or "", w) for k, _h, w in COLUMNS
                               if k not in ("n", "peso_pct", "soglia_pct")], max_lines=8)
    ws.freeze_panes(HEADER + 1, 1)
    ws.autofilter(HEADER, 0, HEADER + max(len(cards), 1), len(COLUMNS) - 1)
    print_setup(ws, (HEADER, HEADER), "Schede degli obiettivi")
    return cell_of
