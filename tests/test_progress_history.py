"""The history: what was accepted, when, from which file; idempotent; a late month never wins."""

from __future__ import annotations

from contextlib import closing
from decimal import Decimal as D

import openpyxl

from chiari_xl.reading.files import sha256
from chiari_xl.progress import history
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_support import fill, sheet_for

JUNE, MAY = "2025-06", "2025-05"


def _issue(plan, office, folder, month):
    folder.mkdir(parents=True, exist_ok=True)
    return make_sheets(plan, month, folder, office)


def test_history_records_and_recollecting_changes_nothing(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    gare = sheet_for(_issue(sample_plan, office, tmp_path / "giugno", JUNE), "Gare").path
    back = fill(gare, tmp_path / "r" / gare.name, {"10.1": {"stato": "Completato"}, "10.3": {"percentuale": 40}})
    first = run_collect(sample_plan, [back], JUNE, office)
    before = history.counts(office)
    again = run_collect(sample_plan, [back], JUNE, office)
    assert history.counts(office) == before == {"files": 1, "accepted": 2, "rejected": 0}
    assert again.files[0].status == "accettato" and not again.files[0].new
    assert [o.due for o in again.objectives] == [o.due for o in first.objectives]
    with closing(history.connect(office)) as con:
        rows = history.accepted_rows(con, area_key="gare-contratti")
    assert [(r["n"], r["k"], r["stato"], r["percentuale"]) for r in rows] == [(10, 1, "Completato", None),
                                                                                (10, 3, None, "40")]
    assert all(r["file_name"] == gare.name and r["file_sha256"] == sha256(back) and r["month"] == JUNE
               and r["collected_at"] for r in rows)


def test_late_sheet_for_earlier_month_never_overwrites_later(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    may_sheets = _issue(sample_plan, office, tmp_path / "maggio", MAY)
    june = sheet_for(_issue(sample_plan, office, tmp_path / "giugno", JUNE), "Corpo polizia").path
    june_back = fill(june, tmp_path / "r6" / june.name, {"24.1": {"quantita": 27}})
    run_collect(sample_plan, [june_back], JUNE, office)
    may = sheet_for(may_sheets, "Corpo polizia").path
    may_back = fill(may, tmp_path / "r5" / may.name, {"24.1": {"quantita": 12}})
    # sent with June's batch: refused as May's, with the hint; then collected for May
    wrong = run_collect(sample_plan, [may_back], JUNE, office)
    assert wrong.files[0].status == "rifiutato" and "--month 2025-05" in wrong.files[0].reason
    late = run_collect(sample_plan, [may_back], MAY, office)
    assert late.files[0].status == "accettato"
    assert {o.n: o.achievement for o in late.objectives}[24] == 40  # 12/30 as of May
    june_view = run_collect(sample_plan, [], JUNE, office)
    o24 = {o.n: o for o in june_view.objectives}[24]
    assert o24.achievement == 90 and o24.due == D("3496.06")  # 3.884,51 × 27/30 = 3.496,059
    with closing(history.connect(office)) as con:
        latest = history.as_of(con, june_view.report["plan_sha256"], JUNE)["corpo-polizia-locale"]
        assert latest[(24, 1)]["month"] == JUNE
        assert [(r["month"], r["quantita"]) for r in history.accepted_rows(con, "corpo-polizia-locale")] == \
            [(MAY, "12"), (JUNE, "27")]
    # the trend shows both months
    ws = openpyxl.load_workbook(june_view.output, data_only=True)["Andamento"]
    assert [c.value for c in ws[3]][3:5] == ["maggio 2025", "giugno 2025"]
    row24 = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == 24)
    assert row24[3:5] == (40, 90)


def test_newer_file_for_the_same_month_replaces_the_older(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    gare = sheet_for(_issue(sample_plan, office, tmp_path / "giugno", JUNE), "Gare").path
    v1 = fill(gare, tmp_path / "a" / gare.name, {"10.3": {"percentuale": 40}})
    v2 = fill(gare, tmp_path / "b" / gare.name, {"10.3": {"percentuale": 70}})
    run_collect(sample_plan, [v1], JUNE, office)
    out = run_collect(sample_plan, [v2], JUNE, office)
    assert {o.n: o.achievement for o in out.objectives}[10] == 21  # 30 × 70%
    assert history.counts(office)["accepted"] == 2  # the first value is kept in the history
