"""Plans kept with formulas are read as they are: with or without cached values, shared formulas,
formulas the engine cannot compute; the formula sample checks like the plain plan; the checked
workbook quotes the input's formulas."""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest
from conftest import ROOT, SAMPLE
from formula_scenarios import formula_plan, row_of, rows
from openpyxl import load_workbook

from chiari_xl.api import check_plan
from chiari_xl.dev.formula_plan import add_formulas
from chiari_xl.reading.files import load_grids

FORMULA_SAMPLE = ROOT / "workbooks" / "obiettivi_2025_con_formule.xlsx"
ITEM_1 = "formula-calcolata"
AMOUNTS = ["n", "pool", "n_dip", "peso", "coeff", "total_coeff", "amount", "amount_from_written",
           "amount_recomputed"]


def findings(result, skip=(ITEM_1,)):
    return sorted((f.code, f.objective, f.sheet, f.cell, f.found, f.expected, f.euro_effect, f.message)
                  for f in result.findings if f.code not in skip)


def amounts(result):
    return result.table[AMOUNTS].to_dict("records")


@pytest.mark.libreoffice
def test_formulas_without_values_check_like_their_recalculated_copy(tmp_path, lo_recalc):
    plain = tmp_path / "plain.xlsx"
    shutil.copyfile(SAMPLE, plain)
    bare = add_formulas(plain, tmp_path / "con_formule.xlsx")  # openpyxl: no cached values
    grids = load_grids(bare)
    assert grids["Obiettivi"].uncached and grids["Obiettivi"].value(5, 13) is None  # N6 as saved
    recalculated = lo_recalc(bare)
    assert not load_grids(recalculated)["Obiettivi"].uncached

    a, b = check_plan(bare, write=False), check_plan(recalculated, write=False)
    assert amounts(a) == amounts(b)
    assert findings(a) == findings(b)
    assert not any(f.code == "valore-mancante" for f in a.findings)
    info = [f for f in a.findings if f.code == ITEM_1]
    assert [f.sheet for f in info] == ["Obiettivi", "Ripartizione"]
    assert info[0].severity == "info" and "calcolati da chiari-xl" in info[0].message
    assert "N6:N7" in info[0].cell and "O6:O33" in info[0].cell
    assert not any(f.code == ITEM_1 for f in b.findings)


def test_formula_sample_checks_like_the_plain_plan(tmp_path):
    assert FORMULA_SAMPLE.exists(), "run scripts/build_formula_plan.py"
    for src in (SAMPLE, FORMULA_SAMPLE):
        shutil.copyfile(src, tmp_path / src.name)
    plain = check_plan(tmp_path / SAMPLE.name, json_path=tmp_path / "plain.json")
    kept = check_plan(tmp_path / FORMULA_SAMPLE.name, json_path=tmp_path / "formule.json")
    grid = load_grids(FORMULA_SAMPLE)["Obiettivi"]
    assert grid.formula(5, 13) == "=L6*M6" and not grid.uncached  # formulas, with their values
    assert grid.formula(32, 14) == "=SUM(O6:O32)"
    assert amounts(plain) == amounts(kept)
    assert findings(plain, skip=()) == findings(kept, skip=())  # the same, and nothing else
    a = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "formule.json").read_text(encoding="utf-8"))
    assert a["objectives"] == b["objectives"] and a["counts"] == b["counts"]
    assert all("formula" not in f for f in a["findings"])  # the plain plan's report is unchanged
    quoted = {f["cell"]: f["formula"] for f in b["findings"] if "formula" in f}
    assert quoted["O11"] == "=ROUND(Ripartizione!$C$3*N11/SUM(N$11:N$18),2)"


def test_a_formula_that_cannot_be_computed_is_an_error_not_a_missing_value(tmp_path, monkeypatch):
    from chiari_xl import libreoffice

    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    r = row_of(19)
    result = check_plan(formula_plan(tmp_path, "sconosciuta.xlsx", {f"N{r}": f"=FOOBAR(L{r})"}), write=False)
    f = next(f for f in result.findings if f.code == "formula-non-calcolabile")
    assert (f.severity, f.sheet, f.cell, f.found) == ("error", "Obiettivi", f"N{r}", f"=FOOBAR(L{r})")
    assert "Aprire il file in Excel e salvarlo" in f.message
    assert not [x for x in result.findings if x.code == "valore-mancante" and x.cell == f"N{r}"]


@pytest.mark.libreoffice
def test_libreoffice_computes_what_the_engine_cannot(tmp_path, lo_recalc):
    lo_recalc  # noqa: B018 - skips (or fails in CI) without LibreOffice
    r = row_of(19)
    result = check_plan(formula_plan(tmp_path, "combin.xlsx", {f"N{r}": f"=L{r}*M{r}*COMBIN(2,2)"}),
                        write=False)
    assert not any(f.code == "formula-non-calcolabile" for f in result.findings)
    info = next(f for f in result.findings if f.code == ITEM_1 and f.sheet == "Obiettivi")
    assert "con LibreOffice" in info.message
    total = dict(zip(result.table["n"], result.table["total_coeff"]))[19]
    assert total == next(x["total_coeff"] for x in rows() if x["n"] == 19)


def test_shared_formulas_are_expanded(tmp_path):
    """Excel saves a column of copied formulas as one shared formula: each cell reads as its own."""
    path = formula_plan(tmp_path, "condivise.xlsx")
    first, last = row_of(1), row_of(26)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i) for i in zf.infolist()}
    text = items[part].decode("utf-8")
    for r in range(first, last + 1):
        if r == first:
            new = f'<f t="shared" ref="N{first}:N{last}" si="0">L{r}*M{r}</f>'
        else:
            new = '<f t="shared" si="0"/>'
        text = text.replace(f"<f>L{r}*M{r}</f>", new)
    items[part] = text.encode("utf-8")
    shared = tmp_path / "condivise_excel.xlsx"
    with zipfile.ZipFile(shared, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    grid = load_grids(shared)["Obiettivi"]
    assert grid.formula(last - 1, 13) == f"=L{last}*M{last}"
    a, b = check_plan(path, write=False), check_plan(shared, write=False)
    assert amounts(a) == amounts(b) and findings(a) == findings(b)


def test_checked_workbook_quotes_the_formula_of_a_flagged_cell(tmp_path):
    path = formula_plan(tmp_path, "fondo_sbagliato.xlsx")
    wb = load_workbook(path)
    wb["Ripartizione"]["C5"] = 5000  # the Territorio pool typed over its formula
    wb.save(path)
    result = check_plan(path, output=tmp_path / "controllato.xlsx")
    r = row_of(19)
    formula = f"=ROUND(Ripartizione!$C$5*N{r}/SUM(N${r}:N${row_of(21)}),2)"
    f = next(f for f in result.findings if f.code == "importo-errato" and f.objective == 19)
    assert f.formula == formula
    out = load_workbook(result.output)
    comments = [c.comment.text for row in out["Obiettivi"].iter_rows() for c in row if c.comment]
    assert any("importo-errato" in t and f"Formula nel file: {formula}" in t for t in comments)
    rilievi = [[c.value for c in row] for row in out["Rilievi"].iter_rows()]
    col = {h: i for i, h in enumerate(rilievi[2])}
    hit = next(row for row in rilievi if row[col["Codice"]] == "importo-errato" and row[col["Obiettivo"]] == 19)
    assert re.search(re.escape(f"Formula nel file: {formula}"), hit[col["Descrizione"]])
