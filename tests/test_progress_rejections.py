"""Every way a returned sheet is refused, whole or cell by cell, and that nothing accepted is lost."""

from __future__ import annotations

import json
import shutil
from contextlib import closing

import openpyxl
import pytest
from click.testing import CliRunner

from chiari_xl.cli import main
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_support import fill, rows_of, sheet_for

MONTH = "2025-06"
GARE = {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 50}}


@pytest.fixture
def setup(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    (tmp_path / "fogli").mkdir()
    sheets = make_sheets(sample_plan, MONTH, tmp_path / "fogli", office)
    gare = sheet_for(sheets, "Gare")
    filled = fill(gare.path, tmp_path / "restituiti" / gare.path.name, GARE)
    return sample_plan, office, sheets, filled


def _edit(src, dst, action):
    wb = openpyxl.load_workbook(src)
    action(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def test_locked_cell_changed_refuses_the_whole_file(setup, tmp_path):
    plan, office, sheets, filled = setup
    r = rows_of(filled)["10.3"]
    bad = _edit(filled, tmp_path / "x" / filled.name, lambda wb: wb[L.SHEET].__setitem__(f"F{r}", 60))
    out = run_collect(plan, [bad], MONTH, office)
    f = out.files[0]
    assert f.status == "rifiutato" and "Celle protette modificate (1)" in f.reason
    assert f.rejections == [{"cell": f"Monitoraggio!F{r}", "value": "60",
                             "reason": "Cella protetta modificata: atteso «30»."}]
    assert f.values == [] and out.code == 1
    assert {o.n: o.achievement for o in out.objectives}[10] == 0  # nothing of it was taken


def test_unprotected_and_edited_is_refused_but_unprotected_alone_is_not(setup, tmp_path):
    plan, office, sheets, filled = setup
    r = rows_of(filled)["10.1"]

    def tamper(wb):
        wb[L.SHEET].protection.sheet = False
        wb[L.SHEET][f"C{r}"] = "Indicatore riscritto"
    bad = _edit(filled, tmp_path / "x" / filled.name, tamper)
    harmless = _edit(filled, tmp_path / "y" / filled.name,
                     lambda wb: setattr(wb[L.SHEET].protection, "sheet", False))
    out = run_collect(plan, [bad, harmless], MONTH, office)
    assert out.files[0].status == "rifiutato"
    assert out.files[0].rejections[0]["cell"] == f"Monitoraggio!C{r}"
    assert out.files[1].status == "accettato"
    assert any("protezione del foglio è stata tolta" in n for n in out.files[1].notes)


def test_forged_hidden_metadata_breaks_the_signature(setup, tmp_path):
    plan, office, sheets, filled = setup

    def forge(wb):
        ws = wb[L.SIGNATURE]
        for row in ws.iter_rows():
            if row[0].value == "area_key":
                row[1].value = "corpo-polizia-locale"
    bad = _edit(filled, tmp_path / "x" / filled.name, forge)
    f = run_collect(plan, [bad], MONTH, office).files[0]
    assert f.status == "rifiutato" and f.reason.startswith("Firma non valida")


def test_another_areas_file_renamed(setup, tmp_path):
    plan, office, sheets, filled = setup
    polizia_name = sheet_for(sheets, "Corpo polizia").path.name
    renamed = tmp_path / "x" / polizia_name
    renamed.parent.mkdir()
    shutil.copy(filled, renamed)
    f = run_collect(plan, [renamed], MONTH, office).files[0]
    assert f.status == "rifiutato"
    assert "Corpo_Polizia_Locale" in f.reason and "Gare e contratti" in f.reason


def test_wrong_month_and_other_plan(setup, tmp_path):
    plan, office, sheets, filled = setup
    (tmp_path / "maggio").mkdir()
    may = sheet_for(make_sheets(plan, "2025-05", tmp_path / "maggio", office), "Gare").path
    other_plan = tmp_path / "altro" / plan.name
    other_plan.parent.mkdir()
    openpyxl.load_workbook(plan).save(other_plan)  # same content, another file: another sha256
    (tmp_path / "altri").mkdir()
    foreign = sheet_for(make_sheets(other_plan, MONTH, tmp_path / "altri", office), "Gare").path
    out = run_collect(plan, [may, foreign], MONTH, office)
    assert [f.status for f in out.files] == ["rifiutato", "rifiutato"]
    assert "maggio 2025" in out.files[0].reason and "--month 2025-05" in out.files[0].reason
    assert "altro piano" in out.files[1].reason


def test_out_of_range_cells_refused_alone(setup, tmp_path):
    plan, office, sheets, filled = setup
    rows = rows_of(filled)
    ws_rows = {"10.1": rows["10.1"], "10.2": rows["10.2"], "10.3": rows["10.3"], "1.1": rows["1.1"]}

    def bad_values(wb):
        ws = wb[L.SHEET]
        ws[f"J{ws_rows['10.2']}"] = 150          # % over 100
        ws[f"I{ws_rows['1.1']}"] = -3            # negative quantity
        ws[f"H{ws_rows['1.1']}"] = "Finito"      # not a state of the list
        ws[f"K{ws_rows['10.3']}"] = "=1+1"       # formula in an input
        ws["P3"] = "scritto fuori"               # outside the input cells
    bad = _edit(filled, tmp_path / "x" / filled.name, bad_values)
    out = run_collect(plan, [bad], MONTH, office, json_path=tmp_path / "r.json")
    f = out.files[0]
    assert f.status == "accettato in parte" and out.code == 1
    cells = {c["cell"]: c["reason"] for c in f.rejections}
    assert set(cells) == {f"Monitoraggio!J{ws_rows['10.2']}", f"Monitoraggio!I{ws_rows['1.1']}",
                          f"Monitoraggio!H{ws_rows['1.1']}", f"Monitoraggio!K{ws_rows['10.3']}", "Monitoraggio!P3"}
    assert "oltre 100" in cells[f"Monitoraggio!J{ws_rows['10.2']}"]
    assert "negativo" in cells[f"Monitoraggio!I{ws_rows['1.1']}"]
    assert "non è uno stato ammesso" in cells[f"Monitoraggio!H{ws_rows['1.1']}"]
    assert "formula non ammessa" in cells[f"Monitoraggio!K{ws_rows['10.3']}"]
    # the good cells of the same file are kept: 10.1 Completato, 10.3 at 50%
    got = {(v["n"], v["k"]): v for v in f.values}
    assert got[(10, 1)]["stato"] == "Completato" and got[(10, 3)]["percentuale"] == 50
    assert (10, 2) not in got
    ach = {o.n: o.achievement for o in out.objectives}[10]
    assert ach == 35 + 15  # 10.2 refused: counts 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["accepted"][0]["status"] == "accettato in parte"
    assert len(report["rejected"][0]["cells"]) == 5 and not report["rejected"][0]["whole_file"]
    with closing(history.connect(office)) as con:
        stored = history.rejected_rows(con, MONTH)
    assert len(stored) == 5  # no refusal is dropped silently
    kinds = [x["tipo"] for x in out.findings]
    assert kinds.count("Cella rifiutata") == 5


def test_same_file_twice(setup, tmp_path):
    plan, office, sheets, filled = setup
    copy = tmp_path / "copia" / "Monitoraggio_2025-06_Gare_E_Contratti (2).xlsx"
    copy.parent.mkdir()
    shutil.copy(filled, copy)
    out = run_collect(plan, [filled, copy], MONTH, office)
    assert out.files[0].status == "accettato"
    assert out.files[1].status == "rifiutato" and "Stesso file" in out.files[1].reason
    assert out.code == 1
    assert history.counts(office)["accepted"] == 3  # counted once


def test_nothing_readable_exits_2(setup, tmp_path):
    plan, office, sheets, filled = setup
    junk = tmp_path / "Monitoraggio_2025-06_Gare_E_Contratti.xlsx"
    junk.write_bytes(b"non sono un file excel")
    r = CliRunner().invoke(main, ["collect", str(plan), str(junk), "--month", MONTH, "--office-dir", str(office)])
    assert r.exit_code == 2, r.output
    assert "illeggibile" in r.output
    r1 = CliRunner().invoke(main, ["collect", str(plan), str(junk), str(filled), "--month", MONTH,
                                   "--office-dir", str(office)])
    assert r1.exit_code == 1
