"""One protected progress workbook per area and month (xlsxwriter).

Sheets: `Istruzioni` (Italian how-to), `Monitoraggio` (the area's indicators: only the input
cells — state, quantity reached, % done, note — are unlocked, each with an Italian data
validation; live formulas give completion and points), `Riepilogo` (achievement per
objective against its soglia, live) and a very hidden `_firma` sheet with the metadata and
the HMAC signature (never the key). Last month's accepted values are prefilled.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from chiari_xl.reading.numbers import to_decimal
from chiari_xl.safe_files import atomic_output
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, fit_row_height, print_setup
from chiari_xl.progress import layout as L
from chiari_xl.progress.areas import Area
from chiari_xl.progress.indicators import DONE, STATES, Indicator, PlanIndicators, completion
from chiari_xl.progress.signature import VERSION, load_or_create_key, sign


@dataclass
class SheetResult:
    area: Area
    path: Path
    n_indicators: int


def file_name(month: str, area: Area) -> str:
    return f"Monitoraggio_{month}_{area.file_part}.xlsx"


def write_area_sheets(pi: PlanIndicators, month: str, out_dir: Path, office_dir: Path,
                      previous: dict[str, dict] | None = None) -> list[SheetResult]:
    """One workbook per area in `out_dir`. previous: area key -> {(n, k): values} to prefill."""
    key = load_or_create_key(office_dir)
    out = []
    for area_key in sorted(pi.area_map.areas):
        area = pi.area_map.areas[area_key]
        indicators = pi.of_area(area_key)
        if not indicators:
            continue
        prev = (previous or {}).get(area_key, {})
        with atomic_output(Path(out_dir) / file_name(month, area)) as res:
            _write(res.tmp, pi, area, month, indicators, prev, key)
        out.append(SheetResult(area=area, path=res.final, n_indicators=len(indicators)))
    return out


def meta_for(pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator]) -> dict:
    return {"plan_sha256": pi.plan.sha256, "plan_file": pi.plan.path.name, "area_key": area.key,
            "area_name": area.name, "month": month, "first_row": str(L.FIRST_ROW),
            "rows": json.dumps([i.ident for i in indicators])}


def _write(path: Path, pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator],
           prev: dict, key: bytes):
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    fmt = Formats(wb)
    unlocked = {
        "H": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False,
                            "font_name": "Calibri", "font_size": 10, "valign": "top"}),
        "I": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False,
                            "font_name": "Calibri", "font_size": 10, "valign": "top", "num_format": "0.##"}),
        "J": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False,
                            "font_name": "Calibri", "font_size": 10, "valign": "top", "num_format": "0.##"}),
        "K": wb.add_format({"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False,
                            "font_name": "Calibri", "font_size": 10, "valign": "top", "text_wrap": True}),
    }
    pct2 = wb.add_format({"num_format": "0.00%", "border": 1, "border_color": "#BFBFBF", "font_name": "Calibri",
                          "font_size": 10, "align": "center"})
    num2 = wb.add_format({"num_format": "0.00", "border": 1, "border_color": "#BFBFBF", "font_name": "Calibri",
                          "font_size": 10, "align": "center"})
    _instructions(wb, fmt, area, month)
    ws = wb.add_worksheet(L.SHEET)
    written: dict[str, object] = {}

    def put(cell: str, value, f=None):
        written[cell] = value
        ws.write(cell, value, f)

    fmt_of = {"A": fmt.int, "B": fmt.text, "C": fmt.text, "D": fmt.text, "E": fmt.coeff, "F": fmt.int,
              "G": fmt.int}
    heads = {f"{c}{L.HEADER_ROW}": (fmt.header if k != "input" else fmt.header_rule) for c, _, k in L.COLUMNS}
    for cell, value in locked_values(pi, area, month, indicators).items():
        f = heads.get(cell) or {"A1": fmt.title, "A2": fmt.label, "A3": fmt.subtitle}.get(cell) \
            or fmt_of[cell.rstrip("0123456789")]
        put(cell, value, f)
    ws.write("A4", "Compilare solo le celle gialle. Le altre sono protette e firmate: "
                   "se vengono modificate il foglio sarà rifiutato.", fmt.subtitle)
    values_now = {}
    for i, ind in enumerate(indicators):
        r = L.FIRST_ROW + i
        v = prev.get((ind.n, ind.k), {})
        for letter, field in L.INPUT_FIELDS.items():
            value = v.get(field)
            if value is None:
                ws.write_blank(f"{letter}{r}", None, unlocked[letter])
            elif field in ("quantita", "percentuale"):
                ws.write_number(f"{letter}{r}", float(value), unlocked[letter])
            else:
                ws.write_string(f"{letter}{r}", str(value), unlocked[letter])
        c = completion(v.get("stato"), _dec(v.get("quantita")), _dec(v.get("percentuale")), ind.target)
        values_now[(ind.n, ind.k)] = c
        ws.write_formula(f"L{r}", completion_formula(r), pct2, float(c))
        ws.write_formula(f"M{r}", f"=IF(ISNUMBER(F{r}),F{r}*L{r},0)", num2,
                         float(Fraction(ind.peso or 0) * c))
        _validate(ws, r)
        fit_row_height(ws, r - 1, [(ind.obiettivo, 40), (ind.indicatore, 40), (ind.quantita, 24)], max_lines=6)
    last = L.FIRST_ROW + len(indicators) - 1
    ws.set_column("A:A", 6)
    ws.set_column("B:C", 40)
    ws.set_column("D:D", 24)
    ws.set_column("E:G", 11)
    ws.set_column("H:H", 14)
    ws.set_column("I:J", 13)
    ws.set_column("K:K", 36)
    ws.set_column("L:M", 14)
    ws.set_row(L.HEADER_ROW - 1, 42)
    ws.freeze_panes(L.FIRST_ROW - 1, 3)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                    "format_rows": True})
    print_setup(ws, (L.HEADER_ROW - 1, L.HEADER_ROW - 1), f"Monitoraggio {month} – {area.name}")
    ws.activate()
    _summary(wb, fmt, pct2, indicators, values_now)
    meta = meta_for(pi, area, month, indicators)
    locked = [(c, written.get(c)) for c in L.locked_cells(len(indicators))]
    _signature_sheet(wb, meta, sign(key, meta, locked), last)
    wb.close()


def locked_values(pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator]) -> dict[str, object]:
    """Every signed cell of the Monitoraggio sheet and its value: what the office wrote."""
    out: dict[str, object] = {
        "A1": f"Monitoraggio obiettivi di performance – Area {area.name}",
        "A2": f"Mese di riferimento: {L.month_label(month)} ({month})",
        "A3": f"Piano: {pi.plan.path.name} · anno {pi.plan.params.year or ''}".strip(),
    }
    for letter, heading, _kind in L.COLUMNS:
        out[f"{letter}{L.HEADER_ROW}"] = heading
    num = lambda v: float(v) if v is not None else ""  # noqa: E731
    for i, ind in enumerate(indicators):
        r = L.FIRST_ROW + i
        out.update({f"A{r}": ind.n, f"B{r}": ind.obiettivo, f"C{r}": ind.indicatore, f"D{r}": ind.quantita,
                    f"E{r}": num(ind.target), f"F{r}": num(ind.peso), f"G{r}": num(ind.soglia)})
    return out


def _dec(value):
    return to_decimal(value) if value is not None else None


def completion_formula(r: int) -> str:
    """The completion rule of indicators.completion, as an Excel formula on row r."""
    return (f'=IF(J{r}<>"",MIN(1,MAX(0,J{r}/100)),'
            f'IF(AND(I{r}<>"",N(E{r})>0),MIN(1,MAX(0,I{r}/N(E{r}))),'
            f'IF(H{r}="{DONE}",1,0)))')


def _validate(ws, r: int):
    ws.data_validation(f"H{r}", {
        "validate": "list", "source": list(STATES),
        "input_title": "Stato dell'indicatore", "input_message": "Scegliere dall'elenco: " + ", ".join(STATES) + ".",
        "error_title": "Stato non valido",
        "error_message": "Scegliere uno stato dall'elenco: " + ", ".join(STATES) + "."})
    ws.data_validation(f"I{r}", {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "input_title": "Quantità raggiunta", "input_message": "Un numero maggiore o uguale a 0, "
        "da confrontare con il target numerico (es. 18 se il target è 30).",
        "error_title": "Quantità non valida", "error_message": "Scrivere un numero maggiore o uguale a 0."})
    ws.data_validation(f"J{r}", {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
        "input_title": "% completamento", "input_message": "Un numero da 0 a 100 (scrivere 50 per metà). "
        "Se compilata prevale sulla quantità.",
        "error_title": "Percentuale non valida", "error_message": "Scrivere un numero da 0 a 100."})
    ws.data_validation(f"K{r}", {
        "validate": "length", "criteria": "<=", "value": L.NOTE_MAX,
        "input_title": "Nota", "input_message": f"Facoltativa, al massimo {L.NOTE_MAX} caratteri.",
        "error_title": "Nota troppo lunga", "error_message": f"La nota può avere al massimo {L.NOTE_MAX} caratteri."})


def _summary(wb, fmt, pct2, indicators: list[Indicator], values_now: dict):
    ws = wb.add_worksheet(L.SUMMARY)
    ws.write("A1", "Raggiungimento per obiettivo (calcolato dai valori del foglio Monitoraggio)", fmt.title)
    heads = ["N. ob.", "Obiettivo", "Soglia minima (%)", "Raggiungimento (%)", "Esito"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, fmt.header)
    ok_txt, ko_txt = "Sopra soglia", "Sotto soglia"
    row = 3
    ns = list(dict.fromkeys(i.n for i in indicators))
    for n in ns:
        idx = [j for j, i in enumerate(indicators) if i.n == n]
        a, b = L.FIRST_ROW + idx[0], L.FIRST_ROW + idx[-1]
        ind = indicators[idx[0]]
        ach = sum((Fraction(indicators[j].peso or 0) * values_now[(indicators[j].n, indicators[j].k)]
                   for j in idx), Fraction(0))
        ws.write_number(row, 0, n, fmt.int)
        ws.write_string(row, 1, ind.obiettivo, fmt.text)
        ws.write(row, 2, float(ind.soglia) if ind.soglia is not None else "", fmt.int)
        r1 = row + 1
        ws.write_formula(row, 3, f"=SUMPRODUCT({L.SHEET}!F{a}:F{b},{L.SHEET}!L{a}:L{b})", fmt.coeff, float(ach))
        reached = ind.soglia is not None and ach >= ind.soglia
        ws.write_formula(row, 4, f'=IF(D{r1}>=C{r1},"{ok_txt}","{ko_txt}")', fmt.text, ok_txt if reached else ko_txt)
        row += 1
    ws.conditional_format(3, 4, row - 1, 4, {"type": "cell", "criteria": "==", "value": f'"{ok_txt}"',
                                             "format": fmt.ok})
    ws.conditional_format(3, 4, row - 1, 4, {"type": "cell", "criteria": "==", "value": f'"{ko_txt}"',
                                             "format": fmt.flag_error})
    ws.set_column("A:A", 7)
    ws.set_column("B:B", 60)
    ws.set_column("C:E", 16)
    ws.protect("")
    print_setup(ws, (2, 2), "Riepilogo")


def _instructions(wb, fmt, area: Area, month: str):
    ws = wb.add_worksheet(L.INSTRUCTIONS)
    lines = [
        (f"Monitoraggio mensile – Area {area.name} – {L.month_label(month)}", fmt.title),
        ("", None),
        ("Come compilare", fmt.section),
        ("1. Aprire il foglio «Monitoraggio»: ogni riga è un indicatore di un obiettivo della vostra area.", fmt.text),
        ("2. Compilare SOLO le celle gialle: Stato (dall'elenco), Quantità raggiunta, % completamento, "
         "Nota.", fmt.text),
        ("3. Il completamento di un indicatore si calcola così: se è scritta la % completamento vale quella; "
         "altrimenti quantità raggiunta ÷ target numerico; altrimenti «Completato» vale 100%, gli altri stati 0%. "
         "Il completamento non supera mai il 100%.", fmt.text),
        ("4. Raggiungimento dell'obiettivo = somma di (peso dell'indicatore × completamento). "
         "Il foglio «Riepilogo» lo mostra subito, confrontato con la soglia minima.", fmt.text),
        ("5. I valori già accettati il mese scorso sono precompilati: aggiornateli.", fmt.text),
        ("6. Se un indicatore di un obiettivo condiviso non è seguito dalla vostra area, lasciate vuote "
         "le sue celle.", fmt.text),
        ("7. Salvare il file (anche con LibreOffice, sempre in formato .xlsx) e rispedirlo con lo STESSO nome.", fmt.text),
        ("", None),
        ("Cosa non fare", fmt.section),
        ("• Non togliere la protezione, non spostare righe o colonne, non cambiare testi, pesi o soglie: "
         "il foglio è firmato e un foglio modificato viene rifiutato per intero.", fmt.text),
        ("• Non usare il file di un'altra area o di un altro mese: ogni file vale solo per l'area e il "
         "mese indicati.", fmt.text),
        ("• Non scrivere formule nelle celle gialle: si accettano solo valori.", fmt.text),
    ]
    for r, (text, f) in enumerate(lines):
        if text:
            ws.write(r, 0, text, f)
    ws.set_column("A:A", 120)
    ws.protect("")
    print_setup(ws, None, "Istruzioni", landscape=False)


def _signature_sheet(wb, meta: dict, signature: str, last_row: int):
    ws = wb.add_worksheet(L.SIGNATURE)
    rows = [("versione", VERSION), *[(k, str(meta[k])) for k in sorted(meta)],
            ("ultima_riga", str(last_row)), ("generato", dt.datetime.now().isoformat(timespec="seconds")),
            ("firma", signature)]
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    ws.protect("")
    ws.very_hidden()
