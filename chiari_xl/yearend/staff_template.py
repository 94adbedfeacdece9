"""The Personale workbook the office fills in Excel (xlsxwriter): staff and participation,
attendance at events (card 3), the year-end achievement of each objective.

Headings and formulas are locked (the sheets are protected without a password, so the office
can still unprotect them); the cells to fill are unlocked, yellow and validated. The same
writer builds the bundled sample from invented people (scripts/build_staff_sample.py), so
the sample is exactly what a filled template looks like; its formulas carry their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from chiari_xl.model.money import to_float
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, fit_row_height, print_setup
from chiari_xl.yearend import staff_layout as L
from chiari_xl.yearend.plan_view import PlanView

STAFF_HEADER = 4        # 0-based row of the Personale headings
EVENTS_HEADER = 2
ACH_HEADER = 2
BLANK_STAFF_ROWS = 150  # rows prepared (formatted, validated) in an empty template
BLANK_EVENT_ROWS = 400
CONFIDENTIAL = "RISERVATO - contiene dati personali"


@dataclass
class StaffFill:
    """What the sample (or a test) writes into the template; empty = a blank template."""

    people: list[dict] = field(default_factory=list)     # matricola, name, area, part_time, score, obj: {n: w}
    events: list[dict] = field(default_factory=list)     # date, event, matricola, hours, start, night
    achievements: dict[int, Decimal] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)  # objective -> note on the Raggiungimento sheet


def participation_objectives(view: PlanView) -> list[int]:
    """Objectives with a participation column: all but the one paid by events (its people are
    those in the events ledger)."""
    return [n for n in view.objectives if n != view.params.event_objective]


def write_staff_workbook(path, view: PlanView, fill: StaffFill | None = None) -> Path:
    fill = fill or StaffFill()
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {**SAFE_TEXT, "nan_inf_to_errors": True})
    wb.set_properties({"title": f"Personale e partecipazione agli obiettivi {view.year or ''}".strip(),
                       "subject": CONFIDENTIAL, "author": "chiari-xl"})
    fmt = Formats(wb)
    x = _Extra(wb)
    help_ws = wb.add_worksheet(L.SHEET_HELP)
    staff_ws = wb.add_worksheet(L.SHEET_STAFF)
    events_ws = wb.add_worksheet(L.SHEET_EVENTS)
    ach_ws = wb.add_worksheet(L.SHEET_ACHIEVEMENT)
    areas_ref = _help_sheet(help_ws, fmt, view)
    staff_col = _staff_sheet(staff_ws, fmt, x, view, fill, areas_ref)
    _events_sheet(events_ws, fmt, x, view, fill, staff_col)
    _achievement_sheet(ach_ws, fmt, x, view, fill)
    staff_ws.activate()
    wb.close()
    return path


class _Extra:
    """Formats only this workbook uses."""

    def __init__(self, wb):
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.input = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False})
        self.input_text = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False, "text_wrap": True})
        self.input_pct = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False, "num_format": '0.00"%"'})
        self.input_date = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False, "num_format": "dd/mm/yyyy"})
        self.input_time = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False, "num_format": "hh:mm"})
        self.input_mark = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False, "align": "center"})
        self.formula = wb.add_format({**base, "bg_color": "#DDEBF7"})
        self.formula_int = wb.add_format({**base, "bg_color": "#DDEBF7", "align": "center", "bold": True})
        self.int = wb.add_format({**base, "align": "center"})
        self.label_right = wb.add_format({"font_name": "Calibri", "font_size": 10, "bold": True, "align": "right"})
        self.header_obj = wb.add_format({"font_name": "Calibri", "font_size": 10, "bold": True, "font_color": "white",
                                         "bg_color": "#1F4E78", "align": "center", "valign": "vcenter",
                                         "text_wrap": True, "border": 1})


def _protect(ws):
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True,
                    "insert_rows": True, "delete_rows": True})


def _help_sheet(ws, fmt: Formats, view: PlanView) -> str:
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 62)
    ws.set_column(2, 2, 28)
    year = view.year or ""
    ws.write_string(0, 1, f"Personale e obiettivi {year}: come compilare".strip(), fmt.title)
    ws.write_string(1, 1, CONFIDENTIAL, fmt.subtitle)
    steps = [
        f"Foglio «{L.SHEET_STAFF}»: una riga per dipendente (matricola, cognome e nome, area, part-time %; "
        "il punteggio della valutazione individuale serve solo se il piano lo usa nel riparto).",
        "Nelle colonne «Ob. n» segnare chi partecipa all'obiettivo: 1 = partecipazione piena, un numero "
        "minore per una partecipazione parziale (es. 0,5); lasciare vuoto chi non partecipa. La riga "
        "«Partecipanti segnati» si aggiorna da sola e va confrontata con «N. dip. nel piano».",
        f"Foglio «{L.SHEET_EVENTS}»: una riga per persona e per evento (obiettivo "
        f"{view.params.event_objective or '-'}, presenza extra orario): data, evento, matricola, ore, "
        "«Sì» se notturno o festivo. L'ora di inizio, se indicata, permette di controllare le sovrapposizioni.",
        f"Foglio «{L.SHEET_ACHIEVEMENT}»: il raggiungimento % di ogni obiettivo a fine anno, per chi non usa "
        "i fogli di monitoraggio mensili. Se è compilato vale questo; altrimenti si usa lo storico mensile.",
        "Le celle gialle sono da compilare; intestazioni e formule sono protette (Revisione > Rimuovi "
        "protezione foglio, senza password, se serve). Il file contiene dati personali: non metterlo "
        "nelle cartelle condivise.",
        "Poi: chiari-xl liquidazione PIANO --personale QUESTO_FILE.",
    ]
    r = 3
    for i, text in enumerate(steps, start=1):
        ws.write_number(r, 0, i, fmt.label)
        ws.write_string(r, 1, text, fmt.note)
        fit_row_height(ws, r, [(text, 62)])
        r += 1
    r += 1
    ws.write_string(r, 1, "Aree del piano (elenco per la colonna «Area»)", fmt.section)
    ws.write_string(r, 2, "Settore", fmt.section)
    first = r + 1
    names = sorted(view.areas.values(), key=lambda a: ((a.sector or ""), a.name))
    for a in names:
        r += 1
        ws.write_string(r, 1, a.name, fmt.text)
        ws.write_string(r, 2, a.sector or "", fmt.text)
    print_setup(ws, None, "Istruzioni", landscape=False)
    return f"='{L.SHEET_HELP}'!{xl_range_abs(first, 1, max(r, first), 1)}"


def _num(v):
    """Numbers as numbers; anything else (a test planting text) as written."""
    if v is None or v == "":
        return None
    if isinstance(v, str):
        return v
    return to_float(v)


def _staff_sheet(ws, fmt: Formats, x: _Extra, view: PlanView, fill: StaffFill, areas_ref: str):
    """Returns the range of a Personale column by key (the events sheet looks names up in it)."""
    cols = L.STAFF_COLUMNS
    c = cols.index
    objectives = participation_objectives(view)
    base = cols.last + 1
    for i, col in cols:
        ws.set_column(i, i, col.width)
    ws.set_column(base, base + len(objectives) - 1, L.OBJECTIVE_WIDTH)
    year = view.year or ""
    ws.write_string(0, 0, f"Personale coinvolto negli obiettivi {year} - {CONFIDENTIAL}", fmt.title)
    note = ("Una riga per dipendente. Colonne «Ob. n»: 1 = partecipa, un numero minore per una "
            "partecipazione parziale, vuoto = non partecipa. I titoli degli obiettivi sono nel foglio "
            f"«{L.SHEET_ACHIEVEMENT}».")
    ws.merge_range(1, cols.first, 1, cols.last, note, fmt.note)
    fit_row_height(ws, 1, [(note, sum(w for _h, w in cols.headings()))])
    n_rows = max(len(fill.people), BLANK_STAFF_ROWS if not fill.people else 0)
    first, last = STAFF_HEADER + 1, STAFF_HEADER + max(n_rows, 1)
    ws.merge_range(2, cols.first, 2, cols.last, "N. dip. nel piano", x.label_right)
    ws.merge_range(3, cols.first, 3, cols.last, "Partecipanti segnati", x.label_right)
    for i, col in cols:
        ws.write_string(STAFF_HEADER, i, col.heading, fmt.header)
    for i, n in enumerate(objectives):
        oc = base + i
        obj = view.objectives[n]
        ws.write_string(STAFF_HEADER, oc, L.objective_heading(n), x.header_obj)
        ws.write_comment(STAFF_HEADER, oc, f"{n}. {obj.title}", {"x_scale": 2.5, "y_scale": 1.6})
        if obj.all_staff:
            ws.write_string(2, oc, "tutti", x.int)
        elif obj.n_dip is not None:
            ws.write_number(2, oc, to_float(obj.n_dip), x.int)
        marked = sum(1 for p in fill.people if _positive(p.get("obj", {}).get(n)))
        ws.write_formula(3, oc, f'=COUNTIF({xl_rowcol_to_cell(first, oc)}:{xl_rowcol_to_cell(last, oc)},">0")',
                         x.formula_int, marked)
    fit_row_height(ws, STAFF_HEADER, [(h, w * 0.7) for h, w in cols.headings()])
    for i in range(n_rows):
        r = first + i
        p = fill.people[i] if i < len(fill.people) else {}
        _put(ws, r, c("matricola"), p.get("matricola"), x.input)
        _put(ws, r, c("name"), p.get("name"), x.input)
        _put(ws, r, c("area"), p.get("area"), x.input)
        _put(ws, r, c("part_time"), _num(p.get("part_time")), x.input_pct)
        _put(ws, r, c("score"), _num(p.get("score")), x.input)
        for j, n in enumerate(objectives):
            _put(ws, r, base + j, _num(p.get("obj", {}).get(n)), x.input_mark)
    ws.data_validation(first, c("area"), last, c("area"),
                       {"validate": "list", "source": areas_ref, "error_type": "warning", "error_title": "Area",
                        "error_message": "L'area non è nell'elenco delle aree del piano (foglio Istruzioni)."})
    ws.data_validation(first, c("part_time"), last, c("part_time"),
                       {"validate": "decimal", "criteria": "between", "minimum": 0.01, "maximum": 100,
                        "error_title": "Part-time", "error_message": "Percentuale tra 0 e 100 (100 = tempo pieno)."})
    ws.data_validation(first, c("score"), last, c("score"),
                       {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                        "error_title": "Punteggio", "error_message": "Punteggio tra 0 e 100."})
    if objectives:
        ws.data_validation(first, base, last, base + len(objectives) - 1,
                           {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": "Partecipazione",
                            "error_message": "Un numero: 1 = partecipa, 0,5 = a metà; vuoto = non partecipa."})
    ws.freeze_panes(first, c("name") + 1)
    ws.autofilter(STAFF_HEADER, cols.first, last, base + len(objectives) - 1)
    print_setup(ws, (STAFF_HEADER, STAFF_HEADER), f"Personale {year} - RISERVATO")
    ws.repeat_columns(cols.first, c("name"))
    ws.fit_to_pages(2, 0)
    _protect(ws)
    return lambda key: cols.range(key, first, last, L.SHEET_STAFF)


def _positive(v) -> bool:
    try:
        return v is not None and Decimal(str(v)) > 0
    except ArithmeticError:
        return False


def _put(ws, r, c, value, f):
    if value is None or value == "":
        ws.write_blank(r, c, None, f)
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        ws.write_number(r, c, float(value), f)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, f)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), f)
    elif isinstance(value, dt.time):
        ws.write_datetime(r, c, value, f)
    else:
        ws.write_string(r, c, str(value), f)


def _events_sheet(ws, fmt: Formats, x: _Extra, view: PlanView, fill: StaffFill, staff_col):
    cols = L.EVENT_COLUMNS
    c = cols.index
    for i, col in cols:
        ws.set_column(i, i, col.width)
    year = view.year or ""
    n_obj = view.params.event_objective
    ws.write_string(0, 0, f"Presenze agli eventi {year} (obiettivo {n_obj or '-'}) - {CONFIDENTIAL}", fmt.title)
    note = ("Una riga per persona e per evento. Ore: durata della presenza (es. 2,5). Notturno o festivo: "
            "«Sì» o «No». Il nome si compila da solo dalla matricola.")
    ws.merge_range(1, cols.first, 1, cols.last, note, fmt.note)
    for i, col in cols:
        ws.write_string(EVENTS_HEADER, i, col.heading, fmt.header)
    fit_row_height(ws, EVENTS_HEADER, [(h, w * 0.7) for h, w in cols.headings()])
    names = {str(p.get("matricola")): p.get("name") for p in fill.people}
    n_rows = max(len(fill.events), BLANK_EVENT_ROWS if not fill.events else 0)
    first = EVENTS_HEADER + 1
    name_of = f"INDEX({staff_col('name')},MATCH({{m}},{staff_col('matricola')},0))"
    for i in range(n_rows):
        r = first + i
        e = fill.events[i] if i < len(fill.events) else {}
        _put(ws, r, c("date"), e.get("date"), x.input_date)
        _put(ws, r, c("event"), e.get("event"), x.input_text)
        _put(ws, r, c("matricola"), e.get("matricola"), x.input)
        m = cols.cell("matricola", r)
        cached = "" if not e.get("matricola") else names.get(str(e.get("matricola")), "matricola sconosciuta")
        ws.write_formula(r, c("name"), f'=IF({m}="","",IFERROR({name_of.format(m=m)},"matricola sconosciuta"))',
                         x.formula, cached)
        _put(ws, r, c("hours"), _num(e.get("hours")), x.input)
        _put(ws, r, c("start"), e.get("start"), x.input_time)
        night = e.get("night")
        _put(ws, r, c("night"), None if night is None else (L.YES if night else L.NO), x.input_mark)
    last = first + max(n_rows, 1) - 1
    ws.data_validation(first, c("date"), last, c("date"),
                       {"validate": "date", "criteria": "between",
                        "minimum": dt.date(int(year), 1, 1) if year else dt.date(2000, 1, 1),
                        "maximum": dt.date(int(year), 12, 31) if year else dt.date(2100, 12, 31),
                        "error_title": "Data", "error_message": "Una data dell'anno del piano."})
    ws.data_validation(first, c("hours"), last, c("hours"),
                       {"validate": "decimal", "criteria": "between", "minimum": 0.01, "maximum": 24,
                        "error_title": "Ore", "error_message": "Ore di presenza: più di 0, al massimo 24."})
    ws.data_validation(first, c("night"), last, c("night"), {"validate": "list", "source": [L.YES, L.NO]})
    ws.freeze_panes(first, 0)
    ws.autofilter(EVENTS_HEADER, cols.first, last, cols.last)
    print_setup(ws, (EVENTS_HEADER, EVENTS_HEADER), f"Presenze eventi {year} - RISERVATO", landscape=False)
    _protect(ws)


def _achievement_sheet(ws, fmt: Formats, x: _Extra, view: PlanView, fill: StaffFill):
    cols = L.ACHIEVEMENT_COLUMNS
    c = cols.index
    for i, col in cols:
        ws.set_column(i, i, col.width)
    year = view.year or ""
    ws.write_string(0, 0, f"Raggiungimento degli obiettivi a fine anno {year}".strip(), fmt.title)
    note = ("Per chi non usa i fogli di monitoraggio mensili: il raggiungimento % di ogni obiettivo (0-100). "
            "Se una riga è compilata vale questa; se è vuota si usa lo storico mensile, se c'è.")
    ws.merge_range(1, cols.first, 1, cols.last, note, fmt.note)
    fit_row_height(ws, 1, [(note, sum(w for _h, w in cols.headings()))])
    for i, col in cols:
        ws.write_string(ACH_HEADER, i, col.heading, fmt.header)
    fit_row_height(ws, ACH_HEADER, [(h, w * 0.7) for h, w in cols.headings()])
    r = ACH_HEADER
    for n, obj in view.objectives.items():
        r += 1
        ws.write_number(r, c("n"), n, fmt.int)
        ws.write_string(r, c("title"), obj.title, fmt.text)
        _put(ws, r, c("amount"), obj.amount, fmt.euro)
        _put(ws, r, c("soglia"), _num(obj.soglia), fmt.pct)
        _put(ws, r, c("achievement"), _num(fill.achievements.get(n)), x.input_pct)
        _put(ws, r, c("note"), fill.notes.get(n), x.input_text)
        fit_row_height(ws, r, [(obj.title, cols.width("title")), (fill.notes.get(n), cols.width("note"))])
    ws.data_validation(ACH_HEADER + 1, c("achievement"), max(r, ACH_HEADER + 1), c("achievement"),
                       {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                        "error_title": "Raggiungimento", "error_message": "Una percentuale tra 0 e 100."})
    ws.freeze_panes(ACH_HEADER + 1, 0)
    print_setup(ws, (ACH_HEADER, ACH_HEADER), f"Raggiungimento degli obiettivi {year}")
    _protect(ws)
