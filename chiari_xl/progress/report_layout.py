"""Where things are in the office's workbooks (monthly report and payout): their tables, declared
once, and the small helpers every sheet of them uses. The sheets are written by consolidated.py
(the month), payout_sheets.py (the year-end payout) and record_sheets.py (trend, history, findings).
"""

from __future__ import annotations

from chiari_xl.model.money import to_float
from chiari_xl.model.sectors import sector_label
from chiari_xl.progress.tables import Col, Table
from chiari_xl.workbook.formats import Formats

YES, NO = "Sì", "No"
RULE, FUND = "RegolaPagamento", "FondoAttribuito"   # defined names of the Riepilogo's cells

VALUES = Table("Valori", [
    Col("area", "Area", 26), Col("n", "N. ob.", 6, "int"), Col("k", "Ind.", 5, "int"), Col("stato", "Stato", 11),
    Col("quantita", "Quantità", 9, "typed"), Col("percentuale", "% compl.", 9, "typed"), Col("nota", "Nota", 26),
    Col("target", "Target numerico", 9, "typed"), Col("mese", "Mese del dato", 11), Col("file", "File", 30),
    Col("completamento", "Completamento", 14, "frac")])
INDICATORS = Table("Indicatori", [
    Col("n", "N. ob.", 6, "int"), Col("k", "Ind.", 5, "int"), Col("indicatore", "Indicatore", 40),
    Col("target", "Target", 20), Col("peso", "Peso (%)", 8, "pct0"), Col("rilevato", "Rilevato da", 26),
    Col("risposte", "Risposte", 9), Col("completamento", "Completamento", 14, "frac"),
    Col("punti", "Punti", 9, "coeff"), Col("disaccordo", "Aree in disaccordo", 30)])
OBJECTIVES = Table("Obiettivi", [
    Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 46), Col("gruppo", "Settore / gruppo", 22),
    Col("soglia", "Soglia (%)", 9, "pct0"), Col("ach", "Raggiungimento (%)", 13, "pct"), Col("esito", "Esito", 14),
    Col("risposte", "Aree che hanno risposto", 12), Col("completezza", "Completezza", 32)])
PAYOUT = Table("Liquidazione", [
    Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 40), Col("gruppo", "Settore / gruppo", 20),
    Col("importo", "Importo pubblicato", 14, "euro"), Col("ach", "Raggiungimento (%)", 13, "pct"),
    Col("soglia", "Soglia (%)", 9, "pct0"), Col("raggiunto", "Raggiunto", 10),
    Col("dovuto", "Importo da liquidare", 14, "euro"), Col("economia", "Economia", 13, "euro"),
    Col("stato", "Stato", 24)])
AREAS = Table("Aree", [
    Col("area", "Area", 40), Col("settore", "Settore", 24), Col("esito", "Foglio del mese", 24),
    Col("file", "File che conta", 44), Col("raccolto", "Raccolto il", 16)])
RULE, FUND = "RegolaPagamento", "FondoAttribuito"
SECTOR_COLS = [Col("n", "N. ob.", 6, "int"), Col("obiettivo", "Obiettivo", 50),
               Col("ach", "Raggiungimento (%)", 13, "pct"), Col("raggiunto", "Raggiunto", 10),
               Col("importo", "Importo pubblicato", 14, "euro"), Col("dovuto", "Importo da liquidare", 14, "euro"),
               Col("economia", "Economia", 13, "euro")]
HISTORY = Table("Storico", [
    Col("area", "Area", 26), Col("mese", "Mese", 12), Col("file", "File", 36), Col("raccolto", "Raccolto il", 15),
    Col("esito", "Esito", 16), Col("conta", "Conta", 7), Col("perche", "Perché", 48)])
FINDINGS = Table("Segnalazioni", [
    Col("gravita", "Gravità", 10), Col("area", "Area", 22), Col("file", "File", 24), Col("dove", "Dove", 15),
    Col("valore", "Valore", 12), Col("messaggio", "Messaggio", 62), Col("codice", "Codice", 17)])
REVISIONS = Table("Revisioni", [
    Col("quando", "Quando", 12), Col("piano", "Piano", 36), Col("gravita", "Gravità", 11), Col("ob", "Ob.", 5, "int"),
    Col("messaggio", "Cosa è cambiato e cosa succede ai valori", 90)])


def sheet_title(group: str) -> str:
    return "".join("-" if ch in '[]:*?/\\' else ch for ch in sector_label(group))[:31]


def formats(wb, fmt: Formats) -> dict:
    """The report's formats by name (Table columns name them)."""
    base = {"font_name": "Calibri", "font_size": 10, "border": 1, "border_color": "#BFBFBF", "valign": "top"}
    # percentages: one look in the whole workbook, 80% and 85,00% (points with a % sign, or a
    # fraction in Excel's percent format: the same on screen and on paper)
    return {"text": fmt.text, "int": fmt.int, "coeff": fmt.coeff, "euro": fmt.euro, "pct0": fmt.pct,
            "typed": wb.add_format({**base, "num_format": "General", "align": "center"}),  # as the area typed it
            "pct": wb.add_format({**base, "num_format": '0.00"%"', "align": "center"}),
            "frac": wb.add_format({**base, "num_format": "0.00%", "align": "center"}),
            "total_euro": fmt.total_euro, "total_pct": wb.add_format({**base, "bold": True, "num_format": '0.00"%"'}),
            "choice": wb.add_format({**base, "bg_color": "#FFF2CC", "bold": True}),
            "bad": wb.add_format({"bold": True, "font_size": 12, "font_color": "#9C0006", "bg_color": "#F8CBAD",
                                  "text_wrap": True, "valign": "vcenter"}),
            "good": wb.add_format({"bold": True, "font_size": 12, "font_color": "#006100", "bg_color": "#C6EFCE",
                                   "text_wrap": True, "valign": "vcenter"})}


def groups(results) -> list[str]:
    """The sectors / groups of the objectives, in their order."""
    return list(dict.fromkeys(o.group or "" for o in results))


def zero_float(x) -> float:
    return to_float(x) if x is not None else 0.0


def number(v):
    return float(v) if v is not None else None
