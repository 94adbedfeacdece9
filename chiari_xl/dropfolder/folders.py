"""Where things are in a drop folder, and which folder is meant when none is given.

    in/         the office drops plans here
    out/        checked workbook + JSON report of each plan (never overwritten)
    archivio/   each processed original, renamed with date and time, byte-identical
    scartati/   files that are not readable plans, each with a "- motivo.txt" beside it
    registro.log, .chiari-xl.lock
    .chiari-xl/ the program's own state: journal/ of moves under way, scartati.json (what each
                rejected file looked like when it was rejected), lavoro-*/ scratch space
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".chiari-xl.lock"
LOG_NAME = "registro.log"
STATE_NAME = ".chiari-xl"
TAG = "dl-"  # temporary files of the drop folder are '.~chiari-dl-…': only a lock holder makes them


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

    @property
    def state(self) -> Path:
        return self.root / STATE_NAME

    @property
    def journal(self) -> Path:
        return self.state / "journal"

    def ensure(self) -> None:
        for d in (self.inbox, self.out, self.archive, self.rejected):
            d.mkdir(parents=True, exist_ok=True)

    def ensure_state(self) -> None:
        self.journal.mkdir(parents=True, exist_ok=True)

    def rel(self, path: Path) -> str:
        return rel(path, self.root)


def rel(p: Path, root: Path) -> str:
    try:
        return Path(p).relative_to(root).as_posix()
    except ValueError:
        return str(p)


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
