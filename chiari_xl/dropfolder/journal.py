"""Crash consistency: a small journal of each transaction under way.

Every dropped file ends in one transaction, always under the folder lock:
  archive    the checked workbook and its JSON are placed in out/, then the original is moved
             to archivio/;
  reject     the reason file is placed in scartati/, then the original is moved beside it;
  take back  a rejected file that changed afterwards (rejected.py) is moved back to in/, then
             its reason file is removed.

The steps of a transaction:
  1. every output is written whole to a temporary file '.~chiari-dl-…' in its own folder;
  2. the journal entry is written (temporary file, fsync, rename into .chiari-xl/journal/): the
     kind, where the original is and where it goes, its identity (device, inode) and sha256, the
     exact final names of the outputs and the sha256 of each;
  3. each output is linked to its final name (os.link: never over an existing file);
  4. the original is moved (hard link + unlink; across filesystems copy + fsync + verify + unlink);
  5. the after-move steps: an old reason file removed, the rejected file's look recorded;
  6. the entry is deleted.

Recovery runs at every acquisition of the lock, before anything else, and replays each entry a
crash left behind:
  - the original is at its destination (same inode; or, for a copy to another filesystem, the
    same sha256): the move happened, so it is completed (the name left in the source folder is
    removed if it is the same file) and steps 5-6 are done: roll forward;
  - otherwise nothing was moved: every output whose name and sha256 match the entry is removed
    (a file we did not write is never touched) and the entry deleted: roll back. The original,
    still where it was, is processed again from scratch, which gives exactly one output pair.
Then every '.~chiari-dl-' temporary file and scratch folder is removed: only the holder of the
lock makes them, so one found by the holder of the lock belongs to a process that died.

Why a journal rather than names derived from the input's hash and time of arrival: the arrival
cannot be read back after a crash (the links that move a file change its ctime, and copies keep
an old mtime), and the office may drop the same bytes under the same name twice on purpose and
expect two results. A journal writes the decision down once, before acting, and recovery tells
"moved" from "not moved" by identity and hash, without guessing.

The invariants after a crash at any point and one rerun: no temporary file anywhere in the drop
folder, exactly one complete output pair per processed input, one reason file per rejected
input, every original in exactly one of in/, archivio/, scartati/.
tests/test_dropfolder_faults.py kills a run (SIGKILL) at every link, rename, replace, unlink,
mkdir, rmdir and write in turn, with and without hard links, and checks them after one rerun.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from chiari_xl.dropfolder import rejected
from chiari_xl.dropfolder.folders import TAG, Folders
from chiari_xl.errors import OutputError
from chiari_xl.safe_files import (TMP_PREFIX, SourceChanged, file_sha256, fsync_dir, give_umask_mode,
                                  move_no_overwrite, place, stage, write_bytes, writing)

ARCHIVE, REJECT, TAKE_BACK = "archive", "reject", "take-back"
WORK_PREFIX = "lavoro-"


def _new_id() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}"


@dataclass
class Entry:
    kind: str
    name: str                      # the original's name as dropped (for the log)
    src: str                       # paths relative to the drop folder, POSIX style
    dest: str
    identity: list[int]            # [st_dev, st_ino] of the original
    sha256: str | None             # of the original (None for a take back: it may still grow)
    outputs: list[list[str]] = field(default_factory=list)   # [path, sha256] placed before the move
    remove: list[list[str]] = field(default_factory=list)    # [path, sha256] removed after it
    id: str = field(default_factory=_new_id)


def relpath(folders: Folders, path: Path) -> str:
    return Path(path).relative_to(folders.root).as_posix()


def _abs(folders: Folders, rel: str) -> Path:
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise ValueError(f"percorso fuori dalla cartella: {rel!r}")  # never act outside the drop folder
    return folders.root.joinpath(*parts)


def _entry_path(folders: Folders, entry: Entry) -> Path:
    return folders.journal / f"{entry.id}.json"


def new_workdir(folders: Folders) -> Path:
    """A private scratch folder (snapshot of the input, xlsxwriter's scratch files)."""
    folders.ensure_state()
    work = folders.state / f"{WORK_PREFIX}{_new_id()}"
    work.mkdir()
    return work


# --------------------------------------------------------------------------- running

def execute(folders: Folders, entry: Entry, staged: dict[str, Path]) -> None:
    """Steps 2-6 of a transaction; staged: final path (relative) -> its finished temporary file.

    On any failure what was done is undone (or left to recovery) and the exception re-raised:
    OutputError for a problem of a folder, SourceChanged when the original is no longer the
    file that was read.
    """
    _write(folders, entry)
    try:
        for rel, _sha in entry.outputs:
            final = _abs(folders, rel)
            with writing(final.parent, final.name):
                place(staged[rel], final, exact=True)
        move_no_overwrite(_abs(folders, entry.src), _abs(folders, entry.dest), exact=True,
                          identity=tuple(entry.identity), sha256=entry.sha256,
                          allow_copy=entry.kind != TAKE_BACK, tag=TAG)
    except BaseException:
        try:
            _roll_back(folders, entry)
        except Exception:
            pass  # the entry stays in the journal: the next holder of the lock finishes the job
        raise
    _finish(folders, entry)


def _write(folders: Folders, entry: Entry) -> None:
    with writing(folders.root, "il registro delle operazioni"):
        folders.ensure_state()
        tmp = stage(folders.journal, ".json", TAG)
        try:
            write_bytes(tmp, json.dumps(asdict(entry), indent=1).encode("utf-8"))
            os.replace(tmp, _entry_path(folders, entry))
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
        fsync_dir(folders.journal)


def _delete(folders: Folders, entry: Entry) -> None:
    os.unlink(_entry_path(folders, entry))
    fsync_dir(folders.journal)


def _load(path: Path) -> Entry:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Entry(**data)


# --------------------------------------------------------------------------- where the original is

def _holds_original(folders: Folders, path: Path, entry: Entry) -> bool:
    """Is `path` the original of `entry`: the same inode, or a copy of it with its bytes."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if [st.st_dev, st.st_ino] == list(entry.identity):
        return True
    # A copy (another filesystem, or a share without links): the name was free when the entry was
    # written under the lock, so a file there with the original's bytes is our verified copy.
    return bool(entry.sha256) and file_sha256(path) == entry.sha256


def _leftover(folders: Folders, src: Path, dest: Path, entry: Entry) -> bool:
    """Is `src` the name the original still has where it came from (to be removed)?"""
    try:
        st = os.lstat(src)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode) or [st.st_dev, st.st_ino] != list(entry.identity):
        return False
    if os.path.samestat(st, os.lstat(dest)):
        return True
    # A copy to another filesystem: the source goes only if it still has exactly those bytes.
    return bool(entry.sha256) and file_sha256(src) == entry.sha256


def _remove_matching(folders: Folders, items: list[list[str]]) -> None:
    for rel, sha in items:
        p = _abs(folders, rel)
        if os.path.lexists(p) and stat.S_ISREG(os.lstat(p).st_mode) and file_sha256(p) == sha:
            with writing(p.parent, p.name):
                os.unlink(p)
                fsync_dir(p.parent)


def _roll_back(folders: Folders, entry: Entry) -> None:
    """Undo after a failure in this process: the original back to one place, our outputs gone."""
    src, dest = _abs(folders, entry.src), _abs(folders, entry.dest)
    if _holds_original(folders, dest, entry):
        if not _leftover(folders, src, dest, entry):
            _finish(folders, entry)  # the move did complete: go forward instead
            return
        with writing(dest.parent, dest.name):
            os.unlink(dest)  # a second name (or a verified copy) of the file still in its place
    _remove_matching(folders, entry.outputs)
    _delete(folders, entry)


def _roll_forward(folders: Folders, entry: Entry) -> None:
    src, dest = _abs(folders, entry.src), _abs(folders, entry.dest)
    if _leftover(folders, src, dest, entry):
        with writing(src.parent, src.name):
            os.unlink(src)
            fsync_dir(src.parent)
    _finish(folders, entry)


def _finish(folders: Folders, entry: Entry) -> None:
    dest = _abs(folders, entry.dest)
    _remove_matching(folders, entry.remove)
    with writing(folders.root, "lo stato della cartella"):
        if entry.kind in (ARCHIVE, REJECT):
            give_umask_mode(dest)
        if entry.kind == REJECT:
            rejected.record(folders, dest, entry.name)
        elif entry.kind == TAKE_BACK:
            rejected.forget(folders, PurePosixPath(entry.src).name)
        _delete(folders, entry)


# --------------------------------------------------------------------------- recovery

def recover(folders: Folders) -> set[str]:
    """Finish or undo what a crash interrupted, then remove stray temporary files (lock held).

    Returns the source paths (relative) of entries that could not be settled now (e.g. a folder
    not writable): those files must not be processed again until they are.
    """
    if not folders.state.is_dir():
        return set()
    unresolved = set()
    try:
        entries = sorted(p for p in folders.journal.iterdir() if p.suffix == ".json"
                         and not p.name.startswith(TMP_PREFIX))
    except FileNotFoundError:
        entries = []
    for path in entries:
        try:
            entry = _load(path)
            _abs(folders, entry.src), _abs(folders, entry.dest)
        except (ValueError, TypeError, OSError):
            continue  # not one of ours (entries are written whole, by rename)
        try:
            if _holds_original(folders, _abs(folders, entry.dest), entry):
                _roll_forward(folders, entry)
            else:
                _remove_matching(folders, entry.outputs)
                _delete(folders, entry)
        except (OSError, OutputError, SourceChanged):
            unresolved.add(entry.src)
    sweep(folders)
    return unresolved


def sweep(folders: Folders) -> None:
    """Remove the drop folder's temporary files and scratch folders (lock held)."""
    mark = TMP_PREFIX + TAG
    for d in (folders.out, folders.archive, folders.rejected, folders.journal, folders.state):
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                if e.name.startswith(mark) and not e.is_dir(follow_symlinks=False):
                    os.unlink(e.path)
                elif d == folders.state and e.name.startswith(WORK_PREFIX) and e.is_dir(follow_symlinks=False):
                    shutil.rmtree(e.path)
            except OSError:
                pass


def pending_sources(folders: Folders) -> set[str]:
    """Sources of entries still in the journal (only after a failed recovery)."""
    out = set()
    if folders.journal.is_dir():
        for p in folders.journal.glob("*.json"):
            try:
                out.add(_load(p).src)
            except (ValueError, TypeError, OSError):
                continue
    return out
