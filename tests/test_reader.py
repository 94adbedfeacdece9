"""The reader on the layouts people really make."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from scenarios import plan

from chiari_xl.errors import PlanReadError
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.reading.plan import read_plan

D = Decimal
KEYS = ["n", "n_dip", "peso", "coeff", "total_coeff", "amount", "category"]


def values(p):
    df = read_plan(p).objectives
    return sorted(tuple(r[k] for k in KEYS) for r in df.to_dict("records"))


@pytest.mark.parametrize("text,expected", [
    ("1,5", D("1.5")), ("4.137,93", D("4137.93")), ("15,00", D("15.00")), (" 37,5 ", D("37.5")),
    ("1.000", D("1000")), ("4.137,93 €", D("4137.93")), ("1.5", D("1.5")), (60, D(60)),
    (4137.93, D("4137.93")), (None, None), ("", None),
])
def test_italian_numbers(text, expected):
    assert to_decimal(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "#RIF!"])
def test_not_numbers(text):
    with pytest.raises(NotANumber):
        to_decimal(text)


@pytest.mark.parametrize("style", [
    {},
    {"italian_text": True},
    {"category_marks": False},
    {"title": False},
    {"merge_sectors": False},
    {"column_order": ["amount", "n_dip", "n", "obiettivo", "category", "tipologia", "total_coeff",
                      "coeff", "peso", "tempi", "personale"]},
    {"category_marks": False, "italian_text": True, "title": False},
])
def test_layout_variants_read_the_same(make_plan, style):
    rows, cards, params = plan()
    reference = values(make_plan("riferimento.xlsx", rows, cards, params))
    assert values(make_plan("variante.xlsx", rows, cards, params, **style)) == reference


def test_labels_with_case_and_spaces(make_plan):
    import openpyxl

    rows, cards, params = plan()
    path = make_plan("etichette.xlsx", rows, cards, params)
    wb = openpyxl.load_workbook(path)
    ws = wb["Obiettivi"]
    for cell in ws[4]:
        if isinstance(cell.value, str):
            cell.value = "  " + cell.value.lower().replace(" ", "  ") + " "
    wb.save(path)
    assert values(path) == values(make_plan("rif.xlsx", rows, cards, params))


def test_xlsm_is_read(make_plan, tmp_path):
    rows, cards, params = plan()
    src = make_plan("piano.xlsx", rows, cards, params)
    dst = tmp_path / "piano_macro.xlsm"
    shutil.copyfile(src, dst)
    assert values(dst) == values(src)


def test_sector_label_in_merged_cells(sample_plan):
    df = read_plan(sample_plan).objectives
    assert df.loc[df["n"] == 13, "tipologia"].iloc[0] == "SETTORE AMMINISTRATIVO-FINANZIARIO"
    assert df.loc[df["n"] == 27, "tipologia"].iloc[0] == "SETTORE SICUREZZA"


def test_saved_by_libreoffice(sample_plan, tmp_path, lo_recalc):
    resaved = lo_recalc(sample_plan)
    a, b = values(sample_plan), values(resaved)
    assert a == b


@pytest.mark.parametrize("content,reason", [
    (b"", "vuoto"),
    (b"n;obiettivo\n1;prova\n", "non è un file Excel"),
    (b"PK\x03\x04garbage", "danneggiato"),
])
def test_unreadable_files_raise_an_italian_reason(tmp_path, content, reason):
    p = tmp_path / "rotto.xlsx"
    p.write_bytes(content)
    with pytest.raises(PlanReadError) as exc:
        read_plan(p)
    assert "rotto.xlsx" in str(exc.value) and reason in str(exc.value)


def test_workbook_without_table(tmp_path):
    import openpyxl

    p = tmp_path / "altro.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Spese varie"
    wb.save(p)
    with pytest.raises(PlanReadError, match="non trovo la tabella degli obiettivi"):
        read_plan(p)
