"""The monthly double-click script, run as the office would: from a fresh clone, without a terminal."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from test_progress_roundtrip import GARE, POLIZIA
from test_progress_support import fill
from test_scripts import BUNDLED as BUNDLED_IN, SETUP_TIMEOUT, fresh_clone, run_script, untracked

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="shell scripts: monitoraggio.bat is for Windows")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_monthly_scripts_are_executable_and_portable():
    for name in ("monitoraggio.sh", "monitoraggio.command"):
        assert (SCRIPTS / name).stat().st_mode & stat.S_IXUSR, f"{name} deve essere eseguibile"
        assert (SCRIPTS / name).read_text(encoding="utf-8").startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", str(SCRIPTS / name)], check=True, timeout=30)
    subprocess.run(["sh", "-n", str(SCRIPTS / "ambiente.sh")], check=True, timeout=30)
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-s", "scripts/monitoraggio.sh"],
                            capture_output=True, text=True).stdout
    if listed:  # once committed, git must record the executable bit too
        assert listed.startswith("100755"), listed
    for name in ("monitoraggio.bat", "ambiente.bat"):
        bat = (SCRIPTS / name).read_bytes()
        assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b""), f"{name} deve avere fine riga CRLF"
    assert b'call "%~dp0ambiente.bat"' in (SCRIPTS / "monitoraggio.bat").read_bytes()


@pytest.mark.slow
def test_monitoraggio_sh_collects_a_folder_of_returns_from_a_fresh_clone(tmp_path):
    repo = fresh_clone(tmp_path / "Ufficio Ragioneria" / "chiari-xl")
    folder = repo / "workbooks" / "monitoraggio"
    assert not folder.exists(), "il monitoraggio non deve avere dati in un clone nuovo"
    before = untracked(repo)
    home = tmp_path / "home"
    home.mkdir()

    # 1st run: no plan yet: it prepares itself, makes the folders and says where the plan goes
    first, t_first = run_script(repo / "scripts" / "monitoraggio.sh", home, SETUP_TIMEOUT)
    assert first.returncode == 2, first.stdout + first.stderr
    assert "Ambiente pronto" in first.stdout and "non c'è il piano" in first.stderr
    assert (folder / "piano").is_dir() and (folder / "ricevuti").is_dir()

    # 2nd run, with the plan in piano/: the sheets of the month to send
    shutil.copyfile(BUNDLED_IN, folder / "piano" / BUNDLED_IN.name)
    second, _ = run_script(repo / "scripts" / "monitoraggio.sh", home, 300)
    assert second.returncode == 0, second.stdout + second.stderr
    (month_dir,) = (folder / "da_inviare").iterdir()
    month = month_dir.name
    sheets = sorted(month_dir.iterdir())
    assert len(sheets) == 18 and f"Fogli di {month} da inviare alle aree: 18" in second.stdout

    # the areas answer: two sheets saved in ricevuti/, one still open in Excel
    gare = next(p for p in sheets if "Gare" in p.name)
    police = next(p for p in sheets if "Corpo_Polizia" in p.name)
    returned = [fill(gare, folder / "ricevuti" / gare.name, GARE),
                fill(police, folder / "ricevuti" / police.name, POLIZIA)]
    digests = {p.name: sha(p) for p in returned}
    (folder / "ricevuti" / f"~${police.name}").write_bytes(b"\x05Mario")
    third, _ = run_script(repo / "scripts" / "monitoraggio.sh", home, 300)
    log = third.stdout + third.stderr
    assert third.returncode == 1, log  # areas missing, one file waiting
    assert "ACCETTATO" in log and "IN ATTESA" in log and "MANCANO 17 aree" in log
    (archived,) = (folder / "archivio" / month).iterdir()
    assert sha(archived) == digests[gare.name]
    assert (folder / "resoconti" / f"Monitoraggio_consolidato_{month}.xlsx").exists()
    assert "Premere Invio" not in third.stdout  # unattended: no wait for a key

    # Excel closed: the macOS launcher collects the rest
    (folder / "ricevuti" / f"~${police.name}").unlink()
    fourth, _ = run_script(repo / "scripts" / "monitoraggio.command", home, 300)
    assert fourth.returncode == 1, fourth.stdout + fourth.stderr
    assert sorted(sha(p) for p in (folder / "archivio" / month).iterdir()) == sorted(digests.values())
    assert list((folder / "ricevuti").iterdir()) == []

    # nothing the office produced, the key and the history least of all, shows in git
    assert untracked(repo) == before
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert "monitoraggio" not in status and ".chiari-xl-chiave" not in status
    print(f"monitoraggio.sh: first run (venv + install) {t_first:.0f} s")
