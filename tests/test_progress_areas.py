"""Areas from the card headers, their names as the office writes them, and who reports each indicator."""

from __future__ import annotations

import re

from chiari_xl.model.params import PlanParams
from chiari_xl.progress.areas import parse_header
from chiari_xl.progress.indicators import OFFICE_KEY, numeric_target, plan_indicators
from chiari_xl.progress.names import Vocabulary, area_key, display_name, file_part
from chiari_xl.reading.plan import read_plan

from conftest import params_2025


def test_every_objective_has_areas_and_every_indicator_is_kept(sample_plan):
    pi = plan_indicators(read_plan(sample_plan))
    assert sorted(pi.area_map.of) == list(range(1, 28))
    assert all(pi.area_map.of[n] for n in range(1, 28))
    # the card printed without a number (objective 16, matched by title) is not lost
    assert len(pi.indicators) == len(read_plan(sample_plan).cards)
    assert pi.area_map.of[16] == ["servizi-sociali"]
    assert not pi.area_map.unresolved


def test_shared_and_whole_structure_objectives_go_to_each_area(sample_plan):
    pi = plan_indicators(read_plan(sample_plan))
    every = sorted(pi.area_map.areas)
    assert len(every) == 17
    for n in (1, 2, 3):  # "GENERALE – INTERA STRUTTURA", "INTERSETTORIALE – TUTTE LE AREE"
        assert pi.area_map.of[n] == every
    assert pi.area_map.of[4] == ["corpo-polizia-locale", "segreteria-affari-generali", "servizi-sociali"]
    assert pi.area_map.of[17] == ["cultura-sistema-biblioteca", "politiche-giovanili-sport"]
    assert pi.area_map.of[20] == ["informatica", "sue-suap-commercio"]
    # two spellings of the same area are one area
    assert pi.area_map.of[8] == pi.area_map.of[9] == ["contabilita-controllo-gestione-tributi"]
    # a header naming only sectors: every area of those sectors
    af = sorted(k for k, a in pi.area_map.areas.items() if a.sector == "AMMINISTRATIVO-FINANZIARIO")
    assert pi.area_map.of[7] == af
    assert pi.area_map.of[5] == sorted(af + ["corpo-polizia-locale"])


def test_file_names_are_safe_and_unique(sample_plan):
    pi = plan_indicators(read_plan(sample_plan))
    parts = [a.file_part for a in pi.areas.values()]
    assert len(set(parts)) == len(parts) == 18
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,50}", p) for p in parts)
    # what the collector compares (case and accents aside) still tells every area apart
    assert len({area_key(p) for p in parts}) == 18


def test_area_names_as_the_office_writes_them(sample_plan):
    """Accents and acronyms from the plan's own running text; one spelling per area."""
    pi = plan_indicators(read_plan(sample_plan))
    names = {a.name for a in pi.area_map.areas.values()}
    for expected in ("Contabilità controllo gestione tributi", "CED e sistemi informativi",
                     "Demografici URP servizi cimiteriali", "Pianificazione urbanistica SIT catasto patrimonio",
                     "Piano di Zona", "Corpo Polizia Locale", "Gare e Contratti", "SUE-SUAP-commercio"):
        assert expected in names, sorted(names)
    parts = {a.file_part for a in pi.area_map.areas.values()}
    assert {"Contabilita_controllo_gestione_tributi", "CED_e_sistemi_informativi", "Piano_di_Zona"} <= parts
    assert not {"Ced_E_Sistemi_Informativi", "Piano_Di_Zona"} & parts


def test_display_name_rule_on_its_own():
    vocab = Vocabulary.from_texts(["Avvio della nuova contabilità e del portale CED", "Area Urbanistica del Comune",
                                   "riunioni del Piano di Zona", "il ced e la biblioteca", "ORDINE DEL GIORNO"])
    assert display_name("CONTABILITA’ E TRIBUTI", vocab) == "Contabilità e tributi"  # accent from the text
    assert display_name("CED E BIBLIOTECA", vocab) == "CED e biblioteca"  # written CED as often as ced
    assert display_name("PIANO DI ZONA", vocab) == "Piano di Zona"  # the phrase as the text writes it
    assert display_name("UFFICIO SIT", vocab) == "Ufficio SIT"  # short, never in lower case: an acronym
    assert display_name("ATTIVITA' PRODUTTIVE", vocab) == "Attività produttive"  # typewriter accent
    assert display_name("Ufficio SUE-SUAP-commercio", vocab) == "Ufficio SUE-SUAP-commercio"  # not shouted
    assert display_name("ORDINE DEL GIORNO", vocab) == "Ordine del giorno"  # shouted text is no evidence


def test_shared_objectives_are_reported_by_the_office_sheet(sample_plan):
    """GENERALE / INTERSETTORIALE objectives shared by several areas: one sheet, the office's."""
    pi = plan_indicators(read_plan(sample_plan))
    for n in (1, 2, 3, 4, 5):
        assert {i.reporters for i in pi.of_objective(n)} == {(OFFICE_KEY,)}
    assert pi.reporters_of(17) == ["cultura-sistema-biblioteca", "politiche-giovanili-sport"]  # one sector's
    assert all(1 not in {i.n for i in pi.of_area(k)} for k in pi.area_map.areas)
    assert {i.n for i in pi.of_area(OFFICE_KEY)} == {1, 2, 3, 4, 5}


def test_the_plan_can_say_who_reports(make_plan, table_2025, cards_2025):
    cards = [dict(c) for c in cards_2025]
    for c in cards:
        if c["n"] == 4:
            c["rilevato_da"] = "Area Polizia Locale"
        if c["n"] == 5:
            c["rilevato_da"] = "tutte le aree"
        if c["n"] == 10:
            c["rilevato_da"] = "Ufficio"
    pi = plan_indicators(read_plan(make_plan("rilevato.xlsx", table_2025, cards)))
    assert pi.reporters_of(4) == ["corpo-polizia-locale"]
    assert pi.reporters_of(5) == pi.area_map.of[5]
    assert pi.reporters_of(10) == [OFFICE_KEY]
    assert pi.reporters_of(1) == [OFFICE_KEY]  # still the default


def test_header_rule_pieces():
    p = params_2025()
    assert parse_header("GENERALE – INTERA STRUTTURA", p).whole
    h = parse_header("SETTORE TERRITORIO e SETTORE AMMINISTRATIVO / AREA SUE-SUAP-commercio e AREA INFORMATICA", p)
    assert h.names == ["SUE-SUAP-commercio", "INFORMATICA"]
    assert h.sectors == ["TERRITORIO", "AMMINISTRATIVO-FINANZIARIO"]
    assert parse_header("SETTORE SICUREZZA -CORPO POLIZIA LOCALE", p).names == ["CORPO POLIZIA LOCALE"]
    assert parse_header("SETTORE AMMINISTRATIVO-FINANZIARIO – AREA", p).names == []
    assert parse_header("SETTORE X / AREA POLITICHE GIOVANILI SPORT IN COLLABORAZIONE CON L’AREA CULTURA",
                        PlanParams()).names == ["POLITICHE GIOVANILI SPORT", "CULTURA"]
    assert area_key("CONTABILITA’ CONTROLLO DI GESTIONE TRIBUTI") == area_key("Contabilità controllo gestione tributi")
    assert file_part("Manutenzione ordinaria del territorio, dei servizi tecnologici e degli edifici comunali") \
        == "Manutenzione_ordinaria_del_territorio_dei_servizi"


def test_numeric_targets():
    assert numeric_target("almeno n.10") == 10
    assert numeric_target("n. 30 servizi") == 30
    assert numeric_target("Almeno n.32 vie su 45 (70%)") == 32
    assert numeric_target("Continua") is None
    assert numeric_target("minore o uguale a 0 n.1 azione") is None  # 0 is no target to divide by
