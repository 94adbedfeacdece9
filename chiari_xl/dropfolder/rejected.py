"""What each rejected file looked like when it was rejected, to notice one that changes afterwards.

A broken file is refused at once, so the office knows without waiting. But a copy that stalls
for longer than the settle time (normal on a network share) is read half-written and refused,
and then the copy goes on writing into that very file, now in scartati/: it was moved by hard
link or rename, so it is the same inode the copying program still has open. Hence the rule:
right after a file is moved to scartati/ its identity and signature (device, inode, size, mtime,
ctime) are recorded in .chiari-xl/scartati.json; a rejected file whose signature changes
afterwards is taken back into in/ (its reason file removed) and checked again like a new file.
If it is now a good plan it is archived and leaves scartati/; if not, it is refused again with
a fresh reason. Saving a corrected file over the one in scartati/ counts as a change too.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from chiari_xl.dropfolder.folders import TAG, Folders
from chiari_xl.safe_files import fsync_dir, stage, write_bytes

STATE_FILE = "scartati.json"


def _path(folders: Folders) -> Path:
    return folders.state / STATE_FILE


def _load(folders: Folders) -> dict:
    try:
        data = json.loads(_path(folders).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(folders: Folders, state: dict) -> None:
    folders.ensure_state()
    tmp = stage(folders.state, ".json", TAG)
    try:
        write_bytes(tmp, json.dumps(state, indent=1).encode("utf-8"))
        os.replace(tmp, _path(folders))  # our own state file: replacing it is the point
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    fsync_dir(folders.state)


def _look(st: os.stat_result) -> dict:
    return {"id": [st.st_dev, st.st_ino], "sig": [st.st_size, st.st_mtime_ns, st.st_ctime_ns]}


def record(folders: Folders, rejected: Path, original_name: str) -> None:
    """Remember how `rejected` looks now (call it after the file is in place, and after any chmod)."""
    state = _load(folders)
    state[rejected.name] = {"name": original_name, **_look(os.lstat(rejected))}
    _save(folders, state)


def forget(folders: Folders, rejected_name: str) -> None:
    state = _load(folders)
    if state.pop(rejected_name, None) is not None:
        _save(folders, state)


def changed(folders: Folders) -> list[tuple[Path, str]]:
    """[(file in scartati/ that changed after it was rejected, the name it was dropped with)].

    Entries of files no longer there (the office deleted them) are dropped.
    """
    if not _path(folders).exists():
        return []
    state = _load(folders)
    out, gone = [], []
    for name, rec in state.items():
        if not isinstance(rec, dict) or Path(name).name != name or name in ("", ".", ".."):
            gone.append(name)
            continue
        p = folders.rejected / name
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            gone.append(name)
            continue
        if not stat.S_ISREG(st.st_mode):
            gone.append(name)
            continue
        if _look(st) != {"id": rec.get("id"), "sig": rec.get("sig")}:
            original = rec.get("name")
            ok = isinstance(original, str) and original and Path(original).name == original
            out.append((p, original if ok else name))
    if gone:
        for name in gone:
            state.pop(name)
        _save(folders, state)
    return out
