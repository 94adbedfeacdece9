"""The names of what the drop folder derives from a dropped file.

A name too long for the filesystem is shortened by safe_files (extension kept, a stable 8-hex
mark of the full name added); the original name stays in registro.log, in the JSON report and in
the reason file. Names are chosen free under the folder lock and recorded in the journal before
anything is written, so a rerun after a crash finds them again.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from chiari_xl.dropfolder.folders import Folders
from chiari_xl.safe_files import free_name, free_pair, numbered

CHECKED_SUFFIX = "_controllato"
REASON_SUFFIX = " - motivo.txt"


def stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")


def _stem_ext(name: str) -> tuple[str, str]:
    p = Path(name)
    return p.stem, p.suffix


def output_names(folders: Folders, name: str, pdf: bool = False) -> tuple[Path, Path, Path | None]:
    """'<stem>_controllato.xlsx', '.json' and (pdf) '.pdf' in out/, numbered alike
    ('… (2).xlsx' with '… (2).json' and '… (2).pdf'); the PDF's name is None without pdf."""
    stem, _ = _stem_ext(name)
    base = folders.out / f"{stem}{CHECKED_SUFFIX}"
    wanted = [base.with_name(base.name + ext) for ext in (".xlsx", ".json", *([".pdf"] if pdf else []))]
    got = free_pair(*wanted)
    return got[0], got[1], got[2] if pdf else None


def archive_name(folders: Folders, name: str, now: dt.datetime | None = None) -> Path:
    stem, ext = _stem_ext(name)
    return free_name(folders.archive / f"{stem}_{stamp(now)}{ext}")


def reason_of(rejected: Path) -> Path:
    return rejected.with_name(rejected.name + REASON_SUFFIX)


def reject_pair(folders: Folders, name: str) -> tuple[Path, Path]:
    """The name in scartati/ and its '… - motivo.txt', both free and both short enough."""
    reserve = len(REASON_SUFFIX.encode("utf-8"))
    for n in range(1, 100_000):
        target = numbered(folders.rejected / name, n, reserve)
        if not os.path.lexists(target) and not os.path.lexists(reason_of(target)):
            return target, reason_of(target)
    raise FileExistsError(name)
