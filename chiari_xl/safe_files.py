"""Output files: never overwrite, never leave half a file.

Every output is written to a temporary file in the target folder and then linked into
place under a name that does not exist yet (os.link fails rather than overwrite), so a
reader sees either no file or the whole file, and an existing file is never replaced.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from chiari_xl.errors import OutputError


def free_name(path: Path) -> Path:
    """`path` if it is free, else 'name (2).ext', 'name (3).ext'..."""
    path = Path(path)
    if not path.exists():
        return path
    i = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({i}){path.suffix}")
        if not candidate.exists():
            return candidate
        i += 1


@contextmanager
def atomic_output(path: Path):
    """Yields a temporary path to write; on success moves it to a free name near `path`.

    The final path is available as the context value's `.final` after the block.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"La cartella di destinazione «{folder}» non esiste.")
    fd, tmp = tempfile.mkstemp(prefix=".~chiari-", suffix=path.suffix, dir=folder)
    os.close(fd)
    holder = _Result(Path(tmp))
    try:
        yield holder
        holder.final = _link_free(Path(tmp), path)
    except PermissionError as exc:
        raise OutputError(f"Non ho il permesso di scrivere in «{folder}» ({exc.strerror}).") from None
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"Impossibile scrivere «{path.name}»: {exc.strerror or exc}.") from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


class _Result:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.final: Path | None = None


def _link_free(tmp: Path, wanted: Path) -> Path:
    for _ in range(1000):
        target = free_name(wanted)
        try:
            os.link(tmp, target)
            return target
        except FileExistsError:
            continue  # another process took the name between the check and the link
        except (AttributeError, NotImplementedError, PermissionError):
            # file systems without hard links: an exclusive create keeps "never overwrite"
            try:
                with open(target, "xb") as out, open(tmp, "rb") as src:
                    out.write(src.read())
                return target
            except FileExistsError:
                continue
    raise OutputError(f"Nessun nome libero per «{wanted.name}».")


def move_no_overwrite(src: Path, wanted: Path) -> Path:
    """Move src to a free name near `wanted`; never replaces a file, never loses src."""
    for _ in range(1000):
        target = free_name(wanted)
        try:
            os.link(src, target)  # fails if target exists: no overwrite, even racing another process
        except FileExistsError:
            continue
        except OSError:
            # no hard links here (some network shares): rename, which on Windows refuses to
            # overwrite; elsewhere the folder lock we hold keeps the free name free.
            if target.exists():
                continue
            os.rename(src, target)
            return target
        os.unlink(src)
        return target
    raise OutputError(f"Nessun nome libero per «{wanted.name}».")
