"""A copy of the objective cards: their indicators, and each card's description and phases
when the plan has them, so card findings have a cell to link to (coloured, with the finding
as the cell's comment)."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float
from chiari_xl.workbook.formats import LINE_PT, Formats, print_setup, text_lines

SHEET = "Schede"
HEADER = 2
COLUMNS = [("n", "N.", 5), ("intestazione", "Settore / Area", 28), ("titolo", "Titolo nella scheda", 36),
           ("tempi", "Tempi di attuazione", 16), ("indicatore", "Indicatore operativo", 32),
           ("quantita", "Quantità", 16), ("attivita", "Attività", 40), ("peso_pct", "Peso %", 8),
           ("soglia_pct", "Soglia minima %", 9), ("personale", "Personale da coinvolgere", 32),
           ("descrizione", "Descrizione dell'obiettivo", 48), ("fasi", "Fasi di attuazione", 48)]
NUMBERS = ("n", "peso_pct", "soglia_pct")
CARD_TEXTS = ("descrizione", "fasi")  # one text per card: written once over the card's rows
ROW_LINES, RUN_LINES = 8, 30  # most lines a row shows for its own texts, and for a card's long texts


def write_cards(wb, fmt: Formats, cards: pd.DataFrame | None, flags: dict) -> dict[str, str]:
    """Write the sheet; return input cell -> output cell. `flags`: input cell -> (severity, comment)."""
    cell_of: dict[str, str] = {}
    if cards is None:
        return cell_of
    rows = records(cards)
    columns = [c for c in COLUMNS if c[0] not in CARD_TEXTS or any(r.get(c[0]) for r in rows)]
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, "Schede degli obiettivi: indicatori, pesi e soglie"
                    + (", descrizione e fasi" if len(columns) > len(COLUMNS) - len(CARD_TEXTS) else ""), fmt.title)
    for c, (_k, h, w) in enumerate(columns):
        ws.write_string(HEADER, c, h, fmt.header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER, 30)
    lines = []
    for i, row in enumerate(rows):
        r = HEADER + 1 + i
        for c, (key, _h, _w) in enumerate(columns):
            src = row.get(f"cell_{key}")
            if src:
                cell_of[src] = xl_rowcol_to_cell(r, c)
            if key in CARD_TEXTS:
                continue
            flag = flags.get(src)
            value = row.get(key)
            if key in NUMBERS:
                f = fmt.flagged("int", flag[0]) if flag else (fmt.int if key == "n" else fmt.pct)
                if value is None:
                    ws.write_string(r, c, row.get(f"{key}_text") or "", f)
                else:
                    ws.write_number(r, c, to_float(value), f)
            else:
                ws.write_string(r, c, value or "", fmt.flagged("text", flag[0]) if flag else fmt.text)
            if flag:
                ws.write_comment(r, c, flag[1], {"x_scale": 2.2, "y_scale": 1.6})
        lines.append(min(max([1] + [text_lines(row.get(k), w) for k, _h, w in columns
                                    if k not in NUMBERS and k not in CARD_TEXTS]), ROW_LINES))
    for c, (key, _h, width) in enumerate(columns):
        if key in CARD_TEXTS:
            _write_card_texts(ws, fmt, rows, c, key, width, flags, lines)
    for i, n in enumerate(lines):
        ws.set_row(HEADER + 1 + i, n * LINE_PT + 2)
    ws.freeze_panes(HEADER + 1, 1)
    ws.autofilter(HEADER, 0, HEADER + max(len(rows), 1), len(columns) - 1)
    print_setup(ws, (HEADER, HEADER), "Schede degli obiettivi")
    if len(columns) == len(COLUMNS):
        # too wide for one readable page: the indicators on one page, weights, staff and the card's
        # texts on the next, each with the objective's number
        split = [k for k, _h, _w in columns].index("peso_pct")
        ws.fit_to_pages(2, 0)
        ws.set_v_pagebreaks([split])
        ws.repeat_columns(0)
        ws.print_across()  # each page of indicators followed by the page with their texts
    return cell_of


def _write_card_texts(ws, fmt: Formats, rows: list[dict], c: int, key: str, width: float, flags: dict,
                      lines: list[int]):
    """A card's description (or phases) once, merged over the run of its consecutive rows that
    repeat it; the rows of the run are made tall enough to show it (up to RUN_LINES each)."""
    i = 0
    while i < len(rows):
        j = i
        text = rows[i].get(key) or ""
        while j + 1 < len(rows) and text and rows[j + 1].get(key) == text \
                and rows[j + 1].get("n") == rows[i].get("n") and rows[j + 1].get("titolo") == rows[i].get("titolo"):
            j += 1
        flag = flags.get(rows[i].get(f"cell_{key}"))
        f = fmt.flagged("text", flag[0]) if flag else fmt.text
        r0, r1 = HEADER + 1 + i, HEADER + 1 + j
        if j > i:
            ws.merge_range(r0, c, r1, c, text, f)
        else:
            ws.write_string(r0, c, text, f)
        if flag:
            ws.write_comment(r0, c, flag[1], {"x_scale": 2.2, "y_scale": 1.6})
        need = text_lines(text, width)
        have = sum(lines[i:j + 1])
        if need > have:
            extra = -(-(need - have) // (j - i + 1))  # spread over the run, rounded up
            for k in range(i, j + 1):
                lines[k] = min(lines[k] + extra, RUN_LINES)
        i = j + 1
