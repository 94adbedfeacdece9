"""The double-click scripts, run as the office would: from a fresh clone, without a terminal."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
BUNDLED = ROOT / "workbooks" / "obiettivi_2025.xlsx"
SETUP_TIMEOUT = 900  # creating the venv and installing the dependencies

pytestmark = pytest.mark.skipif(os.name == "nt", reason="shell scripts: elabora.bat is for Windows")


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


def office_env() -> dict:
    """The user's environment, minus a display (nothing to open in CI) and our own venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "VIRTUAL_ENV")}
    return env


def fresh_clone(dest: Path) -> Path:
    """`git clone` of the repository, plus the working tree's not-yet-committed files.

    The overlay makes this the repository as it is about to be committed (in CI, where the tree is
    clean, it changes nothing); ignored files (.venv, outputs) are not copied, as a clone would not.
    """
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(dest)], check=True, timeout=120)
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True, timeout=60).stdout.decode().split("\0")
    deleted = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--deleted"],
                             check=True, capture_output=True, timeout=60).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    for rel in filter(None, deleted):
        (dest / rel).unlink(missing_ok=True)
    return dest


def git_status(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def untracked(repo: Path) -> set[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "--others", "--exclude-standard"],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    return set(out.split())


def run_script(script: Path, cwd: Path, timeout: float, env: dict | None = None):
    """Run like an unattended double-click: stdin is not a terminal, so no 'press a key' wait."""
    t0 = time.monotonic()
    proc = subprocess.run([str(script)], cwd=cwd, env=env or office_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - t0


def test_scripts_are_executable_and_portable():
    for name in ("elabora.sh", "elabora.command"):
        mode = (SCRIPTS / name).stat().st_mode
        assert mode & stat.S_IXUSR, f"{name} deve essere eseguibile"
        assert (SCRIPTS / name).read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-s", "scripts/elabora.sh"],
                           capture_output=True, text=True).stdout
    if files:  # once committed, git must record the executable bit too
        assert files.startswith("100755"), files
    bat = (SCRIPTS / "elabora.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b""), "elabora.bat deve avere fine riga CRLF"
    for name in ("elabora.sh", "elabora.command"):
        subprocess.run(["sh", "-n", str(SCRIPTS / name)], check=True, timeout=30)


@pytest.mark.slow
def test_elabora_sh_from_a_fresh_clone(tmp_path):
    repo = fresh_clone(tmp_path / "Ufficio Ragioneria" / "chiari-xl")  # office paths have spaces
    wb = repo / "workbooks"
    shipped = wb / "obiettivi_2025.xlsx"
    assert shipped.exists(), "il clone deve contenere il piano 2025 di esempio"
    assert not (wb / "in").exists(), "workbooks/in non fa parte del repository"
    shipped_sha = sha(shipped)
    before = untracked(repo)
    status_before = git_status(repo)
    elsewhere = tmp_path / "home"  # a double-click starts from the user's home, not the project
    elsewhere.mkdir()

    # 1st run: sets itself up, copies the bundled plan into in/, checks it, archives the copy unchanged
    first, t_first = run_script(repo / "scripts" / "elabora.sh", elsewhere, SETUP_TIMEOUT)
    log = first.stdout + first.stderr
    assert first.returncode == 0, log
    assert "Prima esecuzione" in first.stdout and "Ambiente pronto" in first.stdout
    assert "copio il piano di esempio" in first.stdout
    assert (repo / ".venv" / "bin" / "chiari-xl").exists()
    assert names(wb / "in") == []
    (archived,) = (wb / "archivio").iterdir()
    assert archived.name.startswith("obiettivi_2025_") and sha(archived) == shipped_sha == sha(BUNDLED)
    assert sha(shipped) == shipped_sha  # the tracked sample stays where it is, untouched
    assert names(wb / "out") == ["obiettivi_2025_controllato.json", "obiettivi_2025_controllato.xlsx"]
    assert "Riepilogo (1 file)" in first.stdout and "out/obiettivi_2025_controllato.xlsx" in first.stdout
    assert "Premere Invio" not in first.stdout  # unattended: no wait for a key
    assert untracked(repo) == before, "l'esecuzione non deve lasciare file fuori da quelli ignorati da git"
    assert git_status(repo) == status_before, "nessun file del repository deve cambiare"
    from openpyxl import load_workbook
    assert len(load_workbook(wb / "out" / "obiettivi_2025_controllato.xlsx", read_only=True).sheetnames) >= 2

    # 2nd run: the same name again, a bad file and an Excel lock file; the venv is reused
    first_outputs = {n: sha(wb / "out" / n) for n in names(wb / "out")}
    shutil.copyfile(BUNDLED, wb / "in" / "obiettivi_2025.xlsx")
    (wb / "in" / "importi.xlsx").write_text("obiettivo;importo\n1;1000\n", encoding="utf-8")
    (wb / "in" / "~$x.xlsx").write_bytes(b"\x05Mario")
    second, t_second = run_script(repo / "scripts" / "elabora.sh", elsewhere, 300)
    assert second.returncode == 2, second.stdout + second.stderr  # one unreadable file
    assert "Prima esecuzione" not in second.stdout
    assert names(wb / "out") == ["obiettivi_2025_controllato (2).json", "obiettivi_2025_controllato (2).xlsx",
                                 "obiettivi_2025_controllato.json", "obiettivi_2025_controllato.xlsx"]
    assert {n: sha(wb / "out" / n) for n in first_outputs} == first_outputs
    assert names(wb / "scartati") == ["importi.xlsx", "importi.xlsx - motivo.txt"]
    assert "non è un file Excel" in (wb / "scartati" / "importi.xlsx - motivo.txt").read_text(encoding="utf-8")
    assert names(wb / "in") == ["~$x.xlsx"] and (wb / "in" / "~$x.xlsx").read_bytes() == b"\x05Mario"
    assert len(names(wb / "archivio")) == 2
    assert "Alcuni file non sono stati controllati" in second.stdout
    assert "importi.xlsx" in second.stdout and "scartato" in second.stdout

    # the macOS launcher is a thin wrapper around the same script
    (wb / "in" / "~$x.xlsx").unlink()
    third, _ = run_script(repo / "scripts" / "elabora.command", elsewhere, 300)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "Nessun file da controllare" in third.stdout
    assert "copio il piano di esempio" not in third.stdout + second.stdout  # only on a fresh clone
    assert git_status(repo) == status_before
    print(f"elabora.sh: first run (venv + install + 1 plan) {t_first:.0f} s, second run (2 files) {t_second:.1f} s")


def _minimal_project(tmp_path: Path) -> Path:
    proj = tmp_path / "progetto"
    (proj / "scripts").mkdir(parents=True)
    for name in ("elabora.sh", "ambiente.sh"):
        shutil.copy2(SCRIPTS / name, proj / "scripts" / name)
    shutil.copy2(ROOT / "setup.cfg", proj / "setup.cfg")
    return proj


def _bin_without_python(tmp_path: Path) -> Path:
    """A PATH holding only the tools the script needs, and no Python."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "uname", "cmp", "cp"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return bin_dir


def test_elabora_sh_says_when_python_is_missing(tmp_path):
    proj = _minimal_project(tmp_path)
    env = {"PATH": str(_bin_without_python(tmp_path)), "HOME": str(tmp_path)}
    proc, _ = run_script(proj / "scripts" / "elabora.sh", tmp_path, 60, env)
    assert proc.returncode == 1
    assert "Python non è installato" in proc.stderr and "3.11" in proc.stderr
    assert "python.org" in proc.stderr
    assert not (proj / ".venv").exists()


def test_elabora_sh_says_when_python_is_too_old(tmp_path):
    proj = _minimal_project(tmp_path)
    bin_dir = _bin_without_python(tmp_path)
    old = bin_dir / "python3"
    old.write_text('#!/bin/sh\ncase "$1" in --version) echo "Python 3.8.10";; *) exit 1;; esac\n')
    old.chmod(0o755)
    proc, _ = run_script(proj / "scripts" / "elabora.sh", tmp_path, 60, {"PATH": str(bin_dir), "HOME": str(tmp_path)})
    assert proc.returncode == 1
    assert "troppo vecchio" in proc.stderr and "Python 3.8.10" in proc.stderr and "3.11" in proc.stderr


def test_elabora_sh_waits_for_a_key_in_a_terminal(tmp_path):
    """In a terminal window the script waits for Invio before closing, so the office can read."""
    import select

    proj = _minimal_project(tmp_path)
    master, slave = os.openpty()
    proc = subprocess.Popen([str(proj / "scripts" / "elabora.sh")], cwd=tmp_path, stdin=slave, stdout=slave,
                            stderr=slave, env={"PATH": str(_bin_without_python(tmp_path)), "HOME": str(tmp_path)})
    os.close(slave)
    seen = b""
    try:
        end = time.monotonic() + 30
        while b"Premere Invio" not in seen and time.monotonic() < end:
            if select.select([master], [], [], 0.5)[0]:
                seen += os.read(master, 4096)
        assert b"Premere Invio" in seen, seen
        time.sleep(0.3)
        assert proc.poll() is None, "deve aspettare il tasto"
        os.write(master, b"\n")
        assert proc.wait(timeout=15) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
