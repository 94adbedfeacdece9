"""The history: keyed by what was accepted; a refusal never blocks a later acceptance; idempotent;
a late month never wins; schema 1 migrated; two collections at once record a file once."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from decimal import Decimal as D

import openpyxl

from chiari_xl.progress import history
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.collect import collect
from chiari_xl.progress.indicators import plan_indicators
from chiari_xl.progress.office import DB_NAME
from chiari_xl.progress.run import make_sheets, report_month, run_collect
from chiari_xl.reading.files import sha256
from chiari_xl.reading.plan import read_plan

from test_progress_support import JULY, JUNE, MAY, fill, issue, sheet_for

GARE = {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 50}}


def test_history_records_and_recollecting_changes_nothing(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    gare = sheet_for(issue(sample_plan, JUNE, office, tmp_path / "giugno"), "Gare").path
    back = fill(gare, tmp_path / "r" / gare.name, {"10.1": {"stato": "Completato"}, "10.3": {"percentuale": 40}})
    first = run_collect(sample_plan, [back], JUNE, office)
    before = history.counts(office)
    again = run_collect(sample_plan, [back], JUNE, office)
    assert history.counts(office) == before == {"submissions": 1, "reported": 7, "refusals": 0}
    assert again.files[0].status == Outcome.ACCEPTED and not again.files[0].new
    assert [n.code for n in again.files[0].notices] == ["file-gia-raccolto"]
    assert [o.achievement for o in again.objectives] == [o.achievement for o in first.objectives]
    with closing(history.connect(office)) as con:
        rows = [r for r in history.accepted_rows(con, area_key="gare-contratti") if r["stato"] or r["percentuale"]]
    assert [(r["n"], r["k"], r["stato"], r["percentuale"]) for r in rows] == [(10, 1, "done", None),
                                                                                (10, 3, None, "40")]
    assert all(r["file_name"] == gare.name and r["file_sha256"] == sha256(back) and r["month"] == JUNE
               and r["collected_at"] and r["indicatore"] for r in rows)


def test_a_refusal_in_a_wrong_context_never_blocks_the_right_one(make_plan, table_2025, cards_2025, tmp_path):
    """The same bytes refused under another area's name, then against another plan, then accepted:
    its values are in the payout (objective 10: 1.241,07 € × 85 %)."""
    plan = make_plan("obiettivi_2025.xlsx", table_2025, cards_2025)
    revised_cards = [dict(c) for c in cards_2025]
    [c for c in revised_cards if c["n"] == 10][1]["peso_pct"] = D(40)  # indicator 10.2: 35 -> 40
    other = make_plan("obiettivi_2025_rivisto.xlsx", table_2025, revised_cards)
    office = tmp_path / "ufficio"
    sheets = issue(plan, JUNE, office, tmp_path / "giugno")
    back = fill(sheet_for(sheets, "Gare").path, tmp_path / "r" / sheet_for(sheets, "Gare").path.name, GARE)
    as_police = tmp_path / "x" / sheet_for(sheets, "Corpo polizia").path.name
    as_police.parent.mkdir()
    shutil.copyfile(back, as_police)
    assert run_collect(plan, [as_police], JUNE, office).files[0].status == Outcome.REFUSED
    wrong_plan = run_collect(other, [back], JUNE, office).files[0]
    assert wrong_plan.status == Outcome.REFUSED and "peso «35» → «40»" in wrong_plan.reason
    right = run_collect(plan, [back], JUNE, office, final=True)
    f = right.files[0]
    assert f.status == Outcome.ACCEPTED and f.new and not any(n.code == "file-gia-raccolto" for n in f.notices)
    assert {o.n: o.due for o in right.objectives}[10] == D("1054.91")
    with closing(history.connect(office)) as con:
        counted = [x for x in history.month_files(con, JUNE) if x["area_key"] == "gare-contratti"]
        subs = history.submissions(con)
    assert [(x["file_name"], x["counts"]) for x in counted] == [(back.name, True)]
    assert [s["status"] for s in subs] == ["refused", "refused", "accepted"]
    # collecting it once more changes nothing
    assert not run_collect(plan, [back], JUNE, office).files[0].new


def test_late_sheet_for_earlier_month_never_overwrites_later(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    may_sheets = issue(sample_plan, MAY, office, tmp_path / "maggio")
    june = sheet_for(issue(sample_plan, JUNE, office, tmp_path / "giugno"), "Corpo polizia").path
    june_back = fill(june, tmp_path / "r6" / june.name, {"24.1": {"quantita": 27}})
    run_collect(sample_plan, [june_back], JUNE, office)
    may = sheet_for(may_sheets, "Corpo polizia").path
    may_back = fill(may, tmp_path / "r5" / may.name, {"24.1": {"quantita": 12}})
    # sent with June's batch: refused as May's, with the hint; then collected for May
    wrong = run_collect(sample_plan, [may_back], JUNE, office)
    assert wrong.files[0].status == Outcome.REFUSED and "--mese 2025-05" in wrong.files[0].reason
    late = run_collect(sample_plan, [may_back], MAY, office)
    assert late.files[0].status == Outcome.ACCEPTED
    assert {o.n: o.achievement for o in late.objectives}[24] == 40  # 12/30 as of May
    june_view = report_month(sample_plan, JUNE, office, final=True)
    o24 = {o.n: o for o in june_view.objectives}[24]
    assert o24.achievement == 90 and o24.due == D("3496.06")  # 3.884,51 × 27/30 = 3.496,059
    with closing(history.connect(office)) as con:
        pi = plan_indicators(read_plan(sample_plan))
        latest = history.as_of(con, JUNE, pi.indicators).current["corpo-polizia-locale"]
        assert latest[(24, 1)]["month"] == JUNE
        assert [(r["month"], r["quantita"]) for r in history.accepted_rows(con, "corpo-polizia-locale")
                if r["n"] == 24] == [(MAY, "12"), (JUNE, "27")]
    # the trend shows both months
    ws = openpyxl.load_workbook(june_view.output, data_only=True)["Andamento"]
    assert [c.value for c in ws[3]][3:5] == ["maggio 2025", "giugno 2025"]
    row24 = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == 24)
    assert row24[3:5] == (40, 90)


def test_newer_file_for_the_same_month_replaces_the_older(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    gare = sheet_for(issue(sample_plan, JUNE, office, tmp_path / "giugno"), "Gare").path
    v1 = fill(gare, tmp_path / "a" / gare.name, {"10.3": {"percentuale": 40}, "10.1": {"stato": "Completato"}})
    v2 = fill(gare, tmp_path / "b" / gare.name, {"10.3": {"percentuale": 70}})
    run_collect(sample_plan, [v1], JUNE, office)
    out = run_collect(sample_plan, [v2], JUNE, office)
    # 10.1 was cleared in the newer file: a blank is a report too
    assert {o.n: o.achievement for o in out.objectives}[10] == 21  # 30 × 70%
    with closing(history.connect(office)) as con:
        files = [x for x in history.month_files(con, JUNE) if x["area_key"] == "gare-contratti"]
    assert [x["counts"] for x in files] == [False, True] and "sostituito da" in files[0]["why"]
    # collecting the older one again does not bring it back
    again = run_collect(sample_plan, [v1], JUNE, office)
    assert {o.n: o.achievement for o in again.objectives}[10] == 21


_SCHEMA_1 = """
CREATE TABLE files (sha256 TEXT NOT NULL, collect_month TEXT NOT NULL, file_name TEXT NOT NULL, plan_sha256 TEXT,
    area_key TEXT, area_name TEXT, month TEXT, collected_at TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (sha256, collect_month));
CREATE TABLE accepted (id INTEGER PRIMARY KEY AUTOINCREMENT, file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
    plan_sha256 TEXT NOT NULL, area_key TEXT NOT NULL, month TEXT NOT NULL, n INTEGER NOT NULL, k INTEGER NOT NULL,
    stato TEXT, quantita TEXT, percentuale TEXT, nota TEXT, collected_at TEXT NOT NULL,
    UNIQUE (file_sha256, area_key, month, n, k));
CREATE TABLE rejected (id INTEGER PRIMARY KEY AUTOINCREMENT, file_sha256 TEXT NOT NULL, collect_month TEXT NOT NULL,
    file_name TEXT NOT NULL, area_key TEXT, month TEXT, cell TEXT NOT NULL, value TEXT, reason TEXT NOT NULL,
    collected_at TEXT NOT NULL, UNIQUE (file_sha256, collect_month, cell, reason));
CREATE INDEX accepted_by_area ON accepted (plan_sha256, area_key, month);
"""


def test_a_schema_1_history_is_migrated_and_unblocks_the_poisoned_file(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    sheets = issue(sample_plan, JUNE, office, tmp_path / "giugno")
    back = fill(sheet_for(sheets, "Gare").path, tmp_path / "r" / sheet_for(sheets, "Gare").path.name, GARE)
    (office / DB_NAME).unlink()
    with closing(sqlite3.connect(office / DB_NAME)) as con, con:
        con.executescript(_SCHEMA_1)
        t = "2025-06-02T09:00:00"
        con.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)",
                    ("aaa", MAY, "Monitoraggio_2025-05_Gare_E_Contratti.xlsx", "p1", "gare-contratti",
                     "Gare e contratti", MAY, t, "accettato"))
        for n, k, stato, pct in ((10, 1, "Completato", None), (10, 3, None, "40")):
            con.execute("INSERT INTO accepted (file_sha256, file_name, plan_sha256, area_key, month, n, k, stato,"
                        " percentuale, collected_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        ("aaa", "x.xlsx", "p1", "gare-contratti", MAY, n, k, stato, pct, t))
        # the June file refused once against another plan: in schema 1 it stayed refused for good
        con.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)",
                    (sha256(back), JUNE, back.name, "p0", "gare-contratti", "Gare e contratti", JUNE, t, "rifiutato"))
        con.execute("INSERT INTO rejected (file_sha256, collect_month, file_name, cell, reason, collected_at)"
                    " VALUES (?,?,?,?,?,?)", (sha256(back), JUNE, back.name, "(file)", "Foglio emesso per un altro piano", t))
    may = report_month(sample_plan, MAY, office)  # connecting migrates
    assert (office / "chiari-xl-monitoraggio.schema1.sqlite").exists()
    with closing(history.connect(office)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 2
        subs = history.submissions(con)
    assert [(s["status"], s["reason"]) for s in subs] == [("accepted", ""), ("refused", "Foglio emesso per un altro piano")]
    assert {o.n: o.achievement for o in may.objectives}[10] == 35 + 30 * D("0.4")  # kept, matched by position
    june = run_collect(sample_plan, [back], JUNE, office)
    assert june.files[0].status == Outcome.ACCEPTED and june.files[0].new
    assert {o.n: o.achievement for o in june.objectives}[10] == 85


def test_two_collections_at_once_record_a_file_once(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    sheets = issue(sample_plan, JUNE, office, tmp_path / "giugno")
    back = fill(sheet_for(sheets, "Gare").path, tmp_path / "r" / sheet_for(sheets, "Gare").path.name, GARE)
    pi = plan_indicators(read_plan(sample_plan))
    results = []
    threads = [threading.Thread(target=lambda: results.extend(collect(pi, [back], JUNE, office))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.new for r in results) == [False, False, False, True]
    assert history.counts(office)["submissions"] == 1


def test_make_sheets_twice_for_the_same_month_only_rewrites_what_changed(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    first = make_sheets(sample_plan, JULY, tmp_path / "luglio", office, only_changed=True)
    assert len(first.written) == 18
    again = make_sheets(sample_plan, JULY, tmp_path / "luglio", office, only_changed=True)
    assert again.written == [] and len(again.unchanged) == 18
    june = sheet_for(issue(sample_plan, JUNE, office, tmp_path / "giugno"), "Gare").path
    run_collect(sample_plan, [fill(june, tmp_path / "r" / june.name, GARE)], JUNE, office)  # a late June
    late = make_sheets(sample_plan, JULY, tmp_path / "luglio", office, only_changed=True)
    assert [r.path.name for r in late.written] == ["Monitoraggio_2025-07_Gare_e_Contratti (2).xlsx"]
