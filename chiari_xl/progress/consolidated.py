"""The office's workbooks: the monthly progress report and, with final, the year-end payout.

Live formulas all the way down, so the office can audit every figure, and every formula names
what it reads (Excel tables with structured references, defined names for single cells):
`Valori` holds each area's values that count and their completion (progress/completion.py);
`Indicatori` takes the lowest completion among the areas reporting an indicator (rows of
`Valori` by number); `Obiettivi` sums the points of its indicators and states "Da compilare",
"Sopra soglia" or "Sotto soglia" (progress/status.py), and says when some of its areas have not
answered. The monthly report has no amounts: it is progress. The final payout adds
`Liquidazione` (amount as published × achievement by the payout rule chosen in
`RegolaPagamento`, half-up to the cent: ROUND(ROUND(x,6),2) first removes binary float noise
so a true half cent rounds up as in Python's Decimal) and one sheet per sector.
Cached values are the Python (Fraction/Decimal) results.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import xlsxwriter

from chiari_xl.findings import Severity
from chiari_xl.model.money import to_float
from chiari_xl.model.params import Payout
from chiari_xl.model.sectors import sector_label
from chiari_xl.progress import layout as L
from chiari_xl.progress.completion import PROGRESS_FIELDS, Ref, completion, completion_formula, has_progress
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.month import MonthReport
from chiari_xl.progress.payout import ObjectiveResult
from chiari_xl.progress.status import Status, status_formula, status_highlights
from chiari_xl.progress.tables import Col, Formula, Table, put
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, fit_row_height, print_setup

YES, NO = "Sì", "No"

VALUES = Table("Valori", [
    Col("area", "Area", 26), Col("n", "N. ob.", 6, "int"), Col("k", "Ind.", 5, "int"), Col("stato", "Stato", 11),
    Col("quantita", "Quantità", 9, "coeff"), Col("percentuale", "% compl.", 9, "coeff"), Col("nota", "Nota", 26),
    Col("target", "Target numerico", 9, "coeff"), Col("mese", "Mese del dato", 11), Col("file", "File", 30),
    Col("completamento", "Completamento", 14, "frac")])
INDICATORS = Table("Indicatori", [
    Col("n", "N. ob.", 6, "int"), Col("k", "Ind.", 5, "int"), Col("indicatore", "Indicatore", 40),
    Col("target", "Target", 20), Col("peso", "Peso (%)", 8, "int"), Col("rilevato", "Rilevato da", 26),
    Col("risposte", "Risposte", 9), Col("completamento", "Completamento", 14, "frac"),
    Col("punti", "Punti", 9, "coeff"), Col("disaccordo", "Aree in disaccordo", 30)])
OBJECTIVES = Table("Obiettivi", [
    Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 46), Col("gruppo", "Settore / gruppo", 22),
    Col("soglia", "Soglia (%)", 9, "int"), Col("ach", "Raggiungimento (%)", 13, "pct"), Col("esito", "Esito", 14),
    Col("risposte", "Aree che hanno risposto", 12), Col("completezza", "Completezza", 34)])
PAYOUT = Table("Liquidazione", [
    Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 44), Col("gruppo", "Settore / gruppo", 20),
    Col("importo", "Importo pubblicato", 14, "euro"), Col("ach", "Raggiungimento (%)", 13, "pct"),
    Col("soglia", "Soglia (%)", 9, "int"), Col("raggiunto", "Raggiunto", 10),
    Col("dovuto", "Importo da liquidare", 14, "euro"), Col("economia", "Economia", 13, "euro"),
    Col("stato", "Stato", 26)])
AREAS = Table("Aree", [
    Col("area", "Area", 40), Col("settore", "Settore", 24), Col("esito", "Foglio del mese", 24),
    Col("file", "File che conta", 44), Col("raccolto", "Raccolto il", 16)])
RULE, FUND = "RegolaPagamento", "FondoAttribuito"


def sheet_title(group: str) -> str:
    return "".join("-" if ch in '[]:*?/\\' else ch for ch in sector_label(group))[:31]


def write_consolidated(path: Path, r: MonthReport) -> None:
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    fmt = Formats(wb)
    fm = _formats(wb, fmt)
    summary = wb.add_worksheet("Riepilogo")
    payout_ws = wb.add_worksheet("Liquidazione") if r.final else None
    sector_ws = {g: wb.add_worksheet(sheet_title(g)) for g in _groups(r.results)} if r.final else {}
    values_rows = _values_rows(r)
    _objectives_sheet(wb.add_worksheet("Obiettivi"), fmt, fm, r)
    _indicators_sheet(wb.add_worksheet("Indicatori"), fmt, fm, r, values_rows)
    _values_sheet(wb.add_worksheet("Valori"), fmt, fm, values_rows)
    _trend_sheet(wb.add_worksheet("Andamento"), fmt, fm, r)
    _history_sheet(wb.add_worksheet("Storico"), fmt, fm, r)
    if r.revisions:
        _revisions_sheet(wb.add_worksheet("Revisioni"), fmt, fm, r)
    _findings_sheet(wb.add_worksheet("Segnalazioni"), fmt, fm, r)
    _summary_sheet(summary, wb, fmt, fm, r)
    if r.final:
        _payout_sheet(payout_ws, fmt, fm, r)
        for i, (g, ws) in enumerate(sector_ws.items(), start=1):
            _sector_sheet(ws, fmt, fm, r, Table(f"Settore{i}", SECTOR_COLS), g,
                          [o for o in r.results if (o.group or "") == g])
    summary.activate()
    wb.close()


def _formats(wb, fmt: Formats) -> dict:
    base = {"font_name": "Calibri", "font_size": 10, "border": 1, "border_color": "#BFBFBF", "valign": "top"}
    return {"text": fmt.text, "int": fmt.int, "coeff": fmt.coeff, "euro": fmt.euro,
            "pct": wb.add_format({**base, "num_format": '0.00"%"', "align": "center"}),
            "frac": wb.add_format({**base, "num_format": "0.00%", "align": "center"}),
            "total_euro": fmt.total_euro, "total_pct": wb.add_format({**base, "bold": True, "num_format": '0.00"%"'}),
            "choice": wb.add_format({**base, "bg_color": "#FFF2CC", "bold": True}),
            "bad": wb.add_format({"bold": True, "font_size": 12, "font_color": "#9C0006", "bg_color": "#F8CBAD",
                                  "text_wrap": True, "valign": "vcenter"}),
            "good": wb.add_format({"bold": True, "font_size": 12, "font_color": "#006100", "bg_color": "#C6EFCE",
                                   "text_wrap": True, "valign": "vcenter"})}


def _groups(results: list[ObjectiveResult]) -> list[str]:
    return list(dict.fromkeys(o.group or "" for o in results))


def _f(x) -> float:
    return to_float(x) if x is not None else 0.0


# --------------------------------------------------------------------------- Valori, Indicatori, Obiettivi

def _values_rows(r: MonthReport) -> list[dict]:
    """One row per (area, indicator) whose value counts this month, reporting areas only."""
    targets = {(i.n, i.k): i for i in r.pi.indicators}
    refs = {"stato": Ref(VALUES.this("stato")), "quantita": Ref(VALUES.this("quantita")),
            "percentuale": Ref(VALUES.this("percentuale")), "target": Ref(VALUES.this("target"))}
    formula = completion_formula(refs)
    rows = []
    for area_key in sorted(r.current):
        for (n, k), v in sorted(r.current[area_key].items()):
            ind = targets.get((n, k))
            if ind is None or area_key not in ind.reporters:
                continue
            c = completion(v.get("stato"), v.get("quantita"), v.get("percentuale"), ind.target)
            rows.append({"area": r.name(area_key), "area_key": area_key, "n": n, "k": k,
                         "stato": v["stato"].label if v.get("stato") else None,
                         "quantita": _f(v.get("quantita")) if v.get("quantita") is not None else None,
                         "percentuale": _f(v.get("percentuale")) if v.get("percentuale") is not None else None,
                         "nota": v.get("nota"), "target": _f(ind.target) if ind.target is not None else None,
                         "mese": L.month_label(v["month"]), "file": v.get("file"),
                         "completamento": Formula(formula, to_float(c)), "counts": has_progress(v)})
    return rows


def _values_sheet(ws, fmt, fm, rows):
    ws.write_string(0, 0, "Valori che contano per il mese, area per area (l'ultimo accettato di ogni indicatore)",
                    fmt.title)
    VALUES.write(ws, 2, rows, fm, fmt.header)
    _heights(ws, 2, rows, VALUES, ("area", "nota", "file"))
    ws.freeze_panes(3, 1)
    print_setup(ws, (2, 2), "Valori per area")


def _indicators_sheet(ws, fmt, fm, r: MonthReport, values_rows: list[dict]):
    ws.write_string(0, 0, "Indicatori: completamento consolidato (il più basso tra le aree che lo rilevano)",
                    fmt.title)
    position = {}
    for i, v in enumerate(values_rows, start=1):
        if v["counts"]:
            position.setdefault((v["n"], v["k"]), []).append(i)
    inds = {(i.n, i.k): i for i in r.pi.indicators}
    rows = []
    for o in r.results:
        for st in o.indicators:
            ind = inds[(st.n, st.k)]
            refs = position.get((st.n, st.k), [])
            comp = "=MIN(" + ",".join(f"INDEX({VALUES.column('completamento')},{i})" for i in refs) + ")" \
                if refs else "=0"
            rows.append({
                "n": st.n, "k": st.k, "indicatore": ind.indicatore, "target": ind.quantita,
                "peso": _f(ind.peso), "rilevato": ", ".join(r.name(a) for a in ind.reporters),
                "risposte": f"{len(st.reports)} di {len(ind.reporters)}",
                "completamento": Formula(comp, to_float(st.completion)),
                "punti": Formula(f"={INDICATORS.this('peso')}*{INDICATORS.this('completamento')}",
                                 to_float(Fraction(ind.peso or 0) * st.completion)),
                "disaccordo": "; ".join(f"{r.name(a)} {to_float(c * 100):.4g} %" for a, c in sorted(st.reports.items()))
                if st.disagreeing else ""})
    INDICATORS.write(ws, 2, rows, fm, fmt.header)
    _heights(ws, 2, rows, INDICATORS, ("indicatore", "target", "rilevato", "disaccordo"))
    ws.freeze_panes(3, 2)
    print_setup(ws, (2, 2), "Indicatori")


def _objectives_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, f"Obiettivi: raggiungimento e soglia – {L.month_label(r.month)}", fmt.title)
    _note(ws, 1, "«Da compilare»: nessun valore per i suoi indicatori. «Completezza»: se tutte le aree "
                 "che lo rilevano hanno restituito il foglio del mese.", OBJECTIVES, fmt.note)
    same = f"({VALUES.column('n')}={OBJECTIVES.this('n')})"
    filled = "SUMPRODUCT(" + same + "*((" + ")+(".join(f'{VALUES.column(k)}<>""' for k in PROGRESS_FIELDS) + ")))"
    ach = f"=SUMPRODUCT(({INDICATORS.column('n')}={OBJECTIVES.this('n')})*{INDICATORS.column('punti')})"
    esito = status_formula(filled, OBJECTIVES.this("ach"), OBJECTIVES.this("soglia"))
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "gruppo": sector_label(o.group), "soglia": _num(o.soglia),
             "ach": Formula(ach, to_float(o.achievement)), "esito": Formula(esito, o.status.label),
             "risposte": f"{len(o.reporters) - len(o.missing)} di {len(o.reporters)}",
             "completezza": _completeness(r, o)} for o in r.results]
    last = OBJECTIVES.write(ws, 3, rows, fm, fmt.header)
    status_highlights(ws, 4, last, OBJECTIVES.index["esito"], fmt)
    ws.conditional_format(4, OBJECTIVES.index["completezza"], last, OBJECTIVES.index["completezza"],
                          {"type": "text", "criteria": "begins with", "value": "parziale", "format": fmt.flag_warning})
    _heights(ws, 3, rows, OBJECTIVES, ("obiettivo", "completezza"))
    ws.freeze_panes(4, 2)
    print_setup(ws, (3, 3), "Obiettivi")


def _completeness(r: MonthReport, o: ObjectiveResult) -> str:
    if not o.reporters:
        return "nessuna area lo rileva"
    if not o.missing:
        return "completo"
    return "parziale: manca " + ", ".join(r.name(a) for a in o.missing)


def _num(v):
    return float(v) if v is not None else None


# --------------------------------------------------------------------------- Riepilogo

def _summary_sheet(ws, wb, fmt, fm, r: MonthReport):
    title = "Liquidazione degli obiettivi di performance" if r.final else "Monitoraggio obiettivi di performance"
    if r.provisional:
        title = "Liquidazione PROVVISORIA degli obiettivi di performance"
    ws.write_string(0, 0, f"{title} – {L.month_label(r.month)}", fmt.title)
    ws.write_string(1, 0, f"Piano degli obiettivi di performance {r.pi.year or ''} («{r.pi.plan.path.name}») · "
                          f"situazione al {r.when:%d/%m/%Y %H:%M}", fmt.subtitle)
    n_exp, n_miss = len(r.expected), len(r.missing)
    if n_miss:
        banner = (f"Fogli restituiti: {n_exp - n_miss} di {n_exp}. Mancano {n_miss} aree (in rosso qui sotto): "
                  "il raggiungimento degli obiettivi che rilevano è provvisorio.")
    else:
        banner = f"Tutte le {n_exp} aree hanno restituito il foglio di {L.month_label(r.month)}."
    _note(ws, 2, banner, AREAS, fm["bad"] if n_miss else fm["good"], large=True)
    note = ("Liquidazione: importo pubblicato × raggiungimento, secondo la regola di pagamento qui sotto."
            if r.final else "Resoconto dell'avanzamento: gli importi dovuti si calcolano solo nella liquidazione "
                            "di fine anno.")
    _note(ws, 3, note, AREAS, fmt.note)
    row = 5
    if r.final:
        row = _payout_summary(ws, wb, fmt, fm, r, row)
    ws.write_string(row, 0, "Aree", fmt.section)
    rows = []
    for key in r.missing + [a for a in r.expected if a not in r.missing]:
        area = r.pi.areas[key]
        got = r.returned.get(key)
        esito = "MANCANTE" if got is None else (
            "restituito in parte (celle rifiutate)" if got["status"] == Outcome.PARTIAL.value else "restituito")
        rows.append({"area": area.name, "settore": sector_label(area.sector), "esito": esito,
                     "file": got["file_name"] if got else "", "raccolto": _date(got["collected_at"]) if got else ""})
    last = AREAS.write(ws, row + 1, rows, fm, fmt.header)
    ws.conditional_format(row + 2, AREAS.index["esito"], last, AREAS.index["esito"],
                          {"type": "cell", "criteria": "==", "value": '"MANCANTE"', "format": fmt.flag_error})
    _heights(ws, row + 1, rows, AREAS, ("area", "file"))
    row = last + 2
    ws.write_string(row, 0, "Obiettivi per esito", fmt.section)
    counts = [(st.label, f'=COUNTIF({OBJECTIVES.column("esito")},"{st.label}")',
               sum(1 for o in r.results if o.status == st)) for st in (Status.REACHED, Status.BELOW, Status.TO_FILL)]
    counts.append(("Con risposte parziali", f'=COUNTIF({OBJECTIVES.column("completezza")},"parziale*")',
                   sum(1 for o in r.results if o.missing)))
    for label, formula, value in counts:
        row += 1
        ws.write_string(row, 0, label, fmt.label)
        ws.write_formula(row, 1, formula, fmt.int, value)
    row += 2
    ws.set_h_pagebreaks([row])  # the averages and their chart on a page of their own
    _group_averages(ws, wb, fmt, fm, r, row)
    print_setup(ws, None, title)


def _group_averages(ws, wb, fmt, fm, r: MonthReport, row: int):
    ws.write_string(row, 0, "Raggiungimento medio per settore / gruppo", fmt.section)
    row += 1
    for c, h in enumerate(["Settore / gruppo", "Raggiungimento medio (%)"]):
        ws.write_string(row, c, h, fmt.header)
    first = row + 1
    for g in _groups(r.results):
        row += 1
        items = [o for o in r.results if (o.group or "") == g]
        mean = sum((o.achievement for o in items), Fraction(0)) / len(items)
        ws.write_string(row, 0, sector_label(g) or "Senza settore", fmt.text)
        ws.write_formula(row, 1, f'=AVERAGEIF({OBJECTIVES.column("gruppo")},"{sector_label(g)}",'
                                 f'{OBJECTIVES.column("ach")})', fm["pct"], to_float(mean))
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": "Raggiungimento medio (%)", "categories": [ws.get_name(), first, 0, row, 0],
                      "values": [ws.get_name(), first, 1, row, 1], "fill": {"color": "#2E75B6"},
                      "data_labels": {"value": True, "num_format": "0.0"}})
    chart.set_title({"name": "Raggiungimento medio per settore"})
    chart.set_x_axis({"min": 0, "max": 100, "name": "%"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 300})
    ws.insert_chart(row + 2, 0, chart)


def _payout_summary(ws, wb, fmt, fm, r: MonthReport, row: int) -> int:
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


# --------------------------------------------------------------------------- final payout

def _payout_sheet(ws, fmt, fm, r: MonthReport):
    head = "Liquidazione PROVVISORIA per obiettivo" if r.provisional else "Liquidazione per obiettivo"
    ws.write_string(0, 0, f"{head} – {L.month_label(r.month)}", fmt.title)
    _note(ws, 1, "Importo pubblicato nel piano in vigore × raggiungimento, se la soglia è raggiunta "
                 "(regola di pagamento: Riepilogo), arrotondato al centesimo per eccesso da 0,5.", PAYOUT, fmt.note)
    match = f"MATCH({PAYOUT.this('n')},{OBJECTIVES.column('n')},0)"
    ach = f"=INDEX({OBJECTIVES.column('ach')},{match})"
    reached = f'=IF(INDEX({OBJECTIVES.column("esito")},{match})="{Status.REACHED.label}","{YES}","{NO}")'
    amount, a = PAYOUT.this("importo"), PAYOUT.this("ach")
    due = (f'=IF({PAYOUT.this("raggiunto")}="{YES}",IF({RULE}="{Payout.ALL_OR_NOTHING.short_label}",{amount},'
           f"ROUND(ROUND({amount}*{a}/100,6),2)),0)")
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "gruppo": sector_label(o.group), "importo": _num(o.amount),
             "ach": Formula(ach, to_float(o.achievement)), "soglia": _num(o.soglia),
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
    _heights(ws, 3, rows, PAYOUT, ("obiettivo", "gruppo", "stato"))
    ws.freeze_panes(4, 2)
    print_setup(ws, (3, 3), head)


SECTOR_COLS = [Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 50),
               Col("ach", "Raggiungimento (%)", 13, "pct"), Col("raggiunto", "Raggiunto", 10),
               Col("importo", "Importo pubblicato", 14, "euro"), Col("dovuto", "Importo da liquidare", 14, "euro"),
               Col("economia", "Economia", 13, "euro")]


def _sector_sheet(ws, fmt, fm, r: MonthReport, table: Table, group: str, items: list[ObjectiveResult]):
    ws.write_string(0, 0, f"Settore / gruppo: {sector_label(group) or 'senza settore'}", fmt.title)
    match = f"MATCH({table.this('n')},{PAYOUT.column('n')},0)"
    link = lambda key: f"=INDEX({PAYOUT.column(key)},{match})"  # noqa: E731
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "ach": Formula(link("ach"), to_float(o.achievement)),
             "raggiunto": Formula(link("raggiunto"), YES if o.reached else NO),
             "importo": Formula(link("importo"), _f(o.amount)), "dovuto": Formula(link("dovuto"), to_float(o.due)),
             "economia": Formula(link("economia"), to_float(o.savings))} for o in items]
    last = table.write(ws, 2, rows, fm, fmt.header)
    total = last + 1
    ws.write_string(total, 1, "Totale", fmt.total_label)
    for key, value in (("importo", sum((o.amount or 0 for o in items), Decimal(0))),
                       ("dovuto", sum((o.due for o in items), Decimal(0))),
                       ("economia", sum((o.savings for o in items), Decimal(0)))):
        ws.write_formula(total, table.index[key], f"=SUM({table.column(key)})", fm["total_euro"], to_float(value))
    _heights(ws, 2, rows, table, ("obiettivo",))
    print_setup(ws, (2, 2), sector_label(group))


# --------------------------------------------------------------------------- trend, history, findings

def _trend_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Andamento del raggiungimento (%) mese per mese", fmt.title)
    months = sorted(r.trend)
    heads = ["N. ob.", "Obiettivo", "Soglia (%)"] + [L.month_label(m) for m in months]
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, fmt.header)
    for i, o in enumerate(r.results):
        row = 3 + i
        put(ws, row, 0, o.n, fmt.int)
        put(ws, row, 1, o.obiettivo, fmt.text)
        put(ws, row, 2, _num(o.soglia), fmt.int)
        for c, m in enumerate(months, start=3):
            put(ws, row, c, to_float(r.trend[m].get(o.n, Fraction(0))), fm["pct"])
        fit_row_height(ws, row, [(o.obiettivo, 46)])
    if months:
        ws.conditional_format(3, 3, 2 + len(r.results), 2 + len(months),
                              {"type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num",
                               "mid_value": 50, "max_type": "num", "max_value": 100})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 46)
    ws.set_column(2, 2 + len(months), 11)
    ws.freeze_panes(3, 2)
    print_setup(ws, (2, 2), "Andamento")


HISTORY = Table("Storico", [
    Col("area", "Area", 30), Col("mese", "Mese", 13), Col("file", "File", 44), Col("raccolto", "Raccolto il", 15),
    Col("esito", "Esito", 16), Col("conta", "Conta", 7), Col("perche", "Perché", 52)])


def _history_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Storico: i file accettati per area e mese, e quale conta", fmt.title)
    rows = [{"area": r.name(x["area_key"]), "mese": L.month_label(x["month"]), "file": x["file_name"],
             "raccolto": _date(x["collected_at"]), "esito": Outcome(x["status"]).label,
             "conta": YES if x["counts"] else NO, "perche": x["why"]} for x in r.month_files]
    HISTORY.write(ws, 2, rows, fm, fmt.header)
    _heights(ws, 2, rows, HISTORY, ("area", "file", "perche"))
    ws.freeze_panes(3, 1)
    print_setup(ws, (2, 2), "Storico")


FINDINGS = Table("Segnalazioni", [
    Col("gravita", "Gravità", 11), Col("area", "Area", 24), Col("file", "File", 30), Col("dove", "Dove", 16),
    Col("valore", "Valore", 14), Col("messaggio", "Messaggio", 70), Col("codice", "Codice", 18)])


def _findings_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Segnalazioni della raccolta e del mese", fmt.title)
    items = sorted(r.notices, key=lambda n: n.finding.severity.rank)
    rows = [{"gravita": n.finding.severity.label, "area": n.area, "file": n.file, "dove": n.where,
             "valore": n.finding.found, "messaggio": n.message, "codice": n.code} for n in items]
    if not rows:
        rows = [{"messaggio": "Nessuna segnalazione."}]
    last = FINDINGS.write(ws, 2, rows, fm, fmt.header)
    for sev, f in ((Severity.ERROR, fmt.flag_error), (Severity.WARNING, fmt.flag_warning)):
        ws.conditional_format(3, 0, last, 0, {"type": "cell", "criteria": "==", "value": f'"{sev.label}"',
                                              "format": f})
    _heights(ws, 2, rows, FINDINGS, ("area", "file", "messaggio"))
    ws.freeze_panes(3, 0)
    print_setup(ws, (2, 2), "Segnalazioni")


REVISIONS = Table("Revisioni", [
    Col("quando", "Quando", 12), Col("piano", "Piano", 36), Col("gravita", "Gravità", 11), Col("ob", "Ob.", 5, "int"),
    Col("messaggio", "Cosa è cambiato e cosa succede ai valori", 90)])


def _revisions_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Revisioni del piano riconosciute (il piano in vigore è l'ultimo)", fmt.title)
    rows = []
    for v in r.revisions:
        for f in v["findings"]:
            rows.append({"quando": _date(v["when"]), "piano": f"«{v['old_file']}» → «{v['new_file']}»",
                         "gravita": f.severity.label, "ob": f.objective, "messaggio": f.message})
    REVISIONS.write(ws, 2, rows, fm, fmt.header)
    _heights(ws, 2, rows, REVISIONS, ("piano", "messaggio"))
    print_setup(ws, (2, 2), "Revisioni")


def _date(iso) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


def _note(ws, row: int, text: str, table: Table, f, large: bool = False) -> None:
    """A line of text across the width of `table` (one narrow first column would cut it)."""
    width = sum(c.width for c in table.cols)
    ws.merge_range(row, 0, row, len(table.cols) - 1, text, f)
    fit_row_height(ws, row, [(text, width * (0.7 if large else 1))], line_pt=17 if large else 13)


def _heights(ws, header_row: int, rows: list[dict], table: Table, keys: tuple[str, ...]):
    """Rows tall enough for their wrapped text (what a spreadsheet would not do by itself)."""
    fit_row_height(ws, header_row, [(c.heading, c.width * 0.7) for c in table.cols])
    for j, row in enumerate(rows):
        fit_row_height(ws, header_row + 1 + j, [(row.get(k), table.by_key[k].width) for k in keys
                                                if isinstance(row.get(k), str)])
