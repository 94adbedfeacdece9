"""When a file has finished arriving: same size and times for `settle` seconds.

A file whose size or times change after it was seen is never judged: processing compares the
signature it saw here with the one of the bytes it reads (see process.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

Signature = tuple[int, int, int]


def signature(path: Path) -> Signature:
    st = os.lstat(path)
    # ctime too: a copy that keeps the source's mtime (Explorer, cp -p) still has a fresh ctime
    # (change time on POSIX, creation time on Windows), so it is not mistaken for an old file.
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns


class Stability:
    """Tells when a file is no longer being written: same size and times for `settle` seconds."""

    def __init__(self, settle: float = 2.0, clock=time.monotonic):
        self.settle = settle
        self.clock = clock
        self._seen: dict[Path, tuple[Signature, float]] = {}

    def ready(self, paths: list[Path]) -> list[Path]:
        # Every file is watched for `settle` seconds, even one with old timestamps: the times of a
        # file on a network share come from the server's clock, which may be off from ours.
        now = self.clock()
        out, seen = [], {}
        for p in paths:
            try:
                sig = signature(p)
            except OSError:
                continue
            old = self._seen.get(p)
            since = old[1] if old and old[0] == sig else now
            seen[p] = (sig, since)
            if now - since >= self.settle:
                out.append(p)
        self._seen = seen
        return out

    def signature_of(self, path: Path) -> Signature | None:
        """The signature `path` had when it was last judged ready (or seen)."""
        got = self._seen.get(path)
        return got[0] if got else None

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)


def wait_stable(paths: list[Path], settle: float, timeout: float, poll: float = 0.25,
                on_wait=None) -> tuple[list[Path], list[Path], dict[Path, Signature]]:
    """(stable files, files still changing after `timeout` seconds, {stable file: its signature})."""
    stab = Stability(settle)
    deadline = time.monotonic() + timeout
    pending = list(paths)
    done: dict[Path, Signature] = {}
    warned = False
    start = time.monotonic()
    while True:
        ready = stab.ready(pending)
        done.update((p, stab.signature_of(p)) for p in ready)
        pending = [p for p in pending if p not in ready and os.path.lexists(p)]
        if not pending or time.monotonic() >= deadline:
            return sorted(done, key=lambda p: p.name.lower()), pending, done
        # Say so only for a real wait, not for the one settle period every fresh file needs.
        if on_wait and not warned and time.monotonic() - start > settle + 1.0:
            on_wait(pending)
            warned = True
        time.sleep(poll)
