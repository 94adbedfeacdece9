"""The office's consolidated workbook (and, with final=True, the year-end payout).

Live formulas all the way down, so the office can see and audit every figure:
`Aree` holds each area's accepted values and their completion (same rule as the sheets);
`Indicatori` takes the lowest completion among the areas of a shared indicator;
`Obiettivi` sums peso × completion, compares with the soglia and applies the payout rule
chosen in `Riepilogo`!B5 (drop-down; the plan's rule by default) to the amount AS PUBLISHED
in the plan (the recomputed amount is shown next to it when different). Amounts are rounded
half-up to the cent: ROUND(ROUND(x,6),2) first removes binary float noise so a true half
cent rounds up as in Python's Decimal. Cached values are the Python (Decimal) results.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import quote_sheetname

from chiari_xl.model.params import Payout
from chiari_xl.workbook.formats import EURO, SAFE_TEXT, Formats, print_setup
from chiari_xl.progress import layout as L
from chiari_xl.progress.indicators import PlanIndicators, completion
from chiari_xl.model.money import as_decimal, to_float
from chiari_xl.progress.payout import ObjectiveResult

PAYOUT_CELL = "B5"



def _f(x) -> float:
    return to_float(x) if x is not None else 0.0


def sheet_title(group: str) -> str:
    bad = '[]:*?/\\'
    name = "".join("-" if ch in bad else ch for ch in group)
    return name[:31]


def write_consolidated(path: Path, pi: PlanIndicators, month: str, results: list[ObjectiveResult],
                       current: dict, trend: dict[str, dict[int, Fraction]], findings: list[dict],
                       payout: str, final: bool = False):
    """trend: month -> {n: achievement}; findings: [{tipo, area, file, cella, dettaglio}]."""
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    fmt = Formats(wb)
    x = _Extra(wb)
    summary = wb.add_worksheet("Riepilogo")
    aree = _areas_sheet(wb, fmt, x, pi, current)
    ind_rows = _indicators_sheet(wb, fmt, x, pi, results, aree)
    obj_rows = _objectives_sheet(wb, fmt, x, pi, results, ind_rows)
    groups = _group_sheets(wb, fmt, x, results, obj_rows)
    _summary_sheet(summary, wb, fmt, x, pi, month, results, obj_rows, groups, payout, final)
    _trend_sheet(wb, fmt, x, results, trend)
    _findings_sheet(wb, fmt, findings)
    if final:
        _final_sheet(wb, fmt, x, pi, results, obj_rows)
    wb.close()


class _Extra:
    def __init__(self, wb):
        base = {"font_name": "Calibri", "font_size": 10, "border": 1, "border_color": "#BFBFBF"}
        self.pct = wb.add_format({**base, "num_format": '0.00"%"', "align": "center"})
        self.frac = wb.add_format({**base, "num_format": "0.00%", "align": "center"})
        self.total_pct = wb.add_format({**base, "bold": True, "num_format": '0.00"%"', "top": 2})
        self.euro = wb.add_format({**base, "num_format": EURO})
        self.choice = wb.add_format({**base, "bg_color": "#FFF2CC", "bold": True})


def _areas_sheet(wb, fmt, x, pi: PlanIndicators, current: dict) -> dict[tuple[int, int], list[int]]:
    ws = wb.add_worksheet("Aree")
    ws.write("A1", "Valori accettati per area (ultimo mese disponibile)", fmt.title)
    heads = ["Area", "N. ob.", "Ind.", "Stato", "Quantità", "% compl.", "Nota", "Target numerico",
             "Mese del dato", "File", "Completamento"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, fmt.header)
    targets = {(i.n, i.k): i.target for i in pi.indicators}
    rows: dict[tuple[int, int], list[int]] = {}
    r = 3
    for area_key in sorted(current):
        area = pi.area_map.areas.get(area_key)
        for (n, k), v in sorted(current[area_key].items()):
            if (n, k) not in targets or area is None or area_key not in pi.area_map.of.get(n, []):
                continue
            e = r + 1
            ws.write(r, 0, area.name, fmt.text)
            ws.write_number(r, 1, n, fmt.int)
            ws.write_number(r, 2, k, fmt.int)
            ws.write(r, 3, v.get("stato") or "", fmt.text)
            for c, fld in ((4, "quantita"), (5, "percentuale")):
                if v.get(fld) is not None:
                    ws.write_number(r, c, float(v[fld]), fmt.coeff)
                else:
                    ws.write_blank(r, c, None, fmt.coeff)
            ws.write(r, 6, v.get("nota") or "", fmt.text)
            t = targets[(n, k)]
            ws.write(r, 7, float(t) if t is not None else "", fmt.coeff)
            ws.write(r, 8, v.get("month") or "", fmt.text)
            ws.write(r, 9, v.get("file") or "", fmt.text)
            c_val = completion(v.get("stato"), v.get("quantita"), v.get("percentuale"), t)
            ws.write_formula(r, 10, f'=IF(F{e}<>"",MIN(1,MAX(0,F{e}/100)),IF(AND(E{e}<>"",N(H{e})>0),'
                                    f'MIN(1,MAX(0,E{e}/N(H{e}))),IF(D{e}="Completato",1,0)))', x.frac, _f(c_val))
            rows.setdefault((n, k), []).append(e)
            r += 1
    ws.set_column("A:A", 34)
    ws.set_column("B:C", 6)
    ws.set_column("D:F", 11)
    ws.set_column("G:G", 30)
    ws.set_column("H:I", 11)
    ws.set_column("J:J", 40)
    ws.set_column("K:K", 13)
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, max(r - 1, 3), len(heads) - 1)
    print_setup(ws, (2, 2), "Valori per area")
    return rows


def _indicators_sheet(wb, fmt, x, pi, results, aree_rows) -> dict[int, tuple[int, int]]:
    ws = wb.add_worksheet("Indicatori")
    ws.write("A1", "Indicatori: completamento consolidato (il più basso tra le aree che rispondono)", fmt.title)
    heads = ["N. ob.", "Ind.", "Indicatore", "Target", "Peso (%)", "Completamento", "Punti",
             "Aree che hanno risposto", "Aree in disaccordo"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, fmt.header)
    span: dict[int, tuple[int, int]] = {}
    r = 3
    inds = {(i.n, i.k): i for i in pi.indicators}
    for res in results:
        first = r + 1
        for st in res.indicators:
            ind = inds[(st.n, st.k)]
            e = r + 1
            ws.write_number(r, 0, st.n, fmt.int)
            ws.write_number(r, 1, st.k, fmt.int)
            ws.write(r, 2, ind.indicatore, fmt.text)
            ws.write(r, 3, ind.quantita, fmt.text)
            ws.write(r, 4, float(ind.peso) if ind.peso is not None else 0, fmt.int)
            refs = aree_rows.get((st.n, st.k), [])
            formula = f"=MIN({','.join(f'Aree!K{a}' for a in refs)})" if refs else "=0"
            ws.write_formula(r, 5, formula, x.frac, _f(st.completion))
            ws.write_formula(r, 6, f"=E{e}*F{e}", fmt.coeff, _f(Fraction(ind.peso or 0) * st.completion))
            names = [pi.area_map.areas[a].name for a in sorted(st.reports)]
            ws.write(r, 7, ", ".join(names), fmt.text)
            ws.write(r, 8, "Sì: " + "; ".join(f"{pi.area_map.areas[a].name} {float(as_decimal(c * 100, 4)):g}%"
                                              for a, c in sorted(st.reports.items())) if st.disagreeing else "",
                     fmt.text)
            r += 1
        span[res.n] = (first, r)  # 1-based first and last row
    ws.set_column("A:B", 6)
    ws.set_column("C:C", 50)
    ws.set_column("D:D", 26)
    ws.set_column("E:G", 12)
    ws.set_column("H:I", 40)
    ws.freeze_panes(3, 2)
    print_setup(ws, (2, 2), "Indicatori")
    return span


def _objectives_sheet(wb, fmt, x, pi, results, span) -> dict[int, int]:
    ws = wb.add_worksheet("Obiettivi")
    ws.write("A1", "Obiettivi: raggiungimento, soglia e importo dovuto", fmt.title)
    ws.write("A2", "Importo: quello pubblicato nel piano; «ricalcolato» è quello delle regole 1-4 "
                   "(mostrato solo se diverso).", fmt.note)
    heads = ["N. ob.", "Obiettivo", "Settore / gruppo", "Importo pubblicato", "Importo ricalcolato (se diverso)",
             "Soglia (%)", "Raggiungimento (%)", "Raggiunto", "Importo dovuto", "Economia"]
    for c, h in enumerate(heads):
        ws.write(3, c, h, fmt.header)
    rows = {}
    rule = f"Riepilogo!${PAYOUT_CELL[0]}${PAYOUT_CELL[1:]}"
    r = 4
    for res in results:
        e = r + 1
        a, b = span[res.n]
        ws.write_number(r, 0, res.n, fmt.int)
        ws.write(r, 1, res.obiettivo, fmt.text)
        ws.write(r, 2, res.group, fmt.text)
        ws.write(r, 3, float(res.amount) if res.amount is not None else 0, fmt.euro)
        diff = res.amount_recomputed is not None and res.amount is not None and res.amount_recomputed != res.amount
        ws.write(r, 4, float(res.amount_recomputed) if diff else "", fmt.euro)
        ws.write(r, 5, float(res.soglia) if res.soglia is not None else "", fmt.int)
        ws.write_formula(r, 6, f"=SUMPRODUCT(Indicatori!E{a}:E{b},Indicatori!F{a}:F{b})",
                         x.pct, _f(res.achievement))
        # ROUND(...,9): a sum of float products must not fall a hair under an exactly met soglia
        ws.write_formula(r, 7, f'=IF(AND(ISNUMBER(F{e}),ROUND(G{e},9)>=F{e}),"Sì","No")', fmt.text,
                         "Sì" if res.reached else "No")
        ws.write_formula(r, 8, f'=IF(H{e}="Sì",IF({rule}="{Payout.ALL_OR_NOTHING.short_label}",D{e},'
                               f'ROUND(ROUND(D{e}*G{e}/100,6),2)),0)', fmt.euro, float(res.due))
        ws.write_formula(r, 9, f"=D{e}-I{e}", fmt.euro, float(res.savings))
        rows[res.n] = e
        r += 1
    last = r
    ws.write(r, 1, "Totale", fmt.total_label)
    for c, col, val in ((3, "D", sum((x_.amount or 0 for x_ in results), Decimal(0))),
                        (8, "I", sum((x_.due for x_ in results), Decimal(0))),
                        (9, "J", sum((x_.savings for x_ in results), Decimal(0)))):
        ws.write_formula(r, c, f"=SUM({col}5:{col}{last})", fmt.total_euro, float(val))
    ws.conditional_format(4, 6, last - 1, 6, {"type": "formula", "criteria": "=$H5=\"Sì\"", "format": fmt.ok})
    ws.conditional_format(4, 6, last - 1, 6, {"type": "formula", "criteria": "=AND($H5=\"No\",$G5>=$F5*0.8)",
                                              "format": fmt.flag_warning})
    ws.conditional_format(4, 6, last - 1, 6, {"type": "formula", "criteria": "=$H5=\"No\"", "format": fmt.flag_error})
    ws.set_column("A:A", 6)
    ws.set_column("B:B", 50)
    ws.set_column("C:C", 26)
    ws.set_column("D:J", 14)
    ws.freeze_panes(4, 2)
    print_setup(ws, (3, 3), "Obiettivi")
    rows["_total"] = r + 1
    return rows


def _group_sheets(wb, fmt, x, results, obj_rows) -> dict[str, dict]:
    groups: dict[str, list[ObjectiveResult]] = {}
    for res in results:
        groups.setdefault(res.group or "Senza settore", []).append(res)
    out = {}
    for name, items in groups.items():
        ws = wb.add_worksheet(sheet_title(name))
        q = quote_sheetname("Obiettivi")
        ws.write("A1", f"Settore / gruppo: {name}", fmt.title)
        heads = ["N. ob.", "Obiettivo", "Soglia (%)", "Raggiungimento (%)", "Raggiunto", "Importo pubblicato",
                 "Importo dovuto", "Economia"]
        for c, h in enumerate(heads):
            ws.write(2, c, h, fmt.header)
        r = 3
        for res in items:
            _link_cells(ws, r, q, obj_rows[res.n], res, fmt, x, "ABFGHDIJ")
            r += 1
        ws.write(r, 1, "Totale / media", fmt.total_label)
        mean = sum((i.achievement for i in items), Fraction(0)) / len(items)
        ws.write_formula(r, 3, f"=AVERAGE(D4:D{r})", x.total_pct, _f(mean))
        for c, col, val in ((5, "F", sum((i.amount or 0 for i in items), Decimal(0))),
                            (6, "G", sum((i.due for i in items), Decimal(0))),
                            (7, "H", sum((i.savings for i in items), Decimal(0)))):
            ws.write_formula(r, c, f"=SUM({col}4:{col}{r})", fmt.total_euro, float(val))
        ws.conditional_format(3, 4, r - 1, 4, {"type": "cell", "criteria": "==", "value": '"Sì"', "format": fmt.ok})
        ws.conditional_format(3, 4, r - 1, 4, {"type": "cell", "criteria": "==", "value": '"No"',
                                               "format": fmt.flag_error})
        ws.set_column("A:A", 6)
        ws.set_column("B:B", 50)
        ws.set_column("C:H", 14)
        print_setup(ws, (2, 2), name)
        out[name] = {"sheet": ws.get_name(), "total_row": r + 1, "mean": mean,
                     "amount": sum((i.amount or 0 for i in items), Decimal(0)),
                     "due": sum((i.due for i in items), Decimal(0))}
    return out


def _summary_sheet(ws, wb, fmt, x, pi, month, results, obj_rows, groups, payout, final):
    title = "Liquidazione finale degli obiettivi di performance" if final else "Monitoraggio obiettivi di performance"
    ws.write("A1", f"{title} – {L.month_label(month)}", fmt.title)
    ws.write("A2", f"Piano: {pi.plan.path.name} (sha256 {pi.plan.sha256[:12]}…) · creato il "
                   f"{dt.datetime.now():%d/%m/%Y %H:%M}", fmt.subtitle)
    ws.write("A4", "Parametri", fmt.section)
    ws.write("A5", "Regola di pagamento", fmt.label)
    ws.write(PAYOUT_CELL, Payout(payout).short_label, x.choice)
    ws.data_validation(PAYOUT_CELL, {"validate": "list", "source": [p.short_label for p in Payout],
                                     "input_title": "Regola di pagamento",
                                     "input_message": "proporzionale: importo × raggiungimento se sopra soglia; "
                                                      "tutto o niente: importo intero se sopra soglia."})
    ws.write("C5", f"Regola del piano: {Payout(pi.plan.params.payout).label}", fmt.note)
    ws.write("A6", "Importi", fmt.label)
    ws.write("B6", "come pubblicati nel piano (foglio Obiettivi, colonna D)", fmt.note)
    t = obj_rows["_total"]
    total_amount = sum((r.amount or 0 for r in results), Decimal(0))
    total_due = sum((r.due for r in results), Decimal(0))
    fund = pi.plan.params.fund_assigned
    ws.write("A8", "Totali", fmt.section)
    lines = [("Importo stanziato sugli obiettivi", f"=Obiettivi!D{t}", total_amount),
             ("Importo dovuto", f"=Obiettivi!I{t}", total_due),
             ("Economie sugli obiettivi", f"=Obiettivi!J{t}", total_amount - total_due)]
    r = 8
    for label, formula, val in lines:
        ws.write(r, 0, label, fmt.label)
        ws.write_formula(r, 1, formula, x.euro, float(val))
        r += 1
    if fund is not None:
        ws.write(r, 0, "Fondo attribuito ai settori (piano)", fmt.label)
        ws.write_number(r, 1, float(fund), x.euro)
        ws.write(r + 1, 0, "Non liquidato rispetto al fondo", fmt.label)
        ws.write_formula(r + 1, 1, f"=B{r + 1}-B10", x.euro, float(fund - total_due))
        r += 2
    ws.write(r, 0, "Obiettivi sopra soglia", fmt.label)
    ws.write_formula(r, 1, f'=COUNTIF(Obiettivi!H5:H{t - 1},"Sì")', fmt.int, sum(1 for x_ in results if x_.reached))
    r += 2
    ws.write(r, 0, "Raggiungimento medio per settore / gruppo", fmt.section)
    r += 1
    for c, h in enumerate(["Settore / gruppo", "Raggiungimento medio (%)", "Importo pubblicato", "Importo dovuto"]):
        ws.write(r, c, h, fmt.header)
    first = r + 1
    for name, g in groups.items():
        r += 1
        q = quote_sheetname(g["sheet"])
        ws.write(r, 0, name, fmt.text)
        ws.write_formula(r, 1, f"={q}!D{g['total_row']}", x.pct, _f(g["mean"]))
        ws.write_formula(r, 2, f"={q}!F{g['total_row']}", x.euro, float(g["amount"]))
        ws.write_formula(r, 3, f"={q}!G{g['total_row']}", x.euro, float(g["due"]))
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": "Raggiungimento medio (%)", "categories": ["Riepilogo", first, 0, r, 0],
                      "values": ["Riepilogo", first, 1, r, 1], "fill": {"color": "#2E75B6"},
                      "data_labels": {"value": True, "num_format": "0.0"}})
    chart.set_title({"name": "Raggiungimento medio per settore"})
    chart.set_x_axis({"min": 0, "max": 100, "name": "%"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 320})
    ws.insert_chart(r + 2, 0, chart)
    ws.set_column("A:A", 42)
    ws.set_column("B:D", 22)
    ws.activate()
    print_setup(ws, None, title, landscape=False)


def _trend_sheet(wb, fmt, x, results, trend):
    ws = wb.add_worksheet("Andamento")
    ws.write("A1", "Andamento del raggiungimento (%) mese per mese", fmt.title)
    months = sorted(trend)
    ws.write(2, 0, "N. ob.", fmt.header)
    ws.write(2, 1, "Obiettivo", fmt.header)
    ws.write(2, 2, "Soglia (%)", fmt.header)
    for c, m in enumerate(months, start=3):
        ws.write(2, c, L.month_label(m), fmt.header)
    for r, res in enumerate(results, start=3):
        ws.write_number(r, 0, res.n, fmt.int)
        ws.write(r, 1, res.obiettivo, fmt.text)
        ws.write(r, 2, _f(res.soglia), fmt.int)
        for c, m in enumerate(months, start=3):
            ws.write_number(r, c, _f(trend[m].get(res.n, Fraction(0))), x.pct)
    if months:
        ws.conditional_format(3, 3, 2 + len(results), 2 + len(months),
                              {"type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num",
                               "mid_value": 50, "max_type": "num", "max_value": 100})
    ws.set_column("A:A", 6)
    ws.set_column("B:B", 50)
    ws.set_column(2, 2 + len(months), 13)
    print_setup(ws, (2, 2), "Andamento")


def _findings_sheet(wb, fmt, findings):
    ws = wb.add_worksheet("Segnalazioni")
    ws.write("A1", "Segnalazioni della raccolta", fmt.title)
    heads = ["Tipo", "Area", "File", "Cella", "Valore", "Dettaglio"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, fmt.header)
    for r, f in enumerate(findings, start=3):
        for c, k in enumerate(("tipo", "area", "file", "cella", "valore", "dettaglio")):
            ws.write_string(r, c, str(f.get(k) or ""), fmt.text)
    if not findings:
        ws.write(3, 0, "Nessuna segnalazione.", fmt.note)
    ws.set_column("A:A", 22)
    ws.set_column("B:C", 34)
    ws.set_column("D:E", 16)
    ws.set_column("F:F", 80)
    ws.autofilter(2, 0, max(3, 2 + len(findings)), len(heads) - 1)
    print_setup(ws, (2, 2), "Segnalazioni")


def _link_cells(ws, r, q, o, res, fmt, x, sources: str):
    """Row r: one formula per letter of `sources`, each linking the Obiettivi cell of that
    column on row o, with the cached value and format that column holds there."""
    by_source = {"A": (fmt.int, res.n), "B": (fmt.text, res.obiettivo), "D": (fmt.euro, _f(res.amount)),
                 "F": (fmt.int, _f(res.soglia)), "G": (x.pct, _f(res.achievement)),
                 "H": (fmt.text, "Sì" if res.reached else "No"), "I": (fmt.euro, _f(res.due)),
                 "J": (fmt.euro, _f(res.savings))}
    for c, letter in enumerate(sources):
        f, value = by_source[letter]
        ws.write_formula(r, c, f"={q}!{letter}{o}", f, value)


def _final_sheet(wb, fmt, x, pi, results, obj_rows):
    ws = wb.add_worksheet("Liquidazione")
    q = "Obiettivi"
    ws.write("A1", "Liquidazione finale per obiettivo", fmt.title)
    heads = ["N. ob.", "Obiettivo", "Importo pubblicato", "Raggiungimento (%)", "Soglia (%)", "Raggiunto",
             "Importo da liquidare", "Economia"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, fmt.header)
    r = 3
    for res in results:
        _link_cells(ws, r, q, obj_rows[res.n], res, fmt, x, "ABDGFHI")
        ws.write_formula(r, 7, f"=C{r + 1}-G{r + 1}", fmt.euro, _f(res.savings))
        r += 1
    total_due = sum((i.due for i in results), Decimal(0))
    total_amount = sum((i.amount or 0 for i in results), Decimal(0))
    ws.write(r, 1, "Totale liquidato", fmt.total_label)
    ws.write_formula(r, 2, f"=SUM(C4:C{r})", fmt.total_euro, float(total_amount))
    ws.write_formula(r, 6, f"=SUM(G4:G{r})", fmt.total_euro, float(total_due))
    ws.write_formula(r, 7, f"=SUM(H4:H{r})", fmt.total_euro, float(total_amount - total_due))
    tot = r + 1
    p = pi.plan.params
    r += 2
    rows = [("Fondo: importo massimo dei premi", p.fund_total), ("di cui attribuito ai settori", p.fund_assigned),
            ("Riserva per ulteriori progettualità", p.fund_reserve), ("Altre politiche retributive (welfare)",
                                                                      p.fund_welfare)]
    for label, v in rows:
        if v is None:
            continue
        ws.write(r, 1, label, fmt.label)
        ws.write_number(r, 6, float(v), x.euro)
        r += 1
    if p.fund_assigned is not None:
        ws.write(r, 1, "Economie rispetto al fondo attribuito ai settori", fmt.label)
        ws.write_formula(r, 6, f"={float(p.fund_assigned)!r}-G{tot}", fmt.total_euro,
                         float(p.fund_assigned - total_due))
    ws.set_column("A:A", 6)
    ws.set_column("B:B", 50)
    ws.set_column("C:H", 16)
    print_setup(ws, (2, 2), "Liquidazione finale")
