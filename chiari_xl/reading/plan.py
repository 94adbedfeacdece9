"""Read a plan workbook as people make it: find the objectives table by its headings,
the objective cards (`Schede`) and the parameters (`Parametri`), wherever they sit; what the
parameters lack of the fund is inferred from the amounts written (model/infer_params.py).

Output: a Plan with pandas DataFrames whose rows remember the cell each value came from,
so every finding can point at the cell the office has to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.errors import PlanReadError
from chiari_xl.reading.grid import Grid, is_error_value
from chiari_xl.reading.evaluate import Engine, fill_uncached
from chiari_xl.reading.files import load_grids, sha256
from chiari_xl.reading.formula_cells import defined_names
from chiari_xl.reading.numbers import NotANumber, is_blank, to_decimal
from chiari_xl.model.infer_params import infer_params
from chiari_xl.model.frames import Cards, Objectives, records_frame
from chiari_xl.model.params import PlanParams, category_key
from chiari_xl.reading.params_sheet import read_params
from chiari_xl.text import clean, norm

KINDS = [
    Kind("anno-dedotto", Severity.INFO, "Anno del piano dedotto dalle intestazioni",
         "Anno del piano: {found}, l'anno scritto più spesso nel titolo e nelle intestazioni della "
         "tabella (il foglio Parametri non lo indica). Da confermare.",
         todo="Verificare l'anno; per fissarlo scriverlo in «Anno del piano» nel foglio Parametri."),
    Kind("colonna-mancante", Severity.ERROR, "Colonna della tabella mancante",
         "La tabella degli obiettivi non ha la colonna «{found}»: i controlli che la "
         "usano non sono stati fatti.",
         todo=("Aggiungere la colonna, con la sua intestazione, alla tabella degli obiettivi e rifare il "
               "controllo.")),
    Kind("schede-assenti", Severity.INFO, "Schede non presenti",
         "Il file non ha il foglio delle schede: i controlli tra schede e tabella non "
         "sono stati fatti.",
         todo="Se il piano ha le schede, metterle nel file in un foglio «Schede» e rifare il controllo."),
]

NUMERIC = ("n", "n_dip", "peso", "coeff", "total_coeff", "amount")
FIELD_IT = {
    "n": "N.", "tipologia": "Tipologia/settore", "obiettivo": "Obiettivo",
    "tempi": "Tempi di attuazione", "personale": "Personale coinvolto",
    "category": "Strategicità", "n_dip": "N. dip.", "peso": "Peso", "coeff": "Coeff. dip.",
    "total_coeff": "Totale coeff.", "amount": "Importo stanziato",
}
_CAT_LABEL = re.compile(r"^(?:[1-5]\s*)?(strategico|innovativo|miglioramento|mantenimento|una\s*tantum)\b")
_TOTAL_LABEL = re.compile(r"^(totale|totali|tot)\b")
_SECTION = re.compile(r"^(settore|generale|generali|intersettoriale|obiettivi)\b")


def classify_table_label(label) -> str | None:
    """Heading text -> field name ('cat:<key>' for a strategicity mark column)."""
    t = norm(label)
    if not t:
        return None
    m = _CAT_LABEL.match(t)
    if m:
        return "cat:" + category_key(m.group(1))
    if t.startswith("totale") and "coeff" in t:
        return "total_coeff"
    if t.startswith("coeff") or t.startswith("coefficiente"):
        return "coeff"
    if t.startswith("peso") and "settore" not in t:
        return "peso"
    if t.startswith("importo"):
        return "amount"
    if re.match(r"^(n|nr|num|numero)\s*(di\s*)?(dip|dipendenti)\b", t) or t.startswith("dipendenti coinvolti"):
        return "n_dip"
    if t in ("n", "nr", "n ro", "num", "numero", "n obiettivo", "numero obiettivo", "n ob", "obiettivo n"):
        return "n"
    if t.startswith("strategicita") or t in ("categoria", "categoria strategica"):
        return "category"
    if t.startswith("tipologia") or t in ("settore", "tipo", "ambito"):
        return "tipologia"
    if t.startswith("tempi"):
        return "tempi"
    if t.startswith("personale"):
        return "personale"
    if t.startswith("obiettivo") or t.startswith("descrizione") or t == "titolo":
        return "obiettivo"
    return None


def classify_card_label(label) -> str | None:
    t = norm(label)
    if not t:
        return None
    # card-level texts (optional columns): before 'obiettivo', which 'descrizione dell'obiettivo' ends with
    if t.startswith("descrizione"):
        return "descrizione"
    if t.startswith("fasi") or t.startswith("fase"):
        return "fasi"
    if t.startswith("indicator"):
        return "indicatore"
    if t.startswith("soglia"):
        return "soglia_pct"
    if t.startswith("peso") or "raggiungimento" in t:
        return "peso_pct"
    if t.startswith("quantit") or t.startswith("target"):
        return "quantita"
    if t.startswith("attivit"):
        return "attivita"
    if t.startswith("intestazione") or t.startswith("settore"):
        return "intestazione"
    if t.startswith("rilevat") or t.startswith("chi rileva"):
        return "rilevato_da"  # who reports the indicator's progress (progress/indicators.py)
    if t.startswith("tempi"):
        return "tempi"
    if t.startswith("personale"):
        return "personale"
    if t in ("n", "nr", "numero", "n obiettivo", "numero obiettivo", "obiettivo n"):
        return "n"
    if t.startswith("titolo") or t.startswith("obiettivo"):
        return "titolo"
    return None


@dataclass
class Plan:
    path: Path
    sha256: str
    objectives: pd.DataFrame
    cards: pd.DataFrame | None
    params: PlanParams
    table_sheet: str
    cards_sheet: str | None
    findings: list[F.Finding] = field(default_factory=list)
    total_row: dict | None = None  # a "Totale" row written under the table, if any
    formulas: Engine | None = None  # the workbook's grids with their formulas, when it has any


def _header_map(grid: Grid, r: int, classify) -> dict[int, str]:
    out = {}
    for c, v in enumerate(grid.rows[r]):
        kind = classify(v)
        if kind and kind not in out.values():
            out[c] = kind
    return out


def find_table(grid: Grid, classify, required: set[str], min_fields: int, scan: int = 40):
    """(first header row, last header row, {col: field}) or None."""
    for r in range(min(grid.n_rows, scan)):
        top = _header_map(grid, r, classify)
        fields = set(top.values())
        if len(fields) < min_fields or not required <= {f.split(":")[0] for f in fields}:
            continue
        cols = dict(top)
        last = r
        if r + 1 < grid.n_rows:  # a second heading row (merged group headings, split labels)
            below = _header_map(grid, r + 1, classify)
            if below and not any(_looks_numeric(grid.value(r + 1, c)) for c in top):
                last = r + 1
                for c, kind in below.items():
                    if kind.startswith("cat:") or c not in cols:
                        cols[c] = kind
        # a group heading merged over the category columns classifies them all as 'category'
        if any(k.startswith("cat:") for k in cols.values()):
            cols = {c: k for c, k in cols.items() if k != "category"}
        seen, dedup = set(), {}
        for c in sorted(cols):
            if cols[c] not in seen:
                dedup[c] = cols[c]
                seen.add(cols[c])
        return r, last, dedup
    return None


def _looks_numeric(v) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    try:
        return to_decimal(v) is not None
    except NotANumber:
        return False


def read_plan(path) -> Plan:
    """Read the plan workbook at `path`. Raises PlanReadError when it is not a plan at all."""
    path = Path(path)
    grids = load_grids(path)
    digest = sha256(path)
    if not grids:
        raise PlanReadError(path, "la cartella di lavoro non contiene fogli.")
    engine, formula_findings = None, []
    if any(g.formulas for g in grids.values()):  # values for formulas saved without one
        engine, formula_findings = fill_uncached(path, grids, defined_names(path))
    table = _pick_table(path, grids)
    params_grid = next((g for g in grids.values() if norm(g.name).startswith("parametri")), None)
    params, found = read_params(params_grid)
    found = formula_findings + found
    grid, (h0, h1, cols) = table
    objectives, total_row, row_findings = _read_objectives(grid, h1, cols)
    found += row_findings
    # the office's own workbook has no Parametri sheet: the fund figures come from its amounts
    params, inferred = infer_params(objectives, params, grid.name)
    found += inferred
    found += _infer_year(params, grid, h1)
    found += _missing_columns(grid, h0, cols)
    if objectives.empty:
        raise PlanReadError(path, f"il foglio «{grid.name}» ha le intestazioni della tabella "
                                  "degli obiettivi ma nessuna riga di dati.")
    cards_grid, cards = _read_cards(grids, exclude=grid.name)
    if cards is None:
        found.append(F.make("schede-assenti", sheet=""))
    return Plan(path=path, sha256=digest, objectives=objectives, cards=cards, params=params,
                table_sheet=grid.name, cards_sheet=cards_grid, findings=found, total_row=total_row,
                formulas=engine)


_YEAR = re.compile(r"\b(20\d\d)\b")


def _infer_year(params, grid: Grid, header_end: int) -> list[F.Finding]:
    """Without a year on Parametri, the plan's year is the one its title rows and headings name
    most often ("IMPORTO STANZIATO 2025"); ties go to the later year. Said as a finding to confirm."""
    if params.year is not None:
        return []
    counts: dict[int, int] = {}
    for r in range(min(header_end + 1, grid.n_rows)):
        for value in grid.rows[r]:
            if isinstance(value, str):
                for y in _YEAR.findall(value):
                    counts[int(y)] = counts.get(int(y), 0) + 1
    if not counts:
        return []
    year = max(counts, key=lambda y: (counts[y], y))
    params.year = year
    params.inferred.append("year")
    return [F.make("anno-dedotto", sheet=grid.name, cell=f"A1:{Grid.a1(header_end, 0)}", found=year)]


EXPECTED_COLUMNS = ("n", "tipologia", "obiettivo", "personale", "peso", "coeff", "total_coeff", "amount")


def _missing_columns(grid: Grid, header_row: int, cols: dict[int, str]) -> list[F.Finding]:
    """A column the rules need that the table lacks is said, never silently skipped."""
    present = set(cols.values())
    has_category = "category" in present or any(k.startswith("cat:") for k in present)
    missing = [f for f in EXPECTED_COLUMNS if f not in present]
    if not has_category:
        missing.append("category")
    return [F.make("colonna-mancante", sheet=grid.name, cell=Grid.a1(header_row, 0), found=FIELD_IT[f])
            for f in missing]


def _pick_table(path: Path, grids: dict[str, Grid]):
    best = None
    for grid in grids.values():
        if norm(grid.name).startswith("parametri"):
            continue
        hit = find_table(grid, classify_table_label, {"n_dip"}, 4)
        if hit is None:
            continue
        score = len(hit[2]) + (5 if norm(grid.name).startswith("obiettiv") else 0)
        if best is None or score > best[0]:
            best = (score, grid, hit)
    if best is None:
        names = ", ".join(f"«{n}»" for n in grids)
        raise PlanReadError(path, f"non trovo la tabella degli obiettivi in nessun foglio ({names}).",
                            "Servono le intestazioni N., Obiettivo, N. DIP., PESO, COEFF., "
                            "TOTALE COEFF. e IMPORTO.")
    return best[1], best[2]


def _cell_value(grid, r, c):
    return None if c is None else grid.value(r, c)


def _read_objectives(grid: Grid, header_end: int, cols: dict[int, str]):
    by_field = {k: c for c, k in cols.items() if not k.startswith("cat:")}
    cat_cols = {c: k.split(":")[1] for c, k in cols.items() if k.startswith("cat:")}
    records, found, total_row = [], [], None
    section = ""
    for r in range(header_end + 1, grid.n_rows):
        raw = {f: _cell_value(grid, r, c) for f, c in by_field.items()}
        marks = {c: grid.value(r, c) for c in cat_cols}
        payload = [v for f, v in raw.items() if f != "tipologia"] + list(marks.values())
        if all(is_blank(v) for v in payload):
            continue
        labels = " ".join(norm(raw.get(f)) for f in ("n", "tipologia", "obiettivo")).strip()
        numbers_blank = all(is_blank(raw.get(f)) for f in ("n_dip", "peso", "coeff", "total_coeff"))
        if _TOTAL_LABEL.match(labels) and is_blank(raw.get("n_dip")):
            total_row = {"row": r + 1, "cells": {f: Grid.a1(r, c) for f, c in by_field.items()},
                         **{f: _quiet_number(raw.get(f)) for f in ("total_coeff", "amount")}}
            continue
        if is_blank(raw.get("n")) and numbers_blank and is_blank(raw.get("amount")):
            text = next((clean(v) for v in raw.values() if not is_blank(v)), "")
            if _SECTION.match(norm(text)):
                section = text  # a sector label written as a row of its own
            continue  # a note or a section label, not an objective
        rec = {"row": r + 1}
        for f in ("tipologia", "obiettivo", "tempi", "personale"):
            rec[f] = clean(raw.get(f))
        if not rec["tipologia"]:
            rec["tipologia"] = section
        for f, c in by_field.items():
            rec[f"cell_{f}"] = Grid.a1(r, c)
        if cat_cols:
            rec["cell_category"] = Grid.a1(r, min(cat_cols))
        rec["all_staff"] = False
        for f in NUMERIC:
            value = raw.get(f)
            rec[f] = None
            if f not in by_field or is_blank(value):
                continue
            cell = rec[f"cell_{f}"]
            if is_error_value(value):
                found.append(F.make("errore-formula", objective=None, sheet=grid.name, cell=cell,
                                    found=clean(value), field=FIELD_IT[f]))
                continue
            if f == "n_dip" and isinstance(value, str) and "tutt" in norm(value):
                rec["all_staff"] = True
                continue
            try:
                rec[f] = to_decimal(value)
            except NotANumber:
                found.append(F.make("valore-non-numerico", sheet=grid.name, cell=cell,
                                    found=clean(value), field=FIELD_IT[f]))
        if rec["n"] is not None:
            if rec["n"] == rec["n"].to_integral_value() and rec["n"] > 0:
                rec["n"] = int(rec["n"])
            else:
                found.append(F.make("valore-non-numerico", sheet=grid.name, cell=rec["cell_n"],
                                    found=clean(raw.get("n")), field=FIELD_IT["n"]))
                rec["n"] = None
        rec["category"], rec["category_text"], rec["category_marks"] = _category(grid, r, by_field,
                                                                                 cat_cols, raw)
        records.append(rec)
    df = records_frame(records, Objectives)  # the contract adds the columns the table lacks
    found = [replace(f, objective=_objective_at(df, f.cell)) for f in found]
    return df, total_row, found


def _objective_at(df: pd.DataFrame, cell: str):
    row = int(re.sub(r"\D", "", cell) or 0)
    hit = df.loc[df["row"] == row, "n"] if not df.empty else []
    return None if len(hit) == 0 or hit.iloc[0] is None else int(hit.iloc[0])


def _quiet_number(value):
    try:
        return to_decimal(value)
    except NotANumber:
        return None


def _category(grid, r, by_field, cat_cols, raw):
    """(category key | None, text as written, marks found) from a single column or mark columns."""
    if cat_cols:
        marks = [key for c, key in cat_cols.items() if not is_blank(grid.value(r, c))]
        written = " / ".join(clean(grid.value(r, c)) for c, key in cat_cols.items()
                             if not is_blank(grid.value(r, c)))
        return (marks[0] if len(marks) == 1 else None), written, ";".join(marks)
    value = raw.get("category")
    key = category_key(value)
    return key, clean(value), key or ""


CARD_FIELDS = ("n", "intestazione", "titolo", "tempi", "indicatore", "quantita", "attivita",
               "peso_pct", "soglia_pct", "personale", "descrizione", "fasi", "rilevato_da")
# optional: a card sheet without them reads as before, the values are "" and the cells ""


def _read_cards(grids: dict[str, Grid], exclude: str):
    for grid in grids.values():
        if grid.name == exclude:
            continue
        hit = find_table(grid, classify_card_label, {"indicatore", "peso_pct"}, 3)
        if hit is None:
            continue
        _, h1, cols = hit
        by_field = {k: c for c, k in cols.items()}
        records = []
        for r in range(h1 + 1, grid.n_rows):
            raw = {f: _cell_value(grid, r, by_field.get(f)) for f in CARD_FIELDS}
            if all(is_blank(v) for v in raw.values()):
                continue
            rec = {"row": r + 1}
            for f in CARD_FIELDS:
                rec[f"cell_{f}"] = Grid.a1(r, by_field[f]) if f in by_field else ""
                value = raw[f]
                if f in ("n", "peso_pct", "soglia_pct"):
                    rec[f] = _quiet_number(value) if not is_error_value(value) else None
                    rec[f + "_text"] = clean(value)
                else:
                    rec[f] = clean(value)
            if rec["n"] is not None:
                rec["n"] = int(rec["n"]) if rec["n"] == rec["n"].to_integral_value() else None
            records.append(rec)
        if records:
            return grid.name, records_frame(records, Cards)
    return None, None
