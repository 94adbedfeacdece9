"""One protected progress workbook per reporting area and month (xlsxwriter).

Sheets: `Istruzioni` (Italian how-to), `Monitoraggio` (the area's indicators as an Excel table:
only the input cells — state, quantity reached, % done, note — are unlocked, each with an
Italian data validation; live formulas give completion and points), `Riepilogo` (achievement
per objective against its soglia, live: "Da compilare" until something is filled in) and a very
hidden `_firma` sheet with the metadata and the HMAC signature (never the key). The values
accepted so far are prefilled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import xlsxwriter

from chiari_xl.model.money import to_float
from chiari_xl.model.sectors import sector_label
from chiari_xl.progress import layout as L
from chiari_xl.progress.areas import Area
from chiari_xl.progress.completion import (PROGRESS_FIELDS, STATE_LABELS, Ref, State, completion,
                                           completion_formula, has_progress, percent_points_formula)
from chiari_xl.progress.indicators import OFFICE_KEY, Indicator, PlanIndicators
from chiari_xl.progress.office import load_or_create_key
from chiari_xl.progress.signature import VERSION, canonical, sign
from chiari_xl.progress.status import status, status_formula, status_highlights
from chiari_xl.progress.tables import this_row
from chiari_xl.safe_files import atomic_output
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, fit_row_height, print_setup

PREFIX = "Monitoraggio"
HEADING_WIDTH = 0.7  # bold headings wrap at words: count them as narrower columns when sizing the row
INSTRUCTIONS_WIDTH = 75  # one column of text that fits A4 portrait whatever font the office has


@dataclass
class SheetResult:
    area: Area
    path: Path | None
    n_indicators: int
    digest: str          # what the sheet says and holds (not its bytes): to tell when to issue it again
    written: bool = True


def file_name(month: str, area: Area) -> str:
    return f"{PREFIX}_{month}_{area.file_part}.xlsx"


def prepared(pi: PlanIndicators, month: str, office_dir: Path,
             previous: dict[str, dict] | None = None) -> list[SheetResult]:
    """What would be written for each reporting area (not written yet). The digest includes which
    key would sign it: with a new key (the old one lost) every sheet has to be issued again."""
    signer = hashlib.sha256(load_or_create_key(office_dir)).hexdigest()[:16]
    out = []
    for key, area in pi.areas.items():
        indicators = pi.of_area(key)
        if indicators:
            prev = (previous or {}).get(key, {})
            out.append(SheetResult(area, None, len(indicators), digest(pi, area, month, indicators, prev, signer),
                                   written=False))
    return out


def write_area_sheets(pi: PlanIndicators, month: str, out_dir: Path, office_dir: Path,
                      previous: dict[str, dict] | None = None, only: set[str] | None = None) -> list[SheetResult]:
    """One workbook per reporting area in `out_dir` (only the areas in `only`, when given).
    previous: area key -> {(n, k): values} to prefill."""
    key = load_or_create_key(office_dir)
    out = []
    for res in prepared(pi, month, office_dir, previous):
        if only is not None and res.area.key not in only:
            continue
        indicators = pi.of_area(res.area.key)
        prev = (previous or {}).get(res.area.key, {})
        with atomic_output(Path(out_dir) / file_name(month, res.area)) as target:
            _write(target.tmp, pi, res.area, month, indicators, prev, key)
        res.path, res.written = target.final, True
        out.append(res)
    return out


def meta_for(pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator]) -> dict:
    return {"area_key": area.key, "area_name": area.name, "month": month, "plan_year": str(pi.year or ""),
            "first_row": str(L.FIRST_ROW), "rows": json.dumps([i.ident for i in indicators])}


def locked_values(pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator]) -> dict[str, object]:
    """Every signed cell of the Monitoraggio sheet and its value: what the office writes."""
    sector = f" · Settore {sector_label(area.sector)}" if area.sector else ""
    out: dict[str, object] = {
        "A1": f"Monitoraggio obiettivi di performance – {area.name}",
        "A2": f"Mese di riferimento: {L.month_label(month)} ({month})",
        "A3": f"Piano degli obiettivi di performance {pi.year or ''}".strip() + sector,
    }
    for c in L.COLUMNS:
        out[L.cell(L.HEADER_ROW, c.key)] = c.heading
    for i, ind in enumerate(indicators):
        out.update(row_values(L.row_of(i), ind))
    return out


def row_values(r: int, ind: Indicator) -> dict[str, object]:
    num = lambda v: float(v) if v is not None else ""  # noqa: E731
    return {L.cell(r, "n"): ind.n, L.cell(r, "obiettivo"): ind.obiettivo, L.cell(r, "indicatore"): ind.indicatore,
            L.cell(r, "quantita_testo"): ind.quantita, L.cell(r, "target"): num(ind.target),
            L.cell(r, "peso"): num(ind.peso), L.cell(r, "soglia"): num(ind.soglia)}


def digest(pi, area, month, indicators, prev, signer: str) -> str:
    body = {"signer": signer, "locked": {c: canonical(v) for c, v in locked_values(pi, area, month, indicators).items()},
            "prefill": sorted([f"{n}.{k}", *(canonical(_shown(f, v.get(f))) for f in ("stato", "quantita",
                                                                                        "percentuale", "nota"))]
                              for (n, k), v in prev.items())}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _shown(fld: str, value):
    return value.label if isinstance(value, State) else value


def completion_refs() -> dict[str, Ref]:
    """How the Monitoraggio table's formulas read the rule's fields (progress/completion.py)."""
    pct = L.ref("percentuale")
    return {"stato": Ref(L.ref("stato")), "quantita": Ref(L.ref("quantita")),
            "percentuale": Ref(raw=pct, value=percent_points_formula(pct)), "target": Ref(L.ref("target"))}


def _write(path: Path, pi: PlanIndicators, area: Area, month: str, indicators: list[Indicator],
           prev: dict, key: bytes):
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    fmt = Formats(wb)
    _instructions(wb, fmt, pi, area, month)
    ws = wb.add_worksheet(L.SHEET)
    inputs = _input_formats(wb)
    pct2 = wb.add_format({"num_format": "0.00%", "border": 1, "border_color": "#BFBFBF", "font_name": "Calibri",
                          "font_size": 10, "align": "center", "valign": "top"})
    num2 = wb.add_format({"num_format": "0.00", "border": 1, "border_color": "#BFBFBF", "font_name": "Calibri",
                          "font_size": 10, "align": "center", "valign": "top"})
    locked = locked_values(pi, area, month, indicators)
    for r in L.TITLE_ROWS:
        ws.write_string(f"A{r}", locked[f"A{r}"], {1: fmt.title, 2: fmt.label, 3: fmt.subtitle}[r])
    ws.write_string(f"A{L.NOTE_ROW}", "Compilare solo le celle gialle. Le altre sono protette e firmate: "
                                      "se vengono modificate il foglio sarà rifiutato.", fmt.subtitle)
    last = L.row_of(len(indicators) - 1)
    comp = completion_formula(completion_refs())
    points = f"=IF(ISNUMBER({L.ref('peso')}),{L.ref('peso')}*{L.ref('completamento')},0)"
    ws.add_table(L.HEADER_ROW - 1, 0, last - 1, len(L.COLUMNS) - 1, {
        "name": L.TABLE, "autofilter": False, "style": "Table Style Light 1",
        "columns": [{"header": c.heading, **({"formula": comp} if c.key == "completamento" else
                                             {"formula": points} if c.key == "punti" else {})}
                    for c in L.COLUMNS]})
    for i, c in enumerate(L.COLUMNS):
        ws.write_string(L.HEADER_ROW - 1, i, c.heading, fmt.header if c.kind != L.Kind.INPUT else fmt.header_rule)
    whole = wb.add_format({"num_format": "#,##0", "border": 1, "border_color": "#BFBFBF", "font_name": "Calibri",
                           "font_size": 10, "align": "center", "valign": "top"})
    locked_fmt = {"n": fmt.int, "obiettivo": fmt.text, "indicatore": fmt.text, "quantita_testo": fmt.text,
                  "target": fmt.coeff, "peso": fmt.pct, "soglia": fmt.pct}
    for i, ind in enumerate(indicators):
        r = L.row_of(i)
        for key_, fmt_ in locked_fmt.items():
            value = locked[L.cell(r, key_)]
            if isinstance(value, str):
                ws.write_string(L.cell(r, key_), value, fmt_)
            else:  # a whole target as a whole number (30, 5.000), a fractional one with its decimals
                ws.write_number(L.cell(r, key_), value, whole if fmt_ is fmt.coeff and value == int(value) else fmt_)
        v = prev.get((ind.n, ind.k), {})
        for col in L.INPUTS:
            value = _shown(col.key, v.get(col.key))
            at = L.cell(r, col.key)
            if value is None:
                ws.write_blank(at, None, inputs[col.key])
            elif col.key in ("quantita", "percentuale"):
                ws.write_number(at, float(value), inputs[col.key])
            else:
                ws.write_string(at, str(value), inputs[col.key])
        c = completion(v.get("stato"), v.get("quantita"), v.get("percentuale"), ind.target)
        ws.write_formula(L.cell(r, "completamento"), comp, pct2, to_float(c))
        ws.write_formula(L.cell(r, "punti"), points, num2, to_float(Fraction(ind.peso or 0) * c))
        _validate(ws, r)
        fit_row_height(ws, r - 1, [(ind.obiettivo, L.BY_KEY["obiettivo"].width),
                                   (ind.indicatore, L.BY_KEY["indicatore"].width),
                                   (ind.quantita, L.BY_KEY["quantita_testo"].width),
                                   (v.get("nota"), L.BY_KEY["nota"].width)], max_lines=8)
    for i, c in enumerate(L.COLUMNS):
        ws.set_column(i, i, c.width)
    fit_row_height(ws, L.HEADER_ROW - 1, [(c.heading, c.width * HEADING_WIDTH) for c in L.COLUMNS])
    ws.freeze_panes(L.HEADER_ROW, 3)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                    "format_rows": True})
    print_setup(ws, (L.HEADER_ROW - 1, L.HEADER_ROW - 1), f"Monitoraggio {month} – {area.name}")
    ws.activate()
    _summary(wb, fmt, indicators, prev)
    meta = meta_for(pi, area, month, indicators)
    cells = [(c, locked.get(c)) for c in L.locked_cells(len(indicators))]
    _signature_sheet(wb, meta, sign(key, meta, cells))
    wb.close()


def _input_formats(wb) -> dict:
    base = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False,
            "font_name": "Calibri", "font_size": 10, "valign": "top"}
    # "% completamento" keeps the General format: typing 50% there makes Excel and LibreOffice
    # store 0.5 with a percent format, which the collector reads as 50 % (completion.points_of_cell)
    return {"stato": wb.add_format(base), "quantita": wb.add_format({**base, "num_format": "0.##"}),
            "percentuale": wb.add_format(base), "nota": wb.add_format({**base, "text_wrap": True})}


def _validate(ws, r: int):
    at = lambda k: L.cell(r, k)  # noqa: E731
    ws.data_validation(at("stato"), {
        "validate": "list", "source": STATE_LABELS,
        "input_title": "Stato dell'indicatore", "input_message": "Scegliere dall'elenco: " + ", ".join(STATE_LABELS) + ".",
        "error_title": "Stato non valido",
        "error_message": "Scegliere uno stato dall'elenco: " + ", ".join(STATE_LABELS) + "."})
    ws.data_validation(at("quantita"), {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "input_title": "Quantità raggiunta", "input_message": "Un numero maggiore o uguale a 0, "
        "da confrontare con il target numerico (es. 18 se il target è 30).",
        "error_title": "Quantità non valida", "error_message": "Scrivere un numero maggiore o uguale a 0."})
    ws.data_validation(at("percentuale"), {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
        "input_title": "% completamento", "input_message": "Scrivere 50 oppure 50% per metà (da 0 a 100). "
        "Se compilata prevale sulla quantità.",
        "error_title": "Percentuale non valida", "error_message": "Scrivere un numero da 0 a 100 (oppure 50%)."})
    ws.data_validation(at("nota"), {
        "validate": "length", "criteria": "<=", "value": L.NOTE_MAX,
        "input_title": "Nota", "input_message": f"Facoltativa, al massimo {L.NOTE_MAX} caratteri.",
        "error_title": "Nota troppo lunga", "error_message": f"La nota può avere al massimo {L.NOTE_MAX} caratteri."})


SUMMARY_COLUMNS = [("n", "N. ob.", 7), ("obiettivo", "Obiettivo", 58), ("soglia", "Soglia minima (%)", 12),
                   ("ach", "Raggiungimento (%)", 14), ("esito", "Esito", 16)]


def _summary(wb, fmt, indicators: list[Indicator], prev: dict):
    ws = wb.add_worksheet(L.SUMMARY)
    ws.write_string("A1", "Raggiungimento per obiettivo (calcolato dai valori del foglio Monitoraggio)", fmt.title)
    ws.write_string("A2", "«Da compilare» finché per l'obiettivo non è scritto nulla.", fmt.subtitle)
    heads = {k: h for k, h, _ in SUMMARY_COLUMNS}
    tref = lambda k: this_row(L.SUMMARY_TABLE, heads[k])  # noqa: E731
    same_n = f"({L.column_ref('n')}={tref('n')})"
    ach = f"SUMPRODUCT({same_n}*{L.column_ref('punti')})"
    filled = "SUMPRODUCT(" + same_n + "*((" + ")+(".join(
        f'{L.column_ref(k)}<>""' for k in PROGRESS_FIELDS) + ")))"
    ns = list(dict.fromkeys(i.n for i in indicators))
    pct_points = wb.add_format({"num_format": '0.00"%"', "border": 1, "border_color": "#BFBFBF",
                                "font_name": "Calibri", "font_size": 10, "align": "center", "valign": "top"})
    first = 3  # 0-based header row
    ws.add_table(first, 0, first + len(ns), len(SUMMARY_COLUMNS) - 1, {
        "name": L.SUMMARY_TABLE, "autofilter": False, "style": "Table Style Light 1",
        "columns": [{"header": h} for _, h, _ in SUMMARY_COLUMNS]})
    for c, (_, h, w) in enumerate(SUMMARY_COLUMNS):
        ws.write_string(first, c, h, fmt.header)
        ws.set_column(c, c, w)
    fit_row_height(ws, first, [(h, w * HEADING_WIDTH) for _, h, w in SUMMARY_COLUMNS])
    for j, n in enumerate(ns):
        r = first + 1 + j
        inds = [i for i in indicators if i.n == n]
        values = [prev.get((i.n, i.k), {}) for i in inds]
        achievement = sum((Fraction(i.peso or 0) * completion(v.get("stato"), v.get("quantita"), v.get("percentuale"),
                                                              i.target) for i, v in zip(inds, values)), Fraction(0))
        was_filled = any(has_progress(v) for v in values)
        soglia = inds[0].soglia
        ws.write_number(r, 0, n, fmt.int)
        ws.write_string(r, 1, inds[0].obiettivo, fmt.text)
        if soglia is not None:
            ws.write_number(r, 2, float(soglia), fmt.pct)
        else:
            ws.write_blank(r, 2, None, fmt.pct)
        ws.write_formula(r, 3, "=" + ach, pct_points, to_float(achievement))
        ws.write_formula(r, 4, status_formula(filled, tref("ach"), tref("soglia")), fmt.text,
                         status(was_filled, achievement, soglia).label)
        fit_row_height(ws, r, [(inds[0].obiettivo, 58)])
    status_highlights(ws, first + 1, first + len(ns), 4, fmt)
    ws.protect("")
    print_setup(ws, (first, first), "Riepilogo", landscape=False)


def _instructions(wb, fmt, pi: PlanIndicators, area: Area, month: str):
    ws = wb.add_worksheet(L.INSTRUCTIONS)
    by_office = sorted({i.n for i in pi.indicators if OFFICE_KEY in i.reporters})
    shared = ""
    if by_office and area.key != OFFICE_KEY:
        shared = (f"7. Gli obiettivi {', '.join(map(str, by_office))} (generali e intersettoriali) sono rilevati "
                  "dall'ufficio con un proprio foglio: non compaiono qui.")
    lines = [
        (f"Monitoraggio mensile – {area.name} – {L.month_label(month)}", fmt.title),
        ("", None),
        ("Come compilare", fmt.section),
        ("1. Aprire il foglio «Monitoraggio»: ogni riga è un indicatore di un obiettivo che rilevate voi.", fmt.text),
        ("2. Compilare SOLO le celle gialle: Stato (dall'elenco), Quantità raggiunta, % completamento, Nota.", fmt.text),
        ("3. % completamento: per metà scrivere 50 oppure 50% (valgono uguale). Un numero tra 0 e 1 senza il "
         "segno % (per esempio 0,5) è ambiguo e viene rifiutato: scrivere 50, oppure 0,5% se si intende "
         "proprio lo 0,5 %.", fmt.text),
        ("4. Il completamento di un indicatore si calcola così: se è scritta la % completamento vale quella; "
         "altrimenti quantità raggiunta ÷ target numerico; altrimenti «Completato» vale 100%, gli altri stati 0%. "
         "Il completamento non supera mai il 100%.", fmt.text),
        ("5. Raggiungimento dell'obiettivo = somma di (peso dell'indicatore × completamento). Il foglio "
         "«Riepilogo» lo confronta con la soglia minima; finché non è scritto nulla mostra «Da compilare».", fmt.text),
        ("6. I valori già accettati nei mesi scorsi sono precompilati: aggiornateli. Se un indicatore condiviso "
         "con un'altra area non è seguito da voi, lasciate vuote le sue celle.", fmt.text),
    ]
    if shared:
        lines.append((shared, fmt.text))
    lines += [
        (f"{8 if shared else 7}. Salvare il file (anche con LibreOffice, sempre in formato .xlsx) e rispedirlo "
         "con lo STESSO nome.", fmt.text),
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
            ws.write_string(r, 0, text, f)
        if f is fmt.text:
            fit_row_height(ws, r, [(text, INSTRUCTIONS_WIDTH)])
    ws.set_column("A:A", INSTRUCTIONS_WIDTH)
    ws.protect("")
    print_setup(ws, None, "Istruzioni", landscape=False)


def _signature_sheet(wb, meta: dict, signature: str):
    ws = wb.add_worksheet(L.SIGNATURE)
    rows = [("versione", VERSION), *[(k, str(meta[k])) for k in sorted(meta)],
            ("generato", dt.datetime.now().isoformat(timespec="seconds")), ("firma", signature)]
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    ws.protect("")
    ws.very_hidden()
