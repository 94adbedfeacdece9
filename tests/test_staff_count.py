"""Counting the staff a table's free text describes (model/staff.py), as a person reading it would.

The area manager (resp. EQ, dirigente, comandante) is counted apart: N. dip. may or may not include
him, so a text admits two headcounts. People named without a number make the count a minimum;
alternatives or fractions make it unknowable (no claim, so no false alarm).
"""

from __future__ import annotations

import pytest

from chiari_xl.model.staff import StaffCount, parse_staff


def counts(text):
    c = parse_staff(text)
    return (c.staff, c.managers, c.open_ended, c.ambiguous, c.counted)


@pytest.mark.parametrize("text, staff, managers", [
    # texts of the 2025 plan
    ("n.1 resp.Area EQ+n.6 dipendenti area", 6, 1),
    ("n.3 resp.eq+ n.5 dipendenti area Segreteria/Risorse Umane/Servizi sociali/Comando Polizia Locale", 5, 3),
    ("Responsabile Area E.Q. n°3 dipendenti Area Segreteria-Affari Generali", 3, 1),
    ("Responsabile Area P.O. n. 2 dipendenti Area Gare e Contratti", 2, 1),
    ("n.3 impiegati tecnici+ n.2 impiegati, n.5 operai", 10, 0),
    ("n.1 ced", 1, 0),
    ("n.1 responsabile n.3 dipendenti area", 3, 1),
    ("n. 1 responsabile area EQ, n. 3 assistenti sociali, n. 3 operatori amministrativi", 6, 1),
    ("n.1 Responsabile Area + n.1 dipendente Area Sport e n.1 Area Cultura", 2, 1),
    ("2 istruttori, 1 operatore esperto", 3, 0),
    ("1 Resp.EQ, n.3 dipendenti Lavori Pubblici", 3, 1),
    ("n.1 Resp.EQ+n.5 dip Area SUAP/SUE+n.1 Area CED", 6, 1),
    ("n.1 Resp.Area Pianificazione, n.1 Resp. Area Ambiente, n.2 dipendenti Area Pianificazione", 2, 2),
    ("Resp.Area Ambiente + n.1 dipendenti area Sue", 1, 1),
    ("n.10 Agenti appartenenti al Comando di Polizia Locale", 10, 0),
    ("n.2 amministrativi", 2, 0),
    # a manager after the people, with or without a number
    ("n.3 agenti + comandante", 3, 1),
    ("n.3 agenti + n.1 comandante", 3, 1),
    ("Comandante e n.4 agenti", 4, 1),
    ("n.2 responsabili + n.3 istruttori", 3, 2),
    ("n.2 dirigenti e n.4 impiegati", 4, 2),
    ("n.1 dirigente, n.2 istruttori", 2, 1),
    ("n.3 + resp. EQ", 3, 1),
    # managers by their abbreviations, and several managers without a number
    ("n.1 E.Q. + n.3 dipendenti", 3, 1),
    ("n.1 P.O. + n.2 dipendenti", 2, 1),
    ("n.1 EQ Area Tributi + n.2 dipendenti", 2, 1),
    ("Resp. Area Pianificazione, Resp. Area Ambiente, n.2 dipendenti", 2, 2),
    # the largest number read as a headcount is 500
    ("n.500 dipendenti", 500, 0),
    # a number naming what it counts in brackets
    ("4+1(Dirigente)", 4, 1),
    ("2+3(agenti)", 5, 0),
    # a breakdown in brackets is not counted twice; a group counted only in brackets is counted
    ("3 dipendenti (2 AS, 1 amm.)", 3, 0),
    ("Gruppo di lavoro (n.5 dipendenti)", 5, 0),
    ("n.2 agenti (n.1 resp. EQ)", 2, 1),
    ("3 dipendenti (2 AS, 1 resp.)", 3, 0),
    ("3 dipendenti (2 AS, 1 amm.) + gruppo (n.2 tecnici)", 5, 0),
    ("Resp. EQ + gruppo (n.1 dirigente)", 0, 2),
    ("Gruppo (n.1 agente e altri volontari)", 1, 0),
])
def test_staff_and_managers_of_a_text(text, staff, managers):
    assert counts(text) == (staff, managers, False, False, True)


@pytest.mark.parametrize("text, staff, managers", [
    ("agenti polizia locale incaricati e n. 2 personale ufficio tributi", 2, 0),
    ("dirigenti; incaricati E.Q., n.15 dipendenti addetti alla liquidazione fatture", 15, 0),
    ("n.3 dipendenti e tutti i volontari", 3, 0),
    ("n.2 tecnici + altro personale", 2, 0),
    ("dirigenti e responsabili", 0, 0),
    ("tutto il personale", 0, 0),
    ("tutti gli uffici", 0, 0),
    ("n.3 dipendenti (agenti incaricati)", 3, 0),
    # a count of zero is no count, the counts after it still are
    ("n.0 volontari + n.3 dipendenti", 3, 0),
])
def test_people_named_without_a_number_make_the_count_a_minimum(text, staff, managers):
    assert counts(text) == (staff, managers, True, False, True)
    c = parse_staff(text)
    assert c.agrees_with(staff) and c.agrees_with(staff + 50) and not c.agrees_with(staff - 1)
    assert c.describe() == f"almeno {staff}"


@pytest.mark.parametrize("text", ["n. 2 / 3 dip.", "n.2/3 dipendenti", "n.2,5 dipendenti", "2.5 dip."])
def test_alternatives_and_fractions_give_no_headcount(text):
    c = parse_staff(text)
    assert counts(text) == (0, 0, False, True, True)
    assert c.describe() == "un numero non determinabile"
    assert c.agrees_with(1) and c.agrees_with(7)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_no_text_is_no_count(text):
    assert counts(text) == (0, 0, False, False, False)
    assert parse_staff(text).agrees_with(4)


@pytest.mark.parametrize("text", ["Ufficio tecnico", "n.501 uffici", "area 2020"])
def test_a_text_without_people_is_no_count(text):
    assert counts(text) == (0, 0, True, False, False)
    assert parse_staff(text).agrees_with(3)


@pytest.mark.parametrize("text", ["n.0 dipendenti", "n.600 dipendenti"])
def test_numbers_that_are_no_headcount_leave_only_the_people_named(text):
    assert counts(text) == (0, 0, True, False, True)


def test_percentages_are_not_people():
    assert counts("n.2 dipendenti al 50%") == (2, 0, False, False, True)


def test_a_count_with_a_manager_admits_both_headcounts():
    c = parse_staff("n.1 resp.Area EQ+n.6 dipendenti area")
    assert c.admissible == {6, 7}
    assert c.agrees_with(6) and c.agrees_with(7)
    assert not c.agrees_with(5) and not c.agrees_with(8)
    assert c.describe() == "6 dipendenti + 1 responsabile (6 o 7)"
    assert parse_staff("n.2 responsabili + n.3 istruttori").describe() == "3 dipendenti + 2 responsabili (3 o 5)"


def test_a_count_without_managers_admits_one_headcount():
    c = parse_staff("n.5 dipendenti")
    assert c.admissible == {5} and c.agrees_with(5) and not c.agrees_with(6)
    assert c.describe() == "5 dipendenti"
    assert parse_staff("n.1 dipendente").describe() == "1 dipendente"
    assert parse_staff("Resp.EQ + 1 dipendente").describe() == "1 dipendente + 1 responsabile (1 o 2)"


def test_the_nearest_admissible_headcount_is_the_correction():
    c = parse_staff("n.1 resp.Area EQ+n.6 dipendenti area")  # 6 or 7
    assert [c.nearest(n) for n in (3, 6, 7, 10)] == [6, 6, 7, 7]
    assert StaffCount(4, 4).nearest(6) == 4  # equally near 4 and 8: the smaller
    assert StaffCount(4, 4).nearest(7) == 8
