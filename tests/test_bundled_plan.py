"""The bundled 2025 plan: the published amounts reproduced to the cent, its real mistakes
found at their cells, and no error on the objectives that are consistent."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from conftest import SRC

from chiari_xl.api import check_plan

D = Decimal


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from conftest import SAMPLE
    import shutil

    folder = tmp_path_factory.mktemp("bundled")
    shutil.copyfile(SAMPLE, folder / SAMPLE.name)
    return check_plan(folder / SAMPLE.name, json_path=folder / "report.json")


def published():
    with open(SRC / "obiettivi_2025_tabella.csv", encoding="utf-8") as fh:
        return {int(r["n"]): D(r["importo_stanziato_2025"]) for r in csv.DictReader(fh)}


def test_all_27_published_amounts_reproduced_from_written_totals(result):
    df = result.table
    assert len(df) == 27
    got = dict(zip(df["n"], df["amount_from_written"]))
    assert got == published()


def test_published_table_loses_3_cents_to_rounding(result):
    f = next(f for f in result.findings if f.code == "somma-fondo-arrotondamento")
    assert (f.found, f.expected, f.euro_effect) == ("69.223,06 €", "69.223,09 €", D("0.03"))


def test_coefficient_mistake_of_objective_10(result):
    errors = [(f.code, f.objective, f.sheet, f.cell, f.found, f.expected) for f in result.findings
              if f.severity == "error"]
    # objective 10: 3 employees give 1,00 but 1,5 is written; it is the only rule broken
    assert errors == [("coeff-errato", 10, "Obiettivi", "M15", "1,50", "1,00")]
    f = next(f for f in result.findings if f.code == "coeff-errato")
    assert f.euro_effect == D("-394.45")


def test_recomputed_amounts_follow_the_rules(result):
    df = result.table.set_index("n")
    # Amm.-Fin. pool = 41.223,09 × 34/77; with objective 10 at 10 points the pool has 215 points
    pool = D("41223.09") * 34 / 77
    for n in (6, 7, 10, 13):
        assert df.loc[n, "amount_recomputed"] == (pool * 10 / 215).quantize(D("0.01"))
    # other pools are unchanged by the correction
    for n in range(14, 28):
        assert df.loc[n, "amount_recomputed"] == df.loc[n, "amount"]
    assert sum(df["amount_recomputed"]) <= D("69223.09")


def test_soft_evidence_is_flagged_as_warnings(result):
    warnings = {(f.code, f.objective) for f in result.findings if f.severity == "warning"}
    assert ("personale-diverso-da-n-dip", 27) in warnings  # "n.8 Agenti", N. dip. 10
    assert ("personale-diverso-da-n-dip", 8) in warnings  # "n.1 resp.+n.6 dipendenti", N. dip. 3
    assert ("personale-contato-diversamente", 9) in warnings  # same text as 8, counted 6
    assert ("coeff-regola-estesa", 11) in warnings and ("coeff-regola-estesa", 24) in warnings
    assert ("scheda-settore-diverso", 11) in warnings  # card: Territorio; table: Amm.-Fin.
    assert ("scheda-personale-diverso", 24) in warnings  # card: n.8 agenti; table: 10
    assert ("scheda-senza-numero", 16) in warnings
    assert ("scheda-tempi-diversi", 3) in warnings


def test_cards_that_contradict_themselves(result):
    """Read from the cards' own text; each one is a contradiction a reader finds in the card."""
    from chiari_xl.checks.card_text import KINDS

    codes = {k.code for k in KINDS}
    got = [(f.objective, f.code, f.cell, f.found, f.expected) for f in result.findings if f.code in codes]
    assert sorted(got) == [
        # the indicator controls 40 streets, its target counts them out of 45
        (5, "quantita-diverse-nell-indicatore", "F11", "Almeno n.32 vie su 45 (70%)",
         "Controlli di n. 40 strade del centro cittadino"),
        # regularise 50% of the installations found by the police; target: at least 60% of them
        (5, "quantita-diverse-nell-indicatore", "F12", "Almeno il 60% delle rilevazione effettuate dalla polizia locale",
         "Regolarizzazione tributaria del 50% degli impianti individuati dalla polizia locale"),
        # 80% of the weight on phases due in 2026 (30.11 and 31.12.2026), soglia 80%: 20% reachable in 2025
        (6, "peso-oltre-l-anno", "I13", "20%", "80%"),
        # the card says three years, the table 2025-2026
        (11, "durata-diversa-dagli-anni", "D33", "Triennale", "2025-2026"),
        # the description's evening patrols run in 2024; the card's tempi say 15/06-30/09/2025
        (24, "data-prima-dell-anno", "K78", "nel periodo ricompreso tra il 15/06/2024 ed il 31/12/2024",
         "Nel periodo ricompreso tra il 15/06/2025 ed il 30/09/2025"),
        # 100 drone controls as the target, at least 150 in the activity
        (26, "quantita-diverse-nell-indicatore", "G80", "minimo 150 controlli", "n. 100 controlli"),
    ]
    assert {f.severity for f in result.findings if f.code in codes} == {"warning"}


def test_no_error_on_consistent_objectives(result):
    assert {f.objective for f in result.findings if f.severity == "error"} == {10}


def test_json_report(result):
    import json

    data = json.loads(result.report_path.read_text(encoding="utf-8"))
    assert data["input"]["sha256"] == result.plan.sha256 and len(data["input"]["sha256"]) == 64
    o10 = next(o for o in data["objectives"] if o["n"] == 10)
    assert o10 == {**o10, "sector": "AMMINISTRATIVO-FINANZIARIO", "n_dip": 3, "peso": 10, "coeff": 1.5,
                   "total_coeff": 15, "amount_published": 1241.07, "amount_from_written": 1241.07,
                   "amount_recomputed": 846.62}
    keys = {"code", "severity", "objective", "sheet", "cell", "found", "expected", "euro_effect", "message"}
    assert all(set(f) == keys for f in data["findings"])
    assert any(f["objective"] is None for f in data["findings"])
