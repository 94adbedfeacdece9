"""The Parametri sheet of the checked workbook, with defined names the formulas use."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from chiari_xl.model.params import Payout, PlanParams, Rounding, SplitRule
from chiari_xl.reading.params_sheet import SHEET, layout
from chiari_xl.workbook.formats import Formats, fit_row_height, print_setup

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


# the rules chosen from a list: (defined name of the list, input title, the enum whose labels it holds)
_CHOICES = {"rounding": ("ElencoArrotondamento", "Arrotondamento", Rounding),
            "payout": ("ElencoRegolaPagamento", "Regola di pagamento", Payout),
            "split_rule": ("ElencoRegolaRiparto", "Riparto tra i dipendenti", SplitRule)}
LISTS_SHEET = "Elenchi"


def write_parameters(wb, fmt: Formats, params: PlanParams) -> dict[str, str]:
    """Write the sheet; return {name: absolute reference} (also defined as workbook names)."""
    ws = wb.add_worksheet(SHEET)
    _choice_lists(wb)
    ws.set_column(0, 0, 50)
    ws.set_column(1, 3, 24)
    refs: dict[str, str] = {}
    table_rows: dict[str, list[int]] = {}
    for r, (role, values) in enumerate(layout(params)):
        kind, _, name = role.partition(":")
        if kind == "title":
            ws.write_string(r, 0, values[0], fmt.title)
        elif kind in ("note", "quote"):  # a sentence (or the plan's words) across the table's width
            ws.merge_range(r, 0, r, 3, values[0], fmt.note)
            fit_row_height(ws, r, [(values[0], 50 + 3 * 24)])
        elif kind == "section":
            ws.write_string(r, 0, values[0], fmt.section)
        elif kind == "header":
            for c, v in enumerate(values):
                ws.write_string(r, c, v, fmt.header)
        elif kind == "row":
            table_rows.setdefault(name, []).append(r)
            for c, v in enumerate(values):
                _write_value(ws, r, c, v, fmt, money=(name in ("fixed", "bands") and c == 1))
        elif kind == "scalar":
            ws.write_string(r, 0, values[0], fmt.label)
            _write_value(ws, r, 1, values[1], fmt, money=name.startswith("fund") or name == "general_pool")
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
    ws.write_string(len(layout(params)) + 1, 0,
                    "Le celle di questo foglio alimentano tutte le formule della cartella: "
                    "una modifica qui ricalcola pesi, coefficienti e importi.", fmt.note)
    print_setup(ws, None, "Parametri del piano", landscape=False)
    return refs


def _write_value(ws, r, c, value, fmt: Formats, money=False):
    if value is None:
        ws.write_blank(r, c, None, fmt.input)
    elif isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        ws.write_number(r, c, float(value), fmt.input_euro if money else fmt.input_coeff)
    else:
        ws.write_string(r, c, str(value), fmt.input)


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
