"""The Obiettivi sheet: every objective with the written values and the rules' values side
by side. Weights, coefficients, totals and amounts the rules give are live formulas on the
Parametri sheet and the pool table of Riepilogo, with cached values from pandas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from chiari_xl.model.params import FIXED_POOL, PlanParams, Rounding, category_label
from chiari_xl.workbook import remainders
from chiari_xl.workbook.formats import Formats, fit_row_height, print_setup
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float
from chiari_xl.workbook.values import blank_or

SHEET = "Obiettivi"
HEADER_ROW = 3
FIRST = HEADER_ROW + 1

# key, heading, width, format name, is a rule (formula) column
COLUMNS = [
    ("n", "N.", 5, "int", False),
    ("tipologia", "Tipologia / settore", 20, "text", False),
    ("pool", "Fondo di ripartizione", 18, "text", False),
    ("obiettivo", "Obiettivo", 46, "text", False),
    ("personale", "Personale coinvolto", 30, "text", False),
    ("category", "Strategicità", 15, "text", False),
    ("n_dip", "N. dip.", 7, "int", False),
    ("peso", "Peso (scritto)", 8, "coeff", False),
    ("peso_rule", "Peso (regola)", 8, "rule_coeff", True),
    ("coeff", "Coeff. dip. (scritto)", 9, "coeff", False),
    ("coeff_rule", "Coeff. dip. (regola)", 9, "rule_coeff", True),
    ("total_coeff", "Totale coeff. (scritto)", 9, "coeff", False),
    ("total_rule", "Totale coeff. (regola)", 9, "rule_coeff", True),
    ("amount", "Importo pubblicato", 13, "euro", False),
    ("amount_from_written", "Importo dai totali scritti", 13, "rule_euro", True),
    ("amount_recomputed", "Importo ricalcolato", 13, "rule_euro", True),
    ("diff", "Differenza (ricalcolato − pubblicato)", 13, "rule_euro", True),
    ("flags", "Rilievi", 16, "text", False),
]
COL = {key: i for i, (key, *_rest) in enumerate(COLUMNS)}
# input field -> output column, for pointing findings at the copy of the cell
FIELD_TO_COL = {"n": "n", "tipologia": "tipologia", "obiettivo": "obiettivo", "tempi": "obiettivo",
                "personale": "personale", "category": "category", "n_dip": "n_dip", "peso": "peso",
                "coeff": "coeff", "total_coeff": "total_coeff", "amount": "amount"}


@dataclass
class ObjectivesLayout:
    first: int
    last: int
    cell_of: dict  # input cell (A1) -> output cell (A1)
    column_of: dict  # input column letter -> output column letter
    row_of: dict  # DataFrame index -> 0-based output row

    def rng(self, key: str, absolute=True) -> str:
        c = xl_col_to_name(COL[key])
        if absolute:
            return f"${c}${self.first + 1}:${c}${self.last + 1}"
        return f"{c}{self.first + 1}:{c}{self.last + 1}"

    def ref(self, key: str) -> str:
        return f"{SHEET}!{self.rng(key)}"


def write_objectives(wb, fmt: Formats, df: pd.DataFrame, flags: dict, title: str,
                     params: PlanParams) -> ObjectivesLayout:
    """`flags`: output key -> {row index: (severity, message)} for highlighted cells."""
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, title, fmt.title)
    ws.write_string(1, 0, "In blu le colonne calcolate dalle regole (formule); in rosso o giallo le celle "
                          "con un rilievo (commento sulla cella). Modificando N. dip. o la strategicità "
                          "gli importi si ricalcolano.", fmt.subtitle)
    ws.set_row(HEADER_ROW, 45)
    for c, (key, heading, width, _f, rule) in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW, c, heading, fmt.header_rule if rule else fmt.header)
        ws.set_column(c, c, width)
    n = len(df)
    first, last = FIRST, FIRST + max(n, 1) - 1
    layout = ObjectivesLayout(first, last, {}, {}, {})
    lr = None
    if params.rounding == Rounding.LARGEST_REMAINDER:
        cols = remainders.write_helpers(ws, fmt, HEADER_ROW, len(COLUMNS))
        cols["_amount_col"] = {k: COL[k] for k in remainders.HELPERS}
        lr = (cols, remainders.helper_cache(df, params))
    for i, (idx, row) in enumerate(zip(df.index, records(df))):  # dicts: iterrows is slow
        r = first + i
        layout.row_of[idx] = r
        _write_row(ws, fmt, r, idx, row, layout, flags.get(i, {}), lr)
        for field, key in FIELD_TO_COL.items():
            src = row.get(f"cell_{field}")
            if src:
                layout.cell_of[src] = xl_rowcol_to_cell(r, COL[key])
                layout.column_of["".join(ch for ch in src if ch.isalpha())] = xl_col_to_name(COL[key])
    # live highlight: a written value that differs from what the rule gives
    for written, rule in (("peso", "peso_rule"), ("coeff", "coeff_rule"), ("total_coeff", "total_rule"),
                          ("amount", "amount_from_written")):
        w = xl_rowcol_to_cell(first, COL[written], col_abs=True)
        e = xl_rowcol_to_cell(first, COL[rule], col_abs=True)
        ws.conditional_format(first, COL[written], last, COL[written], {
            "type": "formula", "criteria": f'=AND({w}<>"",{e}<>"",ROUND({w}-{e},2)<>0)',
            "format": fmt.flag_error})
    ws.freeze_panes(FIRST, 1)
    ws.autofilter(HEADER_ROW, 0, last, len(COLUMNS) - 1)
    print_setup(ws, (HEADER_ROW, HEADER_ROW), title)
    return layout


def _write_row(ws, fmt: Formats, r: int, idx, row, layout: ObjectivesLayout, flags: dict, lr):
    c = COL
    cell = lambda key: xl_rowcol_to_cell(r, c[key])  # noqa: E731
    rng = layout.rng

    def style(key):
        name = COLUMNS[c[key]][3]
        if key in flags:
            return fmt.flagged(name, flags[key][0])
        return getattr(fmt, name)

    def put_text(key, value):
        ws.write_string(r, c[key], value or "", style(key))

    def put_number(key, value):
        if value is None:
            ws.write_blank(r, c[key], None, style(key))
        else:
            ws.write_number(r, c[key], to_float(value), style(key))

    put_number("n", row["n"])
    put_text("tipologia", row["tipologia"])
    put_text("pool", row["pool"] or "")
    put_text("obiettivo", row["obiettivo"])
    put_text("personale", row["personale"])
    put_text("category", category_label(row["category"]) if row["category"] else row["category_text"])
    if row["all_staff"]:
        put_text("n_dip", "tutto il personale")
    else:
        put_number("n_dip", row["n_dip"])
    for key in ("peso", "coeff", "total_coeff", "amount"):
        put_number(key, row[key])
    g, f = cell("n_dip"), cell("category")
    ws.write_formula(r, c["peso_rule"], f'=IF({f}="","",IFERROR(VLOOKUP({f},Pesi,2,FALSE),""))',
                     style("peso_rule"), blank_or(row["peso_rule"]))
    match = f"MATCH({g},FasceDa,1)"
    lookup = (f'IFERROR(IF(OR(INDEX(FasceA,{match})="",{g}<=INDEX(FasceA,{match})),'
              f'INDEX(FasceCoeff,{match}),""),"")')
    ws.write_formula(r, c["coeff_rule"],
                     f'=IF({g}="","",IF(ISNUMBER({g}),IF(AND({g}>=1,{g}=INT({g})),{lookup},""),CoeffTutti))',
                     style("coeff_rule"), blank_or(row["coeff_rule"]))
    i, k = cell("peso_rule"), cell("coeff_rule")
    ws.write_formula(r, c["total_rule"], f'=IF(OR({i}="",{k}=""),"",{i}*{k})', style("total_rule"),
                     blank_or(row["total_rule"]))
    pool = cell("pool")
    if row["pool"] == FIXED_POOL:
        formula = f'=IFERROR(VLOOKUP({cell("n")},Fissi,2,FALSE),"")'
        ws.write_formula(r, c["amount_from_written"], formula, style("amount_from_written"),
                         blank_or(row["amount_from_written"]))
        ws.write_formula(r, c["amount_recomputed"], formula, style("amount_recomputed"),
                         blank_or(row["amount_recomputed"]))
    else:
        for out, points in (("amount_from_written", "total_coeff"), ("amount_recomputed", "total_rule")):
            if lr is not None:
                remainders.write_row(ws, fmt, r, idx, out, lr[0], cell, rng, HEADER_ROW, lr[1], style(out),
                                     blank_or(row[out]))
                continue
            p = cell(points)
            ws.write_formula(
                r, c[out],
                f'=IF(OR({p}="",{pool}=""),"",IFERROR(ROUND(VLOOKUP({pool},FondiTab,3,FALSE)*{p}'
                f'/SUMIF({rng("pool")},{pool},{rng(points)}),2),""))',
                style(out), blank_or(row[out]))
    a, p = cell("amount"), cell("amount_recomputed")
    diff = None if row["amount"] is None or row["amount_recomputed"] is None else \
        row["amount_recomputed"] - row["amount"]
    ws.write_formula(r, c["diff"], f'=IF(OR({a}="",{p}=""),"",{p}-{a})', style("diff"), blank_or(diff))
    put_text("flags", flags.get("_summary", ("", ""))[1] if "_summary" in flags else "")
    widths = {key: w for key, _h, w, _f, _r in COLUMNS}
    fit_row_height(ws, r, [(row[k] or "", widths[k]) for k in ("tipologia", "obiettivo", "personale")]
                   + [(row["pool"] or "", widths["pool"])])
    for key, (severity, message) in flags.items():
        if key != "_summary":
            ws.write_comment(r, c[key], message, {"x_scale": 2.2, "y_scale": 1.6})
