"""What in `in/` is a file to process, and what is left alone (and why, in Italian).

Entries are looked at with lstat, never followed: a symbolic link is left alone (whoever can
write to `in/` must not make the service read, and archive, a file from elsewhere), and so are
folders, devices, pipes and sockets (opening a pipe would block for ever).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

PLAN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm")
LINK_REASON = "collegamento simbolico: non viene seguito, mettere nella cartella il file vero"
FOLDER_REASON = "è una cartella, non un file"
SPECIAL_REASON = "non è un file normale (dispositivo, coda o socket)"

# Names that are not plans but the by-products of the programs the office uses.
_SYSTEM_NAMES = {"desktop.ini", "thumbs.db", "icon\r"}
_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")
_EXCEL_TEMP = re.compile(r"^[0-9A-F]{8}$")  # Excel saves to e.g. "3A1F2B00" and then renames


def ignore_reason(path: Path) -> str | None:
    """Why an entry of `in/` is left alone (Italian), or None when it is a file to process."""
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
        st = os.lstat(path)
    except OSError:
        return "file non più presente"
    return kind_reason(st)


def kind_reason(st: os.stat_result) -> str | None:
    """Why a file of this kind is not read (Italian), or None for a plain file."""
    if stat.S_ISLNK(st.st_mode):
        return LINK_REASON
    if stat.S_ISDIR(st.st_mode):
        return FOLDER_REASON
    if not stat.S_ISREG(st.st_mode):
        return SPECIAL_REASON
    if getattr(st, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0):
        return "file nascosto"
    return None


def scan(inbox: Path) -> tuple[list[Path], dict[Path, str]]:
    """(files to process, sorted by name; {entry left alone: reason}).

    Sub-folders are not mentioned unless named like a plan ('piano.xlsx/'), which looks like a mistake.
    """
    todo, ignored = [], {}
    if not inbox.is_dir():
        return todo, ignored
    for p in sorted(inbox.iterdir(), key=lambda p: p.name.lower()):
        why = ignore_reason(p)
        if why is None:
            todo.append(p)
        elif why != FOLDER_REASON or p.suffix.lower() in PLAN_SUFFIXES:
            ignored[p] = why
    return todo, ignored


def excel_lock_of(path: Path) -> Path | None:
    """The '~$' file with which Excel marks `path` as open (Word-style naming for long names too)."""
    name = path.name
    for n in ("~$" + name, "~$" + name[2:]):
        if len(n) > 2 and os.path.lexists(path.parent / n):
            return path.parent / n
    return None
