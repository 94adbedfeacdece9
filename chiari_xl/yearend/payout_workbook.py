"""The payout workbook (xlsxwriter), RISERVATO: who gets what, as live formulas with Python's
values cached, so the office can change a participation or a part-time in Excel and see the
shares move, and LibreOffice recalculates every formula to the value written.

Sheets: Riepilogo (totals, card 3, group splits, per sector and per area), Dipendenti (one row
per employee: each objective's share and the total), Obiettivi (allocated, due by Rule 5,
paid, savings), Ripartizioni (what each objective, or group of it, splits), Quote (one row per
share: the weight and the largest-remainder rounding), Presenze eventi (card 3's ledger),
Rilievi, Parametri. Largest remainder in formulas follows model/allocation.py exactly: each
exact share rounded to 6 decimals, cut to the cent, the missing cents to the largest cut-off
remainders, ties to the earlier row.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range_abs, xl_rowcol_to_cell

from chiari_xl.findings import Finding
from chiari_xl.model.money import ZERO, to_float, total
from chiari_xl.model.params import Payout as PayoutRule
from chiari_xl.model.params import SplitRule
from chiari_xl.reading.params_sheet import SHEET as PARAMS
from chiari_xl.workbook.findings_sheet import write_findings
from chiari_xl.workbook.formats import HEADER_PT, SAFE_TEXT, Formats, fit_row_height, print_setup
from chiari_xl.workbook.parameters import LISTS_SHEET, write_parameters
from chiari_xl.workbook.values import blank_or
from chiari_xl.yearend.payout import Payout
from chiari_xl.yearend.staff_layout import NO, YES

S_SUM, S_EMP, S_OBJ, S_UNITS, S_SHARES, S_EVENTS = (
    "Riepilogo", "Dipendenti", "Obiettivi", "Ripartizioni", "Quote", "Presenze eventi")
CONFIDENTIAL = "RISERVATO - dati personali"
EVENT_GROUP = "presenze"
HEAD = 3            # heading row of the tables (0-based) in Dipendenti, Obiettivi, Ripartizioni, Quote
EV_HEAD = 6         # heading row of the events ledger
EURO_BLANK_ZERO = '#,##0.00 "€";-#,##0.00 "€";""'
HEADING_WIDTH = 0.7  # bold headings wrap at words: count their column as narrower when sizing the row


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


def area_label(p: Payout, e) -> str:
    return p.view.area_name(e.area_key) or e.area_text or "(area non indicata)"


def sector_label(p: Payout, e) -> str:
    return p.sector_of(e) or "(area non del piano)"


def _print(ws, head: tuple[int, int] | None, title: str, landscape=True):
    print_setup(ws, head, title, landscape, confidential=CONFIDENTIAL)


def _f(v):
    return blank_or(v)


class _Layout:
    """Rows of every table, decided before anything is written, so formulas can point anywhere."""

    def __init__(self, p: Payout):
        self.obj_row = {o.n: HEAD + 1 + i for i, o in enumerate(p.objectives)}
        self.obj_total = HEAD + 1 + len(p.objectives)
        self.units = p.units
        self.unit_row = {u.key: HEAD + 1 + i for i, u in enumerate(p.units)}
        self.shares = [(u, s) for u in p.units for s in u.shares]
        self.event_n = p.view.params.event_objective if p.ledger is not None else None
        paid_people = p.ledger.per_person() if p.ledger is not None else {}
        self.event_people = [e for e in p.staff.employees if e.matricola in paid_people]
        n_share_rows = len(self.shares) + len(self.event_people)
        self.share_first, self.share_last = HEAD + 1, HEAD + max(n_share_rows, 1)
        self.emp_first = HEAD + 1
        self.emp_last = HEAD + max(len(p.staff.employees), 1)
        self.emp_total = HEAD + 1 + len(p.staff.employees)
        self.emp_objectives = [o.n for o in p.objectives if o.participants]
        self.tot_col = 6 + len(self.emp_objectives)
        self.ev_first = EV_HEAD + 1
        self.ev_last = EV_HEAD + max(len(p.ledger.rows) if p.ledger else 0, 1)

    def col(self, sheet: str, first: int, last: int, c: int) -> str:
        return f"'{sheet}'!{xl_range_abs(first, c, last, c)}"

    def shares_col(self, c: int) -> str:
        return self.col(S_SHARES, self.share_first, self.share_last, c)

    def obj_col(self, c: int) -> str:
        return self.col(S_OBJ, HEAD + 1, self.obj_total - 1, c)

    def unit_col(self, c: int) -> str:
        return self.col(S_UNITS, HEAD + 1, HEAD + max(len(self.units), 1), c)

    def emp_col(self, c: int) -> str:
        return self.col(S_EMP, self.emp_first, self.emp_last, c)

    def ev_col(self, c: int) -> str:
        return self.col(S_EVENTS, self.ev_first, self.ev_last, c)


def write_payout_workbook(path, p: Payout, findings: list[Finding], plan_path: Path, staff_path: Path) -> Path:
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {**SAFE_TEXT, "nan_inf_to_errors": True})
    year = p.view.year or ""
    wb.set_properties({"title": f"Liquidazione dei premi {year}".strip(), "subject": CONFIDENTIAL,
                       "author": "chiari-xl", "comments": f"Da {plan_path.name} e {staff_path.name}"})
    wb.set_calc_mode("auto")
    fmt = _Fmt(wb)
    lay = _Layout(p)
    sheets = {name: wb.add_worksheet(name) for name in (S_SUM, S_EMP, S_OBJ, S_UNITS, S_SHARES, S_EVENTS)}
    write_findings(wb, fmt, findings, lambda f: None,
                   intro="Ogni riga è un rilievo sul file del personale o sulla liquidazione; la colonna «Cella "
                         "nel file originale» dice dove si trova nel file del personale.",
                   print_title="Rilievi della liquidazione")
    write_parameters(wb, fmt, p.view.params)
    for name in ("Rilievi", PARAMS, LISTS_SHEET):  # written by the shared writers: mark them too
        wb.get_worksheet_by_name(name).set_header(
            f"&L&{HEADER_PT}Comune di Chiari - {CONFIDENTIAL}&C&{HEADER_PT}{name}&R&{HEADER_PT}&D")
    _objectives(sheets[S_OBJ], fmt, p, lay)
    _units(sheets[S_UNITS], fmt, p, lay)
    _shares(sheets[S_SHARES], fmt, p, lay)
    _employees(sheets[S_EMP], fmt, p, lay)
    _events(sheets[S_EVENTS], fmt, p, lay)
    _summary(sheets[S_SUM], fmt, p, lay, plan_path, staff_path)
    sheets[S_SUM].activate()
    wb.close()
    return path


def _heading(ws, fmt, columns, row=HEAD, header_fmt=None):
    """Column headings, their row tall enough for the longest (bold headings wrap at words)."""
    for c, (h, w) in enumerate(columns):
        ws.write_string(row, c, h, header_fmt or fmt.header)
        ws.set_column(c, c, w)
    fit_row_height(ws, row, [(h, w * HEADING_WIDTH) for h, w in columns])


def _title(ws, fmt, title: str, note: str, width_to: int, columns=None):
    ws.write_string(0, 0, title, fmt.title)
    ws.merge_range(1, 0, 1, width_to, note, fmt.note)
    if columns:
        fit_row_height(ws, 1, [(note, sum(w for _h, w in columns[:width_to + 1]))])


# --- Obiettivi ---------------------------------------------------------------------------------
OBJ_COLUMNS = [("N.", 5), ("Obiettivo", 38), ("Settore / fondo", 17), ("Riparto", 13), ("Stanziato", 13),
               ("Soglia %", 8), ("Raggiungi-mento %", 10), ("Fonte del raggiungimento", 12), ("Dovuto", 13),
               ("Liquidato", 13), ("Economie", 13), ("Parteci-panti", 8)]


def _objectives(ws, fmt, p: Payout, lay: _Layout):
    year = p.view.year or ""
    _title(ws, fmt, f"Obiettivi {year}: stanziato, dovuto, liquidato, economie",
           f"Dovuto: regola 5 del piano ({p.view.params.payout.label}). Liquidato: la somma delle quote "
           "dei dipendenti (foglio Quote). Economie = stanziato - liquidato.", len(OBJ_COLUMNS) - 1, OBJ_COLUMNS)
    _heading(ws, fmt, OBJ_COLUMNS)
    all_label = PayoutRule.ALL_OR_NOTHING.label
    n_col = lay.shares_col(3)
    amount_col = lay.shares_col(11)
    for o in p.objectives:
        r = lay.obj_row[o.n]
        e = r + 1
        ws.write_number(r, 0, o.n, fmt.int)
        ws.write_string(r, 1, o.title, fmt.text)
        ws.write_string(r, 2, o.sector, fmt.text)
        ws.write_string(r, 3, o.rule, fmt.text)
        ws.write_number(r, 4, to_float(o.allocated), fmt.euro)
        _num_or_blank(ws, r, 5, o.soglia, fmt.pct2)
        _num_or_blank(ws, r, 6, o.achievement, fmt.pct2)
        ws.write_string(r, 7, o.source, fmt.text)
        ws.write_formula(r, 8, f'=IF(AND(ISNUMBER(G{e}),ISNUMBER(F{e})),IF(ROUND(G{e},9)>=F{e},'
                               f'IF(RegolaPagamento="{all_label}",ROUND(E{e},2),ROUND(ROUND(E{e}*G{e}/100,6),2)),0),0)',
                         fmt.rule_euro, to_float(o.due))
        ws.write_formula(r, 9, f"=SUMIF({n_col},A{e},{amount_col})", fmt.rule_euro, to_float(o.paid))
        ws.write_formula(r, 10, f"=E{e}-J{e}", fmt.rule_euro, to_float(o.savings))
        ws.write_formula(r, 11, f"=COUNTIF({n_col},A{e})", fmt.int, o.participants)
        fit_row_height(ws, r, [(o.title, OBJ_COLUMNS[1][1]), (o.sector, 17), (o.rule, 13), (o.source, 12)],
                       max_lines=6)
    t = lay.obj_total
    ws.write_string(t, 1, "Totale", fmt.total_label)
    sums = {4: total(o.allocated for o in p.objectives), 8: total(o.due for o in p.objectives),
            9: total(o.paid for o in p.objectives), 10: total(o.savings for o in p.objectives)}
    for c, v in sums.items():
        col = xl_col_to_name(c)
        ws.write_formula(t, c, f"=SUM({col}{HEAD + 2}:{col}{t})", fmt.total_euro, to_float(v))
    ws.write_formula(t, 11, f"=SUM(L{HEAD + 2}:L{t})", fmt.total_int, sum(o.participants for o in p.objectives))
    ws.freeze_panes(HEAD + 1, 2)
    _print(ws, (HEAD, HEAD), f"Obiettivi {year} - liquidazione")


def _num_or_blank(ws, r, c, v, f):
    if v is None:
        ws.write_blank(r, c, None, f)
    else:
        ws.write_number(r, c, to_float(v), f)


# --- Ripartizioni ------------------------------------------------------------------------------
UNIT_COLUMNS = [("Chiave", 22), ("N.", 5), ("Gruppo", 16), ("Aree del gruppo", 22), ("Quota", 7),
                ("Dovuto dell'obiettivo", 13), ("Troncato al centesimo", 12), ("Resto in centesimi", 10),
                ("Da ripartire", 13), ("Parteci-panti", 8), ("Somma dei pesi", 9), ("Ripartito", 13),
                ("Non ripartito (economia)", 13)]


def _lr_parts(amount: Fraction, points: list) -> tuple[list, list]:
    """Cached values of the helper columns: each share cut to the cent, its remainder in cents."""
    from chiari_xl.model.allocation import lr_parts

    tot = sum((Fraction(x) for x in points if x is not None), Fraction(0))
    exact = [None if x is None or tot <= 0 else amount * Fraction(x) / tot for x in points]
    floors, rests = lr_parts(exact)
    return [None if f is None else Fraction(f, 100) for f in floors], rests


def _units(ws, fmt, p: Payout, lay: _Layout):
    year = p.view.year or ""
    _title(ws, fmt, f"Ripartizioni {year}: cosa si divide tra le persone di ogni obiettivo o gruppo",
           "Un obiettivo con riparto per gruppi di aree (Parametri) è diviso prima tra i gruppi secondo le quote, "
           "al centesimo con il metodo dei resti maggiori; ogni parte poi tra le persone del gruppo (foglio Quote).",
           len(UNIT_COLUMNS) - 1, UNIT_COLUMNS)
    _heading(ws, fmt, UNIT_COLUMNS)
    due = {o.n: o.due for o in p.objectives}
    by_n: dict[int, list] = {}
    for u in p.units:
        by_n.setdefault(u.n, []).append(u)
    cache = {}
    for n, us in by_n.items():
        floors, rests = _lr_parts(Fraction(due[n]), [u.quota for u in us])
        for u, f, rr in zip(us, floors, rests):
            cache[u.key] = (f, rr)
    first, last = HEAD + 1, HEAD + max(len(p.units), 1)
    rng = lambda c: xl_range_abs(first, c, last, c)  # noqa: E731
    key_col, share_w, share_amt = lay.shares_col(0), lay.shares_col(8), lay.shares_col(11)
    for u in p.units:
        r = lay.unit_row[u.key]
        e = r + 1
        ws.write_string(r, 0, u.key, fmt.text)
        ws.write_number(r, 1, u.n, fmt.int)
        ws.write_string(r, 2, u.group, fmt.text)
        ws.write_string(r, 3, u.areas, fmt.text)
        ws.write_number(r, 4, to_float(u.quota), fmt.fraction)
        ws.write_formula(r, 5, f"=INDEX({lay.obj_col(8)},MATCH(B{e},{lay.obj_col(0)},0))", fmt.euro,
                         to_float(due[u.n]))
        exact = f"F{e}*E{e}/SUMIF({rng(1)},B{e},{rng(4)})"
        f_val, r_val = cache[u.key]
        ws.write_formula(r, 6, f"=ROUNDDOWN(ROUND({exact},6),2)", fmt.euro, _f(f_val))
        ws.write_formula(r, 7, f"=ROUND(ROUND({exact},6)*100-G{e}*100,6)", fmt.num, _f(r_val))
        above_b, above_h = f"$B${first}:B{r}", f"$H${first}:H{r}"  # from the heading row: see _shares
        rank = (f"SUMPRODUCT(({rng(1)}=B{e})*({rng(7)}>H{e}))"
                f"+SUMPRODUCT(({above_b}=B{e})*({above_h}=H{e}))")
        missing = f"ROUND(ROUND(F{e},2)*100-SUMIF({rng(1)},B{e},{rng(6)})*100,0)"
        ws.write_formula(r, 8, f"=G{e}+IF({rank}<{missing},0.01,0)", fmt.rule_euro, to_float(u.amount))
        ws.write_formula(r, 9, f"=COUNTIF({key_col},A{e})", fmt.int, len(u.shares))
        ws.write_formula(r, 10, f"=SUMIF({key_col},A{e},{share_w})", fmt.num,
                         to_float(sum((s.weight for s in u.shares), Decimal(0))))
        ws.write_formula(r, 11, f"=SUMIF({key_col},A{e},{share_amt})", fmt.rule_euro, to_float(u.paid))
        ws.write_formula(r, 12, f"=I{e}-L{e}", fmt.rule_euro, to_float(u.unpaid))
    t = last + 1
    ws.write_string(t, 0, "Totale", fmt.total_label)
    for c, v in {8: total(u.amount for u in p.units), 11: total(u.paid for u in p.units),
                 12: total(u.unpaid for u in p.units)}.items():
        col = xl_col_to_name(c)
        ws.write_formula(t, c, f"=SUM({col}{first + 1}:{col}{last + 1})", fmt.total_euro, to_float(v))
    ws.freeze_panes(HEAD + 1, 1)
    _print(ws, (HEAD, HEAD), f"Ripartizioni {year}")


# --- Quote -------------------------------------------------------------------------------------
SHARE_COLUMNS = [("Chiave", 22), ("Matricola", 10), ("Cognome e nome", 24), ("N.", 5), ("Gruppo", 14),
                 ("Parteci-pazione", 9), ("Part-time %", 8), ("Punteggio", 8), ("Peso", 8),
                 ("Troncato al centesimo", 11), ("Resto in centesimi", 9), ("Quota", 12)]


def _shares(ws, fmt, p: Payout, lay: _Layout):
    year = p.view.year or ""
    rule = p.view.params.split_rule
    _title(ws, fmt, f"Quote {year}: una riga per persona e obiettivo - {CONFIDENTIAL}",
           f"Peso = {rule.label} (regola sul foglio Parametri). Quota = importo da ripartire × peso / somma dei "
           "pesi, al centesimo con il metodo dei resti maggiori: le quote di ogni riparto sommano esattamente "
           "l'importo.", len(SHARE_COLUMNS) - 1, SHARE_COLUMNS)
    _heading(ws, fmt, SHARE_COLUMNS)
    first, last = lay.share_first, lay.share_last
    rng = lambda c: xl_range_abs(first, c, last, c)  # noqa: E731
    staff = p.staff.by_matricola()
    units_table = f"'{S_UNITS}'!{xl_range_abs(HEAD + 1, 0, HEAD + max(len(p.units), 1), 8)}"
    score_label = SplitRule.WITH_SCORE.label
    cache = {}
    for u in p.units:
        floors, rests = _lr_parts(Fraction(u.amount), [s.weight for s in u.shares])
        for s, f, rr in zip(u.shares, floors, rests):
            cache[(u.key, s.matricola)] = (f, rr)
    r = first - 1
    for u, s in lay.shares:
        r += 1
        e = r + 1
        emp = staff[s.matricola]
        ws.write_string(r, 0, u.key, fmt.text)
        ws.write_string(r, 1, s.matricola, fmt.text)
        ws.write_string(r, 2, emp.name, fmt.text)
        ws.write_number(r, 3, u.n, fmt.int)
        ws.write_string(r, 4, u.group, fmt.text)
        ws.write_number(r, 5, to_float(s.participation), fmt.num)
        match = f"MATCH(B{e},{lay.emp_col(0)},0)"
        ws.write_formula(r, 6, f"=INDEX({lay.emp_col(4)},{match})", fmt.pct2, to_float(emp.part_time))
        ws.write_formula(r, 7, f'=IF(INDEX({lay.emp_col(5)},{match})="","",INDEX({lay.emp_col(5)},{match}))',
                         fmt.pct2, _f(emp.score))
        ws.write_formula(r, 8, f'=IF(RegolaRiparto="{score_label}",F{e}*G{e}/100*IF(ISNUMBER(H{e}),H{e},100)/100,'
                               f'F{e}*G{e}/100)', fmt.num, to_float(s.weight))
        amount = f"VLOOKUP(A{e},{units_table},9,FALSE)"
        exact = f"{amount}*I{e}/SUMIF({rng(0)},A{e},{rng(8)})"
        f_val, r_val = cache[(u.key, s.matricola)]
        ws.write_formula(r, 9, f"=ROUNDDOWN(ROUND({exact},6),2)", fmt.euro, _f(f_val))
        ws.write_formula(r, 10, f"=ROUND(ROUND({exact},6)*100-J{e}*100,6)", fmt.num, _f(r_val))
        # the rows above this one, from the heading row (text, never equal to a key or a number): a
        # range from the first data row would be inverted on that row, and Excel and LibreOffice
        # read $A$5:A4 as A4:A5, counting the row itself as a tie above it
        above_a, above_k = f"$A${first}:A{r}", f"$K${first}:K{r}"
        rank = (f"SUMPRODUCT(({rng(0)}=A{e})*ISNUMBER({rng(10)})*({rng(10)}>K{e}))"
                f"+SUMPRODUCT(({above_a}=A{e})*ISNUMBER({above_k})*({above_k}=K{e}))")
        missing = f"ROUND(ROUND({amount},2)*100-SUMIF({rng(0)},A{e},{rng(9)})*100,0)"
        ws.write_formula(r, 11, f"=J{e}+IF({rank}<{missing},0.01,0)", fmt.rule_euro, to_float(s.amount))
    if lay.event_n is not None:
        per_person = p.ledger.per_person()
        key = f"Ob. {lay.event_n} - {EVENT_GROUP}"
        for emp in lay.event_people:
            r += 1
            e = r + 1
            ws.write_string(r, 0, key, fmt.text)
            ws.write_string(r, 1, emp.matricola, fmt.text)
            ws.write_string(r, 2, emp.name, fmt.text)
            ws.write_number(r, 3, lay.event_n, fmt.int)
            ws.write_string(r, 4, EVENT_GROUP, fmt.text)
            for c in range(5, 11):
                ws.write_blank(r, c, None, fmt.text)
            ws.write_formula(r, 11, f"=SUMIF({lay.ev_col(2)},B{e},{lay.ev_col(10)})", fmt.rule_euro,
                             to_float(per_person[emp.matricola]))
    ws.write_string(last + 1, 0, "Totale", fmt.total_label)
    ws.write_formula(last + 1, 11, f"=SUM(L{first + 1}:L{last + 1})", fmt.total_euro,
                     to_float(total(o.paid for o in p.objectives)))
    ws.freeze_panes(HEAD + 1, 3)
    ws.autofilter(HEAD, 0, last, len(SHARE_COLUMNS) - 1)
    _print(ws, (HEAD, HEAD), f"Quote {year}")


# --- Dipendenti --------------------------------------------------------------------------------
def _employees(ws, fmt, p: Payout, lay: _Layout):
    year = p.view.year or ""
    cols = [("Matricola", 10), ("Cognome e nome", 24), ("Area", 30), ("Settore", 24), ("Part-time %", 9),
            ("Punteggio", 9)]
    _title(ws, fmt, f"Premi {year} per dipendente - {CONFIDENTIAL}",
           "Una riga per dipendente: la quota di ogni obiettivo (dal foglio Quote) e il totale, che va nel "
           "cedolino. Part-time e punteggio si possono correggere qui: le quote si ricalcolano.", 9,
           cols + [("", 9.5)] * 4)
    _heading(ws, fmt, cols)
    for i, n in enumerate(lay.emp_objectives):
        c = 6 + i
        ws.write_string(HEAD, c, f"Ob. {n}", fmt.header_small)
        ws.set_column(c, c, 9.5)
    tc = lay.tot_col
    ws.write_string(HEAD, tc, "Totale", fmt.header)
    ws.set_column(tc, tc, 12)
    q_amount, q_mat, q_n = lay.shares_col(11), lay.shares_col(1), lay.shares_col(3)
    for i, emp in enumerate(p.staff.employees):
        r = lay.emp_first + i
        e = r + 1
        mine = p.shares.get(emp.matricola, {})
        ws.write_string(r, 0, emp.matricola, fmt.clip)
        ws.write_string(r, 1, emp.name, fmt.clip)
        ws.write_string(r, 2, area_label(p, emp), fmt.clip)
        ws.write_string(r, 3, sector_label(p, emp), fmt.clip)
        ws.write_number(r, 4, to_float(emp.part_time), fmt.input_pct2)
        _num_or_blank(ws, r, 5, emp.score, fmt.input_score)
        for j, n in enumerate(lay.emp_objectives):
            ws.write_formula(r, 6 + j, f"=SUMIFS({q_amount},{q_mat},$A{e},{q_n},{n})", fmt.euro_blank,
                             to_float(mine.get(n, ZERO)))
        last_obj = xl_col_to_name(tc - 1)
        ws.write_formula(r, tc, f"=SUM(G{e}:{last_obj}{e})", fmt.rule_euro, to_float(p.total_of(emp.matricola)))
    t = lay.emp_total
    ws.write_string(t, 1, "Totale", fmt.total_label)
    for c in list(range(6, 6 + len(lay.emp_objectives))) + [tc]:
        col = xl_col_to_name(c)
        value = (total(p.total_of(e.matricola) for e in p.staff.employees) if c == tc
                 else total(p.shares.get(e.matricola, {}).get(lay.emp_objectives[c - 6], ZERO)
                            for e in p.staff.employees))
        ws.write_formula(t, c, f"=SUM({col}{lay.emp_first + 1}:{col}{t})",
                         fmt.total_euro if c == tc else fmt.total_euro_blank, to_float(value))
    ws.freeze_panes(HEAD + 1, 2)
    ws.autofilter(HEAD, 0, max(lay.emp_last, HEAD + 1), tc)
    _print(ws, (HEAD, HEAD), f"Premi {year} per dipendente")
    ws.repeat_columns(0, 1)
    ws.fit_to_pages(3, 0)


# --- Presenze eventi ---------------------------------------------------------------------------
EVENT_COLUMNS = [("Data", 10), ("Evento", 30), ("Matricola", 9), ("Cognome e nome", 21), ("Ore", 6),
                 ("Notturno o festivo", 9), ("Non pagata perché", 16), ("Importo da fascia", 11),
                 ("Troncato al centesimo", 11), ("Resto in centesimi", 9), ("Pagato", 11)]


def _events(ws, fmt, p: Payout, lay: _Layout):
    year = p.view.year or ""
    n = lay.event_n
    ws.write_string(0, 0, f"Presenze agli eventi {year} (obiettivo {n or '-'}) - {CONFIDENTIAL}", fmt.title)
    for c, (h, w) in enumerate(EVENT_COLUMNS):
        ws.set_column(c, c, w)
    if p.ledger is None:
        ws.write_string(2, 0, "Il piano non ha un obiettivo pagato a presenze agli eventi (foglio Parametri).",
                        fmt.note)
        _print(ws, None, f"Presenze agli eventi {year}", landscape=False)
        return
    led = p.ledger
    first, last = lay.ev_first, lay.ev_last
    hcol = xl_range_abs(first, 7, last, 7)
    fcol = xl_range_abs(first, 8, last, 8)
    jcol = xl_range_abs(first, 9, last, 9)
    ws.write_string(1, 0, f"Dovuto per l'obiettivo {n}", fmt.label)
    ws.write_formula(1, 3, f"='{S_OBJ}'!{xl_rowcol_to_cell(lay.obj_row[n], 8, True, True)}", fmt.euro,
                     to_float(led.due))
    ws.write_string(2, 0, "Valore delle presenze secondo le fasce", fmt.label)
    ws.write_formula(2, 3, f"=SUM({hcol})", fmt.euro, to_float(led.value))
    ws.write_string(3, 0, "Da pagare: il minore dei due", fmt.label)
    ws.write_formula(3, 3, "=MIN(D2,D3)", fmt.rule_euro, to_float(led.pool))
    ws.write_string(4, 0, "Riduzione in proporzione (1 = nessuna)", fmt.label)
    factor = (led.pool / led.value) if led.value else None
    ws.write_formula(4, 3, '=IF(D3>0,D4/D3,"")', fmt.factor, _f(factor))
    note = ("Importo da fascia: la prima fascia (Parametri) che copre le ore, maggiorata per notturno o festivo. "
            "Se le presenze valgono più del dovuto, ognuna è ridotta in proporzione, al centesimo con il metodo "
            "dei resti maggiori.")
    ws.merge_range(1, 5, 4, len(EVENT_COLUMNS) - 1, note, fmt.note)
    _heading(ws, fmt, EVENT_COLUMNS, row=EV_HEAD)
    staff = p.staff.by_matricola()
    floors, rests = _lr_parts(Fraction(led.pool), [row.band for row in led.rows])
    r = first - 1
    for row, f_val, r_val in zip(led.rows, floors, rests):
        r += 1
        e = r + 1
        a = row.attendance
        if a.date is not None:
            ws.write_datetime(r, 0, datetime.combine(a.date, time()), fmt.date)
        else:
            ws.write_blank(r, 0, None, fmt.date)
        ws.write_string(r, 1, a.event, fmt.text)
        ws.write_string(r, 2, a.matricola, fmt.text)
        ws.write_string(r, 3, staff[a.matricola].name if a.matricola in staff else "", fmt.text)
        _num_or_blank(ws, r, 4, a.hours, fmt.score)
        ws.write_string(r, 5, YES if a.night else NO, fmt.int)
        ws.write_string(r, 6, a.reason, fmt.small)
        band = (f'=IF(G{e}<>"","",ROUND(ROUND(INDEX(FasceImporto,MIN(COUNTIF(FasceOre,"<"&E{e})+1,'
                f'ROWS(FasceImporto)))*IF(F{e}="{YES}",1+MaggiorazioneEventi/100,1),6),2))')
        ws.write_formula(r, 7, band, fmt.euro, _f(row.band))
        exact = f"$D$4*H{e}/$D$3"
        ws.write_formula(r, 8, f'=IF(H{e}="","",ROUNDDOWN(ROUND({exact},6),2))', fmt.euro, _f(f_val))
        ws.write_formula(r, 9, f'=IF(H{e}="","",ROUND(ROUND({exact},6)*100-I{e}*100,6))', fmt.num, _f(r_val))
        above = f"$J${first}:J{r}"  # from the heading row: see _shares
        rank = (f"SUMPRODUCT(ISNUMBER({jcol})*({jcol}>J{e}))"
                f"+SUMPRODUCT(ISNUMBER({above})*({above}=J{e}))")
        missing = f"ROUND(ROUND($D$4,2)*100-SUM({fcol})*100,0)"
        ws.write_formula(r, 10, f'=IF(I{e}="","",I{e}+IF({rank}<{missing},0.01,0))', fmt.rule_euro, _f(row.paid))
        if a.reason:
            fit_row_height(ws, r, [(a.reason, 16 * 1.2)], max_lines=3)
    t = last + 1
    ws.write_string(t, 1, "Totale", fmt.total_label)
    ws.write_formula(t, 7, f"=SUM({hcol})", fmt.total_euro, to_float(led.value))
    ws.write_formula(t, 10, f"=SUM({xl_range_abs(first, 10, last, 10)})", fmt.total_euro, to_float(led.paid))
    ws.freeze_panes(EV_HEAD + 1, 0)
    ws.autofilter(EV_HEAD, 0, last, len(EVENT_COLUMNS) - 1)
    _print(ws, (EV_HEAD, EV_HEAD), f"Presenze agli eventi {year}")


# --- Riepilogo ---------------------------------------------------------------------------------
def _summary(ws, fmt, p: Payout, lay: _Layout, plan_path: Path, staff_path: Path):
    year = p.view.year or ""
    ws.set_column(0, 0, 50)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 4, 15)
    ws.write_string(0, 0, f"Liquidazione dei premi di performance organizzativa {year}".strip(), fmt.title)
    ws.write_string(1, 0, f"{CONFIDENTIAL}. Piano: {plan_path.name}; personale: {staff_path.name}.", fmt.subtitle)
    tot = p.totals
    t = lay.obj_total + 1
    r = 3
    ws.write_string(r, 0, "Totali", fmt.section)
    rows = [("Stanziato negli obiettivi", f"='{S_OBJ}'!E{t}", tot["allocated"]),
            ("Dovuto secondo raggiungimento e soglie", f"='{S_OBJ}'!I{t}", tot["due"]),
            ("Liquidato ai dipendenti", f"='{S_OBJ}'!J{t}", tot["paid"]),
            ("Economie", f"='{S_OBJ}'!K{t}", tot["savings"])]
    for label, formula, value in rows:
        r += 1
        ws.write_string(r, 0, label, fmt.label)
        ws.write_formula(r, 1, formula, fmt.rule_euro, to_float(value))
    first_total = 4
    r += 1
    ws.write_string(r, 0, "Controllo: liquidato + economie - stanziato (deve essere 0)", fmt.label)
    ws.write_formula(r, 1, f"=ROUND(B{first_total + 3}+B{first_total + 4}-B{first_total + 1},2)", fmt.euro, 0)
    r += 1
    emp_tot = xl_rowcol_to_cell(lay.emp_total, lay.tot_col, True, True)
    ws.write_string(r, 0, "Totale dei cedolini (foglio Dipendenti)", fmt.label)
    ws.write_formula(r, 1, f"='{S_EMP}'!{emp_tot}", fmt.euro,
                     to_float(total(p.total_of(e.matricola) for e in p.staff.employees)))
    r += 1
    ws.write_string(r, 0, "Dipendenti con un premio / nell'elenco", fmt.label)
    tot_range = lay.emp_col(lay.tot_col)
    paid_people = sum(1 for e in p.staff.employees if p.total_of(e.matricola) > 0)
    ws.write_formula(r, 1, f'=COUNTIF({tot_range},">0")', fmt.int, paid_people)
    ws.write_number(r, 2, len(p.staff.employees), fmt.int)
    if p.view.params.fund_total is not None:
        r += 1
        ws.write_string(r, 0, "Importo massimo dei premi (fondo, Parametri)", fmt.label)
        ws.write_formula(r, 1, "=FondoMassimo", fmt.euro, to_float(p.view.params.fund_total))
    if p.ledger is not None:
        n = lay.event_n
        led = p.ledger
        r += 2
        ws.write_string(r, 0, f"Obiettivo {n}: presenze agli eventi", fmt.section)
        items = [("Dovuto", "D2", led.due, fmt.euro), ("Valore secondo le fasce", "D3", led.value, fmt.euro),
                 ("Pagato", f"{_sum_ref(lay)}", led.paid, fmt.rule_euro),
                 ("Riduzione in proporzione (1 = nessuna)", "D5", (led.pool / led.value) if led.value else None,
                  fmt.factor)]
        for label, ref, value, f in items:
            r += 1
            ws.write_string(r, 0, label, fmt.label)
            formula = f"='{S_EVENTS}'!{ref}" if not ref.startswith("SUM") else f"={ref}"
            ws.write_formula(r, 1, formula, f, _f(value))
        r += 1
        ws.write_string(r, 0, "Presenze pagate / persone", fmt.label)
        ws.write_formula(r, 1, f'=COUNT({lay.ev_col(10)})', fmt.int, sum(1 for x in led.rows if x.paid is not None))
        ws.write_number(r, 2, len(led.per_person()), fmt.int)
    grouped = [u for u in p.units if u.group]
    if grouped:
        r += 2
        ws.write_string(r, 0, "Riparti per gruppi di aree", fmt.section)
        r += 1
        for c, h in enumerate(["Obiettivo e gruppo", "Quota", "Da ripartire", "Ripartito", "Persone"]):
            ws.write_string(r, c, h, fmt.header)
        for u in grouped:
            r += 1
            ur = lay.unit_row[u.key] + 1
            ws.write_string(r, 0, f"{u.key} ({u.areas or 'altre aree'})", fmt.text)
            ws.write_formula(r, 1, f"='{S_UNITS}'!E{ur}", fmt.fraction, to_float(u.quota))
            ws.write_formula(r, 2, f"='{S_UNITS}'!I{ur}", fmt.euro, to_float(u.amount))
            ws.write_formula(r, 3, f"='{S_UNITS}'!L{ur}", fmt.euro, to_float(u.paid))
            ws.write_formula(r, 4, f"='{S_UNITS}'!J{ur}", fmt.int, len(u.shares))
    r = _by(ws, fmt, p, lay, r + 2, "Per settore (dell'area del dipendente)", 3, lambda e: sector_label(p, e))
    r = _by(ws, fmt, p, lay, r + 2, "Per area", 2, lambda e: area_label(p, e))
    _print(ws, None, f"Liquidazione {year}", landscape=False)


def _sum_ref(lay: _Layout) -> str:
    return f"SUM({lay.ev_col(10)})"


def _by(ws, fmt, p: Payout, lay: _Layout, r: int, title: str, emp_col: int, key) -> int:
    ws.write_string(r, 0, title, fmt.section)
    r += 1
    for c, h in enumerate(["", "Dipendenti", "Con premio", "Liquidato"]):
        ws.write_string(r, c, h, fmt.header)
    groups: dict[str, list] = {}
    for e in p.staff.employees:
        groups.setdefault(key(e), []).append(e)
    col = lay.emp_col(emp_col)
    tot_range = lay.emp_col(lay.tot_col)
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
