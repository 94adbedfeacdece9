"""The year end on the bundled sample: every objective's amount due reaches its people to the
cent, card 3 by the bands within 18.000 €, card 4 two thirds to Polizia Locale; the payroll
file, the JSON, the transparency tables (no personal data), and the handling of personal data."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, SAMPLE

from chiari_xl.errors import OutputError
from chiari_xl.reading.files import sha256
from chiari_xl.yearend.run import run_payout

STAFF = ROOT / "workbooks" / "personale_2025_esempio.xlsx"
CENT = D("0.01")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("liquidazione")
    plan, staff = folder / SAMPLE.name, folder / STAFF.name
    shutil.copyfile(SAMPLE, plan)
    shutil.copyfile(STAFF, staff)
    out = run_payout(plan, staff, json_path=folder / "resoconto.json")
    return out, plan, staff


def _events_as_written(staff: Path) -> list[tuple]:
    """The sample's events sheet read with openpyxl, independently of the library's reader."""
    ws = openpyxl.load_workbook(staff, data_only=True)["Presenze eventi"]
    return [(r[2], D(str(r[4])), r[6]) for r in ws.iter_rows(min_row=4, values_only=True) if r[2]]


def _band(hours: D, night: str) -> D:
    """Card 3 by hand: 40 € up to 2 h, 60 up to 4, 80 up to 6, 100 up to 8, 140 up to 10; +15% night/holiday."""
    amount = next(a for h, a in ((2, 40), (4, 60), (6, 80), (8, 100), (10, 140), (99, 140)) if hours <= h)
    return (D(amount) * (D("1.15") if night == "Sì" else 1)).quantize(CENT, ROUND_HALF_UP)


def test_every_objective_is_paid_to_the_cent_among_its_people(sample):
    out, _plan, _staff = sample
    report = out.report
    by_n = defaultdict(lambda: D(0))
    for e in report["employees"]:
        assert D(str(e["total"])) == sum((D(str(s["amount"])) for s in e["shares"]), D(0))
        for s in e["shares"]:
            by_n[s["n"]] += D(str(s["amount"]))
    for o in report["objectives"]:
        paid = D(str(o["paid"]))
        assert by_n[o["n"]] == paid, o["n"]
        assert paid + D(str(o["savings"])) == D(str(o["amount_allocated"])), o["n"]
        if o["rule"] != "a presenze agli eventi" and o["participants"]:
            assert paid == D(str(o["amount_due"])), o["n"]   # every cent due reaches someone
    t = {k: D(str(v)) for k, v in report["totals"].items()}
    assert t["allocated"] == D("69223.06")                  # the 27 published amounts
    assert t["paid"] + t["savings"] == t["allocated"]
    assert t["fund"] == D("91223.09")


def test_rule_5_by_hand(sample):
    out, *_ = sample
    due = {o["n"]: D(str(o["amount_due"])) for o in out.report["objectives"]}
    assert due[24] == D("3625.41")   # 3.884,51 × 93,33% = 3.625,4131
    assert due[10] == D("1054.91")   # 1.241,07 × 85%  = 1.054,9095
    assert due[13] == D("0.00")      # 90% < soglia 100%
    assert due[26] == D("0.00")      # 80% < soglia 90%
    assert due[1] == D("4137.93")    # 100%


def test_card_3_by_the_bands_within_18000(sample):
    out, _plan, staff = sample
    written = _events_as_written(staff)
    value = sum((_band(h, night) for _m, h, night in written), D(0))
    ev = out.report["events"]
    assert D(str(ev["value_by_bands"])) == value > D("18000.00")
    assert D(str(ev["paid"])) == D("18000.00") and ev["scaled"]
    o3 = next(o for o in out.report["objectives"] if o["n"] == 3)
    assert D(str(o3["paid"])) == D("18000.00") and D(str(o3["savings"])) == 0
    ledger = out.payout.ledger
    assert all(r.paid <= r.band for r in ledger.rows)
    # pro rata: every attendance paid ≈ band × 18.000 / value, within one cent
    for r in ledger.rows:
        assert abs(r.paid - r.band * D("18000") / value) < CENT
    assert "presenze-oltre-stanziamento" in {f.code for f in out.findings}


def test_card_4_two_thirds_to_polizia_locale(sample):
    out, *_ = sample
    groups = {g["group"]: g for g in out.report["groups"] if g["n"] == 4}
    due4 = next(D(str(o["amount_due"])) for o in out.report["objectives"] if o["n"] == 4)
    pl, others = D(str(groups["Polizia Locale"]["paid"])), D(str(groups["Altre aree"]["paid"]))
    assert pl + others == due4 == D("2068.97")
    assert abs(pl - due4 * 2 / 3) < CENT and abs(others - due4 / 3) < CENT
    pl_people = [e for e in out.report["employees"] if e["area"] == "Corpo Polizia Locale"
                 and any(s["n"] == 4 for s in e["shares"])]
    assert len(pl_people) == groups["Polizia Locale"]["people"] == 2
    assert sum(D(str(s["amount"])) for e in pl_people for s in e["shares"] if s["n"] == 4) == pl


def test_intended_findings_of_the_sample(sample):
    out, *_ = sample
    assert sorted((f.code, f.objective) for f in out.findings if f.severity != "info") == [
        ("area-non-dell-obiettivo", 22), ("partecipanti-diversi-da-n-dip", 27), ("presenze-oltre-stanziamento", 3)]
    assert not out.has_errors


def test_payroll_file(sample):
    out, *_ = sample
    with open(out.payroll, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == ["matricola", "importo", "voce"]
    people = {e["matricola"]: D(str(e["total"])) for e in out.report["employees"]}
    assert {r[0]: D(r[1].replace(",", ".")) for r in rows[1:]} == {m: t for m, t in people.items() if t > 0}
    assert all(re.fullmatch(r"\d+,\d\d", r[1]) for r in rows[1:])
    assert {r[2] for r in rows[1:]} == {"Premio performance organizzativa 2025"}
    assert sum(D(r[1].replace(",", ".")) for r in rows[1:]) == D(str(out.report["totals"]["paid"]))


def test_json_has_the_fields_the_issue_lists(sample):
    out, plan, staff = sample
    data = json.loads(out.json_path.read_text(encoding="utf-8"))
    assert data["riservato"] is True
    e = data["employees"][0]
    assert {"matricola", "name", "area", "total", "shares"} <= e.keys()
    assert {"n", "amount"} <= e["shares"][0].keys()
    assert {"n", "amount_due", "paid", "savings"} <= data["objectives"][0].keys()
    assert {"fund", "allocated", "due", "paid", "savings"} <= data["totals"].keys()
    assert data["staff"]["sha256"] == sha256(staff) and data["plan"]["sha256"] == sha256(plan)


def test_transparency_files_hold_no_personal_data(sample):
    out, _plan, staff = sample
    ws = openpyxl.load_workbook(staff)["Personale"]
    people = [(str(r[0]), r[1]) for r in ws.iter_rows(min_row=6, values_only=True) if r[0]]
    assert len(people) == 77
    xlsx, csv_path = out.transparency
    assert xlsx.name == "Dati_relativi_ai_premi_2025.xlsx" and csv_path.name == "Dati_relativi_ai_premi_2025.csv"
    assert xlsx.parent == out.output.parent
    texts = [csv_path.read_text(encoding="utf-8")]
    wb = openpyxl.load_workbook(xlsx)
    texts += [str(c.value) for s in wb.worksheets for row in s.iter_rows() for c in row if c.value is not None]
    texts += [str(v) for v in vars(wb.properties).values() if v]
    blob = "\n".join(texts)
    tokens = set(re.findall(r"[\w']+", blob))
    for matricola, name in people:
        assert matricola not in tokens, matricola
        assert name not in blob, name
        assert not any(part in tokens for part in name.split() if part[0].isupper() and part not in
                       {"Premi", "Dipendenti"}), name
    # and what it does hold: the totals the law asks for
    rows = {r[1]: r[2] for r in csv.reader(csv_path.open(encoding="utf-8"), delimiter=";")}
    assert rows["Premi effettivamente distribuiti"] == f"{out.report['totals']['paid']:.2f}".replace(".", ",")
    assert rows["Dipendenti considerati"] == "77"


def test_per_employee_outputs_say_riservato(sample):
    out, *_ = sample
    wb = openpyxl.load_workbook(out.output)
    for ws in wb.worksheets:
        assert "RISERVATO" in ws.oddHeader.left.text, ws.title
    assert "RISERVATO" in wb["Riepilogo"]["A2"].value


def test_inputs_untouched_and_nothing_overwritten(sample, tmp_path):
    out, plan, staff = sample
    before = sha256(plan), sha256(staff)
    again = run_payout(plan, staff, output=out.output)
    assert again.output.name == "Liquidazione_2025 (2).xlsx"
    assert again.payroll.name == "Cedolini (2).csv"
    assert (sha256(plan), sha256(staff)) == before
    assert again.report["totals"] == out.report["totals"]


def test_never_written_into_a_shared_drop_folder_unless_asked(tmp_path):
    for sub in ("in", "out", "archivio", "scartati"):
        (tmp_path / sub).mkdir()
    staff = tmp_path / "out" / STAFF.name
    shutil.copyfile(STAFF, staff)
    shutil.copyfile(SAMPLE, tmp_path / SAMPLE.name)
    with pytest.raises(OutputError, match="cartella condivisa"):
        run_payout(tmp_path / SAMPLE.name, staff)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [STAFF.name]
    asked = run_payout(tmp_path / SAMPLE.name, staff, output=tmp_path / "out" / "Liquidazione.xlsx")
    assert asked.output.parent == tmp_path / "out"
