"""The drop folder under faults: nothing lost, nothing misfiled, no duplicates, never a traceback.

Every scenario ends by checking the same invariants (`assert_invariants`): no temporary file
anywhere, exactly one complete workbook + JSON pair per archived original, one reason file per
rejected original, every dropped original in exactly one of in/, archivio/, scartati/, with its
bytes intact.

How writes are denied: as a normal user chmod is enough; as root (CI) chmod stops nothing, so
the folder is made a read-only bind mount of itself (the kernel answers EROFS), or, where mount
is not permitted, immutable with `chattr +i` (EPERM); if neither works the test is skipped and
says why. The full disk is a real 5 MB tmpfs, mounted only when the tests run as root and mount
is permitted (otherwise skipped with the reason); a simulated full disk (xlsxwriter failing with
ENOSPC) runs everywhere, in test_dropfolder.py.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiari_xl.cli import main
from chiari_xl.dev.make_plan import write_plan
from chiari_xl.dropfolder import (IGNORED, NOT_WRITTEN, OK, TAKEN_BACK, UNREADABLE, WITH_ERRORS, Folders,
                                  process_file)
from chiari_xl.dropfolder.watch import run_watch
from conftest import params_2025
from scenarios import base_rows, rule4_amounts

TMP_MARK = ".~chiari-"
POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX file semantics (links, fork, SIGKILL, mounts)")


# --------------------------------------------------------------------------- plans and helpers

def sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[bytes]:
    """Three small, different, valid plans (bytes)."""
    d = tmp_path_factory.mktemp("plans")
    out = []
    for i in range(3):
        rows = base_rows()
        rows[0]["obiettivo"] = f"Obiettivo generale, variante {i}"
        rule4_amounts(rows, params_2025())
        out.append(write_plan(d / f"p{i}.xlsx", rows, None, params_2025()).read_bytes())
    assert len({hashlib.sha256(b).digest() for b in out}) == 3
    return out


BROKEN = "Obiettivo;Importo\n1;100\n".encode()


def drop_folder(root: Path, files: dict[str, bytes]) -> Folders:
    folders = Folders(root)
    folders.inbox.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folders.inbox / name).write_bytes(data)
    return folders


def batch(root: Path, *extra, settle: str = "0"):
    result = CliRunner().invoke(main, ["elabora", str(root), "--attesa", settle, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def temp_files(root: Path) -> list[str]:
    found = [str(p.relative_to(root)) for p in root.rglob("*") if p.name.startswith(TMP_MARK)]
    state = root / ".chiari-xl"
    if state.is_dir():
        found += [str(p.relative_to(root)) for p in state.iterdir() if p.name.startswith("lavoro-")]
        found += [str(p.relative_to(root)) for p in (state / "journal").glob("*")]
    return found


def assert_invariants(root: Path, dropped: dict[str, bytes], *, pending_ok: bool = False,
                      pdf: bool = False) -> dict:
    """The promise, checked from the outside. dropped: name -> bytes of every original dropped.

    Returns {sha: where} ('in', 'archivio', 'scartati'). pending_ok: originals may still be in in/.
    pdf: every checked workbook in out/ has its PDF beside it (a triple instead of a pair).
    """
    f = Folders(root)
    assert temp_files(root) == [], "file temporanei rimasti"
    where: dict[str, list[str]] = {}
    for folder, label in ((f.inbox, "in"), (f.archive, "archivio"), (f.rejected, "scartati")):
        for p in (folder.iterdir() if folder.is_dir() else []):
            if p.name.endswith(" - motivo.txt"):
                continue
            assert p.is_file() and not p.is_symlink(), f"{label}/{p.name} non è un file normale"
            where.setdefault(sha(p), []).append(label)
    for name, data in dropped.items():
        h = hashlib.sha256(data).hexdigest()
        assert len(where.get(h, [])) == 1, f"{name}: originale in {where.get(h, [])} (deve essere in un solo posto)"
        if not pending_ok:
            assert where[h] != ["in"], f"{name} non è stato elaborato"
    known = {hashlib.sha256(d).hexdigest() for d in dropped.values()}
    assert set(where) <= known, "file sconosciuti nelle cartelle"
    # out/: pairs, one per archived original, both complete, the JSON naming its workbook
    outs = names(f.out)
    xlsx = {n[:-5] for n in outs if n.endswith(".xlsx")}
    jsons = {n[:-5] for n in outs if n.endswith(".json")}
    pdfs = {n[:-4] for n in outs if n.endswith(".pdf")}
    assert xlsx == jsons and pdfs == (xlsx if pdf else set()), f"risultati spaiati in out: {outs}"
    assert len(outs) == (3 if pdf else 2) * len(xlsx), f"file estranei in out: {outs}"
    described = []
    for stem in pdfs:
        assert (f.out / f"{stem}.pdf").read_bytes() == fake_pdf(f.out / f"{stem}.xlsx"), f"PDF incompleto: {stem}"
    for stem in xlsx:
        report = json.loads((f.out / f"{stem}.json").read_text(encoding="utf-8"))
        assert report["output"] == str(f.out / f"{stem}.xlsx")
        with zipfile.ZipFile(f.out / f"{stem}.xlsx") as zf:
            assert zf.testzip() is None and "xl/workbook.xml" in zf.namelist()
        described.append(report["input"]["sha256"])
    archived = sorted(h for h, w in where.items() if w == ["archivio"])
    assert sorted(described) == archived, "ogni originale archiviato deve avere esattamente un risultato"
    # scartati/: one reason per rejected original, no reason without its file
    rej = names(f.rejected)
    reasons = [n for n in rej if n.endswith(" - motivo.txt")]
    assert sorted(n[: -len(" - motivo.txt")] for n in reasons) == sorted(n for n in rej if n not in reasons)
    return {h: w[0] for h, w in where.items()}


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _run(cmd: list[str]) -> bool:
    return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0


def _writable(d: Path) -> bool:
    probe = d / ".prova-scrittura"
    try:
        probe.write_bytes(b"x")
    except OSError:
        return False
    probe.unlink()
    return True


@contextlib.contextmanager
def read_only(d: Path):
    """Really deny writes in `d`, also to root (see the module docstring for how)."""
    d.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        d.chmod(0o555)
        try:
            yield "chmod 0555"
        finally:
            d.chmod(0o755)
        return
    if _run(["mount", "--bind", str(d), str(d)]):
        if _run(["mount", "-o", "remount,bind,ro", str(d)]) and not _writable(d):
            try:
                yield "bind mount in sola lettura"
            finally:
                _run(["umount", str(d)])
            return
        _run(["umount", str(d)])
    if shutil.which("chattr") and _run(["chattr", "+i", str(d)]):
        if not _writable(d):
            try:
                yield "chattr +i"
            finally:
                _run(["chattr", "-i", str(d)])
            return
        _run(["chattr", "-i", str(d)])
    pytest.skip("come root non riesco a negare la scrittura: né mount in sola lettura né chattr +i sono permessi")


@contextlib.contextmanager
def tmpfs(d: Path, size: str = "5m"):
    if os.name == "nt" or os.geteuid() != 0:
        pytest.skip("filesystem pieno reale: serve root per montare un tmpfs da 5 MB")
    d.mkdir(parents=True, exist_ok=True)
    if not _run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(d)]):
        pytest.skip("filesystem pieno reale: mount di un tmpfs non permesso su questa macchina")
    try:
        yield d
    finally:
        _run(["umount", "-l", str(d)])


def fake_pdf(workbook: Path) -> bytes:
    """What the stand-in for LibreOffice 'prints': bytes that tell which workbook they come from."""
    return b"%PDF-1.4 stampa di prova " + hashlib.sha256(Path(workbook).read_bytes()).hexdigest().encode()


@pytest.fixture
def fake_libreoffice(monkeypatch):
    """The drop folder's PDF step without LibreOffice (seconds per plan, hundreds of kills): the
    same staging, journal and placing, with a renderer that answers at once."""
    import chiari_xl.pdf_copy as pdf_copy

    monkeypatch.setenv("CHIARI_PDF", "1")
    monkeypatch.setattr(pdf_copy, "available", lambda: True)
    monkeypatch.setattr(pdf_copy, "render", lambda workbook, name=None, timeout=180: fake_pdf(workbook))


# --------------------------------------------------------------------------- kill at every crash point

# Every call that changes what is on disk. fsync is not one (for a killed process the kernel keeps
# the data anyway; it is there for a power cut), nor a mkdir of a folder that already exists.
CRASH_POINTS = ("link", "rename", "replace", "unlink", "remove", "rmdir", "mkdir", "write")


def _child_batch(root: Path, kill_at: int, count_file: Path, no_links: bool) -> None:
    """In a forked child: count every link/rename/unlink/write/fsync... and SIGKILL at number kill_at."""
    import chiari_xl.safe_files as sf
    from chiari_xl.cli.dropfolder import run_batch
    from chiari_xl.dropfolder import Registro

    seen: list[str] = []

    def point(label, fn):
        def wrapped(*a, **kw):
            if label == "mkdir" and os.path.isdir(a[0]):
                return fn(*a, **kw)
            seen.append(label)
            if len(seen) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*a, **kw)
        return wrapped

    for n in CRASH_POINTS:
        setattr(os, n, point(n, getattr(os, n)))
    if no_links:
        # A share without hard links, on another filesystem than in/: moves become copies.
        def no_link(*a, **kw):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        os.link = point("link", no_link)
        sf._same_filesystem = lambda st, folder: Path(folder).name != "archivio"
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    run_batch(Folders(root), 0.0, Registro(root / "registro.log"))
    count_file.write_text(json.dumps(seen))


def run_killed(root: Path, kill_at: int, count_file: Path, no_links: bool = False) -> int:
    """Fork, run one batch in the child (killed at crash point kill_at, 0 = never); its wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            _child_batch(root, kill_at, count_file, no_links)
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


def _scenario(base: Path, plans: list[bytes]) -> tuple[Path, dict[str, bytes]]:
    """in/: a good plan and a broken file; scartati/: a plan whose copy had stalled, completed since."""
    root = base / "tpl"
    half = plans[1][: len(plans[1]) // 2]
    drop_folder(root, {"lento.xlsx": half})
    first = batch(root)
    assert first.exit_code == 2 and names(root / "scartati") == ["lento.xlsx", "lento.xlsx - motivo.txt"]
    with open(root / "scartati" / "lento.xlsx", "r+b") as fh:  # the copy goes on into the same file
        fh.write(plans[1])
    drop_folder(root, {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN})
    (root / "registro.log").unlink()
    return root, {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN, "lento.xlsx": plans[1]}


@pytest.fixture
def fast_tmp(tmp_path):
    """A scratch folder on tmpfs when there is one (/dev/shm): the same semantics for a killed
    process, without paying a disk's fsync hundreds of times."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="chiari-faults-", dir=shm))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _kill_sweep(tmp_path: Path, plans: list[bytes], no_links: bool, pdf: bool = False) -> tuple[int, dict[str, int]]:
    template, dropped = _scenario(tmp_path, plans)
    counter = tmp_path / "count.json"
    clean = tmp_path / "clean"
    shutil.copytree(template, clean, symlinks=True)
    assert os.waitstatus_to_exitcode(run_killed(clean, 0, counter, no_links)) == 0
    points = json.loads(counter.read_text())
    where = assert_invariants(clean, dropped, pdf=pdf)
    assert where[hashlib.sha256(plans[1]).hexdigest()] == "archivio", "the completed copy must be taken back"
    kinds: dict[str, int] = {}
    for k, label in enumerate(points, start=1):
        kinds[label] = kinds.get(label, 0) + 1
        root = tmp_path / f"k{k}"
        shutil.copytree(template, root, symlinks=True)
        status = run_killed(root, k, counter, no_links)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (k, label, status)
        rerun = batch(root)
        assert rerun.exit_code in (0, 2), rerun.output
        try:
            where = assert_invariants(root, dropped, pdf=pdf)
        except AssertionError as exc:
            raise AssertionError(f"kill at point {k} ({label}): {exc}") from None
        assert where[hashlib.sha256(BROKEN).hexdigest()] == "scartati"
        assert where[hashlib.sha256(plans[0]).hexdigest()] == "archivio"
        shutil.rmtree(root)
    return len(points), kinds


@POSIX
def test_kill_at_every_crash_point_then_one_rerun(fast_tmp, plans):
    n, kinds = _kill_sweep(fast_tmp, plans, no_links=False)
    assert {"link", "unlink", "write", "replace", "mkdir", "rmdir"} <= set(kinds), kinds
    print(f"kill sweep (hard links): {n} crash points, {n} kills, each followed by one rerun: {kinds}")


@POSIX
def test_kill_at_every_crash_point_with_the_pdf(fast_tmp, plans, fake_libreoffice):
    """With LibreOffice installed the PDF is a third output of the same transaction: after a kill
    anywhere and one rerun, every archived plan has its workbook, JSON and PDF, once."""
    n, kinds = _kill_sweep(fast_tmp, plans, no_links=False, pdf=True)
    assert {"link", "unlink", "write", "replace"} <= set(kinds), kinds
    print(f"kill sweep (with the PDF): {n} crash points, {n} kills, each followed by one rerun: {kinds}")


@POSIX
def test_kill_at_every_crash_point_without_hard_links(fast_tmp, plans):
    """A share without hard links, archivio/ on another filesystem: outputs and rejects renamed,
    archived originals copied, fsynced and verified."""
    n, kinds = _kill_sweep(fast_tmp, plans, no_links=True)
    assert {"rename", "unlink", "write", "replace"} <= set(kinds), kinds
    print(f"kill sweep (no hard links, copies): {n} crash points, {n} kills, each followed by one rerun: {kinds}")


# --------------------------------------------------------------------------- folders that cannot be written

@POSIX
@pytest.mark.parametrize("folder", ["out", "archivio"])
def test_read_only_out_or_archive_leaves_the_plan_in_in(tmp_path, plans, folder):
    root = tmp_path / "wb"
    dropped = {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN, "z_altro.xlsx": plans[1]}
    f = drop_folder(root, dropped)
    f.ensure()
    with read_only(root / folder) as how:
        result = batch(root)
        assert result.exit_code == 2, result.output
        out = result.output
        assert "Traceback" not in out
        for name in ("piano.xlsx", "z_altro.xlsx"):  # every plan tried, none misfiled
            row = next(line for line in out.splitlines() if line.startswith(name))
            assert "non scritto" in row, out
        assert f"la cartella «{folder}» non è scrivibile" in out and "resta in «in»" in out
        assert names(f.inbox) == ["piano.xlsx", "z_altro.xlsx"]
        assert names(f.rejected) == ["rotto.xlsx", "rotto.xlsx - motivo.txt"]  # the other file still done
        assert names(f.out) == [] and names(f.archive) == []  # no half results, no duplicates later
        assert "non è scrivibile" in (root / "registro.log").read_text(encoding="utf-8")
        assert_invariants(root, dropped, pending_ok=True)
    again = batch(root)  # the folder fixed: one run does it, exactly one result each
    assert again.exit_code == 0, again.output
    assert_invariants(root, dropped)
    print(f"{folder}/ read-only via {how}")


@POSIX
def test_read_only_scartati_keeps_the_broken_file_in_in(tmp_path, plans):
    root = tmp_path / "wb"
    dropped = {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN}
    f = drop_folder(root, dropped)
    f.ensure()
    with read_only(f.rejected) as how:
        result = batch(root)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "la cartella «scartati» non è scrivibile" in result.output
        assert names(f.inbox) == ["rotto.xlsx"] and names(f.rejected) == []
        assert len(names(f.archive)) == 1  # the good plan was processed
        assert_invariants(root, dropped, pending_ok=True)
    again = batch(root)
    assert again.exit_code == 2 and names(f.inbox) == []  # now rejected, with its reason
    assert_invariants(root, dropped)
    print(f"scartati/ read-only via {how}")


@POSIX
def test_watch_keeps_watching_when_out_is_not_writable(tmp_path, plans):
    root = tmp_path / "wb"
    f = drop_folder(root, {})
    f.ensure()
    outcomes, stop = [], threading.Event()
    worker = threading.Thread(target=run_watch, kwargs=dict(root=root, settle=0.3, rescan=0.3, stop=stop,
                                                            on_outcome=outcomes.append), daemon=True)
    try:
        with read_only(f.out):
            worker.start()
            (f.inbox / "piano.xlsx").write_bytes(plans[0])
            assert _wait(lambda: any(o.esito == NOT_WRITTEN for o in outcomes))
            (f.inbox / "rotto.xlsx").write_bytes(BROKEN)
            assert _wait(lambda: any(o.esito == UNREADABLE for o in outcomes))
            assert worker.is_alive() and names(f.inbox) == ["piano.xlsx"]
        # out/ writable again: the waiting plan is retried and checked, once
        assert _wait(lambda: any(o.esito in (OK, WITH_ERRORS) for o in outcomes))
    finally:
        stop.set()
        worker.join(timeout=15)
    log = (root / "registro.log").read_text(encoding="utf-8")
    assert log.count("la cartella «out» non è scrivibile") == 1  # said once, not every few seconds
    assert_invariants(root, {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN})


def _wait(cond, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


# --------------------------------------------------------------------------- a full disk (real)

@POSIX
def test_full_disk_5mb_tmpfs(tmp_path, plans):
    root = tmp_path / "pieno"
    with tmpfs(root):
        dropped = {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN}
        f = drop_folder(root, dropped)
        f.ensure()
        filler = root / "riempitivo.bin"
        with open(filler, "wb") as fh:  # fill the 5 MB, then give back just room for a snapshot
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        os.truncate(filler, filler.stat().st_size - 3 * 4096)
        result = batch(root)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert "disco pieno" in result.output
        assert names(f.inbox) == ["piano.xlsx", "rotto.xlsx"]  # neither misfiled
        assert_invariants(root, dropped, pending_ok=True)
        filler.unlink()
        again = batch(root)
        assert again.exit_code == 2  # the broken file, now rejected
        assert_invariants(root, dropped)


# --------------------------------------------------------------------------- names, links, special files

LONG = ("Piano degli obiettivi di performance organizzativa, versione rivista dopo la riunione con i "
        "responsabili di area e con le correzioni chieste dal nucleo di valutazione del Comune di Chiari "
        "per l'anno 2025 - copia definitiva da approvare")


def test_240_character_names(tmp_path, plans):
    good = (LONG * 2)[:240] + ".xlsx"
    bad = (LONG * 2)[1:241] + ".xlsx"
    assert len(good) == len(bad) == 245
    root = tmp_path / "wb"
    dropped = {good: plans[0], bad: BROKEN}
    f = drop_folder(root, dropped)
    result = batch(root)
    assert result.exit_code == 2 and "Traceback" not in result.output
    everything = names(f.out) + names(f.archive) + names(f.rejected)
    assert all(len(n.encode()) <= 255 for n in everything), everything
    (xlsx,) = [n for n in names(f.out) if n.endswith(".xlsx")]
    assert xlsx.startswith(good[:100]) and "~" in xlsx  # shortened, with a stable mark
    assert xlsx[:-5] + ".json" in names(f.out)
    (archived,) = names(f.archive)
    assert archived.endswith(".xlsx") and archived.startswith(good[:100])
    report = json.loads((f.out / (xlsx[:-5] + ".json")).read_text(encoding="utf-8"))
    assert Path(report["input"]["path"]).name == good  # the original name, whole
    reason = next(n for n in names(f.rejected) if n.endswith(" - motivo.txt"))
    assert bad in (f.rejected / reason).read_text(encoding="utf-8")
    log = (root / "registro.log").read_text(encoding="utf-8")
    assert good in log and bad in log
    assert_invariants(root, dropped)
    # the same long name again: a second pair, numbered alike, nothing else touched
    (f.inbox / good).write_bytes(plans[1])
    assert batch(root).exit_code == 0
    pairs = sorted(names(f.out))
    assert len(pairs) == 4 and {n[:-5] for n in pairs if n.endswith(".xlsx")} == {n[:-5] for n in pairs
                                                                                   if n.endswith(".json")}
    assert_invariants(root, {**dropped, "again": plans[1]})


def test_name_too_long_for_the_share_says_to_rename(tmp_path, plans, monkeypatch):
    """A share with a shorter name limit than ours refuses the name: the plan stays, the office is told."""
    root = tmp_path / "wb"
    dropped = {"piano.xlsx": plans[0]}
    f = drop_folder(root, dropped)
    real_link = os.link

    def short_share(src, dst, *a, **kw):
        if Path(dst).parent == f.archive:
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(dst))
        return real_link(src, dst, *a, **kw)

    monkeypatch.setattr(os, "link", short_share)
    result = batch(root)
    assert result.exit_code == 2 and "nome troppo lungo: rinominare il file" in result.output
    assert names(f.inbox) == ["piano.xlsx"] and names(f.out) == []
    assert_invariants(root, dropped, pending_ok=True)


@POSIX
def test_links_devices_and_folders_in_in_are_not_followed(tmp_path, plans):
    outside = tmp_path / "altrove"
    outside.mkdir()
    (outside / "segreto.xlsx").write_bytes(plans[0])
    (outside / "rotto.xlsx").write_bytes(BROKEN)
    root = tmp_path / "wb"
    f = drop_folder(root, {})
    (f.inbox / "l.xlsx").symlink_to(outside / "segreto.xlsx")
    (f.inbox / "r.xlsx").symlink_to(outside / "rotto.xlsx")
    (f.inbox / "cartella.xlsx").mkdir()
    os.mkfifo(f.inbox / "coda.xlsx")  # opening it for reading would block for ever
    if os.geteuid() == 0:
        os.mknod(f.inbox / "dispositivo.xlsx", 0o600 | 0o020000, os.makedev(1, 3))  # like /dev/null
    result = batch(root)
    assert result.exit_code == 0 and "Nessun file da controllare" in result.output
    for name in ("l.xlsx", "r.xlsx"):
        assert f"Lasciato stare: {name} (collegamento simbolico" in result.output
    assert "Lasciato stare: cartella.xlsx (è una cartella" in result.output
    assert "Lasciato stare: coda.xlsx (non è un file normale" in result.output
    assert names(f.out) == names(f.archive) == names(f.rejected) == []
    assert sha(outside / "segreto.xlsx") == hashlib.sha256(plans[0]).hexdigest()
    assert (outside / "rotto.xlsx").read_bytes() == BROKEN
    # a file turned into a link after the scan is refused at the read itself (O_NOFOLLOW)
    o = process_file(f.inbox / "l.xlsx", f)
    assert o.esito == IGNORED and "collegamento" in o.message
    assert names(f.out) == names(f.archive) == []
    assert temp_files(root) == []


# --------------------------------------------------------------------------- a copy that stalls

def stalled_copy(data: bytes, dst: Path, stall: float = 3.0) -> threading.Thread:
    """Copies like a network share that pauses `stall` seconds halfway through."""
    started = threading.Event()

    def copy():
        with open(dst, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            started.set()
            time.sleep(stall)
            fh.write(data[len(data) // 2:])

    t = threading.Thread(target=copy)
    t.start()
    assert started.wait(10)
    return t


def test_copy_stalled_3_s_is_refused_then_taken_back_and_checked(tmp_path, plans):
    root = tmp_path / "wb"
    f = drop_folder(root, {})
    copier = stalled_copy(plans[0], f.inbox / "lento.xlsx")
    first = batch(root, settle="1")  # judged during the stall: refused at once, with its reason
    copier.join()
    assert first.exit_code == 2 and names(f.rejected) == ["lento.xlsx", "lento.xlsx - motivo.txt"]
    assert (f.rejected / "lento.xlsx").read_bytes() == plans[0]  # the copy finished into the same file
    second = batch(root, settle="1")
    assert second.exit_code == 0, second.output
    assert "Ripreso da «scartati»: lento.xlsx" in second.output
    assert names(f.rejected) == [] and names(f.inbox) == []
    (archived,) = names(f.archive)
    assert (f.archive / archived).read_bytes() == plans[0]
    assert "ripreso da scartati" in (root / "registro.log").read_text(encoding="utf-8")
    assert_invariants(root, {"lento.xlsx": plans[0]})


def test_watch_takes_back_a_stalled_copy(tmp_path, plans):
    root = tmp_path / "wb"
    f = drop_folder(root, {})
    outcomes, stop = [], threading.Event()
    worker = threading.Thread(target=run_watch, kwargs=dict(root=root, settle=1.0, rescan=0.3, stop=stop,
                                                            on_outcome=outcomes.append), daemon=True)
    worker.start()
    try:
        copier = stalled_copy(plans[0], f.inbox / "lento.xlsx")
        copier.join()
        assert _wait(lambda: any(o.esito in (OK, WITH_ERRORS) for o in outcomes)), outcomes
    finally:
        stop.set()
        worker.join(timeout=15)
    seq = [o.esito for o in outcomes]
    assert seq[0] == UNREADABLE and TAKEN_BACK in seq, seq  # refused at once, then taken back
    assert names(f.rejected) == []
    assert_invariants(root, {"lento.xlsx": plans[0]})


def test_a_rejected_file_that_does_not_change_stays_rejected(tmp_path, plans):
    root = tmp_path / "wb"
    f = drop_folder(root, {"rotto.xlsx": BROKEN})
    assert batch(root).exit_code == 2
    again = batch(root)
    assert again.exit_code == 0 and "Ripreso" not in again.output
    assert names(f.rejected) == ["rotto.xlsx", "rotto.xlsx - motivo.txt"]


# --------------------------------------------------------------------------- moves across filesystems

@POSIX
def test_archive_on_another_filesystem_is_copied_and_verified(tmp_path, plans):
    root = tmp_path / "wb"
    dropped = {"piano.xlsx": plans[0]}
    f = drop_folder(root, dropped)
    f.ensure()
    with tmpfs(f.archive, size="20m"):
        assert os.stat(f.archive).st_dev != os.stat(f.inbox).st_dev
        result = batch(root)
        assert result.exit_code == 0, result.output
        (archived,) = names(f.archive)
        assert (f.archive / archived).read_bytes() == plans[0]
        assert_invariants(root, dropped)


def test_a_copy_that_does_not_verify_never_loses_the_original(tmp_path, plans, monkeypatch):
    import chiari_xl.safe_files as sf

    root = tmp_path / "wb"
    dropped = {"piano.xlsx": plans[0]}
    f = drop_folder(root, dropped)

    def no_link(*a, **kw):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    real_sha = sf.file_sha256
    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(sf, "_same_filesystem", lambda st, folder: False)
    monkeypatch.setattr(sf, "file_sha256", lambda p: "0" * 64 if TMP_MARK in Path(p).name else real_sha(p))
    result = batch(root)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert names(f.inbox) == ["piano.xlsx"] and names(f.archive) == [] and names(f.out) == []
    assert_invariants(root, dropped, pending_ok=True)


# --------------------------------------------------------------------------- permissions, names that pair up

@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_results_archives_and_reasons_get_the_umask_permissions(tmp_path, plans, mask, mode):
    root = tmp_path / "wb"
    f = drop_folder(root, {"piano.xlsx": plans[0], "rotto.xlsx": BROKEN})
    (f.inbox / "piano.xlsx").chmod(0o600)  # as a copy from a private folder may arrive
    with umask(mask):
        batch(root)
    made = [*f.out.iterdir(), *f.archive.iterdir(), *f.rejected.iterdir()]
    assert len(made) == 5
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in made} == {p.name: oct(mode) for p in made}


def test_check_output_and_json_pair_up_when_only_the_workbook_exists(tmp_path, plans):
    plan = tmp_path / "piano.xlsx"
    plan.write_bytes(plans[0])
    (tmp_path / "x.xlsx").write_bytes(b"older result, kept")
    result = CliRunner().invoke(main, ["controlla", str(plan), "-o", str(tmp_path / "x.xlsx"),
                                       "--json", str(tmp_path / "x.json")])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano.xlsx", "x (2).json", "x (2).xlsx", "x.xlsx"]
    report = json.loads((tmp_path / "x (2).json").read_text(encoding="utf-8"))
    assert report["output"] == str(tmp_path / "x (2).xlsx")
    assert (tmp_path / "x.xlsx").read_bytes() == b"older result, kept"


def test_check_cannot_write_says_why_without_traceback(tmp_path, plans, monkeypatch):
    from xlsxwriter.workbook import Workbook

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "_store_workbook", full)
    plan = tmp_path / "piano.xlsx"
    plan.write_bytes(plans[0])
    result = CliRunner().invoke(main, ["controlla", str(plan)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "disco pieno" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano.xlsx"]  # no temporary file left


def test_killed_by_a_real_signal_in_a_subprocess(tmp_path, plans):
    """Besides the forked sweep: a real `chiari-xl elabora` process killed with SIGKILL mid-run."""
    if os.name == "nt":
        pytest.skip("SIGKILL")
    root = tmp_path / "wb"
    dropped = {f"piano_{i}.xlsx": p for i, p in enumerate(plans)}
    drop_folder(root, dropped)
    proc = subprocess.Popen([sys.executable, "-m", "chiari_xl", "elabora", str(root), "--attesa", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: any((root / "out").glob("*.xlsx")) or proc.poll() is not None, timeout=60)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert batch(root).exit_code == 0
    assert_invariants(root, dropped)


def test_a_file_that_changed_since_it_was_seen_is_not_judged(tmp_path, plans):
    from chiari_xl.dropfolder import WAITING, signature

    root = tmp_path / "wb"
    f = drop_folder(root, {"piano.xlsx": plans[0][:1000]})
    seen = signature(f.inbox / "piano.xlsx")
    time.sleep(0.01)
    with open(f.inbox / "piano.xlsx", "ab") as fh:  # the copy went on after the stability wait
        fh.write(b"more")
    o = process_file(f.inbox / "piano.xlsx", f, seen=seen)
    assert o.esito == WAITING
    assert names(f.inbox) == ["piano.xlsx"] and names(f.rejected) == [] and names(f.out) == []
    assert temp_files(root) == []


def test_xlsxwriter_file_create_error_becomes_an_output_error_with_its_errno(tmp_path):
    from xlsxwriter.exceptions import FileCreateError

    from chiari_xl.errors import OutputError
    from chiari_xl.safe_files import atomic_output

    with pytest.raises(OutputError) as got:
        with atomic_output(tmp_path / "x.xlsx"):
            raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))
    assert got.value.errno == errno.ENOSPC and got.value.problem == f"disco pieno (cartella «{tmp_path.name}»)"
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone too


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_atomic_output_gives_colleagues_read_access(tmp_path):
    """Every writer (checked workbooks, progress sheets, reports) goes through atomic_output."""
    from chiari_xl.safe_files import atomic_output

    with umask(0o022):
        with atomic_output(tmp_path / "foglio.xlsx") as out:
            out.tmp.write_bytes(b"x")
    assert oct(out.final.stat().st_mode & 0o777) == oct(0o644)
