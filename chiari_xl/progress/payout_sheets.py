"""The year-end payout's sheets: the payout rule and totals on Riepilogo, `Liquidazione` (amount as
published × achievement by the rule in `RegolaPagamento`, half-up to the cent: ROUND(ROUND(x,6),2)
first removes binary float noise so a true half cent rounds up as in Python's Decimal) and one
sheet per sector linked to it by objective number. Provisional while areas are missing.
"""

from __future__ import annotations

from decimal import Decimal

from chiari_xl.model.money import to_float
from chiari_xl.model.params import Payout
from chiari_xl.model.sectors import sector_label
from chiari_xl.progress import layout as L
from chiari_xl.progress.month import MonthReport
from chiari_xl.progress.payout import ObjectiveResult
from chiari_xl.progress.report_layout import FUND, NO, OBJECTIVES, PAYOUT, RULE, YES, number, zero_float
from chiari_xl.progress.status import Status
from chiari_xl.progress.tables import Formula, Table, fit_heights, note
from chiari_xl.workbook.formats import print_setup


def payout_summary(ws, wb, fmt, fm, r: MonthReport, row: int) -> int:
    p = r.pi.plan.params
    ws.write_string(row, 0, "Regola di pagamento", fmt.label)
    ws.write_string(row, 1, r.payout.short_label, fm["choice"])
    wb.define_name(RULE, f"=Riepilogo!$B${row + 1}")
    ws.data_validation(row, 1, row, 1, {
        "validate": "list", "source": [x.short_label for x in Payout], "input_title": "Regola di pagamento",
        "input_message": "proporzionale: importo × raggiungimento se sopra soglia; tutto o niente: importo intero "
                         "se sopra soglia."})
    ws.merge_range(row, 2, row, 4, f"Regola del piano: {Payout(p.payout).label}", fmt.note)
    total_amount = sum((o.amount or 0 for o in r.results), Decimal(0))
    total_due = sum((o.due for o in r.results), Decimal(0))
    lines = [("Importo stanziato sugli obiettivi", f"=SUM({PAYOUT.column('importo')})", total_amount),
             ("Importo da liquidare", f"=SUM({PAYOUT.column('dovuto')})", total_due),
             ("Economie sugli obiettivi", f"=SUM({PAYOUT.column('economia')})", total_amount - total_due)]
    for label, formula, value in lines:
        row += 1
        ws.write_string(row, 0, label, fmt.label)
        ws.write_formula(row, 1, formula, fm["euro"], to_float(value))
    if p.fund_assigned is not None:
        row += 1
        ws.write_string(row, 0, "Fondo attribuito ai settori (piano)", fmt.label)
        ws.write_number(row, 1, to_float(p.fund_assigned), fm["euro"])
        wb.define_name(FUND, f"=Riepilogo!$B${row + 1}")
        row += 1
        ws.write_string(row, 0, "Non liquidato rispetto al fondo attribuito", fmt.label)
        ws.write_formula(row, 1, f"={FUND}-SUM({PAYOUT.column('dovuto')})", fm["total_euro"],
                         to_float(p.fund_assigned - total_due))
    return row + 2


def payout_sheet(ws, fmt, fm, r: MonthReport):
    head = "Liquidazione PROVVISORIA per obiettivo" if r.provisional else "Liquidazione per obiettivo"
    ws.write_string(0, 0, f"{head} – {L.month_label(r.month)}", fmt.title)
    note(ws, 1, "Importo pubblicato nel piano in vigore × raggiungimento, se la soglia è raggiunta "
                 "(regola di pagamento: Riepilogo), arrotondato al centesimo per eccesso da 0,5.", PAYOUT, fmt.note)
    match = f"MATCH({PAYOUT.this('n')},{OBJECTIVES.column('n')},0)"
    ach = f"=INDEX({OBJECTIVES.column('ach')},{match})"
    reached = f'=IF(INDEX({OBJECTIVES.column("esito")},{match})="{Status.REACHED.label}","{YES}","{NO}")'
    amount, a = PAYOUT.this("importo"), PAYOUT.this("ach")
    due = (f'=IF({PAYOUT.this("raggiunto")}="{YES}",IF({RULE}="{Payout.ALL_OR_NOTHING.short_label}",{amount},'
           f"ROUND(ROUND({amount}*{a}/100,6),2)),0)")
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "gruppo": sector_label(o.group), "importo": number(o.amount),
             "ach": Formula(ach, to_float(o.achievement)), "soglia": number(o.soglia),
             "raggiunto": Formula(reached, YES if o.reached else NO), "dovuto": Formula(due, to_float(o.due)),
             "economia": Formula(f"=N({amount})-{PAYOUT.this('dovuto')}", to_float(o.savings)),
             "stato": ("provvisorio: manca " + ", ".join(r.name(x) for x in o.missing)) if o.missing else "definitivo"}
            for o in r.results]
    last = PAYOUT.write(ws, 3, rows, fm, fmt.header)
    ws.conditional_format(4, PAYOUT.index["stato"], last, PAYOUT.index["stato"],
                          {"type": "text", "criteria": "begins with", "value": "provvisorio", "format": fmt.flag_warning})
    total = last + 1
    ws.write_string(total, 1, "Totale", fmt.total_label)
    for key in ("importo", "dovuto", "economia"):
        value = sum(((o.amount or 0) if key == "importo" else o.due if key == "dovuto" else o.savings
                     for o in r.results), Decimal(0))
        ws.write_formula(total, PAYOUT.index[key], f"=SUM({PAYOUT.column(key)})", fm["total_euro"], to_float(value))
    fit_heights(ws, 3, rows, PAYOUT, ("obiettivo", "gruppo", "stato"))
    ws.freeze_panes(4, 2)
    print_setup(ws, (3, 3), head)


def sector_sheet(ws, fmt, fm, r: MonthReport, table: Table, group: str, items: list[ObjectiveResult]):
    ws.write_string(0, 0, f"Settore / gruppo: {sector_label(group) or 'senza settore'}", fmt.title)
    match = f"MATCH({table.this('n')},{PAYOUT.column('n')},0)"
    link = lambda key: f"=INDEX({PAYOUT.column(key)},{match})"  # noqa: E731
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "ach": Formula(link("ach"), to_float(o.achievement)),
             "raggiunto": Formula(link("raggiunto"), YES if o.reached else NO),
             "importo": Formula(link("importo"), zero_float(o.amount)), "dovuto": Formula(link("dovuto"), to_float(o.due)),
             "economia": Formula(link("economia"), to_float(o.savings))} for o in items]
    last = table.write(ws, 2, rows, fm, fmt.header)
    total = last + 1
    ws.write_string(total, 1, "Totale", fmt.total_label)
    for key, value in (("importo", sum((o.amount or 0 for o in items), Decimal(0))),
                       ("dovuto", sum((o.due for o in items), Decimal(0))),
                       ("economia", sum((o.savings for o in items), Decimal(0)))):
        ws.write_formula(total, table.index[key], f"=SUM({table.column(key)})", fm["total_euro"], to_float(value))
    fit_heights(ws, 2, rows, table, ("obiettivo",))
    print_setup(ws, (2, 2), sector_label(group))
