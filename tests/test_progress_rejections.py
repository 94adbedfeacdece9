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
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.run import make_sheets, run_collect

from test_progress_support import JUNE as MONTH
from test_progress_support import fill, rows_of, sheet_for

GARE = {"10.1": {"stato": "Completato"}, "10.2": {"percentuale": 100}, "10.3": {"percentuale": 50}}


@pytest.fixture
def setup(sample_plan, tmp_path):
    office = tmp_path / "ufficio"
    sheets = make_sheets(sample_plan, MONTH, tmp_path / "fogli", office).written
    gare = sheet_for(sheets, "Gare")
    filled = fill(gare.path, tmp_path / "restituiti" / gare.path.name, GARE)
    return sample_plan, office, sheets, filled


def _edit(src, dst, action):
    wb = openpyxl.load_workbook(src)
    action(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def _codes(f) -> list[str]:
    return [n.code for n in f.notices]


def test_locked_cell_changed_refuses_the_whole_file(setup, tmp_path):
    plan, office, sheets, filled = setup
    r = rows_of(filled)["10.3"]
    at = L.cell(r, "peso")
    bad = _edit(filled, tmp_path / "x" / filled.name, lambda wb: wb[L.SHEET].__setitem__(at, 60))
    out = run_collect(plan, [bad], MONTH, office)
    f = out.files[0]
    assert f.status == Outcome.REFUSED and "Celle protette modificate (1)" in f.reason
    assert _codes(f) == ["celle-protette-modificate", "cella-protetta-modificata"]
    cell = f.notices[1].finding
    assert (cell.cell, cell.found, cell.expected) == (at, "60", "30")
    assert f.values == [] and out.code == 1
    assert {o.n: o.achievement for o in out.objectives}[10] == 0  # nothing of it was taken


def test_unprotected_and_edited_is_refused_but_unprotected_alone_is_not(setup, tmp_path):
    plan, office, sheets, filled = setup
    r = rows_of(filled)["10.1"]

    def tamper(wb):
        wb[L.SHEET].protection.sheet = False
        wb[L.SHEET][L.cell(r, "indicatore")] = "Indicatore riscritto"
    bad = _edit(filled, tmp_path / "x" / filled.name, tamper)
    harmless = _edit(filled, tmp_path / "y" / filled.name,
                     lambda wb: setattr(wb[L.SHEET].protection, "sheet", False))
    out = run_collect(plan, [bad, harmless], MONTH, office)
    assert out.files[0].status == Outcome.REFUSED
    assert out.files[0].notices[1].finding.cell == L.cell(r, "indicatore")
    assert out.files[1].status == Outcome.ACCEPTED
    assert "protezione-tolta" in _codes(out.files[1])


def test_forged_hidden_metadata_breaks_the_signature(setup, tmp_path):
    plan, office, sheets, filled = setup

    def forge(wb):
        for row in wb[L.SIGNATURE].iter_rows():
            if row[0].value == "area_key":
                row[1].value = "corpo-polizia-locale"
    bad = _edit(filled, tmp_path / "x" / filled.name, forge)
    f = run_collect(plan, [bad], MONTH, office).files[0]
    assert f.status == Outcome.REFUSED and f.reason.startswith("Firma non valida")


def test_another_areas_file_renamed(setup, tmp_path):
    plan, office, sheets, filled = setup
    renamed = tmp_path / "x" / sheet_for(sheets, "Corpo polizia").path.name
    renamed.parent.mkdir()
    shutil.copy(filled, renamed)
    f = run_collect(plan, [renamed], MONTH, office).files[0]
    assert f.status == Outcome.REFUSED and _codes(f) == ["nome-altra-area"]
    assert "Corpo_Polizia_Locale" in f.reason and "Gare e Contratti" in f.reason


def test_a_renamed_copy_of_the_same_area_is_fine(setup, tmp_path):
    """Case and a "(2)" added by a mail program do not change which area a name claims."""
    plan, office, sheets, filled = setup
    renamed = tmp_path / "x" / "Monitoraggio_2025-06_GARE_E_CONTRATTI (2).xlsx"
    renamed.parent.mkdir()
    shutil.copy(filled, renamed)
    assert run_collect(plan, [renamed], MONTH, office).files[0].status == Outcome.ACCEPTED


def test_wrong_month(setup, tmp_path):
    plan, office, sheets, filled = setup
    may = sheet_for(make_sheets(plan, "2025-05", tmp_path / "maggio", office).written, "Gare").path
    out = run_collect(plan, [may], MONTH, office)
    assert out.files[0].status == Outcome.REFUSED
    assert "maggio 2025" in out.files[0].reason and "--mese 2025-05" in out.files[0].reason


def test_out_of_range_cells_refused_alone(setup, tmp_path):
    plan, office, sheets, filled = setup
    rows = rows_of(filled)

    def bad_values(wb):
        ws = wb[L.SHEET]
        ws[L.cell(rows["10.2"], "percentuale")] = 150          # % over 100
        ws[L.cell(rows["7.1"], "quantita")] = -3               # negative quantity
        ws[L.cell(rows["7.2"], "stato")] = "Finito"            # not a state of the list
        ws[L.cell(rows["10.3"], "nota")] = "=1+1"              # formula in an input
        ws["P3"] = "scritto fuori"                             # outside the input cells
    bad = _edit(filled, tmp_path / "x" / filled.name, bad_values)
    out = run_collect(plan, [bad], MONTH, office, json_path=tmp_path / "r.json")
    f = out.files[0]
    assert f.status == Outcome.PARTIAL and out.code == 1
    cells = {n.finding.cell: n.message for n in f.cell_notices}
    assert set(cells) == {L.cell(rows["10.2"], "percentuale"), L.cell(rows["7.1"], "quantita"),
                          L.cell(rows["7.2"], "stato"), L.cell(rows["10.3"], "nota"), "P3"}
    assert "oltre 100" in cells[L.cell(rows["10.2"], "percentuale")]
    assert "negativo" in cells[L.cell(rows["7.1"], "quantita")]
    assert "non è uno stato ammesso" in cells[L.cell(rows["7.2"], "stato")]
    assert "formula non ammessa" in cells[L.cell(rows["10.3"], "nota")]
    assert "ignorato" in cells["P3"]
    # the good rows of the same file are kept: 10.1 Completato; a row with a refused cell is not taken
    got = {(v["n"], v["k"]): v for v in f.values}
    assert got[(10, 1)]["stato"].label == "Completato"
    assert (10, 2) not in got and (10, 3) not in got
    assert {o.n: o.achievement for o in out.objectives}[10] == 35  # only 10.1 counts
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["files"][0]["status"] == "partial" and report["files"][0]["status_label"] == "accettato in parte"
    assert len([x for x in report["files"][0]["findings"] if x["cell"]]) == 5
    with closing(history.connect(office)) as con:
        stored = history.refusal_rows(con, MONTH)
    assert len(stored) == 5  # no refusal is dropped silently
    assert sum(1 for n in out.report.notices if n.code == "cella-rifiutata") == 4


def test_same_file_twice(setup, tmp_path):
    plan, office, sheets, filled = setup
    copy = tmp_path / "copia" / "Monitoraggio_2025-06_Gare_e_Contratti (2).xlsx"
    copy.parent.mkdir()
    shutil.copy(filled, copy)
    out = run_collect(plan, [filled, copy], MONTH, office)
    assert out.files[0].status == Outcome.ACCEPTED
    assert out.files[1].status == Outcome.REFUSED and "Stesso file" in out.files[1].reason
    assert history.counts(office)["submissions"] == 1  # counted once


def test_nothing_readable_writes_nothing_and_exits_2(setup, tmp_path):
    plan, office, sheets, filled = setup
    junk = tmp_path / "in" / "Monitoraggio_2025-06_Gare_e_Contratti.xlsx"
    junk.parent.mkdir()
    junk.write_bytes(b"non sono un file excel")
    pdf = tmp_path / "in" / "relazione.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    reports = office.parent / "monitoraggio"
    r = CliRunner().invoke(main, ["raccogli", str(plan), str(junk), str(pdf), str(tmp_path / "manca.xlsx"),
                                  "--mese", MONTH, "--cartella-ufficio", str(office), "--json", str(tmp_path / "j.json")])
    assert r.exit_code == 2, r.output
    # the reasons `check` gives for a file that is not a workbook, file by file
    assert "relazione.pdf – Il file non è leggibile: non è un file Excel" in r.output
    assert "Se è un CSV o un testo" in r.output
    assert "il file non esiste" in r.output
    assert "nessun resoconto scritto" in r.output
    assert not (tmp_path / "j.json").exists()
    assert not list(tmp_path.rglob("Monitoraggio_consolidato_*")) and not reports.exists()
    assert "Traceback" not in r.output
    r1 = CliRunner().invoke(main, ["raccogli", str(plan), str(junk), str(filled), "--mese", MONTH,
                                   "--cartella-ufficio", str(office)])
    assert r1.exit_code == 1
    assert list(tmp_path.rglob("Monitoraggio_consolidato_2025-06.xlsx"))
