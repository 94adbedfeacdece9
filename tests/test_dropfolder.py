"""The drop folder as the office sees it: files where they should be, nothing lost or overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiari_xl.cli import main
from chiari_xl.dropfolder import (OK, WAITING, WITH_ERRORS, Folders, Stability,
                                  move_no_overwrite, process_file, resolve_root, scan)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "workbooks" / "obiettivi_2025.xlsx"
FAST = ["--attesa", "0.3"]


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


@pytest.fixture
def drop(tmp_path) -> Folders:
    """A drop folder holding the bundled plan in in/, as elabora.sh prepares it on a fresh clone."""
    root = tmp_path / "workbooks"
    (root / "in").mkdir(parents=True)
    shutil.copyfile(BUNDLED, root / "in" / BUNDLED.name)
    return Folders(root)


def run_batch(folder: Path, *extra):
    result = CliRunner().invoke(main, ["elabora", str(folder), *FAST, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_batch_good_bad_lock_and_duplicate(drop):
    plan_sha = sha(BUNDLED)
    (drop.inbox / "rotto.xlsx").write_text("Obiettivo;Importo\n1;100\n", encoding="utf-8")
    lock = drop.inbox / "~$x.xlsx"  # left behind by Excel for a file that is not here
    lock.write_bytes(b"\x0bMario Rossi" + b"\x00" * 40)
    lock_sha = sha(lock)

    first = run_batch(drop.root)

    assert first.exit_code == 2, first.output  # an unreadable file makes the run fail
    # the good plan: checked workbook and report in out/, original archived byte-identical
    assert files(drop.out) == ["obiettivi_2025_controllato.json", "obiettivi_2025_controllato.xlsx"]
    (archived,) = drop.archive.iterdir()
    assert archived.name.startswith("obiettivi_2025_20") and archived.suffix == ".xlsx"
    assert sha(archived) == plan_sha
    report = json.loads((drop.out / "obiettivi_2025_controllato.json").read_text(encoding="utf-8"))
    assert isinstance(report, dict) and report
    # the bad file: moved aside with an Italian reason beside it
    assert files(drop.rejected) == ["rotto.xlsx", "rotto.xlsx - motivo.txt"]
    reason = (drop.rejected / "rotto.xlsx - motivo.txt").read_text(encoding="utf-8")
    assert "non è un file Excel" in reason and "Cosa fare" in reason and "rimetterlo nella cartella «in»" in reason
    assert (drop.rejected / "rotto.xlsx").read_text(encoding="utf-8") == "Obiettivo;Importo\n1;100\n"
    # the Excel lock file: untouched, and said so
    assert files(drop.inbox) == ["~$x.xlsx"] and sha(lock) == lock_sha
    assert "Lasciato stare: ~$x.xlsx" in first.output
    # the summary table
    out = first.output
    assert "Riepilogo (2 file)" in out
    assert "File" in out and "Esito" in out and "Errori" in out and "Avvisi" in out and "Output" in out
    row = next(line for line in out.splitlines() if line.startswith("obiettivi_2025.xlsx"))
    assert "controllato" in row and "out/obiettivi_2025_controllato.xlsx" in row
    assert next(line for line in out.splitlines() if line.startswith("rotto.xlsx")).split()[1] == "scartato"
    assert "registro.log" in files(drop.root)

    # the same name dropped again: a second output, the first one left as it was
    first_out = {n: sha(drop.out / n) for n in files(drop.out)}
    shutil.copyfile(BUNDLED, drop.inbox / "obiettivi_2025.xlsx")
    second = run_batch(drop.root)
    assert second.exit_code == 0, second.output
    assert files(drop.out) == ["obiettivi_2025_controllato (2).json", "obiettivi_2025_controllato (2).xlsx",
                               "obiettivi_2025_controllato.json", "obiettivi_2025_controllato.xlsx"]
    assert {n: sha(drop.out / n) for n in first_out} == first_out
    assert "out/obiettivi_2025_controllato (2).xlsx" in second.output
    archived = files(drop.archive)
    assert len(archived) == 2 and all(sha(drop.archive / n) == plan_sha for n in archived)
    assert files(drop.inbox) == ["~$x.xlsx"] and sha(lock) == lock_sha


def test_batch_nothing_to_do_creates_the_folders(tmp_path):
    result = run_batch(tmp_path / "nuova")
    assert result.exit_code == 0, result.output
    assert "Nessun file da controllare" in result.output
    assert files(tmp_path / "nuova") == ["archivio", "in", "out", "scartati"]


def test_default_folder_is_workbooks_of_cwd(tmp_path):
    assert resolve_root(None, cwd=tmp_path) == tmp_path
    (tmp_path / "workbooks").mkdir()
    assert resolve_root(None, cwd=tmp_path) == tmp_path / "workbooks"
    (tmp_path / "workbooks" / "in").mkdir()
    assert resolve_root(tmp_path / "workbooks" / "in") == tmp_path / "workbooks"  # given in/ itself


def test_hidden_temp_and_system_files_are_left_alone(drop):
    for name in (".DS_Store", "._obiettivi.xlsx", "~$piano.xlsx", "piano.xlsx.tmp", "3A1F2B00",
                 "Thumbs.db", "desktop.ini", ".~lock.piano.xlsx#", "download.crdownload"):
        (drop.inbox / name).write_bytes(b"x")
    (drop.inbox / "sottocartella").mkdir()
    todo, ignored = scan(drop.inbox)
    assert [p.name for p in todo] == ["obiettivi_2025.xlsx"]
    assert len(ignored) == 9


def test_file_open_in_excel_waits_in_in(drop):
    (drop.inbox / "~$obiettivi_2025.xlsx").write_bytes(b"lock")
    o = process_file(drop.inbox / "obiettivi_2025.xlsx", drop)
    assert o.esito == WAITING and "aperto in Excel" in o.message
    assert "obiettivi_2025.xlsx" in files(drop.inbox) and files(drop.out) == []


def test_outcome_counts_match_the_report(drop):
    drop.ensure()
    o = process_file(drop.inbox / "obiettivi_2025.xlsx", drop)
    assert o.esito in (OK, WITH_ERRORS)
    report = json.loads(o.report.read_text(encoding="utf-8"))
    assert str(o.output) in json.dumps(report, ensure_ascii=False)
    assert o.output == drop.out / "obiettivi_2025_controllato.xlsx"


def test_unexpected_checker_failure_goes_to_scartati_and_the_rest_goes_on(drop, monkeypatch):
    import chiari_xl.api as api

    real = api.analyse

    def flaky(path):
        if Path(path).name == "a.xlsx":
            raise KeyError("colonna")
        return real(path)

    monkeypatch.setattr(api, "analyse", flaky)
    shutil.copyfile(BUNDLED, drop.inbox / "a.xlsx")
    result = run_batch(drop.root)
    assert result.exit_code == 2
    assert files(drop.rejected) == ["a.xlsx", "a.xlsx - motivo.txt"]
    assert "errore imprevisto" in (drop.rejected / "a.xlsx - motivo.txt").read_text(encoding="utf-8")
    assert "obiettivi_2025_controllato.xlsx" in files(drop.out)


def test_full_disk_while_writing_the_workbook_leaves_the_plan_in_in(drop, monkeypatch):
    """xlsxwriter reports a full disk as FileCreateError (not an OSError): still a problem of out/."""
    import errno

    from xlsxwriter.exceptions import FileCreateError
    from xlsxwriter.workbook import Workbook

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "_store_workbook", full)
    (drop.inbox / "rotto.xlsx").write_text("non è un foglio", encoding="utf-8")
    result = run_batch(drop.root)
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert files(drop.inbox) == ["obiettivi_2025.xlsx"] and files(drop.archive) == []
    assert files(drop.out) == []  # nothing half-written, no temporary file
    assert files(drop.rejected) == ["rotto.xlsx", "rotto.xlsx - motivo.txt"]  # the other file still done
    row = next(line for line in result.output.splitlines() if line.startswith("obiettivi_2025.xlsx"))
    assert "non scritto" in row
    assert "disco pieno (cartella «out»)" in result.output and "resta in «in»" in result.output
    assert "disco pieno" in (drop.root / "registro.log").read_text(encoding="utf-8")
    assert issubclass(FileCreateError, Exception) and not issubclass(FileCreateError, OSError)


def test_move_never_overwrites(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "dest.xlsx"
    a.write_bytes(b"new")
    b.write_bytes(b"old")
    got = move_no_overwrite(a, b)
    assert got == tmp_path / "dest (2).xlsx" and got.read_bytes() == b"new" and b.read_bytes() == b"old"
    assert not a.exists()


def test_stability_waits_for_a_growing_file(tmp_path):
    f = tmp_path / "piano.xlsx"
    f.write_bytes(b"a")
    t = [100.0]
    stab = Stability(settle=1.0, clock=lambda: t[0])
    assert stab.ready([f]) == []          # just written: not yet
    t[0] += 0.5
    with open(f, "ab") as fh:
        fh.write(b"b")
    assert stab.ready([f]) == []          # grew: the clock restarts
    t[0] += 0.9
    assert stab.ready([f]) == []
    t[0] += 0.2
    assert stab.ready([f]) == [f]         # unchanged for a full second


def test_stability_is_not_fooled_by_an_old_mtime(tmp_path):
    """Explorer and `cp -p` give the copy the source's mtime: the change time still shows the writing."""
    f = tmp_path / "piano.xlsx"
    f.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(f, (old, old))
    assert Stability(settle=1.0).ready([f]) == []


def test_two_batch_processes_never_process_a_file_twice(tmp_path):
    root = tmp_path / "workbooks"
    (root / "in").mkdir(parents=True)
    n = 6
    shas = set()
    for i in range(n):
        dst = root / "in" / f"piano_{i}.xlsx"
        shutil.copyfile(BUNDLED, dst)
        shas.add(sha(dst))
    cmd = [sys.executable, "-m", "chiari_xl", "elabora", str(root), "--attesa", "0.3"]
    t0 = time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    elapsed = time.monotonic() - t0
    assert [p.returncode for p in procs] == [0, 0], outs
    out = files(root / "out")
    assert out == sorted([f"piano_{i}_controllato.xlsx" for i in range(n)]
                         + [f"piano_{i}_controllato.json" for i in range(n)]), out  # no "(2)": none done twice
    assert files(root / "in") == [] and len(files(root / "archivio")) == n
    assert {sha(root / "archivio" / a) for a in files(root / "archivio")} == shas
    done = [line for o in outs for line in o.splitlines() if line.startswith("piano_") and " controllato" in line]
    assert len(done) == n, outs
    per_run = [sum(1 for line in o.splitlines() if line.startswith("piano_") and " controllato" in line) for o in outs]
    print(f"two concurrent batch runs over {n} files: {elapsed:.1f} s, files done by each: {per_run}")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_killed_midway_every_input_is_in_in_or_archived_and_a_rerun_finishes(tmp_path):
    root = tmp_path / "workbooks"
    (root / "in").mkdir(parents=True)
    n = 5
    for i in range(n):
        shutil.copyfile(BUNDLED, root / "in" / f"piano_{i}.xlsx")
    plan_sha = sha(BUNDLED)
    cmd = [sys.executable, "-m", "chiari_xl", "elabora", str(root), "--attesa", "0.3"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and len(files(root / "archivio")) < 2:
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no cleanup code runs
        proc.wait(timeout=30)
    archived = files(root / "archivio")
    assert 2 <= len(archived) < n, "the kill must land midway for this test to mean anything"
    for i in range(n):
        where = [root / "in" / f"piano_{i}.xlsx"] if (root / "in" / f"piano_{i}.xlsx").exists() else []
        where += [root / "archivio" / a for a in archived if a.startswith(f"piano_{i}_")]
        assert where, f"piano_{i}.xlsx è andato perso"
        assert all(sha(p) == plan_sha for p in where)
    rerun = run_batch(root)
    assert rerun.exit_code == 0, rerun.output
    assert files(root / "in") == []
    assert sorted(a.split("_20")[0] for a in files(root / "archivio")) == [f"piano_{i}" for i in range(n)]
    assert all(sha(root / "archivio" / a) == plan_sha for a in files(root / "archivio"))
    for i in range(n):  # every plan has its checked workbook (the one cut short may have two)
        assert (root / "out" / f"piano_{i}_controllato.xlsx").exists()


def test_office_guide_in_docs_mirrors_the_readme():
    """docs/ufficio.md is the README's office guide, with image links relative to docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme[readme.index("## Per l'ufficio: come si usa"):readme.index("## Command line")]
    mirror = (ROOT / "docs" / "ufficio.md").read_text(encoding="utf-8")
    assert mirror.rstrip() == guide.replace("](docs/img/", "](img/").rstrip()
    for link in ("img/obiettivi.png",):
        assert (ROOT / "docs" / link).exists()
