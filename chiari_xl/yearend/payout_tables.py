"""The payout workbook's tables, one row per objective, group, share or employee: Obiettivi,
Ripartizioni, Quote, Dipendenti. Every formula names the columns it reads (payout_columns.py).

Largest remainder in formulas follows model/allocation.py exactly: each exact share rounded to
6 decimals, cut to the cent, the missing cents to the largest cut-off remainders, ties to the
earlier row.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from xlsxwriter.utility import xl_rowcol_to_cell

from chiari_xl.model.allocation import lr_parts
from chiari_xl.model.money import ZERO, to_float, total
from chiari_xl.model.params import Payout as PayoutRule
from chiari_xl.model.params import SplitRule
from chiari_xl.workbook.columns import Columns
from chiari_xl.workbook.formats import fit_row_height, print_setup
from chiari_xl.workbook.values import blank_or
from chiari_xl.yearend import payout_columns as C
from chiari_xl.yearend.payout import Payout
from chiari_xl.yearend.payout_columns import HEAD, Layout

CONFIDENTIAL = "RISERVATO - dati personali"
EVENT_GROUP = "presenze"
HEADING_WIDTH = 0.7  # bold headings wrap at words: count their column as narrower when sizing the row


def area_label(p: Payout, e) -> str:
    return p.view.area_name(e.area_key) or e.area_text or "(area non indicata)"


def sector_label(p: Payout, e) -> str:
    return p.sector_of(e) or "(area non del piano)"


def print_payout(ws, head: tuple[int, int] | None, title: str, landscape=True):
    print_setup(ws, head, title, landscape, confidential=CONFIDENTIAL)


def heading(ws, fmt, cols: Columns, row=HEAD):
    """Column headings, their row tall enough for the longest (bold headings wrap at words)."""
    for c, col in cols:
        ws.write_string(row, c, col.heading, fmt.header)
        ws.set_column(c, c, col.width)
    fit_row_height(ws, row, [(h, w * HEADING_WIDTH) for h, w in cols.headings()])


def title(ws, fmt, text: str, note: str, width_to: int, columns: list[tuple[str, float]]):
    ws.write_string(0, 0, text, fmt.title)
    ws.merge_range(1, 0, 1, width_to, note, fmt.note)
    fit_row_height(ws, 1, [(note, sum(w for _h, w in columns[:width_to + 1]))])


def num_or_blank(ws, r, c, v, f):
    if v is None:
        ws.write_blank(r, c, None, f)
    else:
        ws.write_number(r, c, to_float(v), f)


def lr_cache(amount: Fraction, points: list) -> tuple[list, list]:
    """Cached values of the helper columns: each share cut to the cent, its remainder in cents."""
    tot = sum((Fraction(x) for x in points if x is not None), Fraction(0))
    exact = [None if x is None or tot <= 0 else amount * Fraction(x) / tot for x in points]
    floors, rests = lr_parts(exact)
    return [None if f is None else Fraction(f, 100) for f in floors], rests


def _sum_down(cols: Columns, key: str, first: int, last: int) -> str:
    """=SUM of the column from row first to last: E5:E32."""
    return f"=SUM({cols.cell(key, first)}:{cols.cell(key, last)})"


def _euro_totals(ws, fmt, cols: Columns, t: int, first: int, keys, items):
    """On row t, the sum of each column `key` from row `first`, cached as the items' total."""
    for key in keys:
        ws.write_formula(t, cols.index(key), _sum_down(cols, key, first, t - 1), fmt.total_euro,
                         to_float(total(getattr(i, key) for i in items)))


# --- Obiettivi ---------------------------------------------------------------------------------
def objectives(ws, fmt, p: Payout, lay: Layout):
    cols = C.OBJ
    c = cols.index
    year = p.view.year or ""
    title(ws, fmt, f"Obiettivi {year}: stanziato, dovuto, liquidato, economie",
          f"Dovuto: regola 5 del piano ({p.view.params.payout.label}). Liquidato: la somma delle quote "
          "dei dipendenti (foglio Quote). Economie = stanziato - liquidato.", cols.last, cols.headings())
    heading(ws, fmt, cols)
    all_label = PayoutRule.ALL_OR_NOTHING.label
    n_col = lay.shares_col("n")
    amount_col = lay.shares_col("amount")
    for o in p.objectives:
        r = lay.obj_row[o.n]
        n, allocated, soglia, ach = (cols.cell(k, r) for k in ("n", "allocated", "soglia", "achievement"))
        ws.write_number(r, c("n"), o.n, fmt.int)
        ws.write_string(r, c("title"), o.title, fmt.text)
        ws.write_string(r, c("sector"), o.sector, fmt.text)
        ws.write_string(r, c("rule"), o.rule, fmt.text)
        ws.write_number(r, c("allocated"), to_float(o.allocated), fmt.euro)
        num_or_blank(ws, r, c("soglia"), o.soglia, fmt.pct2)
        num_or_blank(ws, r, c("achievement"), o.achievement, fmt.pct2)
        ws.write_string(r, c("source"), o.source, fmt.text)
        ws.write_formula(r, c("due"), f'=IF(AND(ISNUMBER({ach}),ISNUMBER({soglia})),IF(ROUND({ach},9)>={soglia},'
                                      f'IF(RegolaPagamento="{all_label}",ROUND({allocated},2),'
                                      f'ROUND(ROUND({allocated}*{ach}/100,6),2)),0),0)',
                         fmt.rule_euro, to_float(o.due))
        ws.write_formula(r, c("paid"), f"=SUMIF({n_col},{n},{amount_col})", fmt.rule_euro, to_float(o.paid))
        ws.write_formula(r, c("savings"), f"={allocated}-{cols.cell('paid', r)}", fmt.rule_euro, to_float(o.savings))
        ws.write_formula(r, c("participants"), f"=COUNTIF({n_col},{n})", fmt.int, o.participants)
        fit_row_height(ws, r, [(getattr(o, k), cols.width(k)) for k in ("title", "sector", "rule", "source")],
                       max_lines=6)
    t = lay.obj_total
    ws.write_string(t, c("title"), "Totale", fmt.total_label)
    _euro_totals(ws, fmt, cols, t, HEAD + 1, ("allocated", "due", "paid", "savings"), p.objectives)
    ws.write_formula(t, c("participants"), _sum_down(cols, "participants", HEAD + 1, t - 1), fmt.total_int,
                     sum(o.participants for o in p.objectives))
    ws.freeze_panes(HEAD + 1, c("title") + 1)
    print_payout(ws, (HEAD, HEAD), f"Obiettivi {year} - liquidazione")


# --- Ripartizioni ------------------------------------------------------------------------------
def units(ws, fmt, p: Payout, lay: Layout):
    cols = C.UNITS
    c = cols.index
    year = p.view.year or ""
    title(ws, fmt, f"Ripartizioni {year}: cosa si divide tra le persone di ogni obiettivo o gruppo",
          "Un obiettivo con riparto per gruppi di aree (Parametri) è diviso prima tra i gruppi secondo le quote, "
          "al centesimo con il metodo dei resti maggiori; ogni parte poi tra le persone del gruppo (foglio Quote).",
          cols.last, cols.headings())
    heading(ws, fmt, cols)
    due = {o.n: o.due for o in p.objectives}
    by_n: dict[int, list] = {}
    for u in p.units:
        by_n.setdefault(u.n, []).append(u)
    cache = {}
    for n, us in by_n.items():
        floors, rests = lr_cache(Fraction(due[n]), [u.quota for u in us])
        for u, f, rr in zip(us, floors, rests):
            cache[u.key] = (f, rr)
    first, last = lay.unit_first, lay.unit_last
    rng = lambda k: cols.range(k, first, last)  # noqa: E731
    key_col, share_w, share_amt = lay.shares_col("key"), lay.shares_col("weight"), lay.shares_col("amount")
    for u in p.units:
        r = lay.unit_row[u.key]
        x = lambda k: cols.cell(k, r)  # noqa: E731
        ws.write_string(r, c("key"), u.key, fmt.text)
        ws.write_number(r, c("n"), u.n, fmt.int)
        ws.write_string(r, c("group"), u.group, fmt.text)
        ws.write_string(r, c("areas"), u.areas, fmt.text)
        ws.write_number(r, c("quota"), to_float(u.quota), fmt.fraction)
        ws.write_formula(r, c("due"), f"=INDEX({lay.obj_col('due')},MATCH({x('n')},{lay.obj_col('n')},0))",
                         fmt.euro, to_float(due[u.n]))
        exact = f"{x('due')}*{x('quota')}/SUMIF({rng('n')},{x('n')},{rng('quota')})"
        f_val, r_val = cache[u.key]
        ws.write_formula(r, c("floor"), f"=ROUNDDOWN(ROUND({exact},6),2)", fmt.euro, blank_or(f_val))
        ws.write_formula(r, c("rest"), f"=ROUND(ROUND({exact},6)*100-{x('floor')}*100,6)", fmt.num, blank_or(r_val))
        above_n, above_rest = cols.above("n", HEAD, r), cols.above("rest", HEAD, r)  # see shares()
        rank = (f"SUMPRODUCT(({rng('n')}={x('n')})*({rng('rest')}>{x('rest')}))"
                f"+SUMPRODUCT(({above_n}={x('n')})*({above_rest}={x('rest')}))")
        missing = f"ROUND(ROUND({x('due')},2)*100-SUMIF({rng('n')},{x('n')},{rng('floor')})*100,0)"
        ws.write_formula(r, c("amount"), f"={x('floor')}+IF({rank}<{missing},0.01,0)", fmt.rule_euro,
                         to_float(u.amount))
        ws.write_formula(r, c("participants"), f"=COUNTIF({key_col},{x('key')})", fmt.int, len(u.shares))
        ws.write_formula(r, c("weights"), f"=SUMIF({key_col},{x('key')},{share_w})", fmt.num,
                         to_float(sum((s.weight for s in u.shares), Decimal(0))))
        ws.write_formula(r, c("paid"), f"=SUMIF({key_col},{x('key')},{share_amt})", fmt.rule_euro, to_float(u.paid))
        ws.write_formula(r, c("unpaid"), f"={x('amount')}-{x('paid')}", fmt.rule_euro, to_float(u.unpaid))
    t = last + 1
    ws.write_string(t, c("key"), "Totale", fmt.total_label)
    _euro_totals(ws, fmt, cols, t, first, ("amount", "paid", "unpaid"), p.units)
    ws.freeze_panes(HEAD + 1, c("key") + 1)
    print_payout(ws, (HEAD, HEAD), f"Ripartizioni {year}")


# --- Quote -------------------------------------------------------------------------------------
def shares(ws, fmt, p: Payout, lay: Layout):
    cols = C.SHARES
    c = cols.index
    year = p.view.year or ""
    rule = p.view.params.split_rule
    title(ws, fmt, f"Quote {year}: una riga per persona e obiettivo - {CONFIDENTIAL}",
          f"Peso = {rule.label} (regola sul foglio Parametri). Quota = importo da ripartire × peso / somma dei "
          "pesi, al centesimo con il metodo dei resti maggiori: le quote di ogni riparto sommano esattamente "
          "l'importo.", cols.last, cols.headings())
    heading(ws, fmt, cols)
    first, last = lay.share_first, lay.share_last
    rng = lambda k: cols.range(k, first, last)  # noqa: E731
    staff = p.staff.by_matricola()
    score_label = SplitRule.WITH_SCORE.label
    cache = {}
    for u in p.units:
        floors, rests = lr_cache(Fraction(u.amount), [s.weight for s in u.shares])
        for s, f, rr in zip(u.shares, floors, rests):
            cache[(u.key, s.matricola)] = (f, rr)
    r = first - 1
    for u, s in lay.shares:
        r += 1
        x = lambda k: cols.cell(k, r)  # noqa: E731
        emp = staff[s.matricola]
        ws.write_string(r, c("key"), u.key, fmt.text)
        ws.write_string(r, c("matricola"), s.matricola, fmt.text)
        ws.write_string(r, c("name"), emp.name, fmt.text)
        ws.write_number(r, c("n"), u.n, fmt.int)
        ws.write_string(r, c("group"), u.group, fmt.text)
        ws.write_number(r, c("participation"), to_float(s.participation), fmt.num)
        match = f"MATCH({x('matricola')},{lay.emp_col('matricola')},0)"
        ws.write_formula(r, c("part_time"), f"=INDEX({lay.emp_col('part_time')},{match})", fmt.pct2,
                         to_float(emp.part_time))
        score = f"INDEX({lay.emp_col('score')},{match})"
        ws.write_formula(r, c("score"), f'=IF({score}="","",{score})', fmt.pct2, blank_or(emp.score))
        base = f"{x('participation')}*{x('part_time')}/100"
        ws.write_formula(r, c("weight"), f'=IF(RegolaRiparto="{score_label}",'
                                         f'{base}*IF(ISNUMBER({x("score")}),{x("score")},100)/100,{base})',
                         fmt.num, to_float(s.weight))
        amount = f"INDEX({lay.unit_col('amount')},MATCH({x('key')},{lay.unit_col('key')},0))"
        exact = f"{amount}*{x('weight')}/SUMIF({rng('key')},{x('key')},{rng('weight')})"
        f_val, r_val = cache[(u.key, s.matricola)]
        ws.write_formula(r, c("floor"), f"=ROUNDDOWN(ROUND({exact},6),2)", fmt.euro, blank_or(f_val))
        ws.write_formula(r, c("rest"), f"=ROUND(ROUND({exact},6)*100-{x('floor')}*100,6)", fmt.num, blank_or(r_val))
        # the rows above this one, from the heading row (text, never equal to a key or a number): a
        # range from the first data row would be inverted on that row, and Excel and LibreOffice
        # read $A$5:A4 as A4:A5, counting the row itself as a tie above it
        above_key, above_rest = cols.above("key", HEAD, r), cols.above("rest", HEAD, r)
        rank = (f"SUMPRODUCT(({rng('key')}={x('key')})*ISNUMBER({rng('rest')})*({rng('rest')}>{x('rest')}))"
                f"+SUMPRODUCT(({above_key}={x('key')})*ISNUMBER({above_rest})*({above_rest}={x('rest')}))")
        missing = f"ROUND(ROUND({amount},2)*100-SUMIF({rng('key')},{x('key')},{rng('floor')})*100,0)"
        ws.write_formula(r, c("amount"), f"={x('floor')}+IF({rank}<{missing},0.01,0)", fmt.rule_euro,
                         to_float(s.amount))
    if lay.event_n is not None:
        per_person = p.ledger.per_person()
        key = f"Ob. {lay.event_n} - {EVENT_GROUP}"
        for emp in lay.event_people:
            r += 1
            ws.write_string(r, c("key"), key, fmt.text)
            ws.write_string(r, c("matricola"), emp.matricola, fmt.text)
            ws.write_string(r, c("name"), emp.name, fmt.text)
            ws.write_number(r, c("n"), lay.event_n, fmt.int)
            ws.write_string(r, c("group"), EVENT_GROUP, fmt.text)
            for k in ("participation", "part_time", "score", "weight", "floor", "rest"):
                ws.write_blank(r, c(k), None, fmt.text)
            ws.write_formula(r, c("amount"), f"=SUMIF({lay.ev_col('matricola')},{cols.cell('matricola', r)},"
                                             f"{lay.ev_col('paid')})", fmt.rule_euro,
                             to_float(per_person[emp.matricola]))
    ws.write_string(last + 1, c("key"), "Totale", fmt.total_label)
    ws.write_formula(last + 1, c("amount"), _sum_down(cols, "amount", first, last), fmt.total_euro,
                     to_float(total(o.paid for o in p.objectives)))
    ws.freeze_panes(HEAD + 1, c("name") + 1)
    ws.autofilter(HEAD, cols.first, last, cols.last)
    print_payout(ws, (HEAD, HEAD), f"Quote {year}")


# --- Dipendenti --------------------------------------------------------------------------------
def employees(ws, fmt, p: Payout, lay: Layout):
    cols = C.EMP
    c = cols.index
    year = p.view.year or ""
    shown = cols.headings() + [("", C.EMP_OBJECTIVE_WIDTH)] * 4
    title(ws, fmt, f"Premi {year} per dipendente - {CONFIDENTIAL}",
          "Una riga per dipendente: la quota di ogni obiettivo (dal foglio Quote) e il totale, che va nel "
          "cedolino. Part-time e punteggio si possono correggere qui: le quote si ricalcolano.", len(shown) - 1,
          shown)
    heading(ws, fmt, cols)
    obj_cols = {n: lay.emp_obj_first + i for i, n in enumerate(lay.emp_objectives)}
    for n, oc in obj_cols.items():
        ws.write_string(HEAD, oc, f"Ob. {n}", fmt.header_small)
        ws.set_column(oc, oc, C.EMP_OBJECTIVE_WIDTH)
    tc = lay.tot_col
    ws.write_string(HEAD, tc, "Totale", fmt.header)
    ws.set_column(tc, tc, 12)
    q_amount, q_mat, q_n = lay.shares_col("amount"), lay.shares_col("matricola"), lay.shares_col("n")
    for i, emp in enumerate(p.staff.employees):
        r = lay.emp_first + i
        mine = p.shares.get(emp.matricola, {})
        ws.write_string(r, c("matricola"), emp.matricola, fmt.clip)
        ws.write_string(r, c("name"), emp.name, fmt.clip)
        ws.write_string(r, c("area"), area_label(p, emp), fmt.clip)
        ws.write_string(r, c("sector"), sector_label(p, emp), fmt.clip)
        ws.write_number(r, c("part_time"), to_float(emp.part_time), fmt.input_pct2)
        num_or_blank(ws, r, c("score"), emp.score, fmt.input_score)
        matricola = cols.cell("matricola", r, col_abs=True)
        for n, oc in obj_cols.items():
            ws.write_formula(r, oc, f"=SUMIFS({q_amount},{q_mat},{matricola},{q_n},{n})", fmt.euro_blank,
                             to_float(mine.get(n, ZERO)))
        # no objective with participants yet: nothing to add (a range ending before it starts
        # would be read backwards and take in this very cell)
        row_sum = (f"=SUM({xl_rowcol_to_cell(r, lay.emp_obj_first)}:{xl_rowcol_to_cell(r, tc - 1)})"
                   if obj_cols else "=0")
        ws.write_formula(r, tc, row_sum, fmt.rule_euro, to_float(p.total_of(emp.matricola)))
    t = lay.emp_total
    ws.write_string(t, c("name"), "Totale", fmt.total_label)
    people = p.staff.employees
    for n, oc in obj_cols.items():
        ws.write_formula(t, oc, f"=SUM({xl_rowcol_to_cell(lay.emp_first, oc)}:{xl_rowcol_to_cell(t - 1, oc)})",
                         fmt.total_euro_blank, to_float(total(p.shares.get(e.matricola, {}).get(n, ZERO)
                                                              for e in people)))
    ws.write_formula(t, tc, f"=SUM({xl_rowcol_to_cell(lay.emp_first, tc)}:{xl_rowcol_to_cell(t - 1, tc)})",
                     fmt.total_euro, to_float(total(p.total_of(e.matricola) for e in people)))
    ws.freeze_panes(HEAD + 1, c("name") + 1)
    ws.autofilter(HEAD, cols.first, max(lay.emp_last, HEAD + 1), tc)
    print_payout(ws, (HEAD, HEAD), f"Premi {year} per dipendente")
    ws.repeat_columns(cols.first, c("name"))
    ws.fit_to_pages(3, 0)
