"""Areas from the card headers: the rule of chiari_xl.progress.areas on the bundled plan and on its own."""

from __future__ import annotations

import re

from chiari_xl.model.params import PlanParams
from chiari_xl.progress.areas import area_key, file_part, parse_header
from chiari_xl.progress.indicators import numeric_target, plan_indicators
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
    parts = [a.file_part for a in pi.area_map.areas.values()]
    assert len(set(parts)) == len(parts)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,50}", p) for p in parts)


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
        == "Manutenzione_Ordinaria_Del_Territorio_Dei_Servizi"


def test_numeric_targets():
    assert numeric_target("almeno n.10") == 10
    assert numeric_target("n. 30 servizi") == 30
    assert numeric_target("Almeno n.32 vie su 45 (70%)") == 32
    assert numeric_target("Continua") is None
    assert numeric_target("minore o uguale a 0 n.1 azione") is None  # 0 is no target to divide by
