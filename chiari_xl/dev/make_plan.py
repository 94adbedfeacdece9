"""Write a plan workbook the way the municipality lays it out (openpyxl).

Used to build the bundled 2025 plan from its plain-text transcriptions, and by the tests
to build small plans, each holding one mistake or one layout variant. Options mimic what
people do to workbooks: numbers typed as Italian text, the category as one column instead
of five mark columns, columns in another order, no title rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from chiari_xl.model.money import euro
from chiari_xl.text import num
from chiari_xl.model.params import CATEGORIES, PlanParams, category_key
from chiari_xl.params_copy import put, write_params_sheet
from chiari_xl.reading.params_sheet import SHEET as PARAMS_SHEET

CAT_HEADERS = ["1.Strategico (40)", "2.Innovativo (25)", "3.miglioramento (20)",
               "4.mantenimento (10)", "5.una tantum (5)"]
TABLE_COLUMNS = [  # (key, heading)
    ("n", "N."), ("tipologia", "TIPOLOGIA / SETTORE"), ("obiettivo", "OBIETTIVO"),
    ("tempi", "TEMPI DI ATTUAZIONE"), ("personale", "PERSONALE COINVOLTO"),
    ("category", "STRATEGICITÀ"), ("n_dip", "N. DIP."), ("peso", "PESO %"),
    ("coeff", "COEFF. MULTIPLIC. DIP."), ("total_coeff", "TOTALE COEFF."),
    ("amount", "IMPORTO STANZIATO 2025 (peso e coeff.dipend. o % assegnata dalla G.C.)"),
]
CARD_COLUMNS = [
    ("n", "N."), ("intestazione", "Settore / Area (intestazione della scheda)"),
    ("titolo", "Titolo nella scheda"), ("tempi", "Tempi di attuazione"),
    ("indicatore", "Indicatore operativo"), ("quantita", "Quantità"), ("attivita", "Attività"),
    ("peso_pct", "Peso % (se completata = raggiungimento X% obiettivo)"),
    ("soglia_pct", "Soglia minima %"), ("personale", "Personale da coinvolgere"),
    # card-level texts, written only when the cards carry them (read_cards_csv's `texts`)
    ("descrizione", "Descrizione dell'obiettivo"), ("fasi", "Fasi di attuazione"),
]
CARD_TEXTS = ("descrizione", "fasi")
REPORTER_COLUMN = ("rilevato_da", "Rilevato da")  # optional: written only when a card says who reports

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass
class Style:
    title: bool = True  # title rows above the table
    category_marks: bool = True  # five mark columns (as published) vs one 'Strategicità' column
    italian_text: bool = False  # numbers typed as Italian text: '1,5', '4.137,93'
    merge_sectors: bool = True  # sector label merged down its rows
    column_order: list[str] | None = None  # keys of TABLE_COLUMNS in another order
    total_row: bool = False


def read_table_csv(path) -> list[dict]:
    """The transcription CSV of the summary table -> row dicts with Decimals."""
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            dec = lambda k: Decimal(r[k]) if r[k].strip() else None  # noqa: E731
            rows.append({"n": int(r["n"]), "tipologia": r["tipologia"], "obiettivo": r["obiettivo"],
                         "tempi": r["tempi_di_attuazione"], "personale": r["personale_coinvolto"],
                         "category": r["strategicita"], "n_dip": dec("n_dip"), "peso": dec("peso"),
                         "coeff": dec("coeff_dip"), "total_coeff": dec("totale_coeff"),
                         "amount": dec("importo_stanziato_2025")})
    return rows


def read_cards_csv(path, texts=None) -> list[dict]:
    """The indicators CSV -> one dict per indicator; `texts` (a CSV keyed by card number and
    title) adds each card's description and phases to every indicator row of that card."""
    by_card = {}
    if texts is not None:
        with open(texts, newline="", encoding="utf-8") as fh:
            by_card = {(r["n"], r["titolo"]): {"descrizione": r["descrizione"], "fasi": r["fasi_di_attuazione"]}
                       for r in csv.DictReader(fh)}
    rows, used = [], set()
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append({"n": int(r["n"]) if r["n"].strip() else None, "intestazione": r["intestazione"],
                         "titolo": r["titolo"], "tempi": r["tempi_di_attuazione"],
                         "indicatore": r["indicatore"], "quantita": r["quantita"], "attivita": r["attivita"],
                         "peso_pct": Decimal(r["peso_pct"]), "soglia_pct": Decimal(r["soglia_pct"]),
                         "personale": r["personale"]})
            if by_card:
                key = (r["n"], r["titolo"])
                if key not in by_card:
                    raise ValueError(f"{texts}: no texts for card {key}")
                rows[-1].update(by_card[key])
                used.add(key)
    if by_card and used != by_card.keys():
        raise ValueError(f"{texts}: texts for cards not in {path}: {sorted(by_card.keys() - used)}")
    return rows


def _cell_number(value, style: Style, money=False):
    if value is None or isinstance(value, str):
        return value  # text goes in as typed ("tutto il personale" in N. dip.)
    if not style.italian_text:
        return int(value) if value == value.to_integral_value() and not money else float(value)
    if money:
        return euro(value).removesuffix(" €")
    return num(value)


def write_plan(path, table: list[dict], cards: list[dict] | None, params: PlanParams | None,
               style: Style | None = None) -> Path:
    style = style or Style()
    wb = Workbook()
    ws = wb.active
    ws.title = "Obiettivi"
    _write_table(ws, table, style, params)
    if cards is not None:
        _write_cards(wb.create_sheet("Schede"), cards)
    if params is not None:
        write_params_sheet(wb.create_sheet(PARAMS_SHEET), params)
    path = Path(path)
    wb.save(path)
    return path


def _write_table(ws, table, style: Style, params):
    keys = style.column_order or [k for k, _ in TABLE_COLUMNS]
    headings = dict(TABLE_COLUMNS)
    # expand 'category' to five mark columns when asked
    columns: list[tuple[str, str]] = []
    for k in keys:
        if k == "category" and style.category_marks:
            columns += [(f"cat:{c}", h) for c, h in zip(CATEGORIES, CAT_HEADERS)]
        else:
            columns.append((k, headings[k]))
    r0 = 1
    if style.title:
        year = params.year if params and params.year else ""
        ws.cell(1, 1, f"COMUNE DI CHIARI - OBIETTIVI DI PERFORMANCE ORGANIZZATIVA {year}".strip())
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        ws.cell(2, 1, "Allegato al PIAO - riepilogo degli obiettivi e degli importi")
        r0 = 4
    two_rows = style.category_marks
    for c, (k, h) in enumerate(columns, start=1):
        if k.startswith("cat:"):
            ws.cell(r0 + 1, c, h)
            continue
        ws.cell(r0, c, h)
        if two_rows:
            ws.merge_cells(start_row=r0, start_column=c, end_row=r0 + 1, end_column=c)
    if two_rows:
        cat_cols = [c for c, (k, _) in enumerate(columns, start=1) if k.startswith("cat:")]
        ws.cell(r0, cat_cols[0], "STRATEGICITÀ")
        ws.merge_cells(start_row=r0, start_column=cat_cols[0], end_row=r0, end_column=cat_cols[-1])
    head_rows = range(r0, r0 + (2 if two_rows else 1))
    for r in head_rows:
        for c in range(1, len(columns) + 1):
            cell = ws.cell(r, c)
            cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    first = head_rows[-1] + 1
    for i, row in enumerate(table):
        r = first + i
        for c, (k, _) in enumerate(columns, start=1):
            if k.startswith("cat:"):
                value = row["category"] if category_key(row["category"]) == k[4:] else None
            elif k in ("n_dip", "peso", "coeff", "total_coeff"):
                value = _cell_number(row[k], style)
            elif k == "amount":
                value = _cell_number(row[k], style, money=True)
            else:
                value = row[k]
            cell = put(ws, r, c, value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if k == "amount" and not style.italian_text:
                cell.number_format = '#,##0.00 "€"'
    if style.merge_sectors:
        col = next(c for c, (k, _) in enumerate(columns, start=1) if k == "tipologia")
        start = first
        for i in range(1, len(table) + 1):
            if i == len(table) or table[i]["tipologia"] != table[i - 1]["tipologia"]:
                end = first + i - 1
                if end > start:
                    ws.merge_cells(start_row=start, start_column=col, end_row=end, end_column=col)
                start = end + 1
    if style.total_row:
        r = first + len(table)
        ws.cell(r, 1, "TOTALE")
        for c, (k, _) in enumerate(columns, start=1):
            if k in ("total_coeff", "amount"):
                total = sum((row[k] for row in table if row[k] is not None), Decimal(0))
                ws.cell(r, c, _cell_number(total, style, money=k == "amount"))
    widths = {"n": 5, "tipologia": 18, "obiettivo": 45, "tempi": 14, "personale": 30, "amount": 16}
    for c, (k, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(k, 10)
    ws.freeze_panes = ws.cell(first, 1)


def _write_cards(ws, cards):
    ws.cell(1, 1, "SCHEDE DI PROGETTO - indicatori operativi").font = Font(bold=True, size=13)
    columns = [(k, h) for k, h in CARD_COLUMNS if k not in CARD_TEXTS or any(k in card for card in cards)]
    columns += [REPORTER_COLUMN] if any(c.get(REPORTER_COLUMN[0]) for c in cards) else []
    for c, (_, h) in enumerate(columns, start=1):
        cell = ws.cell(3, c, h)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, card in enumerate(cards):
        for c, (k, _) in enumerate(columns, start=1):
            value = card.get(k)
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = put(ws, 4 + i, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"n": 5, "intestazione": 30, "titolo": 40, "tempi": 16, "indicatore": 35, "quantita": 16,
              "attivita": 50, "peso_pct": 14, "soglia_pct": 10, "personale": 35, "descrizione": 60,
              "fasi": 60, "rilevato_da": 24}
    for c, (k, _) in enumerate(columns, start=1):
        w = widths[k]
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A4"
