"""Where everything is in the payout workbook: each sheet's columns by key, and the rows of every
table, decided before anything is written so that any formula can point anywhere.

A formula names the column it reads (`C.SHARES.cell("weight", r)`, `lay.obj_col("due")`), so
reordering or inserting a column below moves every formula that reads it
(tests/test_yearend_columns.py writes the workbook with the columns permuted and recalculates it).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from chiari_xl.workbook.columns import Columns

S_SUM, S_EMP, S_OBJ, S_UNITS, S_SHARES, S_EVENTS = (
    "Riepilogo", "Dipendenti", "Obiettivi", "Ripartizioni", "Quote", "Presenze eventi")
HEAD = 3            # heading row of the tables (0-based) in Dipendenti, Obiettivi, Ripartizioni, Quote
EV_HEAD = 6         # heading row of the events ledger

# Obiettivi: one row per objective. N. and Obiettivo first: frozen on screen.
OBJ = Columns([
    ("n", "N.", 5), ("title", "Obiettivo", 38), ("sector", "Settore / fondo", 17), ("rule", "Riparto", 13),
    ("allocated", "Stanziato", 13), ("soglia", "Soglia %", 8), ("achievement", "Raggiungi-mento %", 10),
    ("source", "Fonte del raggiungimento", 12), ("due", "Dovuto", 13), ("paid", "Liquidato", 13),
    ("savings", "Economie", 13), ("participants", "Parteci-panti", 8)])

# Ripartizioni: one row per objective, or per group of areas of an objective split by groups.
UNITS = Columns([
    ("key", "Chiave", 22), ("n", "N.", 5), ("group", "Gruppo", 16), ("areas", "Aree del gruppo", 22),
    ("quota", "Quota", 7), ("due", "Dovuto dell'obiettivo", 13), ("floor", "Troncato al centesimo", 12),
    ("rest", "Resto in centesimi", 10), ("amount", "Da ripartire", 13), ("participants", "Parteci-panti", 8),
    ("weights", "Somma dei pesi", 9), ("paid", "Ripartito", 13), ("unpaid", "Non ripartito (economia)", 13)])

# Quote: one row per person and objective (or group), then one per person paid by events.
SHARES = Columns([
    ("key", "Chiave", 22), ("matricola", "Matricola", 10), ("name", "Cognome e nome", 24), ("n", "N.", 5),
    ("group", "Gruppo", 14), ("participation", "Parteci-pazione", 9), ("part_time", "Part-time %", 8),
    ("score", "Punteggio", 8), ("weight", "Peso", 8), ("floor", "Troncato al centesimo", 11),
    ("rest", "Resto in centesimi", 9), ("amount", "Quota", 12)])

# Dipendenti: these columns, then one per objective with participants ("Ob. n"), then the total.
# Matricola and name first: repeated on every printed page and frozen on screen.
EMP = Columns([
    ("matricola", "Matricola", 10), ("name", "Cognome e nome", 24), ("area", "Area", 30), ("sector", "Settore", 24),
    ("part_time", "Part-time %", 9), ("score", "Punteggio", 9)])
EMP_OBJECTIVE_WIDTH = 9.5

# Presenze eventi: the ledger, one row per attendance, under a block of four figures.
EVENTS = Columns([
    ("date", "Data", 10), ("event", "Evento", 30), ("matricola", "Matricola", 9), ("name", "Cognome e nome", 21),
    ("hours", "Ore", 6), ("night", "Notturno o festivo", 9), ("reason", "Non pagata perché", 16),
    ("band", "Importo da fascia", 11), ("floor", "Troncato al centesimo", 11), ("rest", "Resto in centesimi", 9),
    ("paid", "Pagato", 11)])
# The block above the ledger: each figure's row, its label in column A and its value in column D.
EVENT_BLOCK = {"due": 1, "value": 2, "pool": 3, "factor": 4}
EVENT_BLOCK_COL = 3


def event_block(key: str, absolute: bool = False) -> str:
    """The cell of a figure of the events block: D2, or $D$2."""
    return xl_rowcol_to_cell(EVENT_BLOCK[key], EVENT_BLOCK_COL, absolute, absolute)


class Layout:
    """Rows of every table and the columns that depend on the plan (one per objective in
    Dipendenti), with the absolute range of any column of any sheet."""

    def __init__(self, p):
        self.obj_row = {o.n: HEAD + 1 + i for i, o in enumerate(p.objectives)}
        self.obj_total = HEAD + 1 + len(p.objectives)
        self.units = p.units
        self.unit_row = {u.key: HEAD + 1 + i for i, u in enumerate(p.units)}
        self.unit_first, self.unit_last = HEAD + 1, HEAD + max(len(p.units), 1)
        self.shares = [(u, s) for u in p.units for s in u.shares]
        self.event_n = p.view.params.event_objective if p.ledger is not None else None
        paid_people = p.ledger.per_person() if p.ledger is not None else {}
        self.event_people = [e for e in p.staff.employees if e.matricola in paid_people]
        n_share_rows = len(self.shares) + len(self.event_people)
        self.share_first, self.share_last = HEAD + 1, HEAD + max(n_share_rows, 1)
        self.emp_first = HEAD + 1
        self.emp_last = HEAD + max(len(p.staff.employees), 1)
        # the total under the last row; with nobody listed yet, under one blank row, so that no
        # sum or count over the people's rows takes in the total itself
        self.emp_total = self.emp_last + 1
        self.emp_objectives = [o.n for o in p.objectives if o.participants]
        self.emp_obj_first = EMP.last + 1
        self.tot_col = self.emp_obj_first + len(self.emp_objectives)
        self.ev_first = EV_HEAD + 1
        self.ev_last = EV_HEAD + max(len(p.ledger.rows) if p.ledger else 0, 1)

    def shares_col(self, key: str) -> str:
        return SHARES.range(key, self.share_first, self.share_last, S_SHARES)

    def obj_col(self, key: str) -> str:
        return OBJ.range(key, HEAD + 1, self.obj_total - 1, S_OBJ)

    def unit_col(self, key: str) -> str:
        return UNITS.range(key, self.unit_first, self.unit_last, S_UNITS)

    def emp_col(self, key: str) -> str:
        return EMP.range(key, self.emp_first, self.emp_last, S_EMP)

    def emp_total_col(self) -> str:
        """The Totale column of Dipendenti (after the objectives' columns)."""
        return f"'{S_EMP}'!{xl_range_abs(self.emp_first, self.tot_col, self.emp_last, self.tot_col)}"

    def ev_col(self, key: str) -> str:
        return EVENTS.range(key, self.ev_first, self.ev_last, S_EVENTS)
