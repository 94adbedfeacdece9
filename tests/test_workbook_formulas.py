"""The checked workbook: LibreOffice recalculates every formula to the cached value and to
pandas' result; editing N. dip. moves the amounts as the rules say; input text stays text."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import obj
from scenarios import plan, row

from chiari_xl.api import check_plan
from chiari_xl.model.rules import compute
from chiari_xl.reading.plan import read_plan

D = Decimal


def formula_cells(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            for c in r:
                if isinstance(c.value, str) and c.value.startswith("="):
                    yield ws.title, c.coordinate


def same(a, b) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-6
    return a == b


def test_every_formula_recalculates_to_its_cached_value(sample_plan, tmp_path, lo_recalc):
    result = check_plan(sample_plan, output=tmp_path / "controllato.xlsx")
    cached = openpyxl.load_workbook(result.output, data_only=True)
    lo = openpyxl.load_workbook(lo_recalc(result.output), data_only=True)
    cells = list(formula_cells(result.output))
    assert len(cells) > 300
    bad = [(s, c, cached[s][c].value, lo[s][c].value) for s, c in cells
           if not same(cached[s][c].value, lo[s][c].value)]
    assert bad == []
    # and the cached amounts are pandas' amounts
    ws = cached["Obiettivi"]
    header = [c.value for c in ws[4]]
    col = {h: i for i, h in enumerate(header)}
    for r in ws.iter_rows(min_row=5, values_only=True):
        n = r[col["N."]]
        if n is None:
            continue
        expected = result.table.loc[result.table["n"] == n].iloc[0]
        assert D(str(r[col["Importo ricalcolato"]])) == expected["amount_recomputed"]
        assert D(str(r[col["Importo dai totali scritti"]])) == expected["amount_from_written"]


def test_changing_n_dip_in_excel_moves_the_amounts(sample_plan, tmp_path, lo_recalc):
    result = check_plan(sample_plan, output=tmp_path / "controllato.xlsx")
    wb = openpyxl.load_workbook(result.output)
    ws = wb["Obiettivi"]
    header = [c.value for c in ws[4]]
    col = {h: i + 1 for i, h in enumerate(header)}
    r27 = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, col["N."]).value == 27)
    ws.cell(r27, col["N. dip."]).value = 8  # as the staff text says
    wb.save(tmp_path / "modificato.xlsx")
    lo = openpyxl.load_workbook(lo_recalc(tmp_path / "modificato.xlsx"), data_only=True)["Obiettivi"]
    plan_ = read_plan(sample_plan)
    df = plan_.objectives.copy()
    df.loc[df["n"] == 27, "n_dip"] = D(8)
    expected = compute(df, plan_.params).set_index("n")
    for r in range(5, 32):
        n = lo.cell(r, col["N."]).value
        got = lo.cell(r, col["Importo ricalcolato"]).value
        assert D(str(round(got, 2))) == expected.loc[n, "amount_recomputed"], n
    assert lo.cell(r27, col["Coeff. dip. (regola)"]).value == 2.5


@pytest.mark.parametrize("text", ["=1+1", "+39 030 123", "-inizio", "@SOMMA(A1)", "=HYPERLINK(\"x\")"])
def test_input_text_is_written_as_text(make_plan, tmp_path, text):
    def mutate(rows, cards, params):
        row(rows, 19)["obiettivo"] = text
        row(rows, 19)["personale"] = text
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("testo.xlsx", rows, cards, params), output=tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(result.output)
    ws = wb["Obiettivi"]
    cells = [c for r in ws.iter_rows() for c in r if c.value == text]
    assert len(cells) >= 2 and all(c.data_type == "s" for c in cells)


def test_largest_remainder_pools_add_up_exactly(make_plan, tmp_path):
    from chiari_xl.model.params import Rounding

    def mutate(rows, cards, params):
        params.rounding = Rounding.LARGEST_REMAINDER
    rows, cards, params = plan(mutate, amounts_from_written=False)
    result = check_plan(make_plan("resti.xlsx", rows, cards, params), write=False)
    df = result.table
    for pool, money in params.pool_amounts().items():
        part = df[df["pool"] == pool]
        if len(part):
            exact = D(money.numerator) / D(money.denominator)
            assert sum(part["amount_recomputed"]) == exact.quantize(D("0.01"))


def test_largest_remainder_formulas_match_pandas(make_plan, tmp_path, lo_recalc):
    from chiari_xl.model.params import Rounding

    def mutate(rows, cards, params):
        params.rounding = Rounding.LARGEST_REMAINDER
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("resti.xlsx", rows, cards, params), output=tmp_path / "resti_out.xlsx")
    cached = openpyxl.load_workbook(result.output, data_only=True)
    lo = openpyxl.load_workbook(lo_recalc(result.output), data_only=True)
    cells = list(formula_cells(result.output))
    bad = [(s, c, cached[s][c].value, lo[s][c].value) for s, c in cells
           if not same(cached[s][c].value, lo[s][c].value)]
    assert bad == []
    # and LibreOffice's amounts are pandas' amounts, cent for cent
    ws = lo["Obiettivi"]
    col = {c.value: c.column for c in ws[4]}
    for r in range(5, ws.max_row + 1):
        n = ws.cell(r, col["N."]).value
        if n is None:
            continue
        expected = result.table.loc[result.table["n"] == n].iloc[0]
        for heading, key in (("Importo ricalcolato", "amount_recomputed"),
                             ("Importo dai totali scritti", "amount_from_written")):
            got = ws.cell(r, col[heading]).value
            assert D(str(round(got, 2))) == expected[key], (n, heading)


def test_largest_remainder_ties_go_to_the_earlier_row_in_the_formulas_too(make_plan, tmp_path, lo_recalc):
    """Three equal totals sharing 100,00 €: 33,33 each and the missing cent to the first row."""
    from chiari_xl.model.params import Rounding

    def mutate(rows, cards, params):
        params.rounding = Rounding.LARGEST_REMAINDER
        params.general_pool = D("100.00")
        params.fund_assigned = params.fund_assigned - D("10000.00") + D("100.00")
        params.fund_total = params.fund_total - D("10000.00") + D("100.00")
        rows.append(obj(4, "GENERALE", personale="n.3 dipendenti"))  # miglioramento, 3 dip.: 20
        for n in (1, 2):
            row(rows, n).update(category="miglioramento", peso=D(20), n_dip=D(3), coeff=D(1), total_coeff=D(20),
                                personale="n.3 dipendenti")
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("pari.xlsx", rows, cards, params), output=tmp_path / "pari_out.xlsx")
    general = result.table[result.table["pool"] == "Generali e intersettoriali"]
    assert list(general["amount_recomputed"]) == [D("33.34"), D("33.33"), D("33.33")]
    lo = openpyxl.load_workbook(lo_recalc(result.output), data_only=True)["Obiettivi"]
    col = {c.value: c.column for c in lo[4]}
    got = {lo.cell(r, col["N."]).value: lo.cell(r, col["Importo ricalcolato"]).value for r in range(5, lo.max_row + 1)}
    assert [round(got[n], 2) for n in general["n"]] == [33.34, 33.33, 33.33]


@pytest.mark.parametrize("rounding", ["half-up", "largest-remainder"])
def test_formulas_read_other_sheets_by_name_not_by_position(make_plan, tmp_path, rounding):
    """No formula holds a reference into another sheet (Obiettivi!$P$5, VLOOKUP(..., 3, ...)):
    other sheets are read through their tables' column names and the Parametri sheet's names,
    so moving a column or a row in one writer cannot break a formula written by another."""
    from chiari_xl.model.params import Rounding

    def mutate(rows, cards, params):
        params.rounding = Rounding(rounding)
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("nomi.xlsx", rows, cards, params), output=tmp_path / "nomi_out.xlsx")
    wb = openpyxl.load_workbook(result.output)
    formulas = [(s, c, wb[s][c].value) for s, c in formula_cells(result.output)]
    assert len(formulas) > 150
    assert [f for f in formulas if "!" in f[2] or "VLOOKUP" in f[2]] == []
    assert {name for ws in wb.worksheets for name in ws.tables} == {"ObiettiviTab", "FondiTab", "RilieviTab"}
    assert any("FondiTab[Importo del fondo]" in f[2] for f in formulas)
    assert any('COUNTIF(RilieviTab[Gravità],"Errore")' in f[2] for f in formulas)
