"""The record of the month in the office's workbooks: `Andamento` (achievement month by month),
`Storico` (which accepted file counts, per area and month, and why), `Revisioni` (what each plan
revision changed) and `Segnalazioni` (every finding of the collection and of the month).
"""

from __future__ import annotations

from fractions import Fraction

from chiari_xl.findings import Severity
from chiari_xl.model.money import to_float
from chiari_xl.progress import layout as L
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.month import MonthReport
from chiari_xl.progress.report_layout import FINDINGS, HISTORY, NO, REVISIONS, YES, number
from chiari_xl.progress.tables import fit_heights, put
from chiari_xl.workbook.formats import fit_row_height, print_setup


def trend_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Andamento del raggiungimento (%) mese per mese", fmt.title)
    months = sorted(r.trend)
    heads = ["N. ob.", "Obiettivo", "Soglia (%)"] + [L.month_label(m) for m in months]
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, fmt.header)
    for i, o in enumerate(r.results):
        row = 3 + i
        put(ws, row, 0, o.n, fmt.int)
        put(ws, row, 1, o.obiettivo, fmt.text)
        put(ws, row, 2, number(o.soglia), fmt.pct)
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


def history_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Storico: i file accettati per area e mese, e quale conta", fmt.title)
    rows = [{"area": r.name(x["area_key"]), "mese": L.month_label(x["month"]), "file": x["file_name"],
             "raccolto": L.when_text(x["collected_at"]), "esito": Outcome(x["status"]).label,
             "conta": YES if x["counts"] else NO, "perche": x["why"]} for x in r.month_files]
    HISTORY.write(ws, 2, rows, fm, fmt.header)
    fit_heights(ws, 2, rows, HISTORY, ("area", "file", "perche"))
    ws.freeze_panes(3, 1)
    print_setup(ws, (2, 2), "Storico")


def findings_sheet(ws, fmt, fm, r: MonthReport):
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
    fit_heights(ws, 2, rows, FINDINGS, ("area", "file", "valore", "messaggio"))
    ws.freeze_panes(3, 0)
    print_setup(ws, (2, 2), "Segnalazioni")


def revisions_sheet(ws, fmt, fm, r: MonthReport):
    ws.write_string(0, 0, "Revisioni del piano riconosciute (il piano in vigore è l'ultimo)", fmt.title)
    rows = []
    for v in r.revisions:
        for f in v["findings"]:
            rows.append({"quando": L.when_text(v["when"]), "piano": f"«{v['old_file']}» → «{v['new_file']}»",
                         "gravita": f.severity.label, "ob": f.objective, "messaggio": f.message})
    REVISIONS.write(ws, 2, rows, fm, fmt.header)
    fit_heights(ws, 2, rows, REVISIONS, ("piano", "messaggio"))
    print_setup(ws, (2, 2), "Revisioni")
