"""The checked workbook as a document: printed by LibreOffice (Italian locale) on A4, every page
is readable (no text under 8 points, no text printed over other text, headings whole, the comune
and the year in every page header); on screen and on paper its numbers are formatted by meaning;
its sheets can be handed over (sector sheets with findings and what to do, the Giunta's fixed
amounts apart, an approval block, a summary in plain words, every Parametri cell accounted for)."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path
from decimal import Decimal

import openpyxl
import pytest
from conftest import SAMPLE, need_libreoffice
from pdf_check import overlaps, small_text, spans_of_page
from scenarios import plan

from chiari_xl.api import check_plan
from chiari_xl.findings import make, registry
from chiari_xl.workbook import FORMULA_NAMES
from chiari_xl.workbook.names import FINDINGS, OBJECTIVES, POOLS
from chiari_xl.workbook.plain_summary import sentences

A4 = {(595, 842), (842, 595)}  # points, portrait and landscape


# --- measuring a PDF: tests/pdf_check.py (PyMuPDF), shared with the other workbooks' print tests

def spans(page) -> list:
    return spans_of_page(page, page.number + 1)


def page_header(page) -> str:
    """The page header's text (left, centre and right), as printed."""
    return " | ".join(s.text for s in spans(page) if s.bottom < 45)


def sheet_of(page) -> str:
    """The sheet a printed page belongs to: the part of its header's title after the dash."""
    return page_header(page).split(" | ")[1].split(" – ")[-1]


# --- the bundled plan, checked and printed ---------------------------------------------------

@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    base = tmp_path_factory.mktemp("stampa")
    src = base / SAMPLE.name
    shutil.copyfile(SAMPLE, src)
    result = check_plan(src, output=base / "controllato.xlsx")
    return result


@pytest.fixture(scope="module")
def printed(checked, tmp_path_factory):
    need_libreoffice()
    import pymupdf

    from chiari_xl.libreoffice import to_pdf

    pdf = to_pdf(checked.output, tmp_path_factory.mktemp("pdf"))
    with pymupdf.open(pdf) as doc:
        yield doc


@pytest.fixture(scope="module")
def pages(printed) -> dict[str, list]:
    out = defaultdict(list)
    for page in printed:
        out[sheet_of(page)].append(page)
    return out


@pytest.mark.libreoffice
def test_every_page_is_a4_with_no_text_under_8_points(printed, pages):
    assert {(round(p.rect.width), round(p.rect.height)) for p in printed} <= A4
    assert small_text(Path(printed.name)) == []
    # every sheet is printed, the wide ones across pages in order
    assert {"Riepilogo", "Obiettivi", "Obiettivi generali e intersettoriali", "Schede", "Rilievi",
            "Parametri del piano di performance organizzativa 2025"} <= set(pages)
    assert any(name.startswith("Obiettivi del settore") for name in pages)


@pytest.mark.libreoffice
def test_no_text_is_printed_over_other_text(printed):
    assert overlaps(Path(printed.name)) == []


@pytest.mark.libreoffice
def test_every_page_header_names_the_comune_and_the_year(printed):
    for page in printed:
        header = page_header(page)
        assert header.startswith("Comune di Chiari |") and "2025" in header, header


@pytest.mark.libreoffice
def test_obiettivi_prints_number_and_title_on_every_page_and_every_column_once(pages):
    """Too wide for a readable page: N. and Obiettivo on every page, the other columns in two
    bands, page k of the figures showing the objectives of page k of the data; the total stays
    with the last objectives."""
    obiettivi = pages["Obiettivi"]
    half = len(obiettivi) // 2
    assert len(obiettivi) == 2 * half
    headings = list(OBJECTIVES.headings.values())
    numbers = []
    for i, page in enumerate(obiettivi):
        flat = " ".join(page.get_text().split())
        assert "N." in flat and "Obiettivo" in flat
        band, other = (headings[2:7], headings[7:]) if i < half else (headings[7:], headings[2:7])
        assert all(h.split()[0] in flat for h in band), (i, band)
        assert not any(h in flat for h in other if len(h) > 12), i
        numbers.append([int(s.text) for s in spans(page) if s.x0 < 50 and s.text.isdigit()])
    assert numbers[:half] == numbers[half:]
    assert sorted(n for ns in numbers[:half] for n in ns) == list(range(1, 28))
    assert all(numbers[:half])  # no page of a band without objectives (a total alone)
    assert "Totale" in " ".join(s.text for s in spans(obiettivi[half - 1]))


@pytest.mark.libreoffice
def test_headings_are_printed_whole(pages):
    """A heading too long for its column breaks between words, never inside one."""
    for sheet, table in (("Obiettivi", OBJECTIVES), ("Riepilogo", POOLS), ("Rilievi", FINDINGS)):
        words = {w[4] for page in pages[sheet] for w in page.get_text("words")}
        for heading in table.headings.values():
            if sheet == "Rilievi" and heading in ("Vai alla cella", "Codice"):
                continue  # on screen only
            for word in re.findall(r"[A-Za-zàèéìòù]{4,}", heading):
                assert any(word in w for w in words), (sheet, heading, word)


@pytest.mark.libreoffice
def test_numbers_print_by_meaning(printed, pages):
    """Years, weights, headcounts and points without a decimal; money with two decimals except
    in the columns labelled «4 decimali»."""
    text = " ".join(page.get_text() for page in printed)
    assert not re.search(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,0(?![\d])", text)  # 40,0 · 2.025,0
    parametri = " ".join(p.get_text() for p in pages["Parametri del piano di performance organizzativa 2025"])
    assert "2025" in parametri and "2.025" not in parametri
    for sheet in ("Obiettivi", "Obiettivi del settore AMMINISTRATIVO-FINANZIARIO", "Schede"):
        assert not re.search(r"\d,\d{4} €", " ".join(p.get_text() for p in pages[sheet])), sheet


def test_four_decimal_euros_only_in_their_labelled_columns(checked):
    wb = openpyxl.load_workbook(checked.output)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if "0.0000" in (c.number_format or ""):
                    heading = next((ws.cell(r, c.column).value for r in range(c.row - 1, 0, -1)
                                    if isinstance(ws.cell(r, c.column).value, str)
                                    and not ws.cell(r, c.column).value.startswith("=")), "")
                    assert "4 decimali" in heading, (ws.title, c.coordinate, heading)


def test_integers_are_formatted_as_integers(checked):
    wb = openpyxl.load_workbook(checked.output)
    obiettivi = wb["Obiettivi"]
    col = {c.value: c.column for c in obiettivi[4]}
    for heading in ("N.", "N. dip.", "Peso (scritto)", "Peso (regola)", "Totale coeff. (regola)"):
        assert obiettivi.cell(5, col[heading]).number_format == "General", heading
    assert obiettivi.cell(5, col["Coeff. dip. (regola)"]).number_format == "0.00"
    parametri = wb["Parametri"]
    year = next(r for r in parametri.iter_rows() if r[0].value == "Anno del piano")
    assert year[1].value == 2025 and year[1].number_format == "General"


def test_giunta_amount_is_apart_and_counted_in_no_points_total(checked):
    """Objective 3's 18.000 € are fixed by the Giunta, not split by points: its 120 points appear
    in no pool's total (Riepilogo, the sheet of the general objectives, Obiettivi's total)."""
    wb = openpyxl.load_workbook(checked.output, data_only=True)
    riepilogo = wb["Riepilogo"]
    header = next(r for r in riepilogo.iter_rows() if r[0].value == "Fondo")
    col = {c.value: i for i, c in enumerate(header)}
    pools = {r[0].value: r for r in riepilogo.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 6)}
    fixed = pools["Importi fissati dalla Giunta"]
    assert fixed[col["Totale coeff. (regola)"]].value == "—" and fixed[col["Importo del fondo"]].value == 18000
    assert pools["Generali e intersettoriali"][col["Totale coeff. (regola)"]].value == 145
    totale = next(r for r in riepilogo.iter_rows() if r[0].value == "Totale")
    assert totale[col["Totale coeff. (regola)"]].value == 867.5  # 987,5 less the Giunta's 120
    generali = wb["Generali e intersettoriali"]
    rows = [[c.value for c in r] for r in generali.iter_rows()]
    totals = [r for r in rows if r[1] == "Totale"]
    assert totals[0][3] == 145 and totals[0][4] == 10000
    apart = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("Importi fissati dalla Giunta"))
    assert all(r[0] != 3 for r in rows[:apart]) and any(r[0] == 3 and r[3] == "—" for r in rows[apart:])


def test_sector_sheets_show_findings_what_to_do_and_coloured_differences(checked):
    wb = openpyxl.load_workbook(checked.output, data_only=True)
    ws = wb["Amministrativo-Finanziario"]
    assert "Comune di Chiari" in ws["A1"].value and "2025" in ws["A1"].value
    header = [c.value for c in ws[5]]
    col = {h: i for i, h in enumerate(header)}
    ten = next(r for r in ws.iter_rows(values_only=True) if r[0] == 10)
    assert round(ten[col["Differenza"]], 2) == -394.45
    assert "Con 3 dipendenti il coefficiente è 1,00, ma è scritto 1,50" in ten[col["Rilievi"]]
    assert registry()["coeff-errato"].todo in ten[col["Cosa fare"]]
    six = next(r for r in ws.iter_rows(values_only=True) if r[0] == 6)  # moved by objective 10
    assert "si corregge l'obiettivo 10" in six[col["Rilievi"]]
    letter = openpyxl.utils.get_column_letter(col["Differenza"] + 1)
    rules = [(str(cf.sqref), rule.formula) for cf in ws.conditional_formatting for rule in cf.rules]
    assert any(rng.startswith(letter) and "<0" in f[0] for rng, f in rules)
    assert any(rng.startswith(letter) and ">0" in f[0] for rng, f in rules)
    texts = " ".join(str(c.value) for sheet in wb.worksheets for r in sheet.iter_rows() for c in r if c.value)
    assert "Valori collegati" not in texts and "Fondo disponibile per questo foglio" not in texts


def test_summary_has_plain_sentences_and_an_approval_block(checked):
    wb = openpyxl.load_workbook(checked.output)
    ws = wb["Riepilogo"]
    assert ws["A1"].value.startswith("Comune di Chiari") and "2025" in ws["A1"].value
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Il controllo del piano 2025 ha trovato 1 errore da correggere e 24 avvisi da verificare." in texts
    assert any(t.startswith("Da correggere: coefficiente diverso dal numero di dipendenti (obiettivo 10)")
               for t in texts)
    start = texts.index("Approvazione")
    for label in ("Responsabile del servizio (nome)", "Firma", "Data", "Delibera della Giunta Comunale n.",
                  "Data della delibera"):
        row = next(r for r in ws.iter_rows() if r[0].value == label)
        assert row[2].value in (None, "") and row[2].border.left.style  # a box to fill in
    assert start


def test_rilievi_say_what_to_do_for_every_finding(checked):
    ws = openpyxl.load_workbook(checked.output)["Rilievi"]
    col = {c.value: i for i, c in enumerate(ws[3])}
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[col["Codice"]]]
    assert len(rows) == len(checked.findings)
    for r in rows:
        assert r[col["Cosa fare"]] == registry()[r[col["Codice"]]].todo


@pytest.mark.parametrize("rounding", ["half-up", "largest-remainder"])
def test_parametri_cells_feed_the_formulas_or_say_informativo(make_plan, tmp_path, rounding):
    """«nelle formule» exactly where a formula of the workbook reads the cell's name."""
    from chiari_xl.model.params import Rounding

    def mutate(rows, cards, params):
        params.rounding = Rounding(rounding)
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("uso.xlsx", rows, cards, params), output=tmp_path / "uso_out.xlsx")
    wb = openpyxl.load_workbook(result.output)
    formulas = " ".join(c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r
                        if isinstance(c.value, str) and c.value.startswith("="))
    formulas += " ".join(col.calculatedColumnFormula.attr_text for ws in wb.worksheets for t in ws.tables.values()
                         for col in t.tableColumns if col.calculatedColumnFormula is not None)
    read = {name for name in wb.defined_names if re.search(rf"\b{name}\b", formulas)}
    assert read == set(FORMULA_NAMES)
    ws = wb["Parametri"]
    use = {r[0].row: r[4].value for r in ws.iter_rows() if len(r) > 4 and r[4].value not in (None, "Uso")}
    assert set(use.values()) == {"nelle formule", "informativo"}
    for name in wb.defined_names:
        sheet, ref = wb.defined_names[name].attr_text.split("!")
        if sheet.strip("'") != "Parametri":  # the dropdowns' lists live on the hidden Elenchi sheet
            continue
        ref = ref.replace("$", "")
        rows = {int(x) for x in re.findall(r"\d+", ref)}
        said = {use.get(r) for r in range(min(rows), max(rows) + 1)}
        assert said == ({"nelle formule"} if name in read else {"informativo"}), name
    labelled = [r for r in ws.iter_rows(values_only=True) if r[0] == "Anno del piano"]
    assert labelled[0][4] == "informativo"


def test_plain_summary_of_a_plan_without_errors_and_of_many_kinds():
    import pandas as pd

    df = pd.DataFrame({"amount": [Decimal("10.00")], "amount_recomputed": [Decimal("10.00")]})
    assert sentences([], df, 2025) == [
        "Il controllo del piano 2025 non ha trovato errori né avvisi: pesi, coefficienti e importi "
        "rispettano le regole e il fondo."]
    found = [make("peso-errato", objective=n, found="20", expected="40", category="strategico") for n in (4, 2, 9)]
    found += [make("scheda-titolo-diverso", objective=n) for n in range(1, 9)]
    found += [make("somma-fondo-arrotondamento", found="1,00 €", expected="1,01 €", diff="0,01 €")]
    said = sentences(found, df, 2025)
    assert said[0] == "Il controllo del piano 2025 ha trovato 3 errori da correggere e 9 avvisi da verificare."
    assert said[1] == "Da correggere: peso diverso dalla strategicità (obiettivi 2, 4 e 9)."
    assert said[2] == ("Da verificare: titolo della scheda diverso dalla tabella "
                       "(obiettivi 1, 2, 3, 4, 5, 6 e altri 2).")
    assert said[3].startswith("Avviso sul piano intero: gli importi sommano 1,00 € invece di 1,01 €")
