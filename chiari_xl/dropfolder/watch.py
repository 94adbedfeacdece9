"""Watch mode: keep an eye on `in/` and check each plan as soon as it has finished arriving.

Filesystem events (watchdog) only wake the loop early; the loop also rescans on its own every
few seconds, because network shares often deliver no events at all. Each file goes through the
same `process_file` as `batch`, so the lock, the archive and the invariants are the same.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler

from chiari_xl.dropfolder import NOT_WRITTEN, WAITING, Folders, Outcome, Registro, Stability, process_file, scan

SLICE = 0.25  # how often a stop request is noticed, at most


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
    stability = Stability(settle)
    outcomes: list[Outcome] = []
    told: dict[Path, str] = {}          # last thing logged per file, so a waiting file is not logged every loop
    retry_at: dict[Path, float] = {}    # files that could not be done now are retried later, not in a tight loop
    try:
        while not stop.is_set():
            wake.clear()
            todo, ignored = scan(folders.inbox)
            for p, why in ignored.items():
                _tell(registro, told, p, f"{p.name}: lasciato stare ({why}).")
            now = time.monotonic()
            todo = [p for p in todo if retry_at.get(p, 0) <= now]
            ready = stability.ready(todo)
            for p in todo:
                if p not in ready:
                    _tell(registro, told, p, f"{p.name}: in arrivo, attendo la fine della copia.")
            for p in ready:
                if stop.is_set():
                    break
                o = process_file(p, folders)
                if o.esito in (WAITING, NOT_WRITTEN):
                    retry_at[p] = time.monotonic() + max(rescan, settle)
                    _tell(registro, told, p, None, o, folders.root)
                else:
                    retry_at.pop(p, None)
                    told.pop(p, None)
                    stability.forget(p)
                    registro.outcome(o, folders.root)
                outcomes.append(o)
                if on_outcome:
                    on_outcome(o)
            present = set(todo) | set(ignored)
            for p in [p for p in told if p not in present and not p.exists()]:
                told.pop(p)
            _sleep(stop, wake, SLICE if len(ready) < len(todo) else rescan)
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        registro.write("Sorveglianza arrestata.")
    return outcomes


def _tell(registro: Registro, told: dict, path: Path, text: str | None, outcome: Outcome | None = None,
          root: Path | None = None) -> None:
    key = text if outcome is None else f"{outcome.esito}|{outcome.message}"
    if told.get(path) == key:
        return
    told[path] = key
    if outcome is None:
        registro.write(text)
    else:
        registro.outcome(outcome, root)


def _sleep(stop: threading.Event, wake: threading.Event, seconds: float) -> None:
    """Sleep up to `seconds`, waking early on a filesystem event or a stop request."""
    end = time.monotonic() + seconds
    while not stop.is_set() and not wake.is_set():
        left = end - time.monotonic()
        if left <= 0:
            return
        wake.wait(min(SLICE, left))
