"""A private copy of a dropped file's bytes, taken through a descriptor that follows no link.

The checker reads the copy, never the file in `in/`: what is checked is exactly the bytes whose
sha256 is archived (a copy still running into the file cannot change them under the reader), and
a file swapped for a symbolic link between the scan and the read is refused by O_NOFOLLOW.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from chiari_xl.dropfolder.stability import Signature
from chiari_xl.safe_files import copy_fd, writing

_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))


class NotPlainFile(Exception):
    """The entry is a link, a folder, a device...: never read."""


class StillChanging(Exception):
    """The file changed while it was being read."""


@dataclass(frozen=True)
class Snapshot:
    path: Path                    # the private copy, named like the original
    sha256: str
    identity: tuple[int, int]     # (st_dev, st_ino) of the original
    signature: Signature          # (size, mtime_ns, ctime_ns) of the original when read


def take(src: Path, workdir: Path, shown_folder: Path) -> Snapshot:
    """Copy `src` into `workdir`.

    Raises NotPlainFile, StillChanging, OSError when `src` cannot be read, OutputError (naming
    shown_folder) when the copy cannot be written.
    """
    try:
        fd = os.open(src, _FLAGS)
    except OSError as exc:
        if not isinstance(exc, PermissionError) and os.path.islink(src):
            raise NotPlainFile from None  # ELOOP: it is a symbolic link
        raise
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise NotPlainFile
        copy = workdir / src.name
        with writing(shown_folder):  # the copy is ours: a full disk here is a problem of the folder
            out = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            try:
                digest = copy_fd(fd, out)
            finally:
                os.close(out)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    sig = (after.st_size, after.st_mtime_ns, after.st_ctime_ns)
    if sig != (before.st_size, before.st_mtime_ns, before.st_ctime_ns):
        raise StillChanging
    return Snapshot(copy, digest, (after.st_dev, after.st_ino), sig)
