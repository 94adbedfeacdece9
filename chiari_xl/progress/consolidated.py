"""The office's workbooks: the monthly progress report and, with final, the year-end payout.

Live formulas all the way down, so the office can audit every figure, and every formula names
what it reads (Excel tables with structured references, defined names for single cells):
`Valori` holds each area's values that count and their completion (progress/completion.py);
`Indicatori` takes the lowest completion among the areas reporting an indicator (rows of
`Valori` by number); `Obiettivi` sums the points of its indicators and states "Da compilare",
"Sopra soglia" or "Sotto soglia" (progress/status.py), and says when some of its areas have not
answered. The monthly report has no amounts: it is progress. The final payout adds its sheets
(payout_sheets.py); the record of the month is record_sheets.py; the tables are declared in
report_layout.py. Cached values are the Python (Fraction/Decimal) results.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import xlsxwriter

from chiari_xl.model.money import as_decimal, to_float
from chiari_xl.model.sectors import sector_label
from chiari_xl.progress import layout as L
from chiari_xl.progress.completion import PROGRESS_FIELDS, Ref, completion, completion_formula, has_progress
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.month import MonthReport
from chiari_xl.progress.payout import ObjectiveResult
from chiari_xl.progress.payout_sheets import payout_sheet, payout_summary, sector_sheet
from chiari_xl.progress.record_sheets import findings_sheet, history_sheet, revisions_sheet, trend_sheet
from chiari_xl.progress.report_layout import (AREAS, INDICATORS, OBJECTIVES, SECTOR_COLS, VALUES,
                                              formats, groups, number, sheet_title, zero_float)
from chiari_xl.progress.status import Status, status_formula, status_highlights
from chiari_xl.progress.tables import Formula, Table, fit_heights, note
from chiari_xl.text import num
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, print_setup


def write_consolidated(path: Path, r: MonthReport) -> None:
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    fmt = Formats(wb)
    fm = formats(wb, fmt)
    summary = wb.add_worksheet("Riepilogo")
    payout_ws = wb.add_worksheet("Liquidazione") if r.final else None
    sector_ws = {g: wb.add_worksheet(sheet_title(g)) for g in groups(r.results)} if r.final else {}
    values_rows = _values_rows(r)
    _objectives_sheet(wb.add_worksheet("Obiettivi"), fmt, fm, r)
    _indicators_sheet(wb.add_worksheet("Indicatori"), fmt, fm, r, values_rows)
    _values_sheet(wb.add_worksheet("Valori"), fmt, fm, values_rows)
    trend_sheet(wb.add_worksheet("Andamento"), fmt, fm, r)
    history_sheet(wb.add_worksheet("Storico"), fmt, fm, r)
    if r.revisions:
        revisions_sheet(wb.add_worksheet("Revisioni"), fmt, fm, r)
    findings_sheet(wb.add_worksheet("Segnalazioni"), fmt, fm, r)
    _summary_sheet(summary, wb, fmt, fm, r)
    if r.final:
        payout_sheet(payout_ws, fmt, fm, r)
        for i, (g, ws) in enumerate(sector_ws.items(), start=1):
            sector_sheet(ws, fmt, fm, r, Table(f"Settore{i}", SECTOR_COLS), g,
                          [o for o in r.results if (o.group or "") == g])
    summary.activate()
    wb.close()


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
                         "quantita": zero_float(v.get("quantita")) if v.get("quantita") is not None else None,
                         "percentuale": zero_float(v.get("percentuale")) if v.get("percentuale") is not None else None,
                         "nota": v.get("nota"), "target": zero_float(ind.target) if ind.target is not None else None,
                         "mese": L.month_label(v["month"]), "file": v.get("file"),
                         "completamento": Formula(formula, to_float(c)), "counts": has_progress(v)})
    return rows


def _values_sheet(ws, fmt, fm, rows):
    ws.write_string(0, 0, "Valori che contano per il mese, area per area (l'ultimo accettato di ogni indicatore)",
                    fmt.title)
    VALUES.write(ws, 2, rows, fm, fmt.header)
    fit_heights(ws, 2, rows, VALUES, ("area", "nota", "file"))
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
                "peso": zero_float(ind.peso), "rilevato": ", ".join(r.name(a) for a in ind.reporters),
                "risposte": f"{len(st.reports)} di {len(ind.reporters)}",
                "completamento": Formula(comp, to_float(st.completion)),
                "punti": Formula(f"={INDICATORS.this('peso')}*{INDICATORS.this('completamento')}",
                                 to_float(Fraction(ind.peso or 0) * st.completion)),
                "disaccordo": "; ".join(f"{r.name(a)} {num(as_decimal(c * 100, 2))} %" for a, c in sorted(st.reports.items()))
                if st.disagreeing else ""})
    INDICATORS.write(ws, 2, rows, fm, fmt.header)
    fit_heights(ws, 2, rows, INDICATORS, ("indicatore", "target", "rilevato", "disaccordo"))
    ws.freeze_panes(3, 2)
    print_setup(ws, (2, 2), "Indicatori")


def _objectives_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, f"Obiettivi: raggiungimento e soglia – {L.month_label(r.month)}", fmt.title)
    note(ws, 1, "«Da compilare»: nessun valore per i suoi indicatori. «Completezza»: se tutte le aree "
                 "che lo rilevano hanno restituito il foglio del mese.", OBJECTIVES, fmt.note)
    same = f"({VALUES.column('n')}={OBJECTIVES.this('n')})"
    filled = "SUMPRODUCT(" + same + "*((" + ")+(".join(f'{VALUES.column(k)}<>""' for k in PROGRESS_FIELDS) + ")))"
    ach = f"=SUMPRODUCT(({INDICATORS.column('n')}={OBJECTIVES.this('n')})*{INDICATORS.column('punti')})"
    esito = status_formula(filled, OBJECTIVES.this("ach"), OBJECTIVES.this("soglia"))
    rows = [{"n": o.n, "obiettivo": o.obiettivo, "gruppo": sector_label(o.group), "soglia": number(o.soglia),
             "ach": Formula(ach, to_float(o.achievement)), "esito": Formula(esito, o.status.label),
             "risposte": f"{len(o.reporters) - len(o.missing)} di {len(o.reporters)}",
             "completezza": _completeness(r, o)} for o in r.results]
    last = OBJECTIVES.write(ws, 3, rows, fm, fmt.header)
    status_highlights(ws, 4, last, OBJECTIVES.index["esito"], fmt)
    ws.conditional_format(4, OBJECTIVES.index["completezza"], last, OBJECTIVES.index["completezza"],
                          {"type": "text", "criteria": "begins with", "value": "parziale", "format": fmt.flag_warning})
    fit_heights(ws, 3, rows, OBJECTIVES, ("obiettivo", "completezza"))
    ws.freeze_panes(4, 2)
    print_setup(ws, (3, 3), "Obiettivi")


def _completeness(r: MonthReport, o: ObjectiveResult) -> str:
    if not o.reporters:
        return "nessuna area lo rileva"
    if not o.missing:
        return "completo"
    return "parziale: manca " + ", ".join(r.name(a) for a in o.missing)


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
    note(ws, 2, banner, AREAS, fm["bad"] if n_miss else fm["good"], large=True)
    what = ("Liquidazione: importo pubblicato × raggiungimento, secondo la regola di pagamento qui sotto."
            if r.final else "Resoconto dell'avanzamento: gli importi dovuti si calcolano solo nella liquidazione "
                            "di fine anno.")
    note(ws, 3, what, AREAS, fmt.note)
    row = 5
    if r.final:
        row = payout_summary(ws, wb, fmt, fm, r, row)
    ws.write_string(row, 0, "Aree", fmt.section)
    rows = []
    for key in r.missing + [a for a in r.expected if a not in r.missing]:
        area = r.pi.areas[key]
        got = r.returned.get(key)
        esito = "MANCANTE" if got is None else (
            "restituito in parte (celle rifiutate)" if got["status"] == Outcome.PARTIAL.value else "restituito")
        rows.append({"area": area.name, "settore": sector_label(area.sector), "esito": esito,
                     "file": got["file_name"] if got else "", "raccolto": L.when_text(got["collected_at"]) if got else ""})
    last = AREAS.write(ws, row + 1, rows, fm, fmt.header)
    ws.conditional_format(row + 2, AREAS.index["esito"], last, AREAS.index["esito"],
                          {"type": "cell", "criteria": "==", "value": '"MANCANTE"', "format": fmt.flag_error})
    fit_heights(ws, row + 1, rows, AREAS, ("area", "file"))
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
    for g in groups(r.results):
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
