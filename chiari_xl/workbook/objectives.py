"""The Obiettivi sheet: every objective with the written values and the rules' values side
by side. Weights, coefficients, totals and amounts the rules give are live formulas on the
Parametri sheet and the pool table of Riepilogo, with cached values from pandas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from chiari_xl.model.params import FIXED_POOL, PlanParams, Rounding, category_label
from chiari_xl.workbook import remainders
from chiari_xl.workbook.formats import (COMUNE, Formats, fit_row_height, print_scale, print_setup,
                                       row_breaks, text_lines)
from chiari_xl.workbook.names import OBJECTIVES as TABLE, OBJECTIVES_WITH_REMAINDERS, POOLS
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float, total
from chiari_xl.workbook.values import blank_or

SHEET = "Obiettivi"
HEADER_ROW = 3
FIRST = HEADER_ROW + 1

# key (its heading: names.OBJECTIVES), width, format name, is a rule (formula) column
COLUMNS = [
    ("n", 4, "number", False),
    ("obiettivo", 30, "text", False),
    ("tipologia", 18, "text", False),
    ("pool", 16, "text", False),
    ("personale", 30, "text", False),
    ("category", 14, "text", False),
    ("n_dip", 7, "number", False),
    ("peso", 7, "number", False),
    ("peso_rule", 7, "rule_number", True),
    ("coeff", 8, "factor", False),
    ("coeff_rule", 8, "rule_factor", True),
    ("total_coeff", 8, "number", False),
    ("total_rule", 8, "rule_number", True),
    ("amount", 12, "euro", False),
    ("amount_from_written", 12, "rule_euro", True),
    ("amount_recomputed", 12, "rule_euro", True),
    ("diff", 12, "rule_euro", True),
    ("flags", 14, "text", False),
]
# Printed on A4 landscape: N. and Obiettivo on every page, the rest in two bands (who and what;
# then the figures): first the pages of the first band, then those of the second, with the same
# objectives on page k of each. (Printed across, each page followed by its figures, LibreOffice
# drops the row breaks that keep the total with the last objectives when panes are frozen.)
REPEATED = ("n", "obiettivo")
SECOND_BAND = "peso"
TEXTS = ("obiettivo", "tipologia", "pool", "personale", "category")  # wrapped: the row grows for them
assert [key for key, *_ in COLUMNS] == list(TABLE.headings), "COLUMNS and names.OBJECTIVES disagree"
COL = {key: i for i, (key, *_rest) in enumerate(COLUMNS)}
WIDTHS = {key: w for key, w, *_rest in COLUMNS}
MAX_LINES = 31  # the tallest row a spreadsheet allows (409 points)
TITLE_PT = 15
GAP_PT = 6
# input field -> output column, for pointing findings at the copy of the cell
FIELD_TO_COL = {"n": "n", "tipologia": "tipologia", "obiettivo": "obiettivo", "tempi": "obiettivo",
                "personale": "personale", "category": "category", "n_dip": "n_dip", "peso": "peso",
                "coeff": "coeff", "total_coeff": "total_coeff", "amount": "amount"}


@dataclass
class ObjectivesLayout:
    first: int
    last: int
    cell_of: dict  # input cell (A1) -> output cell (A1), for the links of the Rilievi sheet
    column_of: dict  # input column letter -> output column letter
    position: dict  # DataFrame index -> data row of ObiettiviTab (1 = first)


def rule_formulas(params: PlanParams) -> dict[str, str]:
    """The formula of every rule column, the same on every row (a calculated column): it reads
    this row's cells, the Parametri sheet's names and the pool table by name."""
    t = TABLE
    cat, g = t.this("category"), t.this("n_dip")
    match = f"MATCH({g},FasceDa,1)"
    lookup = (f'IFERROR(IF(OR(INDEX(FasceA,{match})="",{g}<=INDEX(FasceA,{match})),'
              f'INDEX(FasceCoeff,{match}),""),"")')
    formulas = {
        "peso_rule": f'=IF({cat}="","",IFERROR(INDEX(PesiValore,MATCH({cat},PesiCategoria,0)),""))',
        "coeff_rule": f'=IF({g}="","",IF(ISNUMBER({g}),IF(AND({g}>=1,{g}=INT({g})),{lookup},""),CoeffTutti))',
        "total_rule": f'=IF(OR({t.this("peso_rule")}="",{t.this("coeff_rule")}=""),"",'
                      f'{t.this("peso_rule")}*{t.this("coeff_rule")})',
        "diff": f'=IF(OR({t.this("amount")}="",{t.this("amount_recomputed")}=""),"",'
                f'{t.this("amount_recomputed")}-{t.this("amount")})',
    }
    pool = t.this("pool")
    fixed = f'IFERROR(INDEX(FissiImporto,MATCH({t.this("n")},FissiN,0)),"")'
    for out, points in (("amount_from_written", "total_coeff"), ("amount_recomputed", "total_rule")):
        if params.rounding == Rounding.LARGEST_REMAINDER:
            split = remainders.amount_formula(OBJECTIVES_WITH_REMAINDERS, out, pool_fund)
        else:
            p = t.this(points)
            split = (f'IF(OR({p}="",{pool}=""),"",IFERROR(ROUND({pool_fund(pool)}*{p}'
                     f'/SUMIF({t.col("pool")},{pool},{t.col(points)}),2),""))')
        formulas[out] = f'=IF({pool}="{FIXED_POOL}",{fixed},{split})'
    if params.rounding == Rounding.LARGEST_REMAINDER:
        formulas.update(remainders.helper_formulas(OBJECTIVES_WITH_REMAINDERS, pool_fund))
    return formulas


def write_objectives(wb, fmt: Formats, df: pd.DataFrame, flags: dict, title: str,
                     params: PlanParams) -> ObjectivesLayout:
    """`flags`: output key -> {row index: (severity, message)} for highlighted cells."""
    ws = wb.add_worksheet(SHEET)
    widths = {key: w for key, w, _f, _r in COLUMNS}
    heights = {0: _heading(ws, fmt, title, widths), **{r: GAP_PT for r in range(1, HEADER_ROW)}}
    lr = params.rounding == Rounding.LARGEST_REMAINDER
    table = OBJECTIVES_WITH_REMAINDERS if lr else TABLE
    n = len(df)
    first, last = FIRST, FIRST + max(n, 1) - 1
    formulas = rule_formulas(params)
    header_formats = {key: fmt.header_rule if rule else fmt.header for key, _w, _f, rule in COLUMNS}
    header_formats.update({key: fmt.header for key in table.headings if key not in COL})
    table.add(ws, HEADER_ROW, last, header_formats, formulas)
    heights[HEADER_ROW] = max(text_lines(TABLE.headings[k], w, bold=True) for k, w in widths.items()) * 13 + 4
    ws.set_row(HEADER_ROW, heights[HEADER_ROW])
    for c, (_key, width, _f, _rule) in enumerate(COLUMNS):
        ws.set_column(c, c, width)
    if lr:
        ws.set_column(len(COLUMNS), len(table.headings) - 1, 11, None, {"hidden": True})
    layout = ObjectivesLayout(first, last, {}, {}, {})
    cache = remainders.helper_cache(df, params) if lr else None
    letter = {field: xl_col_to_name(COL[key]) for field, key in FIELD_TO_COL.items()}
    sources = [(f"cell_{field}", field) for field in FIELD_TO_COL]
    for i, (idx, row) in enumerate(zip(df.index, records(df))):  # dicts: iterrows is slow
        r = first + i
        layout.position[idx] = i + 1
        heights[r] = _write_row(ws, fmt, r, idx, row, flags.get(i, {}), formulas, cache)
        for cell_key, field in sources:
            src = row[cell_key]
            if src:
                layout.cell_of[src] = f"{letter[field]}{r + 1}"
                layout.column_of[src.rstrip("0123456789")] = letter[field]
    heights[last + 2] = _totals(ws, fmt, df, last + 1)
    # live highlight: a written value that differs from what the rule gives (a conditional
    # format cannot use structured references: relative A1 cells of this sheet)
    for written, rule in (("peso", "peso_rule"), ("coeff", "coeff_rule"), ("total_coeff", "total_rule"),
                          ("amount", "amount_from_written")):
        w = xl_rowcol_to_cell(first, COL[written], col_abs=True)
        e = xl_rowcol_to_cell(first, COL[rule], col_abs=True)
        ws.conditional_format(first, COL[written], last, COL[written], {
            "type": "formula", "criteria": f'=AND({w}<>"",{e}<>"",ROUND({w}-{e},2)<>0)',
            "format": fmt.flag_error})
    ws.freeze_panes(FIRST, 2)
    band = COL[SECOND_BAND]
    repeated = [widths[k] for k in REPEATED]
    scale = min(print_scale(repeated + [w for _k, w, _f, _r in COLUMNS[len(REPEATED):band]]),
                print_scale(repeated + [w for _k, w, _f, _r in COLUMNS[band:]]))
    print_setup(ws, (HEADER_ROW, HEADER_ROW), f"{title} – Obiettivi", scale=scale)
    ws.repeat_columns(0, len(REPEATED) - 1)
    ws.set_v_pagebreaks([band])
    ws.set_h_pagebreaks(row_breaks(heights, 0, last + 2, heights[HEADER_ROW], scale, keep=3))
    ws.print_area(0, 0, last + 2, len(COLUMNS) - 1)  # not the hidden helper columns
    return layout


def _heading(ws, fmt: Formats, title: str, widths: dict) -> float:
    """The title over the columns printed on every page (so each page shows it whole), the legend
    beside it (first page only)."""
    text = f"{COMUNE}\n{title}: obiettivi"
    span = sum(widths[k] for k in REPEATED) + len(REPEATED) - 1
    ws.merge_range(0, 0, 0, len(REPEATED) - 1, text, fmt.title_wrap)
    legend = ("In blu le colonne calcolate dalle regole (formule); in rosso o giallo le celle con un rilievo "
              "(commento sulla cella). Modificando N. dip. o la strategicità gli importi si ricalcolano. "
              "In stampa: N. e Obiettivo su ogni pagina; prima le pagine dei dati, poi quelle di pesi, "
              "coefficienti e importi degli stessi obiettivi.")
    end = COL[SECOND_BAND] - 1
    ws.merge_range(0, len(REPEATED), 0, end, legend, fmt.note)
    legend_width = sum(widths[k] for k, *_ in COLUMNS[len(REPEATED):end + 1])
    height = max(text_lines(text, span, bold=True, font_pt=TITLE_PT) * TITLE_PT * 1.3,
                 text_lines(legend, legend_width) * 13) + 4
    ws.set_row(0, height)
    for r in range(1, HEADER_ROW):
        ws.set_row(r, GAP_PT)  # the rows between title and table: a thin gap
    return height


def _totals(ws, fmt: Formats, df: pd.DataFrame, r: int) -> float:
    """The totals under the table (a table's own totals row is not computed by LibreOffice). The
    points leave out the Giunta's fixed amounts: they are not split by points."""
    t = TABLE
    ws.write_string(r, COL["obiettivo"], "Totale", fmt.total_label)
    split = df["pool"] != FIXED_POOL
    for key in ("total_coeff", "total_rule"):
        formula = f'=SUMIF({t.col("pool")},"<>{FIXED_POOL}",{t.col(key)})'
        ws.write_formula(r, COL[key], formula, fmt.total_number, to_float(total(df.loc[split, key])))
    for key, value_key in (("amount", "amount"), ("amount_from_written", "amount_from_written"),
                           ("amount_recomputed", "amount_recomputed"), ("diff", "amount_change")):
        ws.write_formula(r, COL[key], f"=SUM({t.col(key)})", fmt.total_euro, to_float(total(df[value_key])))
    note = "Totale coeff.: esclusi gli importi fissati dalla Giunta, che non si ripartiscono per coefficienti."
    end = COL[SECOND_BAND] - 1
    ws.merge_range(r + 1, COL["obiettivo"], r + 1, end, note, fmt.note)
    return fit_row_height(ws, r + 1, [(note, sum(WIDTHS[k] for k, *_ in COLUMNS[COL["obiettivo"]:end + 1]))])


def pool_fund(pool_ref: str) -> str:
    """The money of the pool named in `pool_ref`, from the Riepilogo's pool table."""
    return POOLS.lookup("exact", "pool", pool_ref)


def _write_row(ws, fmt: Formats, r: int, idx, row, flags: dict, formulas: dict, cache):
    c = COL

    def style(key):
        name = COLUMNS[c[key]][2]
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

    def put_formula(key, value):
        ws.write_formula(r, c[key], formulas[key], style(key), blank_or(value))

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
    for key in ("peso_rule", "coeff_rule", "total_rule", "amount_from_written", "amount_recomputed"):
        put_formula(key, row[key])
    if cache is not None:
        remainders.write_helpers(ws, r, len(COLUMNS), idx, formulas, cache, fmt.coeff)
    put_formula("diff", row["amount_change"])
    put_text("flags", flags.get("_summary", ("", ""))[1] if "_summary" in flags else "")
    texts = [(row[k] or "", WIDTHS[k]) for k in TEXTS if k != "category"]
    texts += [(flags.get("_summary", ("", ""))[1], WIDTHS["flags"])]
    height = fit_row_height(ws, r, texts, max_lines=MAX_LINES)
    for key, (severity, message) in flags.items():
        if key != "_summary":
            ws.write_comment(r, c[key], message, {"x_scale": 2.2, "y_scale": 1.6})
    return height
