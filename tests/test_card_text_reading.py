"""Reading quantities, dates, durations and phase steps from a card's Italian text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiari_xl.model.dates import Day, When, dates, durations, years_of
from chiari_xl.model.phases import step_named, steps
from chiari_xl.model.quantities import PERCENT, quantities, unit_of

D = Decimal


def flat(text):
    return [(q.value, q.unit, q.of, q.percent, q.bound, q.years, q.approx) for q in quantities(text)]


@pytest.mark.parametrize("text, expected", [
    ("n. 25 strade", [(D(25), "strada", None, None, None, None, False)]),
    ("almeno n.12 vie su 20 (60%)", [(D(12), "strada", D(20), D(60), "min", None, False)]),
    ("minimo 80 controlli", [(D(80), "controllo", None, None, "min", None, False)]),
    ("12 incontri", [(D(12), "incontro", None, None, None, None, False)]),
    ("il 30% delle pratiche", [(D(30), PERCENT, None, None, None, None, False)]),
    ("3 edifici/anno", [(D(3), "edificio", None, None, None, 1, False)]),
    ("n.120 nominativi circa (350 sul triennio)", [(D(120), "nominativo", None, None, None, None, True),
                                                   (D(350), "nominativo", None, None, None, 3, False)]),
    ("18 su 30 (50%)", [(D(18), "", D(30), D(50), None, None, False)]),
    ("n. 1.500 libri distribuiti", [(D(1500), "libro", None, None, None, None, False)]),
    ("tre incontri con i genitori", [(D(3), "incontro", None, None, None, None, False)]),
])
def test_quantities_with_their_unit(text, expected):
    assert flat(text) == expected


@pytest.mark.parametrize("text", [
    "Riforma n.1.11 del 30/06/2025 e del 30.06.2025, ore 20.30",  # dates, times, law numbers
    "ai sensi del D.P.R. n. 120/2017, art. 15 L. 241/1990",
    "(se completata = raggiungimento 35% obiettivo)",  # an indicator's weight
    "Azione 1. Sabato dei papà; 2° livello; 1^ giornata",  # ordinals
    "in tempi compressi (50/60 gg). 2 Incontri preliminari con gli Enti",  # range, numbered list
    "Attivazione nel territorio dell'ambito 7 di nuove progettualità",  # no unit
])
def test_numbers_that_are_not_quantities(text):
    assert quantities(text) == ()


def test_units_fold_plurals_and_synonyms():
    assert unit_of("strade") == unit_of("Vie") == unit_of("via") == "strada"
    assert unit_of("immobili") == unit_of("edifici") == unit_of("fabbricato") == "edificio"
    assert unit_of("incontri") != unit_of("riunioni")  # meetings of different kinds stay apart
    assert unit_of("Attività") == "attività" and unit_of("ambito") is None


def test_figures_per_item_or_per_period_are_rates():
    got = [(q.value, q.unit, q.rate) for q in quantities(
        "n.30 webinar della durata di 2 ore ciascuno; 3 incontri al mese; 60 ore in tutto")]
    assert got == [(D(30), "webinar", False), (D(2), "ora", True), (D(3), "incontro", True), (D(60), "ora", False)]


def test_percentage_knows_what_it_is_a_share_of():
    (q,) = quantities("Regolarizzazione tributaria del 50% degli impianti individuati dalla polizia locale")
    assert q.unit == PERCENT and q.measure == "impianti individuati dalla polizia locale"


def mentions(text):
    return [(d.text, d.first, d.last, d.when) for d in dates(text)]


@pytest.mark.parametrize("text, expected", [
    ("entro il 31/12/2025", [("entro il 31/12/2025", Day(2025, 12, 31), Day(2025, 12, 31), When.DEADLINE)]),
    ("10/03/2023", [("10/03/2023", Day(2023, 3, 10), Day(2023, 3, 10), When.PLAIN)]),
    ("Entro aprile 2024: Identificazione", [("Entro aprile 2024", Day(2024, 4), Day(2024, 4), When.DEADLINE)]),
    ("2025-2027", [("2025-2027", Day(2025), Day(2027), When.PLAIN)]),
    ("biennale 2025 2026", [("2025 2026", Day(2025), Day(2026), When.PLAIN)]),
    ("2024 - 2025 - 2026", [("2024 - 2025 - 2026", Day(2024), Day(2026), When.PLAIN)]),
    ("dal 2025 al 2026", [("dal 2025 al 2026", Day(2025), Day(2026), When.WINDOW)]),
    ("nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024 con una pattuglia",
     [("nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024", Day(2024, 6, 15), Day(2024, 12, 31),
       When.WINDOW)]),
    ("1. Nel corso dell'anno 2024 si procederà", [("Nel corso dell'anno 2024", Day(2024), Day(2024), When.DURING)]),
    ("Gennaio – dicembre 2025", [("Gennaio – dicembre 2025", Day(2025, 1), Day(2025, 12), When.PLAIN)]),
    ("dal 27.01.2025, costituendo", [("dal 27.01.2025", Day(2025, 1, 27), Day(2025, 1, 27), When.SINCE)]),
    ("entro il mese di aprile: individuazione", [("entro il mese di aprile", Day(None, 4), Day(None, 4),
                                                  When.DEADLINE)]),
    ("programma di mandato per il periodo 2024-2029", [("2024-2029", Day(2024), Day(2029), When.PLAIN)]),
])
def test_dates_with_what_they_say(text, expected):
    assert mentions(text) == expected


@pytest.mark.parametrize("text", [
    "In applicazione all'art.4 bis del D.L. 24/2/2023 n.13, che ha",
    "In applicazione del D.L. 13/12/2023, n.222 che ha",
    "dell'art. 28 del decreto-legge 2 marzo 2024, n. 19",
    "ai sensi del comma 1 del d.l. n. 155 del 19 ottobre 2024",
    "D.C.R. n° VIII/0351 del 13 marzo 2007",
])
def test_law_references_are_citations_not_deadlines(text):
    assert [d.when for d in dates(text)] == [When.CITATION]


def test_law_numbers_are_not_years():
    assert dates("legge 238/2021, D.Lgs. 36/2023, delibere n° VIII/6420/2007, 7110/2008") == ()


def test_durations_and_the_years_written_with_them():
    got = [(d.word, d.years, d.span.span_years() if d.span else None) for d in durations(
        "progetto triennale 2023/2025; durata quadriennale, 01/01/2025 – 31/12/2028; Piano Triennale per "
        "l'informatica 2024-2026; biennio; approvazione del Piano Triennale entro il 30.06.2025")]
    assert got == [("triennale", 3, 3), ("quadriennale", 4, 4), ("Triennale", 3, 3), ("biennio", 2, None),
                   ("Triennale", 3, None)]


def test_years_of_the_tempi():
    assert years_of("avvio nel 2024 e conclusione nel 2028.") == (2024, 2028)
    assert years_of("fino al 30 marzo 2025, o comunque sino all'assunzione del sostituto") == (2025, 2025)
    assert years_of("Triennale") is None


def test_phase_steps_take_their_own_deadline_or_their_heading():
    text = ("2025: - Preparazione evento: entro 15 febbraio; - Definizione del nuovo perimetro DUC entro "
            "settembre. 2026 : - Progettazione e partecipazione bando DUC entro 31 dicembre")
    assert [(s.text, s.year) for s in steps(text)] == [
        ("- Preparazione evento: entro 15 febbraio", 2025),
        ("- Definizione del nuovo perimetro DUC entro settembre.", 2025),
        ("- Progettazione e partecipazione bando DUC entro 31 dicembre", 2026)]


def test_phase_steps_split_at_deadlines_not_inside_dates():
    text = ("ENTRO IL 30.04.2025- Ricognizione delle nomine: ENTRO IL 30.11.2026 Ricognizione ed elaborazione "
            "dati per il registro dei trattamenti Fasi previste nel 2027: - Approvazione del registro")
    assert [(s.year, s.due) for s in steps(text)] == [(2025, "ENTRO IL 30.04.2025"), (2026, "ENTRO IL 30.11.2026"),
                                                      (2027, "Fasi previste nel 2027")]


def test_an_indicator_names_the_step_holding_most_of_its_words():
    found = steps("ENTRO IL 30.04.2025 Ricognizione e aggiornamento delle nomine ENTRO IL 30.11.2026 "
                  "Ricognizione ed elaborazione dati per aggiornamento del registro dei trattamenti")
    assert step_named("Ricognizione ed elaborazione dati per aggiornamento del registro", found).year == 2026
    assert step_named("Ricognizione e aggiornamento delle nomine", found).year == 2025
    assert step_named("Ricognizione", found) is None  # one word is no evidence
    assert step_named("Supporto alla genitorialità", found) is None


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = st.sampled_from(["n.", "n. 12", "strade", "vie", "su", "45", "(70%)", "%", "entro il", "31/12/2025",
                         "2024-2026", "triennale", "biennio", "circa", "all'anno", "sul triennio", "D.L.", "n.13",
                         "aprile", "2025:", "- ", "1)", "Entro", "ENTRO IL 30.11.2026", ";", ".", "tra il", "ed il",
                         "30/13/2025", "1.500", "3,5", "tre", "incontri", "Fasi previste nel 2026:", "÷"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25).map(" ".join))
def test_reading_never_fails_and_quotes_the_text(text):
    for q in quantities(text):
        assert 0 <= q.start < q.end <= len(text) and q.text == text[q.start:q.end].strip().lstrip("(")
    for d in dates(text):
        assert " ".join(text[d.start:d.end].split()) == d.text
    for dur in durations(text):
        assert text[dur.start:dur.end].lower() == dur.word.lower()
    for s in steps(text):
        assert s.text and (s.year is None or 1950 <= s.year <= 2099)
