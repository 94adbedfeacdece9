"""A copy of the objective cards: their indicators, and each card's description and phases
when the plan has them, so card findings have a cell to link to (coloured, with the finding
as the cell's comment)."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float
from chiari_xl.workbook.formats import (COMUNE, LINE_PT, TITLE_ROW_PT, Formats, print_scale, print_setup,
                                       text_lines)

SHEET = "Schede"
HEADER = 2
# printed on A4 landscape in two bands, each with N.: the indicators, then weights, staff and texts
COLUMNS = [("n", "N.", 4), ("intestazione", "Settore / Area", 22), ("titolo", "Titolo nella scheda", 28),
           ("tempi", "Tempi di attuazione", 13), ("indicatore", "Indicatore operativo", 26),
           ("quantita", "Quantità", 13), ("attivita", "Attività", 30), ("peso_pct", "Peso %", 7),
           ("soglia_pct", "Soglia minima %", 8), ("personale", "Personale da coinvolgere", 24),
           ("descrizione", "Descrizione dell'obiettivo", 44), ("fasi", "Fasi di attuazione", 44)]
NUMBERS = ("n", "peso_pct", "soglia_pct")
CARD_TEXTS = ("descrizione", "fasi")  # one text per card: written once over the card's rows
MAX_LINES = 31  # the tallest row a spreadsheet allows (409 points)
CUT = " […] (testo completo nel commento della cella)"


def write_cards(wb, fmt: Formats, cards: pd.DataFrame | None, flags: dict,
                title: str = "Piano di performance organizzativa") -> dict[str, str]:
    """Write the sheet; return input cell -> output cell. `flags`: input cell -> (severity, comment).
    `title`: the plan's title (with its year)."""
    cell_of: dict[str, str] = {}
    if cards is None:
        return cell_of
    rows = records(cards)
    columns = [c for c in COLUMNS if c[0] not in CARD_TEXTS or any(r.get(c[0]) for r in rows)]
    ws = wb.add_worksheet(SHEET)
    # from column B: column A is printed on every page, where a longer text would be cut
    ws.write_string(0, 1, f"{COMUNE} – {title}: schede degli obiettivi", fmt.title)
    ws.set_row(0, TITLE_ROW_PT)
    ws.write_string(1, 1, "Indicatori, pesi e soglie" + (", descrizione e fasi" if len(columns) > len(COLUMNS)
                                                          - len(CARD_TEXTS) else "") + " di ogni scheda.", fmt.subtitle)
    for c, (_k, h, w) in enumerate(columns):
        ws.write_string(HEADER, c, h, fmt.header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER, max(text_lines(h, w, bold=True) for _k, h, w in columns) * LINE_PT + 4)
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
                                    if k not in NUMBERS and k not in CARD_TEXTS]), MAX_LINES))
    for c, (key, _h, width) in enumerate(columns):
        if key in CARD_TEXTS:
            _write_card_texts(ws, fmt, rows, c, key, width, flags, lines)
    for i, n in enumerate(lines):
        ws.set_row(HEADER + 1 + i, n * LINE_PT + 2)
    ws.freeze_panes(HEADER + 1, 1)
    ws.autofilter(HEADER, 0, HEADER + max(len(rows), 1), len(columns) - 1)
    # too wide for one readable page: the indicators on one page, weights, staff and the card's
    # texts on the next, each with the objective's number
    split = [k for k, _h, _w in columns].index("peso_pct")
    widths = [w for _k, _h, w in columns]
    scale = min(print_scale(widths[:split]), print_scale(widths[:1] + widths[split:]))
    print_setup(ws, (HEADER, HEADER), f"{title} – Schede", scale=scale)
    ws.set_v_pagebreaks([split])
    ws.repeat_columns(0)
    ws.print_across()  # each page of indicators followed by the page with their texts
    return cell_of


def _write_card_texts(ws, fmt: Formats, rows: list[dict], c: int, key: str, width: float, flags: dict,
                      lines: list[int]):
    """A card's description (or phases) once, merged over the run of its consecutive rows that
    repeat it; the rows of the run are made tall enough to show it (up to MAX_LINES each: a longer
    text is cut, and given whole in the cell's comment)."""
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
        room = (j - i + 1) * MAX_LINES
        full = text
        if text_lines(text, width) > room:  # taller than the rows can be: the whole text in the comment
            while text and text_lines(text + CUT, width) > room:
                text = text[:int(len(text) * 0.95)].rsplit(" ", 1)[0]
            text += CUT
            flag = (flag[0] if flag else None, (f"{flag[1]}\n\n" if flag else "") + full)
        if j > i:
            ws.merge_range(r0, c, r1, c, text, f)
        else:
            ws.write_string(r0, c, text, f)
        if flag:
            ws.write_comment(r0, c, flag[1], {"x_scale": 4, "y_scale": 6} if full != text else
                             {"x_scale": 2.2, "y_scale": 1.6})
        missing = text_lines(text, width) - sum(lines[i:j + 1])
        while missing > 0 and min(lines[i:j + 1]) < MAX_LINES:  # a line at a time to the rows not yet full
            for k in range(i, j + 1):
                if missing > 0 and lines[k] < MAX_LINES:
                    lines[k] += 1
                    missing -= 1
        i = j + 1
