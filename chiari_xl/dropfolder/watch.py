"""Watch mode: keep an eye on `in/` and check each plan as soon as it has finished arriving.

Filesystem events (watchdog) only wake the loop early; the loop also rescans on its own every
few seconds, because network shares often deliver no events at all. Each file goes through the
same `process_file` as `batch`, so the lock, the journal and the invariants are the same. A
problem with one file, or with a folder, is logged and retried later: the watcher keeps watching.
Each pass also takes back from scartati/ the rejected files that changed since (rejected.py).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler

from chiari_xl.dropfolder.folders import Folders
from chiari_xl.dropfolder.outcome import Esito, Outcome
from chiari_xl.dropfolder.process import process_file, take_back_changed
from chiari_xl.dropfolder.registro import Registro
from chiari_xl.dropfolder.scan import scan
from chiari_xl.dropfolder.stability import Stability

SLICE = 0.25  # how often a stop request is noticed, at most
_RETRY = (Esito.WAITING, Esito.NOT_WRITTEN, Esito.IGNORED)


class _Wake(FileSystemEventHandler):
    """watchdog handler: any event in in/ just wakes the loop, which then rescans."""

    def __init__(self, event: threading.Event):
        super().__init__()
        self.event = event

    def on_any_event(self, event) -> None:
        self.event.set()


def _start_observer(inbox: Path, wake: threading.Event, polling: bool, registro: Registro):
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    kinds = [PollingObserver] if polling else [Observer, PollingObserver]
    for kind in kinds:
        observer = kind()
        try:
            observer.schedule(_Wake(wake), str(inbox), recursive=False)
            observer.start()
            return observer
        except OSError as exc:  # e.g. inotify limits reached: the polling observer still works
            registro.write(f"Avviso: notifiche del sistema non disponibili ({exc}); controllo periodico.")
    return None


def run_watch(root: Path, settle: float = 2.0, rescan: float = 2.0, stop: threading.Event | None = None,
              echo=None, polling: bool = False, on_outcome=None) -> list[Outcome]:
    """Process files arriving in root/in until `stop` is set; returns the outcomes."""
    folders = Folders(Path(root))
    folders.ensure()
    stop = stop or threading.Event()
    registro = Registro(folders.log, echo=echo)
    wake = threading.Event()
    observer = _start_observer(folders.inbox, wake, polling, registro)
    registro.write(f"Sorveglianza avviata su «{folders.inbox}».")
    loop = _Loop(folders, registro, Stability(settle), max(rescan, settle), on_outcome)
    try:
        while not stop.is_set():
            wake.clear()
            try:
                busy = loop.once(stop)
                loop.told.pop("loop", None)
            except Exception as exc:  # e.g. in/ gone or unreadable for a moment: say so, keep watching
                loop.tell("loop", f"Problema durante la sorveglianza ({type(exc).__name__}: {exc}); riprovo.")
                busy = False
            _sleep(stop, wake, SLICE if busy else rescan)
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        registro.write("Sorveglianza arrestata.")
    return loop.outcomes


class _Loop:
    def __init__(self, folders: Folders, registro: Registro, stability: Stability, retry: float, on_outcome):
        self.folders, self.registro, self.stability, self.retry = folders, registro, stability, retry
        self.on_outcome = on_outcome
        self.outcomes: list[Outcome] = []
        self.told: dict[object, str] = {}        # last thing logged per file: a waiting file is logged once
        self.retry_at: dict[Path, float] = {}    # files not done now are retried later, not in a tight loop

    def once(self, stop: threading.Event) -> bool:
        """One pass; True when files are still arriving (look again soon)."""
        for o in take_back_changed(self.folders):
            self._record(o)
        todo, ignored = scan(self.folders.inbox)
        for p, why in ignored.items():
            self.tell(p, f"{p.name}: lasciato stare ({why}).")
        now = time.monotonic()
        todo = [p for p in todo if self.retry_at.get(p, 0) <= now]
        ready = self.stability.ready(todo)
        for p in todo:
            if p not in ready:
                self.tell(p, f"{p.name}: in arrivo, attendo la fine della copia.")
        for p in ready:
            if stop.is_set():
                break
            o = process_file(p, self.folders, seen=self.stability.signature_of(p))
            if o.esito in _RETRY:
                self.retry_at[p] = time.monotonic() + self.retry
                self.tell(p, None, o)
            else:
                self.retry_at.pop(p, None)
                self.told.pop(p, None)
                self.stability.forget(p)
                self.registro.outcome(o, self.folders.root)
            self._note(o)
        present = set(todo) | set(ignored)
        for p in [p for p in self.told if isinstance(p, Path) and p not in present and not p.exists()]:
            self.told.pop(p)
        return len(ready) < len(todo)

    def _record(self, o: Outcome) -> None:
        self.registro.outcome(o, self.folders.root)
        self._note(o)

    def _note(self, o: Outcome) -> None:
        self.outcomes.append(o)
        if self.on_outcome:
            self.on_outcome(o)

    def tell(self, key, text: str | None, outcome: Outcome | None = None) -> None:
        said = text if outcome is None else f"{outcome.esito}|{outcome.message}"
        if self.told.get(key) == said:
            return
        self.told[key] = said
        if outcome is None:
            self.registro.write(text)
        else:
            self.registro.outcome(outcome, self.folders.root)


def _sleep(stop: threading.Event, wake: threading.Event, seconds: float) -> None:
    """Sleep up to `seconds`, waking early on a filesystem event or a stop request."""
    end = time.monotonic() + seconds
    while not stop.is_set() and not wake.is_set():
        left = end - time.monotonic()
        if left <= 0:
            return
        wake.wait(min(SLICE, left))
