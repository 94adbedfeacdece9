"""The payout workbook (xlsxwriter), RISERVATO: who gets what, as live formulas with Python's
values cached, so the office can change a participation or a part-time in Excel and see the
shares move, and LibreOffice recalculates every formula to the value written.

Sheets: Riepilogo (totals, card 3, group splits, per sector and per area), Dipendenti (one row
per employee: each objective's share and the total), Obiettivi (allocated, due by Rule 5,
paid, savings), Ripartizioni (what each objective, or group of it, splits), Quote (one row per
share: the weight and the largest-remainder rounding), Presenze eventi (card 3's ledger),
Rilievi, Parametri. This module writes the workbook, the events ledger and the summary; the
tables are in payout_tables.py, and where every column and row is in payout_columns.py.
"""

from __future__ import annotations

from datetime import datetime, time
from fractions import Fraction
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.findings import Finding
from chiari_xl.model.money import to_float, total
from chiari_xl.reading.params_sheet import SHEET as PARAMS
from chiari_xl.workbook.findings_sheet import write_findings
from chiari_xl.workbook.formats import HEADER_PT, SAFE_TEXT, Formats, fit_row_height
from chiari_xl.workbook.parameters import LISTS_SHEET, write_parameters
from chiari_xl.workbook.values import blank_or
from chiari_xl.yearend import payout_columns as C
from chiari_xl.yearend import payout_tables as T
from chiari_xl.yearend.payout import Payout
from chiari_xl.yearend.payout_columns import (EV_HEAD, S_EMP, S_EVENTS, S_OBJ, S_SHARES, S_SUM, S_UNITS, Layout,
                                              event_block)
from chiari_xl.yearend.payout_tables import CONFIDENTIAL, area_label, print_payout, sector_label
from chiari_xl.yearend.staff_layout import NO, YES

EURO_BLANK_ZERO = '#,##0.00 "€";-#,##0.00 "€";""'


class _Fmt(Formats):
    def __init__(self, wb):
        super().__init__(wb)
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.euro_blank = wb.add_format({**base, "num_format": EURO_BLANK_ZERO})
        self.total_euro_blank = wb.add_format({"font_name": "Calibri", "font_size": 10, "bold": True, "top": 2,
                                               "num_format": EURO_BLANK_ZERO})
        self.fraction = wb.add_format({**base, "num_format": "# ??/??", "align": "center"})
        self.pct2 = wb.add_format({**base, "num_format": '0.00"%"', "align": "center"})
        self.num = wb.add_format({**base, "num_format": "0.00##", "align": "center"})
        self.clip = wb.add_format({**base})  # one line, cut at the column's edge: a matrix row stays one row
        self.score = wb.add_format({**base, "num_format": "0.00", "align": "center"})
        self.input_pct2 = wb.add_format({**base, "num_format": '0.00"%"', "align": "center", "bg_color": "#FFF2CC"})
        self.input_score = wb.add_format({**base, "num_format": "General", "align": "center", "bg_color": "#FFF2CC"})
        self.date = wb.add_format({**base, "num_format": "dd/mm/yyyy"})
        self.factor = wb.add_format({**base, "num_format": "0.0000"})
        self.small = wb.add_format({**base, "text_wrap": True})
        self.header_small = wb.add_format({"font_name": "Calibri", "font_size": 10, "bold": True,
                                           "font_color": "white", "bg_color": "#1F4E78", "align": "center",
                                           "valign": "vcenter", "text_wrap": True, "border": 1})


def write_payout_workbook(path, p: Payout, findings: list[Finding], plan_path: Path, staff_path: Path) -> Path:
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {**SAFE_TEXT, "nan_inf_to_errors": True})
    year = p.view.year or ""
    wb.set_properties({"title": f"Liquidazione dei premi {year}".strip(), "subject": CONFIDENTIAL,
                       "author": "chiari-xl", "comments": f"Da {plan_path.name} e {staff_path.name}"})
    wb.set_calc_mode("auto")
    fmt = _Fmt(wb)
    lay = Layout(p)
    sheets = {name: wb.add_worksheet(name) for name in (S_SUM, S_EMP, S_OBJ, S_UNITS, S_SHARES, S_EVENTS)}
    write_findings(wb, fmt, findings, lambda f: None,
                   intro="Ogni riga è un rilievo sul file del personale o sulla liquidazione; la colonna «Cella "
                         "nel file originale» dice dove si trova nel file del personale.",
                   print_title="Rilievi della liquidazione")
    write_parameters(wb, fmt, p.view.params)
    for name in ("Rilievi", PARAMS, LISTS_SHEET):  # written by the shared writers: mark them too
        wb.get_worksheet_by_name(name).set_header(
            f"&L&{HEADER_PT}Comune di Chiari - {CONFIDENTIAL}&C&{HEADER_PT}{name}&R&{HEADER_PT}&D")
    T.objectives(sheets[S_OBJ], fmt, p, lay)
    T.units(sheets[S_UNITS], fmt, p, lay)
    T.shares(sheets[S_SHARES], fmt, p, lay)
    T.employees(sheets[S_EMP], fmt, p, lay)
    _events(sheets[S_EVENTS], fmt, p, lay)
    _summary(sheets[S_SUM], fmt, p, lay, plan_path, staff_path)
    sheets[S_SUM].activate()
    wb.close()
    return path


# --- Presenze eventi ---------------------------------------------------------------------------
def _events(ws, fmt, p: Payout, lay: Layout):
    cols = C.EVENTS
    c = cols.index
    year = p.view.year or ""
    n = lay.event_n
    ws.write_string(0, 0, f"Presenze agli eventi {year} (obiettivo {n or '-'}) - {CONFIDENTIAL}", fmt.title)
    for i, col in cols:
        ws.set_column(i, i, col.width)
    if p.ledger is None:
        ws.write_string(2, 0, "Il piano non ha un obiettivo pagato a presenze agli eventi (foglio Parametri).",
                        fmt.note)
        print_payout(ws, None, f"Presenze agli eventi {year}", landscape=False)
        return
    led = p.ledger
    first, last = lay.ev_first, lay.ev_last
    rng = lambda k: cols.range(k, first, last)  # noqa: E731
    due, value, pool = event_block("due"), event_block("value"), event_block("pool")
    factor = (led.pool / led.value) if led.value else None
    block = {"due": (f"Dovuto per l'obiettivo {n}", f"='{S_OBJ}'!{C.OBJ.cell('due', lay.obj_row[n], True, True)}",
                     fmt.euro, to_float(led.due)),
             "value": ("Valore delle presenze secondo le fasce", f"=SUM({rng('band')})", fmt.euro,
                       to_float(led.value)),
             "pool": ("Da pagare: il minore dei due", f"=MIN({due},{value})", fmt.rule_euro, to_float(led.pool)),
             "factor": ("Riduzione in proporzione (1 = nessuna)", f'=IF({value}>0,{pool}/{value},"")', fmt.factor,
                        blank_or(factor))}
    for key, (label, formula, f, cached) in block.items():
        ws.write_string(C.EVENT_BLOCK[key], 0, label, fmt.label)
        ws.write_formula(C.EVENT_BLOCK[key], C.EVENT_BLOCK_COL, formula, f, cached)
    note = ("Importo da fascia: la prima fascia (Parametri) che copre le ore, maggiorata per notturno o festivo. "
            "Se le presenze valgono più del dovuto, ognuna è ridotta in proporzione, al centesimo con il metodo "
            "dei resti maggiori.")
    ws.merge_range(min(C.EVENT_BLOCK.values()), C.EVENT_BLOCK_COL + 2, max(C.EVENT_BLOCK.values()), cols.last,
                   note, fmt.note)
    T.heading(ws, fmt, cols, row=EV_HEAD)
    staff = p.staff.by_matricola()
    floors, rests = T.lr_cache(Fraction(led.pool), [row.band for row in led.rows])
    pool_abs, value_abs = event_block("pool", True), event_block("value", True)
    r = first - 1
    for row, f_val, r_val in zip(led.rows, floors, rests):
        r += 1
        x = lambda k: cols.cell(k, r)  # noqa: E731
        a = row.attendance
        if a.date is not None:
            ws.write_datetime(r, c("date"), datetime.combine(a.date, time()), fmt.date)
        else:
            ws.write_blank(r, c("date"), None, fmt.date)
        ws.write_string(r, c("event"), a.event, fmt.text)
        ws.write_string(r, c("matricola"), a.matricola, fmt.text)
        ws.write_string(r, c("name"), staff[a.matricola].name if a.matricola in staff else "", fmt.text)
        T.num_or_blank(ws, r, c("hours"), a.hours, fmt.score)
        ws.write_string(r, c("night"), YES if a.night else NO, fmt.int)
        ws.write_string(r, c("reason"), a.reason, fmt.small)
        band = (f'=IF({x("reason")}<>"","",ROUND(ROUND(INDEX(FasceImporto,MIN(COUNTIF(FasceOre,"<"&{x("hours")})+1,'
                f'ROWS(FasceImporto)))*IF({x("night")}="{YES}",1+MaggiorazioneEventi/100,1),6),2))')
        ws.write_formula(r, c("band"), band, fmt.euro, blank_or(row.band))
        exact = f"{pool_abs}*{x('band')}/{value_abs}"
        ws.write_formula(r, c("floor"), f'=IF({x("band")}="","",ROUNDDOWN(ROUND({exact},6),2))', fmt.euro,
                         blank_or(f_val))
        ws.write_formula(r, c("rest"), f'=IF({x("band")}="","",ROUND(ROUND({exact},6)*100-{x("floor")}*100,6))',
                         fmt.num, blank_or(r_val))
        above = cols.above("rest", EV_HEAD, r)  # from the heading row: see payout_tables.shares
        rank = (f"SUMPRODUCT(ISNUMBER({rng('rest')})*({rng('rest')}>{x('rest')}))"
                f"+SUMPRODUCT(ISNUMBER({above})*({above}={x('rest')}))")
        missing = f"ROUND(ROUND({pool_abs},2)*100-SUM({rng('floor')})*100,0)"
        ws.write_formula(r, c("paid"), f'=IF({x("floor")}="","",{x("floor")}+IF({rank}<{missing},0.01,0))',
                         fmt.rule_euro, blank_or(row.paid))
        if a.reason:
            fit_row_height(ws, r, [(a.reason, cols.width("reason") * 1.2)], max_lines=3)
    t = last + 1
    ws.write_string(t, c("event"), "Totale", fmt.total_label)
    ws.write_formula(t, c("band"), f"=SUM({rng('band')})", fmt.total_euro, to_float(led.value))
    ws.write_formula(t, c("paid"), f"=SUM({rng('paid')})", fmt.total_euro, to_float(led.paid))
    ws.freeze_panes(EV_HEAD + 1, 0)
    ws.autofilter(EV_HEAD, cols.first, last, cols.last)
    print_payout(ws, (EV_HEAD, EV_HEAD), f"Presenze agli eventi {year}")


# --- Riepilogo ---------------------------------------------------------------------------------
def _summary(ws, fmt, p: Payout, lay: Layout, plan_path: Path, staff_path: Path):
    year = p.view.year or ""
    ws.set_column(0, 0, 50)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 4, 15)
    ws.write_string(0, 0, f"Liquidazione dei premi di performance organizzativa {year}".strip(), fmt.title)
    ws.write_string(1, 0, f"{CONFIDENTIAL}. Piano: {plan_path.name}; personale: {staff_path.name}.", fmt.subtitle)
    tot = p.totals
    r = 3
    ws.write_string(r, 0, "Totali", fmt.section)
    at = {}  # key -> the cell of its total on this sheet
    for key, label in (("allocated", "Stanziato negli obiettivi"), ("due", "Dovuto secondo raggiungimento e soglie"),
                       ("paid", "Liquidato ai dipendenti"), ("savings", "Economie")):
        r += 1
        ws.write_string(r, 0, label, fmt.label)
        ws.write_formula(r, 1, f"='{S_OBJ}'!{C.OBJ.cell(key, lay.obj_total)}", fmt.rule_euro, to_float(tot[key]))
        at[key] = xl_rowcol_to_cell(r, 1)
    r += 1
    ws.write_string(r, 0, "Controllo: liquidato + economie - stanziato (deve essere 0)", fmt.label)
    ws.write_formula(r, 1, f"=ROUND({at['paid']}+{at['savings']}-{at['allocated']},2)", fmt.euro, 0)
    r += 1
    emp_tot = xl_rowcol_to_cell(lay.emp_total, lay.tot_col, True, True)
    ws.write_string(r, 0, "Totale dei cedolini (foglio Dipendenti)", fmt.label)
    ws.write_formula(r, 1, f"='{S_EMP}'!{emp_tot}", fmt.euro,
                     to_float(total(p.total_of(e.matricola) for e in p.staff.employees)))
    r += 1
    ws.write_string(r, 0, "Dipendenti con un premio / nell'elenco", fmt.label)
    paid_people = sum(1 for e in p.staff.employees if p.total_of(e.matricola) > 0)
    ws.write_formula(r, 1, f'=COUNTIF({lay.emp_total_col()},">0")', fmt.int, paid_people)
    ws.write_number(r, 2, len(p.staff.employees), fmt.int)
    if p.view.params.fund_total is not None:
        r += 1
        ws.write_string(r, 0, "Importo massimo dei premi (fondo, Parametri)", fmt.label)
        ws.write_formula(r, 1, "=FondoMassimo", fmt.euro, to_float(p.view.params.fund_total))
    if p.ledger is not None:
        r = _summary_events(ws, fmt, p, lay, r + 2)
    grouped = [u for u in p.units if u.group]
    if grouped:
        r += 2
        ws.write_string(r, 0, "Riparti per gruppi di aree", fmt.section)
        r += 1
        for c, h in enumerate(["Obiettivo e gruppo", "Quota", "Da ripartire", "Ripartito", "Persone"]):
            ws.write_string(r, c, h, fmt.header)
        for u in grouped:
            r += 1
            ur = lay.unit_row[u.key]
            ws.write_string(r, 0, f"{u.key} ({u.areas or 'altre aree'})", fmt.text)
            for c, key, f, value in ((1, "quota", fmt.fraction, to_float(u.quota)),
                                     (2, "amount", fmt.euro, to_float(u.amount)),
                                     (3, "paid", fmt.euro, to_float(u.paid)),
                                     (4, "participants", fmt.int, len(u.shares))):
                ws.write_formula(r, c, f"='{S_UNITS}'!{C.UNITS.cell(key, ur)}", f, value)
    r = _by(ws, fmt, p, lay, r + 2, "Per settore (dell'area del dipendente)", "sector", lambda e: sector_label(p, e))
    r = _by(ws, fmt, p, lay, r + 2, "Per area", "area", lambda e: area_label(p, e))
    print_payout(ws, None, f"Liquidazione {year}", landscape=False)


def _summary_events(ws, fmt, p: Payout, lay: Layout, r: int) -> int:
    led = p.ledger
    ws.write_string(r, 0, f"Obiettivo {lay.event_n}: presenze agli eventi", fmt.section)
    items = [("Dovuto", f"='{S_EVENTS}'!{event_block('due')}", led.due, fmt.euro),
             ("Valore secondo le fasce", f"='{S_EVENTS}'!{event_block('value')}", led.value, fmt.euro),
             ("Pagato", f"=SUM({lay.ev_col('paid')})", led.paid, fmt.rule_euro),
             ("Riduzione in proporzione (1 = nessuna)", f"='{S_EVENTS}'!{event_block('factor')}",
              (led.pool / led.value) if led.value else None, fmt.factor)]
    for label, formula, value, f in items:
        r += 1
        ws.write_string(r, 0, label, fmt.label)
        ws.write_formula(r, 1, formula, f, blank_or(value))
    r += 1
    ws.write_string(r, 0, "Presenze pagate / persone", fmt.label)
    ws.write_formula(r, 1, f"=COUNT({lay.ev_col('paid')})", fmt.int, sum(1 for x in led.rows if x.paid is not None))
    ws.write_number(r, 2, len(led.per_person()), fmt.int)
    return r


def _by(ws, fmt, p: Payout, lay: Layout, r: int, title: str, emp_key: str, key) -> int:
    ws.write_string(r, 0, title, fmt.section)
    r += 1
    for c, h in enumerate(["", "Dipendenti", "Con premio", "Liquidato"]):
        ws.write_string(r, c, h, fmt.header)
    groups: dict[str, list] = {}
    for e in p.staff.employees:
        groups.setdefault(key(e), []).append(e)
    col = lay.emp_col(emp_key)
    tot_range = lay.emp_total_col()
    for name in sorted(groups):
        r += 1
        people = groups[name]
        cell = xl_rowcol_to_cell(r, 0)
        ws.write_string(r, 0, name, fmt.clip)
        ws.write_formula(r, 1, f"=COUNTIF({col},{cell})", fmt.int, len(people))
        ws.write_formula(r, 2, f'=COUNTIFS({col},{cell},{tot_range},">0")', fmt.int,
                         sum(1 for e in people if p.total_of(e.matricola) > 0))
        ws.write_formula(r, 3, f"=SUMIF({col},{cell},{tot_range})", fmt.euro,
                         to_float(total(p.total_of(e.matricola) for e in people)))
    return r
