"""The drop folder: plans dropped in `in/` come back checked in `out/`, nothing is ever lost.

Layout of a drop folder (e.g. `workbooks/`):
    in/         the office drops plans here
    out/        checked workbook + JSON report of each plan (never overwritten)
    archivio/   each processed original, renamed with date and time, byte-identical
    scartati/   files that are not readable plans, each with a "- motivo.txt" beside it
    registro.log, .chiari-xl.lock

Invariant, whatever happens (crash, Ctrl-C, two runs at once): every dropped file is either
still in `in/`, or in `archivio/` / `scartati/`. Files are moved with a hard link followed by an
unlink, so a crash between the two leaves the file in both places (never in none), and the
next run recognises the leftover by its inode and just removes the copy in `in/`.
Every file is processed under a folder-wide lock, so two runs never process the same file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from chiari_xl.errors import OutputError, PlanReadError
from chiari_xl.reading.files import sha256
from chiari_xl.safe_files import atomic_output, free_name, move_no_overwrite  # noqa: F401 (re-exported)

LOCK_NAME = ".chiari-xl.lock"
LOG_NAME = "registro.log"
REASON_SUFFIX = " - motivo.txt"

# Esiti (outcomes) as the office reads them in the summary and in registro.log.
OK, WITH_ERRORS, UNREADABLE, WAITING, NOT_WRITTEN, TAKEN = (
    "controllato", "controllato, con errori", "scartato", "in attesa", "non scritto", "già elaborato")
FAILED = {UNREADABLE, NOT_WRITTEN}

# Names that are not plans but the by-products of the programs the office uses.
_SYSTEM_NAMES = {"desktop.ini", "thumbs.db", "icon\r"}
_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")
_EXCEL_TEMP = re.compile(r"^[0-9A-F]{8}$")  # Excel saves to e.g. "3A1F2B00" and then renames


@dataclass(frozen=True)
class Folders:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "in"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def archive(self) -> Path:
        return self.root / "archivio"

    @property
    def rejected(self) -> Path:
        return self.root / "scartati"

    @property
    def log(self) -> Path:
        return self.root / LOG_NAME

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    def ensure(self) -> None:
        for d in (self.inbox, self.out, self.archive, self.rejected):
            d.mkdir(parents=True, exist_ok=True)


def resolve_root(folder: Path | None, cwd: Path | None = None) -> Path:
    """The drop folder for FOLDER; without one: ./workbooks if it exists, else the CWD.

    Given the `in/` folder itself (a common slip), its parent is meant.
    """
    cwd = Path(cwd or Path.cwd())
    if folder is None:
        folder = cwd / "workbooks" if (cwd / "workbooks").is_dir() else cwd
    folder = Path(folder).absolute()
    if folder.name.lower() == "in" and not (folder / "in").is_dir():
        return folder.parent
    return folder


@dataclass
class Outcome:
    name: str
    esito: str
    errors: int = 0
    warnings: int = 0
    output: Path | None = None
    report: Path | None = None
    moved_to: Path | None = None
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.esito in FAILED


# --------------------------------------------------------------------------- scanning

def ignore_reason(path: Path) -> str | None:
    """Why a file in `in/` is left alone (Italian), or None when it is to be processed."""
    name = path.name
    if name.startswith("~$"):
        return "file di blocco creato da Excel mentre un file è aperto"
    if name.startswith("."):
        return "file nascosto"
    low = name.lower()
    if low in _SYSTEM_NAMES:
        return "file di sistema"
    if low.endswith(_TEMP_SUFFIXES) or _EXCEL_TEMP.match(name):
        return "file temporaneo"
    try:
        st = path.stat()
    except OSError:
        return "file non più presente"
    if getattr(st, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0):
        return "file nascosto"
    if not stat.S_ISREG(st.st_mode):
        return "non è un file"
    return None


def scan(inbox: Path) -> tuple[list[Path], dict[Path, str]]:
    """(files to process, sorted by name; {ignored file: reason})."""
    todo, ignored = [], {}
    if not inbox.is_dir():
        return todo, ignored
    for p in sorted(inbox.iterdir(), key=lambda p: p.name.lower()):
        why = ignore_reason(p)
        if why is None:
            todo.append(p)
        elif why != "non è un file" or not p.is_dir():
            ignored[p] = why
    return todo, ignored


def excel_lock_of(path: Path) -> Path | None:
    """The '~$' file with which Excel marks `path` as open (Word-style naming for long names too)."""
    name = path.name
    for n in ("~$" + name, "~$" + name[2:]):
        if len(n) > 2 and (path.parent / n).exists():
            return path.parent / n
    return None


def _signature(path: Path):
    st = path.stat()
    # ctime too: a copy that keeps the source's mtime (Explorer, cp -p) still has a fresh ctime
    # (change time on POSIX, creation time on Windows), so it is not mistaken for an old file.
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


class Stability:
    """Tells when a file is no longer being written: same size and times for `settle` seconds."""

    def __init__(self, settle: float = 2.0, clock=time.monotonic):
        self.settle = settle
        self.clock = clock
        self._seen: dict[Path, tuple] = {}

    def ready(self, paths: list[Path]) -> list[Path]:
        # Every file is watched for `settle` seconds, even one with old timestamps: the times of a
        # file on a network share come from the server's clock, which may be off from ours.
        now = self.clock()
        out, seen = [], {}
        for p in paths:
            try:
                sig = _signature(p)
            except OSError:
                continue
            old = self._seen.get(p)
            since = old[1] if old and old[0] == sig else now
            seen[p] = (sig, since)
            if now - since >= self.settle:
                out.append(p)
        self._seen = seen
        return out

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)


def wait_stable(paths: list[Path], settle: float, timeout: float, poll: float = 0.25,
                on_wait=None) -> tuple[list[Path], list[Path]]:
    """(stable files, files still changing after `timeout` seconds)."""
    stab = Stability(settle)
    deadline = time.monotonic() + timeout
    pending = list(paths)
    done: list[Path] = []
    warned = False
    start = time.monotonic()
    while True:
        ready = stab.ready(pending)
        done += ready
        pending = [p for p in pending if p not in ready and p.exists()]
        if not pending or time.monotonic() >= deadline:
            return sorted(done, key=lambda p: p.name.lower()), pending
        # Say so only for a real wait, not for the one settle period every fresh file needs.
        if on_wait and not warned and time.monotonic() - start > settle + 1.0:
            on_wait(pending)
            warned = True
        time.sleep(poll)


# --------------------------------------------------------------------------- moving

def stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")


def _already_archived(path: Path, folders: Folders) -> Path | None:
    """The archived twin of a file left in `in/` by a crash between link and unlink."""
    try:
        if path.stat().st_nlink < 2:
            return None
    except OSError:
        return None
    for d in (folders.archive, folders.rejected):
        for other in d.iterdir():
            try:
                if os.path.samefile(other, path):
                    return other
            except OSError:
                continue
    return None


def reason_text(path: Path, exc: Exception) -> str:
    when = dt.datetime.now().strftime("%d/%m/%Y alle %H:%M")
    if isinstance(exc, PlanReadError):
        what = exc.reason
        hint = exc.hint
    else:
        what = f"errore imprevisto del programma durante il controllo ({type(exc).__name__}: {exc})."
        hint = "Inviare il file e questo messaggio a chi gestisce il programma."
    lines = [
        f"Il file «{path.name}» è stato messo da parte il {when}: non è stato possibile controllarlo.",
        "",
        f"Motivo: {what}",
    ]
    if hint:
        lines.append(f"Suggerimento: {hint}")
    lines += [
        "",
        "Cosa fare: correggere o salvare di nuovo il file da Excel (File > Salva con nome >",
        "Cartella di lavoro di Excel .xlsx) e rimetterlo nella cartella «in».",
        "Il file originale è qui in «scartati», intatto: si può eliminare quando non serve più.",
    ]
    return "\n".join(lines) + "\n"


def _reject(path: Path, folders: Folders, exc: Exception) -> Path:
    target = free_name(folders.rejected / path.name)
    # The reason is written first: a crash in between leaves the file in in/, never a bare file.
    with atomic_output(target.with_name(target.name + REASON_SUFFIX)) as out:
        out.tmp.write_text(reason_text(path, exc), encoding="utf-8")
    return move_no_overwrite(path, target)


def _free_pair(folder: Path, stem: str) -> tuple[Path, Path]:
    """'<stem>.xlsx' and '<stem>.json', or '<stem> (n).…' with the first n free for both."""
    n = 1
    while True:
        base = stem if n == 1 else f"{stem} ({n})"
        xlsx, js = folder / f"{base}.xlsx", folder / f"{base}.json"
        if not xlsx.exists() and not js.exists():
            return xlsx, js
        n += 1


# --------------------------------------------------------------------------- processing

def process_file(path: Path, folders: Folders, lock_timeout: float = 300.0) -> Outcome:
    """Check one dropped file under the folder lock and put everything where it belongs."""
    from chiari_xl.api import SUFFIX, check_plan

    name = path.name
    try:
        with FileLock(str(folders.lock), timeout=lock_timeout):
            return _process_locked(path, folders, name, check_plan, SUFFIX)
    except Timeout:
        return Outcome(name, WAITING, message="un'altra elaborazione della cartella non è terminata: "
                                              "il file sarà elaborato alla prossima esecuzione.")


def _process_locked(path: Path, folders: Folders, name: str, check_plan, suffix: str) -> Outcome:
    if not path.exists():
        return Outcome(name, TAKEN, message="elaborato da un'altra esecuzione contemporanea.")
    twin = _already_archived(path, folders)
    if twin is not None:
        os.unlink(path)  # finishes a move interrupted by a crash
        return Outcome(name, TAKEN, moved_to=twin, message="era già stato archiviato.")
    lock = excel_lock_of(path)
    if lock is not None:
        # Moving a file Excel has open fails on Windows and on shares, and would lose the user's edits.
        return Outcome(name, WAITING, message=f"il file risulta aperto in Excel (c'è «{lock.name}»): chiuderlo e "
                                              f"rieseguire. Se non è aperto, eliminare «{lock.name}».")
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        return Outcome(name, WAITING, message="il file è in uso da un altro programma: riprovare più tardi.")
    folders.ensure()
    xlsx, js = _free_pair(folders.out, f"{path.stem}{suffix}")
    try:
        result = check_plan(path, output=xlsx, json_path=js)
    except OutputError as exc:
        return Outcome(name, NOT_WRITTEN, message=f"{exc} Il file resta in «in».")
    except Exception as exc:  # PlanReadError, or a checker bug: one bad file never stops the others
        moved = _reject(path, folders, exc)
        msg = exc.reason if isinstance(exc, PlanReadError) else str(exc)
        return Outcome(name, UNREADABLE, moved_to=moved, message=msg)
    c = result.counts
    outcome = Outcome(name, WITH_ERRORS if result.has_errors else OK, c["error"], c["warning"],
                      result.output, result.report_path)
    if sha256(path) != result.plan.sha256:
        # Saved again while we were reading it: the output is for the old content, so the new one
        # stays in in/ to be checked next time instead of archiving bytes nobody checked.
        outcome.esito = WAITING
        outcome.message = "il file è cambiato durante il controllo: sarà ricontrollato."
        return outcome
    archived = folders.archive / f"{path.stem}_{stamp()}{path.suffix}"
    outcome.moved_to = move_no_overwrite(path, archived)
    return outcome


@dataclass
class Registro:
    """registro.log: one line per event, appended (several processes may write it)."""

    path: Path
    echo: object = None

    def write(self, text: str) -> None:
        line = f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {text}"
        try:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:
            print(f"Impossibile scrivere nel registro «{self.path}»: {exc}", file=sys.stderr)
        if self.echo:
            self.echo(line)

    def outcome(self, o: Outcome, root: Path) -> None:
        parts = [f"{o.name}: {o.esito}"]
        if o.esito in (OK, WITH_ERRORS):
            parts.append(f"errori: {o.errors}, avvisi: {o.warnings}")
        if o.output:
            parts.append(f"risultato {rel(o.output, root)}")
        if o.moved_to:
            parts.append(f"originale in {rel(o.moved_to, root)}")
        if o.message:
            parts.append(o.message)
        self.write(" - ".join(parts))


def rel(p: Path, root: Path) -> str:
    try:
        return Path(p).relative_to(root).as_posix()
    except ValueError:
        return str(p)
