"""The Parametri sheet of the checked workbook, with defined names the formulas use."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from chiari_xl.model.params import Payout, PlanParams, Rounding, SplitRule
from chiari_xl.reading.params_sheet import SHEET, layout
from chiari_xl.workbook.formats import (COMUNE, TITLE_ROW_PT, Formats, fit_row_height, print_scale, print_setup,
                                       text_lines)

# Defined names the formulas read: one per value, one per column of each table (a formula
# reads a column by its name, never "column 2 of a range").
_COLUMN_NAMES = {"PesiCategoria": ("weights", 0), "PesiValore": ("weights", 1),
                 "FasceDa": ("brackets", 0), "FasceA": ("brackets", 1), "FasceCoeff": ("brackets", 2),
                 "FissiN": ("fixed", 0), "FissiImporto": ("fixed", 1),
                 "SettoriNomi": ("sectors", 0), "SettoriPesi": ("sectors", 1),
                 "FasceOre": ("bands", 0), "FasceImporto": ("bands", 1)}
_SCALAR_NAMES = {"all_staff_coeff": "CoeffTutti", "fund_total": "FondoMassimo",
                 "fund_assigned": "FondoAttribuito", "fund_reserve": "FondoRiserva",
                 "fund_welfare": "FondoWelfare", "general_pool": "FondoGenerali",
                 "payout": "RegolaPagamento", "split_rule": "RegolaRiparto",
                 "event_objective": "ObiettivoEventi", "event_uplift": "MaggiorazioneEventi"}
# the format of each value: money, a coefficient (0,50), or a number shown as typed (40, 2025)
_MONEY = {"fund_total", "fund_assigned", "fund_reserve", "fund_welfare", "general_pool",
          ("fixed", 1), ("bands", 1)}
_FACTORS = {"all_staff_coeff", ("brackets", 2)}
WIDTHS = (44, 34, 22, 22, 14)  # label, value, and the tables' further columns; the last: Uso
USE_COL = 4
FEEDS, INFORMATIVE = "nelle formule", "informativo"


# the rules chosen from a list: (defined name of the list, input title, the enum whose labels it holds)
_CHOICES = {"rounding": ("ElencoArrotondamento", "Arrotondamento", Rounding),
            "payout": ("ElencoRegolaPagamento", "Regola di pagamento", Payout),
            "split_rule": ("ElencoRegolaRiparto", "Riparto tra i dipendenti", SplitRule)}
LISTS_SHEET = "Elenchi"


def write_parameters(wb, fmt: Formats, params: PlanParams, uses: set[str] | None = None) -> dict[str, str]:
    """Write the sheet; return {name: absolute reference} (also defined as workbook names).

    `uses`: the defined names the workbook's formulas read. When given, every value says in the
    «Uso» column whether it feeds those formulas or is only informative (read by another step,
    or by the next run), and so does the heading of a table's column that feeds nothing."""
    ws = wb.add_worksheet(SHEET)
    _choice_lists(wb)
    for c, w in enumerate(WIDTHS if uses is not None else WIDTHS[:USE_COL]):
        ws.set_column(c, c, w)
    refs: dict[str, str] = {}
    table_rows: dict[str, list[int]] = {}
    rows = layout(params)
    for r, (role, values) in enumerate(rows):
        kind, _, name = role.partition(":")
        if kind == "title":
            ws.write_string(r, 0, f"{COMUNE} – {values[0]}", fmt.title)
            ws.set_row(r, TITLE_ROW_PT)
        elif kind in ("note", "quote"):  # a sentence (or the plan's words) across the table's width
            ws.merge_range(r, 0, r, 3, values[0], fmt.note)
            fit_row_height(ws, r, [(values[0], sum(WIDTHS[:4]) + 3)])
        elif kind == "section":
            ws.write_string(r, 0, values[0], fmt.section)
        elif kind == "header":
            for c, v in enumerate(values):
                if uses is not None and not _column_feeds(name, c, uses):
                    v = f"{v} ({INFORMATIVE})"
                ws.write_string(r, c, v, fmt.header)
            if uses is not None:
                ws.write_string(r, USE_COL, "Uso", fmt.header)
        elif kind == "row":
            table_rows.setdefault(name, []).append(r)
            for c, v in enumerate(values):
                _write_value(ws, r, c, v, fmt, (name, c))
            _fit(ws, r, values)
            _write_use(ws, r, fmt, uses, any(_column_feeds(name, c, uses or set()) for c in range(len(values))))
        elif kind == "scalar":
            ws.write_string(r, 0, values[0], fmt.label)
            _write_value(ws, r, 1, values[1], fmt, name)
            _fit(ws, r, values)
            _write_use(ws, r, fmt, uses, _SCALAR_NAMES.get(name) in (uses or set()))
            if name in _SCALAR_NAMES:
                refs[_SCALAR_NAMES[name]] = f"{SHEET}!{xl_rowcol_to_cell(r, 1, True, True)}"
            if name in _CHOICES:
                ws.data_validation(r, 1, r, 1, {"validate": "list", "source": f"={_CHOICES[name][0]}",
                                                "input_title": _CHOICES[name][1],
                                                "input_message": "Scegliere la regola dall'elenco."})
    def rng(table, c1, c2):
        rows = table_rows.get(table) or []
        if not rows:  # an empty table still needs a range for the formulas: the row under its header
            return None
        return f"{SHEET}!{xl_range_abs(rows[0], c1, rows[-1], c2)}"
    for name, (table, c) in _COLUMN_NAMES.items():
        ref = rng(table, c, c)
        if ref:
            refs[name] = ref
    for name, ref in refs.items():
        wb.define_name(name, f"={ref}")
    end = len(rows) + 1
    if uses is None:
        ws.write_string(end, 0, "Le celle di questo foglio alimentano tutte le formule della cartella: "
                                "una modifica qui ricalcola pesi, coefficienti e importi.", fmt.note)
    else:
        note = (f"Uso: «{FEEDS}» = la cella alimenta le formule di questa cartella (modificandola si "
                f"ricalcolano pesi, coefficienti e importi); «{INFORMATIVE}» = la cella non entra nelle "
                "formule di questa cartella: la usano il prossimo controllo (per esempio l'arrotondamento) "
                "o la liquidazione di fine anno. Per cambiarla, cambiarla nel piano e rifare il controllo.")
        ws.merge_range(end, 0, end, USE_COL, note, fmt.note)
        fit_row_height(ws, end, [(note, sum(WIDTHS) + 4)])
    widths = WIDTHS if uses is not None else WIDTHS[:USE_COL]
    title = rows[0][1][0] if rows and rows[0][0] == "title" else "Parametri del piano"
    print_setup(ws, None, title, scale=print_scale(widths))
    return refs


def _fit(ws, r: int, values: list) -> None:
    """A row tall enough for its texts (a category or a rule's name may be long)."""
    texts = [(v, WIDTHS[c]) for c, v in enumerate(values) if isinstance(v, str) and c < USE_COL]
    if any(text_lines(t, w) > 1 for t, w in texts):
        fit_row_height(ws, r, texts)


def _column_feeds(table: str, c: int, uses: set[str]) -> bool:
    return any(t == table and col == c and name in uses for name, (t, col) in _COLUMN_NAMES.items())


def _write_use(ws, r: int, fmt: Formats, uses: set[str] | None, feeds: bool) -> None:
    if uses is not None:
        ws.write_string(r, USE_COL, FEEDS if feeds else INFORMATIVE, fmt.text if feeds else fmt.note_box)


def _write_value(ws, r, c, value, fmt: Formats, what):
    """`what`: the scalar's name, or (table, column)."""
    if value is None:
        ws.write_blank(r, c, None, fmt.input)
    elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        f = fmt.input_euro if what in _MONEY else fmt.input_factor if what in _FACTORS else fmt.input_number
        ws.write_number(r, c, float(value), f)
    else:
        ws.write_string(r, c, str(value), fmt.input_text)


def _choice_lists(wb) -> None:
    """The labels a rule can take, one list per column of a hidden sheet, each a defined name.

    A data validation list typed as text is split at every comma, and these labels have commas
    ("al centesimo, metà per eccesso"): Excel and LibreOffice would offer the halves. A list
    read from cells keeps each label whole, and so contains the value the cell holds.
    """
    ws = wb.add_worksheet(LISTS_SHEET)
    for c, (name, _title, enum) in enumerate(_CHOICES.values()):
        labels = [x.label for x in enum]
        for r, label in enumerate(labels):
            ws.write_string(r, c, label)
        ws.set_column(c, c, 50)
        wb.define_name(name, f"={LISTS_SHEET}!{xl_range_abs(0, c, len(labels) - 1, c)}")
    ws.hide()
