"""The monthly cycle by folders: collect whatever was returned, archive it byte-identical, report the
month, prepare the next; an Excel lock file means wait; nothing overwritten; key and history out of git."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from chiari_xl.cli import main
from chiari_xl.progress import layout as L
from chiari_xl.progress.folder import run_folder
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.month import Exit
from chiari_xl.progress.run import report_month

from test_progress_roundtrip import GARE, POLIZIA
from test_progress_support import JULY, JUNE, fill, rows_of

TODAY = dt.date(2025, 6, 20)


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def folder(sample_plan, tmp_path):
    root = tmp_path / "monitoraggio"
    (root / "piano").mkdir(parents=True)
    shutil.copyfile(sample_plan, root / "piano" / sample_plan.name)
    return root


def _sheet(root: Path, month: str, part: str) -> Path:
    (hit,) = [p for p in (root / "da_inviare" / month).iterdir() if part in p.name]
    return hit


def test_first_run_prepares_the_current_month(folder):
    out = run_folder(folder, today=TODAY)
    assert out.code == Exit.COMPLETE and out.sheets.month == JUNE
    assert len(list((folder / "da_inviare" / JUNE).glob("Monitoraggio_2025-06_*.xlsx"))) == 18
    for sub in ("ricevuti", "resoconti", "archivio", "scartati", "ufficio"):
        assert (folder / sub).is_dir()
    again = run_folder(folder, today=TODAY)  # nothing new: nothing rewritten
    assert again.sheets.written == [] and len(list((folder / "da_inviare" / JUNE).iterdir())) == 18


def test_a_month_collected_archived_reported_and_the_next_prepared(folder, tmp_path):
    run_folder(folder, today=TODAY)
    inbox = folder / "ricevuti"
    gare = fill(_sheet(folder, JUNE, "Gare"), inbox / _sheet(folder, JUNE, "Gare").name, GARE)
    police_src = _sheet(folder, JUNE, "Corpo_Polizia")
    police = fill(police_src, inbox / police_src.name, POLIZIA)
    lock = inbox / f"~${police.name}"
    lock.write_bytes(b"\x05Mario")                      # still open in Excel
    pdf = inbox / "relazione.pdf"
    pdf.write_bytes(b"%PDF-1.4 una relazione")          # not a sheet
    digests = {p.name: sha(p) for p in (gare, police, pdf)}

    out = run_folder(folder, today=TODAY)
    assert out.code == Exit.INCOMPLETE
    assert [w[0] for w in out.waiting] == [police.name] and police.exists() and lock.exists()
    assert {f.path.name: f.status for f in out.collected} == {gare.name: Outcome.ACCEPTED,
                                                              pdf.name: Outcome.REFUSED}
    archived = out.moved[gare.name]
    assert archived.parent == folder / "archivio" / JUNE and sha(archived) == digests[gare.name]
    assert archived.name.startswith("Monitoraggio_2025-06_Gare_e_Contratti_")  # + date and time
    assert sha(folder / "scartati" / pdf.name) == digests[pdf.name]
    reason = (folder / "scartati" / "relazione.pdf - motivo.txt").read_text(encoding="utf-8")
    assert "non è un file Excel" in reason and "rimettere il file" in reason
    assert sorted(p.name for p in (folder / "resoconti").iterdir()) == [
        "Monitoraggio_consolidato_2025-06.json", "Monitoraggio_consolidato_2025-06.xlsx"]
    report = json.loads((folder / "resoconti" / "Monitoraggio_consolidato_2025-06.json").read_text("utf-8"))
    assert len(report["areas"]["missing"]) == 17
    # next month prepared, prefilled with what was accepted
    assert out.sheets.month == JULY and len(out.sheets.written) == 18
    july_gare = _sheet(folder, JULY, "Gare")
    ws = openpyxl.load_workbook(july_gare)[L.SHEET]
    assert ws[L.cell(rows_of(july_gare)["10.1"], "stato")].value == "Completato"

    # Excel closed: the police's June sheet is collected now, June's report written again (never
    # over the first one), and the police's July sheet prepared again with its June values
    lock.unlink()
    later = run_folder(folder, today=TODAY)
    assert [f.path.name for f in later.collected] == [police.name] and later.collected[0].status == Outcome.ACCEPTED
    assert sha(later.moved[police.name]) == digests[police.name]
    assert (folder / "resoconti" / "Monitoraggio_consolidato_2025-06 (2).xlsx").exists()
    assert [r.path.name for r in later.sheets.written] == ["Monitoraggio_2025-07_Corpo_Polizia_Locale (2).xlsx"]
    assert list((folder / "ricevuti").iterdir()) == []


def test_a_refused_return_can_come_back(folder):
    """Refused whole goes to scartati/ with the reason; put back in ricevuti/ it is judged again."""
    run_folder(folder, today=TODAY)
    src = _sheet(folder, JUNE, "Gare")
    wrong_name = folder / "ricevuti" / _sheet(folder, JUNE, "Corpo_Polizia").name
    fill(src, wrong_name, GARE)
    out = run_folder(folder, today=TODAY)
    assert out.collected[0].status == Outcome.REFUSED and (folder / "scartati" / wrong_name.name).exists()
    shutil.move(folder / "scartati" / wrong_name.name, folder / "ricevuti" / src.name)
    back = run_folder(folder, today=TODAY)
    assert back.collected[0].status == Outcome.ACCEPTED and back.collected[0].new


def test_no_plan_or_two_plans_say_what_to_do(tmp_path, sample_plan):
    root = tmp_path / "monitoraggio"
    r = CliRunner().invoke(main, ["mese", str(root)])
    assert r.exit_code == 2 and "non c'è il piano" in r.output and (root / "piano").is_dir()
    shutil.copyfile(sample_plan, root / "piano" / "a.xlsx")
    shutil.copyfile(sample_plan, root / "piano" / "b.xlsx")
    r = CliRunner().invoke(main, ["mese", str(root)])
    assert r.exit_code == 2 and "più piani" in r.output and "Traceback" not in r.output


def test_the_month_command(folder):
    r = CliRunner().invoke(main, ["mese", str(folder), "--prepara", JUNE])
    assert r.exit_code == 0, r.output
    assert "Fogli di 2025-06 da inviare alle aree: 18" in r.output
    src = _sheet(folder, JUNE, "Gare")
    fill(src, folder / "ricevuti" / src.name, GARE)
    r = CliRunner().invoke(main, ["mese", str(folder), "--prepara", JULY])
    assert r.exit_code == 1, r.output
    assert "ACCETTATO" in r.output and "MANCANO 17 aree" in r.output and "resoconti" in r.output
    assert "archivio/2025-06/Monitoraggio_2025-06_Gare_e_Contratti_" in r.output


def test_december_collected_writes_the_payout(folder):
    run_folder(folder, prepare="2025-12", today=TODAY)
    src = _sheet(folder, "2025-12", "Gare")
    fill(src, folder / "ricevuti" / src.name, GARE)
    out = run_folder(folder, today=TODAY)
    names = sorted(p.name for p in (folder / "resoconti").iterdir())
    assert names == ["Liquidazione_provvisoria_2025-12.json", "Liquidazione_provvisoria_2025-12.xlsx",
                     "Monitoraggio_consolidato_2025-12.json", "Monitoraggio_consolidato_2025-12.xlsx"]
    assert out.year_over and out.sheets is None


def _git(repo: Path, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_key_and_history_never_show_in_git_status(sample_plan, tmp_path):
    """In a git work tree (a clone of the project): the default places and an office folder given
    inside the tree are both ignored, and the office is warned to keep a copy elsewhere."""
    repo = tmp_path / "clone"
    (repo / "workbooks").mkdir(parents=True)
    _git(repo, "init", "-q")
    shutil.copyfile(Path(__file__).resolve().parent.parent / ".gitignore", repo / ".gitignore")
    plan = repo / "workbooks" / sample_plan.name
    shutil.copyfile(sample_plan, plan)
    _git(repo, "add", ".")
    _git(repo, "-c", "user.email=a@b", "-c", "user.name=t", "commit", "-qm", "piano")
    r = CliRunner().invoke(main, ["fogli-monitoraggio", str(plan), "--mese", JUNE])
    assert r.exit_code == 0, r.output
    assert (repo / "workbooks" / "monitoraggio" / "ufficio" / ".chiari-xl-chiave").exists()
    assert "Attenzione" in r.output and "copiarli" in r.output
    r = CliRunner().invoke(main, ["fogli-monitoraggio", str(plan), "--mese", JUNE, "--office-dir",
                                  str(repo / "dati_ufficio"), "-o", str(repo / "workbooks" / "monitoraggio" / "x")])
    assert r.exit_code == 0, r.output
    assert (repo / "dati_ufficio" / "chiari-xl-monitoraggio.sqlite").exists()
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_lost_key_means_new_sheets_and_the_history_stays(folder):
    run_folder(folder, today=TODAY)
    src = _sheet(folder, JUNE, "Gare")
    fill(src, folder / "ricevuti" / src.name, GARE)
    run_folder(folder, prepare=JUNE, today=TODAY)
    (folder / "ufficio" / ".chiari-xl-chiave").unlink()         # lost
    old_police = _sheet(folder, JUNE, "Corpo_Polizia")
    fill(old_police, folder / "ricevuti" / old_police.name, POLIZIA)
    out = run_folder(folder, prepare=JUNE, today=TODAY)
    assert out.collected[0].status == Outcome.REFUSED and "Firma non valida" in out.collected[0].reason
    assert "chiave rigenerata" in out.collected[0].reason
    assert len(out.sheets.written) == 18  # every June sheet issued again with the new key: send these
    assert all(r.path.name.endswith(" (2).xlsx") for r in out.sheets.written)
    assert out.reports == []  # the refused file counts for no month
    kept = report_month(folder / "piano" / "obiettivi_2025.xlsx", JUNE, folder / "ufficio")
    assert {o.n: o.achievement for o in kept.objectives}[10] == 85  # the history is still readable
