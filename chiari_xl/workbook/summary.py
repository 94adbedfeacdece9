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

from chiari_xl.findings import Severity
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float, total
from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams
from chiari_xl.workbook.formats import Formats, print_setup
from chiari_xl.workbook.names import FINDINGS, OBJECTIVES, POOLS

SHEET = "Riepilogo"
POOL_HEADER = 5


def add_sheet(wb):
    return wb.add_worksheet(SHEET)


def write_summary(ws, wb, fmt: Formats, df: pd.DataFrame, params: PlanParams, pools: pd.DataFrame,
                  counts: dict, info: dict) -> None:
    """`pools`: the model's pool summary (model.rules.pool_summary), one row per pool."""
    ws.set_column(0, 0, 42)
    ws.set_column(1, 9, 15)
    ws.write_string(0, 0, info["title"], fmt.title)
    ws.write_string(1, 0, f"File controllato: {info['file']}", fmt.subtitle)
    ws.write_string(2, 0, f"Impronta SHA-256: {info['sha256']} · controllato il {info['when']}", fmt.subtitle)
    ws.write_string(3, 0, params.provenance, fmt.subtitle)  # where the parameters came from
    ws.write_string(POOL_HEADER - 1, 0, "Ripartizione del fondo", fmt.section)
    first, last = _pool_table(ws, fmt, pools)
    r = last + 3
    ws.write_string(r, 0, "Verifica del fondo", fmt.section)
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
        refs[f"b{i}"] = xl_rowcol_to_cell(rr, 1)
        ws.write_string(rr, 0, label, fmt.label)
        ws.write_formula(rr, 1, formula.format(**refs), fmt.euro, to_float(value))
    r = r + len(rows) + 2
    ws.write_string(r, 0, "Rilievi", fmt.section)
    for i, sev in enumerate(Severity, start=1):
        ws.write_string(r + i, 0, sev.plural_label, fmt.severity[sev])
        ws.write_formula(r + i, 1, f'=COUNTIF({FINDINGS.col("severity")},"{sev.label}")', fmt.int, counts[sev])
    ws.write_string(r + 5, 0, "Errore: una regola del piano non è rispettata. Avviso: un'incoerenza da "
                              "verificare (es. testo del personale). Informazione: effetto dei ricalcoli.",
                    fmt.note)
    _chart(wb, ws, first, last, r + 7)
    print_setup(ws, None, info["title"])


def _pool_table(ws, fmt: Formats, pools: pd.DataFrame) -> tuple[int, int]:
    """FondiTab, one row per pool, and its Totale row underneath; (first, last) data rows."""
    t = POOLS
    first, last = POOL_HEADER + 1, POOL_HEADER + len(pools)
    t.add(ws, POOL_HEADER, last, {key: fmt.header for key in t.headings}, autofilter=False)
    ws.set_row(POOL_HEADER, 30)
    pool, objs = t.this("pool"), OBJECTIVES
    sumif = lambda key: f"=SUMIF({objs.col('pool')},{pool},{objs.col(key)})"  # noqa: E731
    money = {FIXED_POOL: "=SUM(FissiImporto)", GENERAL_POOL: "=FondoGenerali"}
    # weights that cannot split the fund (a finding of checks/amounts.py) give no pool: blank, as in
    # Python (exact None), never #DIV/0!
    sector_money = (f'=IF(OR(SUM(SettoriPesi)<=0,MIN(SettoriPesi)<0),"",'
                    f"(FondoAttribuito-SUM(FissiImporto)-FondoGenerali)*{t.this('weight')}/SUM(SettoriPesi))")
    formulas = {  # key -> (formula, format)
        "n_objectives": (f"=COUNTIF({objs.col('pool')},{pool})", fmt.int),
        "points_written": (sumif("total_coeff"), fmt.coeff),
        "points_rule": (sumif("total_rule"), fmt.coeff),
        "amount_written": (sumif("amount"), fmt.euro),
        "amount_from_written": (sumif("amount_from_written"), fmt.euro),
        "amount_recomputed": (sumif("amount_recomputed"), fmt.euro),
        "residual": (f'=IF({t.this("exact")}="","",{t.this("exact")}-{t.this("amount_recomputed")})', fmt.euro4),
    }
    col = {key: c for c, key in enumerate(t.headings)}
    for r, row in enumerate(records(pools), start=first):
        name = row["pool"]
        ws.write_string(r, col["pool"], name, fmt.text_bold)
        if name in money:
            ws.write_blank(r, col["weight"], None, fmt.text)
        else:
            ws.write_formula(r, col["weight"], f"=INDEX(SettoriPesi,MATCH({pool},SettoriNomi,0))", fmt.coeff,
                             to_float(row["weight"]))
        exact = row["exact"]
        cached = "" if exact is None and name not in money else to_float(exact or 0)
        ws.write_formula(r, col["exact"], money.get(name, sector_money), fmt.euro4, cached)
        for key, (formula, f) in formulas.items():
            ws.write_formula(r, col[key], formula, f, "" if row[key] is None else to_float(row[key]))
    tr = last + 1  # the totals, under the table (see names.py: not the table's own totals row)
    ws.write_string(tr, 0, "Totale", fmt.total_label)
    totals = {"weight": fmt.total_coeff, "exact": fmt.total_euro4, "n_objectives": fmt.total_int,
              "points_written": fmt.total_coeff, "points_rule": fmt.total_coeff,
              "amount_written": fmt.total_euro, "amount_from_written": fmt.total_euro,
              "amount_recomputed": fmt.total_euro, "residual": fmt.total_euro4}
    for key, f in totals.items():
        value = sum(v for v in pools[key] if v is not None)  # exact: Fractions; the rest: Decimals
        ws.write_formula(tr, col[key], f"=SUM({t.col(key)})", f, to_float(value))
    return first, last


def _chart(wb, ws, first, last, anchor_row):
    chart = wb.add_chart({"type": "column"})
    col = {key: c for c, key in enumerate(POOLS.headings)}
    for key, color in (("amount_written", "#A6A6A6"), ("amount_recomputed", "#2E75B6")):
        chart.add_series({"name": POOLS.headings[key], "categories": [SHEET, first, 0, last, 0],
                          "values": [SHEET, first, col[key], last, col[key]], "fill": {"color": color}})
    chart.set_title({"name": "Ripartizione in euro per fondo", "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": '#,##0 "€"', "major_gridlines": {"visible": True,
                                                                     "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 340})
    ws.insert_chart(anchor_row, 0, chart)
