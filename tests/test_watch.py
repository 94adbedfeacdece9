"""`chiari-xl sorveglia`: a plan copied in slowly is checked once, whole, and Ctrl-C stops cleanly."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chiari_xl.dropfolder import OK, WITH_ERRORS
from chiari_xl.dropfolder.watch import run_watch

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "workbooks" / "obiettivi_2025.xlsx"
TIMEOUT = 60


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def wait_for(cond, timeout=TIMEOUT, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def slow_copy(src: Path, dst: Path, chunks: int = 8, pause: float = 0.2, keep_old_mtime: bool = False) -> None:
    """Copies like a slow network share; with keep_old_mtime, like Explorer or `cp -p` (old mtime)."""
    data = src.read_bytes()
    step = len(data) // chunks + 1
    old = time.time() - 3600
    with open(dst, "wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i:i + step])
            fh.flush()
            if keep_old_mtime:
                os.utime(dst, (old, old))
            time.sleep(pause)


@pytest.mark.skipif(os.name == "nt", reason="sends SIGINT to the child, as Ctrl-C in a terminal")
def test_watch_subprocess_slow_copy_then_ctrl_c(tmp_path):
    root = tmp_path / "workbooks"
    (root / "in").mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-m", "chiari_xl", "sorveglia", str(root), "--attesa", "0.6"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        log = root / "registro.log"
        assert wait_for(lambda: log.exists() and "Sorveglianza avviata" in log.read_text(encoding="utf-8"))
        t0 = time.monotonic()
        slow_copy(PLAN, root / "in" / "obiettivi_2025.xlsx", chunks=8, pause=0.25)  # 2 s, pauses < settle
        out = root / "out" / "obiettivi_2025_controllato.xlsx"
        assert wait_for(lambda: out.exists() and not list((root / "in").iterdir()))
        latency = time.monotonic() - t0
        # checked whole, once: nothing rejected, original archived identical, exactly one result
        assert list((root / "scartati").iterdir()) == []
        (archived,) = (root / "archivio").iterdir()
        assert sha(archived) == sha(PLAN)
        assert sorted(p.name for p in (root / "out").iterdir()) == [
            "obiettivi_2025_controllato.json", "obiettivi_2025_controllato.xlsx"]
        # a lock file appearing later is left alone
        (root / "in" / "~$altro.xlsx").write_bytes(b"lock")
        assert wait_for(lambda: "~$altro.xlsx: lasciato stare" in log.read_text(encoding="utf-8"))
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, stdout
    text = log.read_text(encoding="utf-8")
    assert "in arrivo, attendo la fine della copia" in text
    assert "obiettivi_2025.xlsx: controllato" in text and "out/obiettivi_2025_controllato.xlsx" in text
    assert text.rstrip().endswith("Sorveglianza arrestata.")
    assert "Arresto in corso" in stdout
    assert (root / "in" / "~$altro.xlsx").read_bytes() == b"lock"
    print(f"watch: slow copy (2 s) to checked output in {latency:.1f} s")


def test_watch_thread_copy_preserving_old_mtime_and_a_bad_file(tmp_path):
    """A copy that keeps the source's old mtime (Explorer, cp -p), already half done when the
    watcher starts, must still be waited for: the first look at it must not call it finished."""
    root = tmp_path / "wb"
    (root / "in").mkdir(parents=True)
    copier = threading.Thread(target=slow_copy, args=(PLAN, root / "in" / "piano.xlsx"),
                              kwargs=dict(chunks=8, pause=0.25, keep_old_mtime=True))
    copier.start()
    time.sleep(0.6)  # the watcher first sees a half-written file whose mtime is an hour old
    assert 0 < (root / "in" / "piano.xlsx").stat().st_size < PLAN.stat().st_size
    stop = threading.Event()
    outcomes = []
    worker = threading.Thread(target=run_watch, kwargs=dict(root=root, settle=0.6, rescan=0.5, stop=stop,
                                                            on_outcome=outcomes.append), daemon=True)
    worker.start()
    try:
        copier.join(timeout=TIMEOUT)
        (root / "in" / "appunti.xlsx").write_text("non è un foglio", encoding="utf-8")
        assert wait_for(lambda: len(outcomes) >= 2)
    finally:
        stop.set()
        worker.join(timeout=15)
    assert not worker.is_alive()
    by_name = {o.name: o for o in outcomes}
    assert len(outcomes) == 2, outcomes
    assert by_name["piano.xlsx"].esito in (OK, WITH_ERRORS), by_name["piano.xlsx"]
    assert by_name["appunti.xlsx"].esito == "scartato"
    assert (root / "scartati" / "appunti.xlsx - motivo.txt").exists()
    (archived,) = (root / "archivio").iterdir()
    assert sha(archived) == sha(PLAN)
