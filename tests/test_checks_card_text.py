"""Cards that contradict themselves (checks/card_text.py), on small plans: each kind on a plan
made for it, and its consistent twin that must stay quiet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scenarios import plan, row

from chiari_xl.api import check_plan
from chiari_xl.checks.card_text import KINDS

D = Decimal
CODES = {k.code for k in KINDS}
# the Schede sheet: header on row 3, first card row 4, two indicators per card, cards in this order
ORDER = [1, 2, 3, 6, 7, 14, 19, 24]
COL = {"tempi": "D", "indicatore": "E", "quantita": "F", "attivita": "G", "soglia_pct": "I", "descrizione": "K",
       "fasi": "L"}


def cell(field, n, indicator=0):
    return f"{COL[field]}{4 + 2 * ORDER.index(n) + indicator}"


def card_rows(cards, n):
    return [c for c in cards if c["n"] == n]


def text_findings(make_plan, name, mutate):
    """The card-text findings of the base plan after `mutate(rows, cards)`: [(code, objective, cell)]."""
    rows, cards, params = plan(lambda r, c, p: mutate(r, c))
    result = check_plan(make_plan(name, rows, cards, params), write=False)
    found = [f for f in result.findings if f.code in CODES]
    assert all(f.severity == "warning" and f.sheet == "Schede" for f in found)
    for f in found:  # the message says what was found and what was expected, quoting the card
        assert f.found in f.message and f.expected in f.message
        assert f.code == "peso-oltre-l-anno" or f"«{f.found}»" in f.message
    return [(f.code, f.objective, f.cell) for f in found], found


def test_base_plan_raises_none(make_plan):
    flat, _ = text_findings(make_plan, "schede_coerenti.xlsx", lambda rows, cards: None)
    assert flat == []


# ---- the same quantity with two numbers in one indicator ----

def indicator(cards, n, i=0, **fields):
    card_rows(cards, n)[i].update(fields)


@pytest.mark.parametrize("fields, where, flagged", [
    # the name says 40 streets, the target counts them out of 45 ("vie" are "strade")
    (dict(indicatore="Controlli di n. 40 strade del centro", quantita="Almeno n.32 vie su 45 (70%)"), "quantita", True),
    (dict(indicatore="Controlli di n. 40 strade del centro", quantita="Almeno n.32 vie su 40 (80%)"),
     "quantita", False),
    # the target and the activity
    (dict(quantita="n. 100 controlli", attivita="Rispetto del numero dei controlli (minimo 150 controlli)"),
     "attivita", True),
    (dict(quantita="n. 100 controlli", attivita="Rispetto del numero dei controlli (minimo 100 controlli)"),
     "attivita", False),
    # two shares of the same measure
    (dict(indicatore="Regolarizzazione del 50% degli impianti individuati dalla polizia locale",
          quantita="Almeno il 60% delle rilevazioni effettuate dalla polizia locale"), "quantita", True),
    (dict(indicatore="Regolarizzazione del 50% degli impianti individuati dalla polizia locale",
          quantita="Almeno il 50% delle rilevazioni effettuate dalla polizia locale"), "quantita", False),
    # shares of different things are not compared
    (dict(indicatore="Riduzione del 10% dei tempi di attesa", quantita="90% delle pratiche evase"), "quantita", False),
    # an activity with several actions, one of which matches the target
    (dict(quantita="3 incontri", attivita="Azione 1: 3 incontri con i genitori; Azione 2: 4 incontri in biblioteca"),
     "attivita", False),
    # different things counted
    (dict(quantita="n. 1 azione", attivita="Rinnovo convenzione SUAP associato a 10 comuni"), "attivita", False),
    # a figure per item is not the total
    (dict(indicatore="Corso di formazione di 60 ore", attivita="n.30 webinar della durata di 2 ore ciascuno"),
     "attivita", False),
    (dict(indicatore="Corso di formazione di 60 ore", attivita="n.30 webinar per un totale di 50 ore"),
     "attivita", True),
])
def test_same_unit_with_different_numbers(make_plan, fields, where, flagged):
    flat, found = text_findings(make_plan, "quantita.xlsx", lambda rows, cards: indicator(cards, 24, **fields))
    expected = [("quantita-diverse-nell-indicatore", 24, cell(where, 24))] if flagged else []
    assert flat == expected


def test_the_message_names_both_numbers(make_plan):
    _, (f,) = text_findings(make_plan, "quantita_msg.xlsx", lambda rows, cards: indicator(
        cards, 24, quantita="n. 100 controlli", attivita="(minimo 150 controlli)"))
    assert (f.found, f.expected) == ("minimo 150 controlli", "n. 100 controlli")
    assert f.message.endswith("100 controlli contro 150 controlli.")


# ---- "X su Y (Z%)" ----

@pytest.mark.parametrize("quantita, flagged", [
    ("18 su 30 (50%)", True),
    ("18 su 30 (60%)", False),
    ("Almeno n.32 vie su 45 (70%)", False),  # 70% of 45 is 31,5: 32 rounds it up
    ("almeno 12 controlli su 20 (70%)", True),
])
def test_count_out_of_total_against_its_percentage(make_plan, quantita, flagged):
    flat, found = text_findings(make_plan, "rapporto.xlsx", lambda rows, cards: indicator(cards, 19, quantita=quantita))
    assert flat == ([("percentuale-su-totale-errata", 19, cell("quantita", 19))] if flagged else [])
    if flagged and quantita.startswith("18"):
        assert found[0].expected == "60%" and "18 su 30 è il 60%, non il 50%" in found[0].message


# ---- dates before the plan year, after the card's tempi ----

def card_text(cards, n, **fields):
    for c in card_rows(cards, n):
        c.update({"descrizione": "", "fasi": "", **fields})  # both columns written: K and L


def set_tempi(rows, cards, n, tempi):
    row(rows, n)["tempi"] = tempi
    card_text(cards, n, tempi=tempi)


def test_time_window_of_an_earlier_year_in_the_description(make_plan):
    def mutate(rows, cards):
        set_tempi(rows, cards, 24, "Nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025")
        card_text(cards, 24, descrizione="Servizi serali nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024.")
    flat, (f,) = text_findings(make_plan, "data_precedente.xlsx", mutate)
    assert flat == [("data-prima-dell-anno", 24, cell("descrizione", 24))]
    assert f.found == "nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024"
    assert "«Nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025»" in f.message  # the card's tempi


@pytest.mark.parametrize("tempi, descrizione, fasi", [
    # the same window in the plan year
    ("Nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025",
     "Servizi serali nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025.", ""),
    # a past phase of a multi-year objective: its tempi cover it
    ("biennio 2024-2025", "", "Entro aprile 2024: identificazione nuovi strumenti; entro il 31/12/2025: report."),
    # law references and history are not deadlines
    ("2025", "In applicazione del D.L. 13/12/2023, n.222; attività avviata nel 2022 ma sospesa nel 2023, "
             "attiva dal 2024.", ""),
])
def test_dates_that_agree_with_the_plan_year(make_plan, tempi, descrizione, fasi):
    def mutate(rows, cards):
        set_tempi(rows, cards, 24, tempi)
        card_text(cards, 24, descrizione=descrizione, fasi=fasi)
    flat, _ = text_findings(make_plan, "date_coerenti.xlsx", mutate)
    assert flat == []


def test_deadline_of_an_earlier_year_in_an_indicator(make_plan):
    def mutate(rows, cards):
        set_tempi(rows, cards, 6, "2024-2025")  # even when the tempi cover 2024: the indicator counts in 2025
        indicator(cards, 6, 1, attivita="Approvazione entro il 31/03/2024")
    flat, _ = text_findings(make_plan, "indicatore_scaduto.xlsx", mutate)
    assert flat == [("data-prima-dell-anno", 6, cell("attivita", 6, 1))]


def test_card_whose_tempi_end_before_the_plan_year(make_plan):
    def mutate(rows, cards):
        set_tempi(rows, cards, 7, "2023-2024")
        card_text(cards, 7, fasi="Entro il 31/12/2024 conclusione")
    flat, _ = text_findings(make_plan, "tempi_passati.xlsx", mutate)
    assert flat == [("data-prima-dell-anno", 7, cell("tempi", 7))]


@pytest.mark.parametrize("fasi, flagged", [
    ("Entro il 30/06/2026 approvazione del regolamento", True),
    ("Entro il 30/06/2025 approvazione del regolamento", False),
    ("Il programma di mandato per il periodo 2024-2029 prevede il regolamento", False),  # not the objective's time
])
def test_deadline_after_the_cards_tempi(make_plan, fasi, flagged):
    flat, _ = text_findings(make_plan, "oltre_tempi.xlsx", lambda rows, cards: card_text(cards, 14, fasi=fasi))
    assert flat == ([("data-oltre-i-tempi", 14, cell("fasi", 14))] if flagged else [])


# ---- durations ----

@pytest.mark.parametrize("card_tempi, table_tempi, flagged", [
    ("Triennale", "2025-2026", True),
    ("Triennale", "2025-2027", False),
    ("biennale", "2025", True),
])
def test_duration_word_of_the_tempi_against_the_years_of_the_table(make_plan, card_tempi, table_tempi, flagged):
    def mutate(rows, cards):
        row(rows, 19)["tempi"] = table_tempi
        card_text(cards, 19, tempi=card_tempi)
    flat, _ = text_findings(make_plan, "durata_tempi.xlsx", mutate)
    assert flat == ([("durata-diversa-dagli-anni", 19, cell("tempi", 19))] if flagged else [])


@pytest.mark.parametrize("descrizione, flagged", [
    ("Il presente progetto, proseguo del progetto triennale 2024/2025, ha ad oggetto", True),
    ("Il presente progetto, proseguo del progetto triennale 2023/2025, ha ad oggetto", False),
    ("Progetto di durata quadriennale, 01/01/2025 – 31/12/2027.", True),
    ("Progetto di durata quadriennale, 01/01/2025 – 31/12/2028.", False),
    # a plan's name, and a word with no years after it
    ("Approvazione del Piano Triennale entro il 30.06.2025; bollettazione annuale del canone.", False),
])
def test_duration_word_against_the_years_written_with_it(make_plan, descrizione, flagged):
    def mutate(rows, cards):
        set_tempi(rows, cards, 6, "2025-2028")
        card_text(cards, 6, descrizione=descrizione)
    flat, _ = text_findings(make_plan, "durata_testo.xlsx", mutate)
    assert flat == ([("durata-diversa-dagli-anni", 6, cell("descrizione", 6))] if flagged else [])


# ---- yearly figures against multi-year totals ----

@pytest.mark.parametrize("quantita, flagged", [
    ("100 controlli all'anno, 250 sul triennio", True),
    ("100 controlli all'anno, 300 sul triennio", False),
    ("n.120 nominativi circa (250 sul triennio)", True),
    ("n.120 nominativi circa (350 sul triennio)", False),  # "circa": 350 is within 5% of 360
    ("n.120 nominativi (350 sul triennio)", True),  # no "circa": 3 × 120 is 360
])
def test_multi_year_total_against_the_yearly_figure(make_plan, quantita, flagged):
    flat, _ = text_findings(make_plan, "pluriennale.xlsx", lambda rows, cards: indicator(cards, 14, quantita=quantita))
    assert flat == ([("totale-pluriennale-non-multiplo", 14, cell("quantita", 14))] if flagged else [])


def test_yearly_figure_and_total_in_two_places_of_one_indicator(make_plan):
    flat, (f,) = text_findings(make_plan, "pluriennale_due_celle.xlsx", lambda rows, cards: indicator(
        cards, 14, quantita="40 controlli all'anno", attivita="Almeno 100 controlli nel triennio"))
    assert flat == [("totale-pluriennale-non-multiplo", 14, cell("attivita", 14))]
    assert "40 all'anno per 3 anni fanno 120, non 100" in f.message


# ---- most of the weight due after the plan year ----

PHASES = ("ENTRO IL 30.04.2025 Ricognizione e aggiornamento delle nomine ENTRO IL 30.11.2026 Approvazione del "
          "registro dei trattamenti aggiornato con delibera di Giunta")


@pytest.mark.parametrize("weights, soglia, flagged", [
    ((20, 80), 80, True),  # only the 20% of the first indicator can be reached in 2025
    ((80, 20), 80, False),  # 80% reachable: the soglia can be met
    ((40, 60), 40, False),
])
def test_weight_on_phases_due_after_the_plan_year(make_plan, weights, soglia, flagged):
    def mutate(rows, cards):
        set_tempi(rows, cards, 6, "2025-2026")
        for c, w, name in zip(card_rows(cards, 6), weights, ("Ricognizione e aggiornamento delle nomine",
                                                            "Approvazione del registro dei trattamenti aggiornato")):
            c.update(indicatore=name, peso_pct=D(w), soglia_pct=D(soglia), fasi=PHASES)
    flat, found = text_findings(make_plan, "peso_oltre.xlsx", mutate)
    assert flat == ([("peso-oltre-l-anno", 6, cell("soglia_pct", 6))] if flagged else [])
    if flagged:
        assert (found[0].found, found[0].expected) == ("20%", "80%")
        assert "«ENTRO IL 30.11.2026»" in found[0].message


def test_weight_due_after_the_year_read_from_the_indicators_own_deadline(make_plan):
    def mutate(rows, cards):
        set_tempi(rows, cards, 6, "2025-2026")
        indicator(cards, 6, 1, attivita="Approvazione entro il 31/12/2026", soglia_pct=D(80))
        indicator(cards, 6, 0, soglia_pct=D(80))
    flat, _ = text_findings(make_plan, "peso_oltre_indicatore.xlsx", mutate)
    assert flat == [("peso-oltre-l-anno", 6, cell("soglia_pct", 6))]  # 60% reachable < 80%


def test_plan_without_texts_on_the_cards_reads_and_checks_as_before(make_plan):
    rows, cards, params = plan()
    result = check_plan(make_plan("senza_testi.xlsx", rows, cards, params), write=False)
    assert set(result.plan.cards["descrizione"]) == {""} and set(result.plan.cards["cell_fasi"]) == {""}
    assert not [f for f in result.findings if f.code in CODES]


def test_checked_workbook_shows_the_finding_on_the_card(make_plan, tmp_path):
    import openpyxl

    description = "Servizi serali nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024."

    def mutate(rows, cards, params):
        set_tempi(rows, cards, 24, "Nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025")
        card_text(cards, 24, descrizione=description, fasi="Fase unica di attuazione")
    rows, cards, params = plan(mutate)
    result = check_plan(make_plan("finestra_2024.xlsx", rows, cards, params), output=tmp_path / "controllato.xlsx")
    wb = openpyxl.load_workbook(result.output)
    ws = wb["Schede"]
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["Descrizione dell'obiettivo", "Fasi di attuazione"]
    first = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == 24)
    shown = ws.cell(first, header.index("Descrizione dell'obiettivo") + 1)
    assert shown.value == description
    assert shown.fill.fgColor.rgb.endswith("FFE699")  # yellow: a warning
    assert "[data-prima-dell-anno]" in shown.comment.text and "15/06/2024" in shown.comment.text
    # written once per card, over the card's two indicator rows
    assert f"{shown.coordinate}:{shown.column_letter}{first + 1}" in {str(m) for m in ws.merged_cells.ranges}
    # and listed in Rilievi with a link to that cell
    rilievi = wb["Rilievi"]
    col = {c.value: i for i, c in enumerate(rilievi[3])}
    link, code = col["Vai alla cella"], col["Codice"]
    links = [r[link].hyperlink.location for r in rilievi.iter_rows(min_row=4)
             if r[code].value == "data-prima-dell-anno" and r[link].hyperlink]
    assert links == [f"'Schede'!{shown.coordinate}"]


def test_yearly_figure_of_another_indicator_is_not_compared(make_plan):
    def mutate(rows, cards):
        indicator(cards, 14, 0, quantita="40 controlli edilizi all'anno")
        indicator(cards, 14, 1, quantita="100 controlli ambientali nel triennio")
    flat, _ = text_findings(make_plan, "pluriennale_altro_indicatore.xlsx", mutate)
    assert flat == []
