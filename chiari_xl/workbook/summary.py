"""The Riepilogo sheet: the pool table the amount formulas read (FondiTab), the fund
reconciliation, the count of findings, and a chart of the euro split by pool."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from chiari_xl.findings import Severity
from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams
from chiari_xl.workbook.formats import Formats, print_setup
from chiari_xl.workbook.objectives import SHEET as OBJ, ObjectivesLayout
from chiari_xl.model.money import as_decimal, to_float, total

SHEET = "Riepilogo"
POOL_HEADER = 5
POOL_COLUMNS = ["Fondo", "Peso del settore", "Importo del fondo", "N. obiettivi",
                "Totale coeff. (scritto)", "Totale coeff. (regola)", "Importi pubblicati",
                "Importi dai totali scritti", "Importi ricalcolati", "Residuo di arrotondamento"]


def pool_names(params: PlanParams) -> list[str]:
    return [FIXED_POOL, GENERAL_POOL, *params.sector_weights]


def add_sheet(wb):
    return wb.add_worksheet(SHEET)


def define_pool_table(wb, params: PlanParams) -> None:
    """FondiTab must exist before the Obiettivi formulas that read it are written."""
    last = POOL_HEADER + len(pool_names(params))
    wb.define_name("FondiTab", f"={SHEET}!{xl_range_abs(POOL_HEADER + 1, 0, last, 2)}")


def write_summary(ws, wb, fmt: Formats, df: pd.DataFrame, params: PlanParams, lay: ObjectivesLayout,
                  counts: dict, info: dict) -> None:
    ws.set_column(0, 0, 42)
    ws.set_column(1, 9, 15)
    ws.write_string(0, 0, info["title"], fmt.title)
    ws.write_string(1, 0, f"File controllato: {info['file']}", fmt.subtitle)
    ws.write_string(2, 0, f"Impronta SHA-256: {info['sha256']} · controllato il {info['when']}", fmt.subtitle)
    ws.write_string(3, 0, params.provenance, fmt.subtitle)  # where the parameters came from
    ws.write_string(POOL_HEADER - 1, 0, "Ripartizione del fondo", fmt.section)
    for c, h in enumerate(POOL_COLUMNS):
        ws.write_string(POOL_HEADER, c, h, fmt.header)
    ws.set_row(POOL_HEADER, 30)
    money = params.pool_amounts()
    fixed_total = sum(params.fixed.values(), Decimal(0))
    names = pool_names(params)
    first = POOL_HEADER + 1
    pool_rng = f"{OBJ}!{lay.rng('pool')}"
    for i, name in enumerate(names):
        r = first + i
        part = df[df["pool"] == name]
        ws.write_string(r, 0, name, fmt.text_bold)
        if name == FIXED_POOL:
            ws.write_blank(r, 1, None, fmt.text)
            ws.write_formula(r, 2, "=SUM(INDEX(Fissi,0,2))", fmt.euro4, to_float(fixed_total))
        elif name == GENERAL_POOL:
            ws.write_blank(r, 1, None, fmt.text)
            ws.write_formula(r, 2, "=FondoGenerali", fmt.euro4, to_float(params.general_pool or 0))
        else:
            k = list(params.sector_weights).index(name) + 1
            ws.write_formula(r, 1, f"=INDEX(SettoriPesi,{k})", fmt.coeff, to_float(params.sector_weights[name]))
            b = xl_rowcol_to_cell(r, 1)
            ws.write_formula(r, 2, f"=(FondoAttribuito-SUM(INDEX(Fissi,0,2))-FondoGenerali)*{b}/SUM(SettoriPesi)",
                             fmt.euro4, to_float(money.get(name, 0)))
        a = xl_rowcol_to_cell(r, 0)
        ws.write_formula(r, 3, f"=COUNTIF({pool_rng},{a})", fmt.int, len(part))
        for c, key, f in ((4, "total_coeff", fmt.coeff), (5, "total_rule", fmt.coeff), (6, "amount", fmt.euro),
                          (7, "amount_from_written", fmt.euro), (8, "amount_recomputed", fmt.euro)):
            ws.write_formula(r, c, f"=SUMIF({pool_rng},{a},{OBJ}!{lay.rng(key)})", f, _sum(part[key]))
        exact = Decimal(fixed_total) if name == FIXED_POOL else as_decimal(money.get(name, 0))
        residual = (exact - total(part["amount_recomputed"])) if part.shape[0] else exact
        ws.write_formula(r, 9, f"={xl_rowcol_to_cell(r, 2)}-{xl_rowcol_to_cell(r, 8)}", fmt.euro4,
                         to_float(residual))
    tr = first + len(names)
    ws.write_string(tr, 0, "Totale", fmt.total_label)
    for c in range(1, 10):
        col = xl_range_abs(first, c, tr - 1, c)
        values = _column_cache(df, params, names, c)
        f = fmt.total_euro4 if c in (2, 9) else fmt.total_coeff if c in (1, 4, 5) else fmt.total_euro
        f = fmt.total_int if c == 3 else f
        ws.write_formula(tr, c, f"=SUM({col})", f, values)
    r = tr + 2
    ws.write_string(r, 0, "Verifica del fondo", fmt.section)
    objs = lambda key: f"{OBJ}!{lay.rng(key)}"  # noqa: E731
    total_written = total(df["amount"])
    total_recomputed = total(df["amount_recomputed"])
    z = lambda v: v if v is not None else Decimal(0)  # noqa: E731
    parts = z(params.fund_assigned) + z(params.fund_reserve) + z(params.fund_welfare)
    rows = [
        ("Importo massimo dei premi", "=FondoMassimo", z(params.fund_total)),
        ("Attribuito + riserva + welfare", "=FondoAttribuito+FondoRiserva+FondoWelfare", parts),
        ("Differenza (deve essere zero)", "={b1}-{b2}", z(params.fund_total) - parts),
        ("Fondo attribuito ai settori con progettualità", "=FondoAttribuito", z(params.fund_assigned)),
        ("Somma degli importi pubblicati", f"=SUM({objs('amount')})", total_written),
        ("Fondo non ripartito negli importi pubblicati", "={b4}-{b5}", z(params.fund_assigned) - total_written),
        ("Somma degli importi ricalcolati", f"=SUM({objs('amount_recomputed')})", total_recomputed),
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
        ws.write_string(r + i, 0, sev.plural_label,
                        fmt.severity[sev])
        ws.write_formula(r + i, 1, f'=COUNTIF(Rilievi!$A:$A,"{sev.label}")', fmt.int, counts[sev])
    ws.write_string(r + 5, 0, "Errore: una regola del piano non è rispettata. Avviso: un'incoerenza da "
                              "verificare (es. testo del personale). Informazione: effetto dei ricalcoli.",
                    fmt.note)
    _chart(wb, ws, first, tr - 1, r + 7)
    print_setup(ws, None, info["title"])


def _chart(wb, ws, first, last, anchor_row):
    chart = wb.add_chart({"type": "column"})
    for col, name, color in ((6, "Importi pubblicati", "#A6A6A6"), (8, "Importi ricalcolati", "#2E75B6")):
        chart.add_series({"name": name, "categories": [SHEET, first, 0, last, 0],
                          "values": [SHEET, first, col, last, col], "fill": {"color": color}})
    chart.set_title({"name": "Ripartizione in euro per fondo", "name_font": {"size": 11}})
    chart.set_y_axis({"num_format": '#,##0 "€"', "major_gridlines": {"visible": True,
                                                                     "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 340})
    ws.insert_chart(anchor_row, 0, chart)


def _sum(values) -> float:
    return to_float(total(values))


def _column_cache(df, params, names, c) -> float:
    """Cached value of the Totale row of the pool table, column c."""
    money = params.pool_amounts()
    if c == 1:
        return to_float(sum(params.sector_weights.values(), Decimal(0)))
    if c == 2:
        return to_float(sum(params.fixed.values(), Decimal(0))) + sum(to_float(money.get(n, 0)) for n in names[1:])
    if c == 3:
        return int(df["pool"].isin(names).sum())
    key = {4: "total_coeff", 5: "total_rule", 6: "amount", 7: "amount_from_written", 8: "amount_recomputed"}.get(c)
    part = df[df["pool"].isin(names)]
    if key:
        return _sum(part[key])
    exact = sum(params.fixed.values(), Decimal(0)) + sum(as_decimal(money.get(n, 0)) for n in names[1:])
    return to_float(exact - total(part["amount_recomputed"]))


