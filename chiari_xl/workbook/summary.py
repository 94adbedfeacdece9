"""The Riepilogo sheet: the pool table the amount formulas read (FondiTab), the fund
reconciliation, the count of findings, and a chart of the euro split by pool.

The pool table is written from the model's pool summary (model.rules.pool_summary): its rows,
its cached values and its totals are the model's, each cell a formula over ObiettiviTab and
the Parametri sheet's names.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.findings import Finding, Severity
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float, total
from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams
from chiari_xl.workbook.formats import COMUNE, TITLE_ROW_PT, Formats, print_scale, print_setup, text_lines
from chiari_xl.workbook.names import FINDINGS, OBJECTIVES, POOLS
from chiari_xl.workbook.plain_summary import sentences

SHEET = "Riepilogo"
WIDTHS = [24] + [11] * (len(POOLS.headings) - 3) + [13, 13]  # the pool table's columns
LAST_COL = len(POOLS.headings) - 1
LABEL_COLS = 2  # a label of the fund check or the approval block spans A:B, its value in C
CHART_COL = 5  # the chart beside the fund check, clear of the approval boxes (C:D)


def add_sheet(wb):
    return wb.add_worksheet(SHEET)


def write_summary(ws, wb, fmt: Formats, df: pd.DataFrame, params: PlanParams, pools: pd.DataFrame,
                  counts: dict, info: dict, findings: list[Finding] = ()) -> None:
    """`pools`: the model's pool summary (model.rules.pool_summary), one row per pool."""
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, f"{COMUNE} – {info['title']}: controllo del piano", fmt.title)
    ws.set_row(0, TITLE_ROW_PT)
    ws.write_string(1, 0, f"File controllato: {info['file']}", fmt.subtitle)
    ws.write_string(2, 0, f"Impronta SHA-256: {info['sha256']} · controllato il {info['when']}", fmt.subtitle)
    ws.write_string(3, 0, params.provenance, fmt.subtitle)  # where the parameters came from
    r = 5
    ws.write_string(r, 0, "In sintesi", fmt.section)
    for text in sentences(list(findings), df, params.year):
        r += 1
        _sentence(ws, fmt, r, text)
    r += 2
    ws.write_string(r, 0, "Ripartizione del fondo", fmt.section)
    first, last = _pool_table(ws, fmt, pools, r + 1)
    r = last + 2
    _sentence(ws, fmt, r, "Totale coeff.: i punti su cui si ripartisce ogni fondo (gli importi fissati dalla "
                          "Giunta non si ripartiscono per punti). Le ultime due colonne mostrano con quattro "
                          "decimali l'importo esatto di ogni fondo e la frazione di centesimo che ne resta dopo "
                          "aver arrotondato al centesimo gli importi dei suoi obiettivi.", fmt.note)
    r += 2
    ws.set_h_pagebreaks([r])  # the checks, the chart and the approval on a page of their own
    ws.write_string(r, 0, "Verifica del fondo", fmt.section)
    chart_at = r + 1
    total_written = total(df["amount"])
    total_recomputed = total(df["amount_recomputed"])
    z = lambda v: v if v is not None else Decimal(0)  # noqa: E731
    parts = z(params.fund_assigned) + z(params.fund_reserve) + z(params.fund_welfare)
    rows = [
        ("Importo massimo dei premi", "=FondoMassimo", z(params.fund_total)),
        ("Attribuito + riserva + welfare", "=FondoAttribuito+FondoRiserva+FondoWelfare", parts),
        ("Differenza (deve essere zero)", "={b1}-{b2}", z(params.fund_total) - parts),
        ("Fondo attribuito ai settori con progettualità", "=FondoAttribuito", z(params.fund_assigned)),
        ("Somma degli importi pubblicati", f"=SUM({OBJECTIVES.col('amount')})", total_written),
        ("Fondo non ripartito negli importi pubblicati", "={b4}-{b5}", z(params.fund_assigned) - total_written),
        ("Somma degli importi ricalcolati", f"=SUM({OBJECTIVES.col('amount_recomputed')})", total_recomputed),
        ("Fondo non ripartito negli importi ricalcolati", "={b4}-{b7}", z(params.fund_assigned) - total_recomputed),
    ]
    refs = {}
    for i, (label, formula, value) in enumerate(rows, start=1):
        rr = r + i
        refs[f"b{i}"] = xl_rowcol_to_cell(rr, LABEL_COLS)
        ws.merge_range(rr, 0, rr, LABEL_COLS - 1, label, fmt.label_box)
        ws.write_formula(rr, LABEL_COLS, formula.format(**refs), fmt.euro, to_float(value))
    r = r + len(rows) + 2
    ws.write_string(r, 0, "Rilievi", fmt.section)
    for i, sev in enumerate(Severity, start=1):
        ws.merge_range(r + i, 0, r + i, LABEL_COLS - 1, sev.plural_label, fmt.severity[sev])
        ws.write_formula(r + i, LABEL_COLS, f'=COUNTIF({FINDINGS.col("severity")},"{sev.label}")', fmt.int,
                         counts[sev])
    _sentence(ws, fmt, r + 4, "Errore: una regola del piano non è rispettata. Avviso: un'incoerenza da "
                              "verificare (es. testo del personale). Informazione: effetto dei ricalcoli, "
                              "nessuna azione richiesta.", fmt.note, CHART_COL - 2)
    _approval(ws, fmt, r + 6)
    _chart(wb, ws, first, last, chart_at, CHART_COL)
    print_setup(ws, None, f"{info['title']} – Riepilogo", scale=print_scale(WIDTHS))


def _sentence(ws, fmt: Formats, r: int, text: str, f=None, last_col: int = LAST_COL) -> None:
    """A sentence across the sheet's width (up to `last_col`), in a row as tall as its lines."""
    ws.merge_range(r, 0, r, last_col, text, f or fmt.sentence)
    ws.set_row(r, text_lines(text, sum(WIDTHS[:last_col + 1]) + last_col) * 13 + 3)


def _approval(ws, fmt: Formats, r: int) -> int:
    """Blank boxes to fill by hand when the plan is approved; returns the last row used."""
    ws.write_string(r, 0, "Approvazione", fmt.section)
    boxes = ["Responsabile del servizio (nome)", "Firma", "Data", "Delibera della Giunta Comunale n.",
             "Data della delibera"]
    for i, label in enumerate(boxes, start=1):
        ws.merge_range(r + i, 0, r + i, LABEL_COLS - 1, label, fmt.label_box)
        ws.merge_range(r + i, LABEL_COLS, r + i, LABEL_COLS + 1, "", fmt.blank_box)
        ws.set_row(r + i, 26)
    return r + len(boxes)


def _pool_table(ws, fmt: Formats, pools: pd.DataFrame, header: int) -> tuple[int, int]:
    """FondiTab, one row per pool, and its Totale row underneath; (first, last) data rows."""
    t = POOLS
    first, last = header + 1, header + len(pools)
    t.add(ws, header, last, {key: fmt.header for key in t.headings}, autofilter=False)
    ws.set_row(header, max(text_lines(h, w, bold=True) for h, w in zip(t.headings.values(), WIDTHS)) * 13 + 4)
    pool, objs = t.this("pool"), OBJECTIVES
    sumif = lambda key: f"=SUMIF({objs.col('pool')},{pool},{objs.col(key)})"  # noqa: E731
    money = {FIXED_POOL: "=SUM(FissiImporto)", GENERAL_POOL: "=FondoGenerali"}
    # weights that cannot split the fund (a finding of checks/amounts.py) give no pool: blank, as in
    # Python (exact None), never #DIV/0!
    sector_money = (f'=IF(OR(SUM(SettoriPesi)<=0,MIN(SettoriPesi)<0),"",'
                    f"(FondoAttribuito-SUM(FissiImporto)-FondoGenerali)*{t.this('weight')}/SUM(SettoriPesi))")
    formulas = {  # key -> (formula, format)
        "n_objectives": (f"=COUNTIF({objs.col('pool')},{pool})", fmt.int),
        "points_written": (sumif("total_coeff"), fmt.number),
        "points_rule": (sumif("total_rule"), fmt.number),
        "amount_written": (sumif("amount"), fmt.euro),
        "amount_from_written": (sumif("amount_from_written"), fmt.euro),
        "amount_recomputed": (sumif("amount_recomputed"), fmt.euro),
        "exact4": (f'=IF({t.this("exact")}="","",{t.this("exact")})', fmt.euro4),
        "residual": (f'=IF({t.this("exact")}="","",{t.this("exact")}-{t.this("amount_recomputed")})', fmt.euro4),
    }
    col = {key: c for c, key in enumerate(t.headings)}
    for r, row in enumerate(records(pools), start=first):
        name = row["pool"]
        ws.write_string(r, col["pool"], name, fmt.text_bold)
        ws.set_row(r, text_lines(name, WIDTHS[0], bold=True) * 13 + 3)
        if name in money:
            ws.write_blank(r, col["weight"], None, fmt.text)
        else:
            ws.write_formula(r, col["weight"], f"=INDEX(SettoriPesi,MATCH({pool},SettoriNomi,0))", fmt.number,
                             to_float(row["weight"]))
        exact = row["exact"]
        unsplit = exact is None and name not in money  # weights that cannot split the fund
        ws.write_formula(r, col["exact"], money.get(name, sector_money), fmt.euro,
                         "" if unsplit else to_float(exact or 0))
        for key, (formula, f) in formulas.items():
            if name == FIXED_POOL and key in POINTS:  # not split by points: no points to show
                ws.write_string(r, col[key], "—", fmt.int)
                continue
            value = (exact or 0) if key == "exact4" else row[key]
            blank = unsplit and key in ("exact4", "residual") or value is None
            ws.write_formula(r, col[key], formula, f, "" if blank else to_float(value))
    tr = last + 1  # the totals, under the table (see names.py: not the table's own totals row)
    ws.write_string(tr, 0, "Totale", fmt.total_label)
    totals = {"weight": fmt.total_number, "exact": fmt.total_euro, "n_objectives": fmt.total_int,
              "points_written": fmt.total_number, "points_rule": fmt.total_number,
              "amount_written": fmt.total_euro, "amount_from_written": fmt.total_euro,
              "amount_recomputed": fmt.total_euro, "exact4": fmt.total_euro4, "residual": fmt.total_euro4}
    for key, f in totals.items():
        source = pools[pools["pool"] != FIXED_POOL] if key in POINTS else pools
        values = source["exact" if key == "exact4" else key]
        value = sum(v for v in values if v is not None)  # exact: Fractions; the rest: Decimals
        ws.write_formula(tr, col[key], f"=SUM({t.col(key)})", f, to_float(value))
    return first, last


POINTS = ("points_written", "points_rule")


def _chart(wb, ws, first, last, anchor_row, anchor_col=0):
    chart = wb.add_chart({"type": "bar"})  # bars: the pools' names read across, never cut
    col = {key: c for c, key in enumerate(POOLS.headings)}
    for key, color in (("amount_written", "#A6A6A6"), ("amount_recomputed", "#2E75B6")):
        chart.add_series({"name": POOLS.headings[key], "categories": [SHEET, first, 0, last, 0],
                          "values": [SHEET, first, col[key], last, col[key]], "fill": {"color": color}})
    chart.set_title({"name": "Ripartizione in euro per fondo", "name_font": {"size": 11}})
    # in a bar chart the x axis is the horizontal one, the values
    chart.set_x_axis({"num_format": '#,##0 "€"', "major_gridlines": {"visible": True,
                                                                     "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True})  # the pools top to bottom, as in the table
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 500, "height": 330})
    ws.insert_chart(anchor_row, anchor_col, chart)
