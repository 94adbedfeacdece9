"""Placing files: never overwrite, never leave half a file, never lose a file being moved.

The one home for no-overwrite placement; every writer of the project goes through it.

- `atomic_output(path)`: the caller writes a temporary file in the target folder, which is then
  linked into place under a name that does not exist yet (`os.link` fails rather than replace),
  so a reader sees either no file or the whole file, and an existing file is never replaced.
- `move_no_overwrite(src, wanted)`: a hard link then an unlink, so a crash in between leaves the
  file in both places, never in none. Where no hard link can be made (another filesystem, a share
  without links), the file is renamed on the same filesystem, or across filesystems copied,
  fsynced, verified by sha256 and only then removed from where it was.
- Names: `free_name` ('x (2).xlsx'), `free_pair` ('x (2).xlsx' with 'x (2).json'), and
  `short_name`: a name too long for the filesystem is cut, keeping its extension and a stable
  8-hex mark (sha256 of the full stem), so the same long name always gives the same short one.
- A problem of the place written to (no permission, read-only, full disk, name too long,
  xlsxwriter's FileCreateError, which wraps the OSError and is not one) becomes an OutputError
  that says in Italian what to fix and keeps the errno; temporary files are created inside that
  handling, so the folder's own problem is never mistaken for something else.

Files are created with mode 0666 minus the umask (0644 under 022), as any program does, so
colleagues on a shared folder can open them; temporary files start with TMP_PREFIX.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from chiari_xl.errors import OutputError

TMP_PREFIX = ".~chiari-"
NAME_MAX = 255  # bytes in one name: ext4, xfs, btrfs, tmpfs; NTFS and SMB count 255 UTF-16 units
_CHUNK = 1 << 20
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# link() errors that mean "this filesystem cannot link these two names", not "you may not write here"
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP,
            getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


class SourceChanged(Exception):
    """The file to move is no longer the one that was read (replaced, edited, not a plain file)."""


# --------------------------------------------------------------------------- names

def _split(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 15 or " " in ext:
        return name, ""
    return stem, "." + ext


def _fits(name: str, reserve: int = 0) -> bool:
    return len(name.encode("utf-8")) <= NAME_MAX - reserve


def _short_stem(stem: str, room: int) -> str:
    """`stem` cut to `room` bytes, ending with '~' and 8 hex digits of its sha256."""
    mark = "~" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    budget = max(room - len(mark), 1)
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .") + mark


def short_name(name: str, reserve: int = 0) -> str:
    """`name`, or when it does not fit in NAME_MAX - reserve bytes a shortened one (same extension)."""
    if _fits(name, reserve):
        return name
    stem, ext = _split(name)
    return _short_stem(stem, NAME_MAX - reserve - len(ext.encode("utf-8"))) + ext


def numbered(path: Path, n: int, reserve: int = 0) -> Path:
    """The n-th candidate name for `path`: 'x.ext', 'x (2).ext', ... each short enough to create."""
    path = Path(path)
    stem, ext = _split(path.name)
    return path.with_name(_numbered_stem(stem, n, len(ext.encode("utf-8")) + reserve) + ext)


def _numbered_stem(stem: str, n: int, tail_bytes: int) -> str:
    mark = "" if n == 1 else f" ({n})"
    if _fits(stem + mark, tail_bytes):
        return stem + mark
    return _short_stem(stem, NAME_MAX - tail_bytes - len(mark)) + mark


def free_name(path: Path, reserve: int = 0) -> Path:
    """`path` if it is free, else 'name (2).ext', 'name (3).ext'... (shortened when too long)."""
    for n in range(1, 100_000):
        candidate = numbered(path, n, reserve)
        if not os.path.lexists(candidate):
            return candidate
    raise OutputError(f"Nessun nome libero per «{Path(path).name}».")


def free_pair(*paths: Path) -> tuple[Path, ...]:
    """Names for files that belong together ('x.xlsx' and 'x.json'): the first number free for all.

    Each path keeps its folder and extension; all get the stem of the first, numbered alike.
    """
    paths = [Path(p) for p in paths]
    stem = _split(paths[0].name)[0]
    exts = [_split(p.name)[1] for p in paths]
    longest = max(len(e.encode("utf-8")) for e in exts)
    for n in range(1, 100_000):
        base = _numbered_stem(stem, n, longest)
        names = tuple(p.with_name(base + e) for p, e in zip(paths, exts))
        if not any(os.path.lexists(p) for p in names):
            return names
    raise OutputError(f"Nessun nome libero per «{paths[0].name}».")


# --------------------------------------------------------------------------- errors

def place_problem(err: OSError, folder: Path) -> str:
    """What is wrong with the place we write to, in Italian, as the office can act on it."""
    where = f"cartella «{Path(folder).name or folder}»"
    code = err.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"la {where} non è scrivibile"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"disco pieno ({where})"
    if code == errno.ENAMETOOLONG:
        return "nome troppo lungo: rinominare il file"
    if code == errno.ENOENT:
        return f"la {where} non esiste più"
    return f"impossibile scrivere nella {where} ({err.strerror or err})"


def _os_error(exc: BaseException) -> OSError:
    """The OSError behind `exc` (xlsxwriter's FileCreateError carries it as its argument)."""
    for cand in (exc, *exc.args[:1], exc.__cause__, exc.__context__):
        if isinstance(cand, OSError):
            return cand
    return OSError(errno.EIO, str(exc))


@contextmanager
def writing(folder: Path, name: str | None = None):
    """Turns a problem of the place written to into an OutputError naming it (Italian)."""
    try:
        yield
    except (OSError, FileCreateError) as exc:
        if isinstance(exc, OutputError):
            raise
        err = _os_error(exc)
        problem = place_problem(err, Path(folder))
        what = f"«{name}»" if name else f"nella cartella «{folder}»"
        raise OutputError(f"Impossibile scrivere {what}: {problem}.", errno=err.errno, problem=problem,
                          folder=Path(folder)) from None


# --------------------------------------------------------------------------- low-level file work

def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def give_umask_mode(path: Path) -> None:
    """Best effort: `path` gets 0666 minus the umask (a file we only linked keeps its own mode)."""
    try:
        os.chmod(path, 0o666 & ~current_umask(), follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass


def stage(folder: Path, suffix: str = "", tag: str = "") -> Path:
    """Create an empty temporary file in `folder` (mode 0666 minus umask); raises OSError."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC
    for _ in range(100):
        tmp = Path(folder) / f"{TMP_PREFIX}{tag}{secrets.token_hex(6)}{suffix[:16]}"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "nessun nome temporaneo libero", str(folder))


def write_all(fd: int, data) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def copy_fd(src_fd: int, dst_fd: int) -> str:
    """Copy everything from src_fd to dst_fd; the sha256 of what was copied."""
    h = hashlib.sha256()
    while chunk := os.read(src_fd, _CHUNK):
        h.update(chunk)
        write_all(dst_fd, chunk)
    return h.hexdigest()


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` into the existing file `path` (truncating it) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
    try:
        while chunk := os.read(fd, _CHUNK):
            h.update(chunk)
    finally:
        os.close(fd)
    return h.hexdigest()


def fsync_file(path: Path) -> None:
    fd = os.open(path, (os.O_RDWR if os.name == "nt" else os.O_RDONLY) | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make the names just created or removed in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | _O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a directory
    finally:
        os.close(fd)


def unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _cannot_link(exc: BaseException) -> bool:
    return isinstance(exc, (AttributeError, NotImplementedError)) or (
        isinstance(exc, OSError) and exc.errno in _NO_LINK)


def _targets(wanted: Path, exact: bool):
    if exact:
        yield wanted
        return
    for n in range(1, 100_000):
        yield numbered(wanted, n)


def _taken(wanted: Path) -> FileExistsError:
    return FileExistsError(errno.EEXIST, "il nome è già usato", str(wanted))


# --------------------------------------------------------------------------- placing

def _link_first_free(src: Path, wanted: Path, exact: bool, no_link) -> tuple[Path, bool]:
    """Hard-link src to `wanted` (or, unless exact, the first free name near it): (name, True).

    os.link never replaces a file, even racing another process. Where no link can be made,
    no_link(free name, error) places the file another way: (its result, False).
    """
    for target in _targets(Path(wanted), exact):
        try:
            os.link(src, target)  # a symbolic link would be linked itself, never followed
        except FileExistsError:
            continue
        except (OSError, AttributeError, NotImplementedError) as exc:
            if not _cannot_link(exc):
                raise
            if os.path.lexists(target):
                continue
            return no_link(target, exc), False
        return target, True
    raise _taken(wanted)


def place(tmp: Path, wanted: Path, *, exact: bool = False) -> Path:
    """Give the finished temporary file `tmp` its name: `wanted` or, unless exact, a free one near it.

    Never replaces a file (exact: FileExistsError when `wanted` exists). Raises OSError. The
    caller has made `tmp` durable (write_bytes fsyncs; atomic_output does it for its writer).
    """
    def rename_instead(target: Path, _exc) -> Path:
        # No hard links here (some shares): rename, which Windows refuses to do over a file;
        # elsewhere the name was just seen free and the caller's folder lock keeps it so.
        os.rename(tmp, target)
        return target

    target, linked = _link_first_free(tmp, wanted, exact, rename_instead)
    if linked:
        unlink_quietly(tmp)
    fsync_dir(target.parent)
    return target


@contextmanager
def atomic_output(path: Path, *, exact: bool = False, tag: str = ""):
    """Yields a holder whose `.tmp` is to be written; on success it is placed at a free name near
    `path` (exactly `path` with exact=True) and `.final` is set. Raises OutputError.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"La cartella di destinazione «{folder}» non esiste.", errno=errno.ENOENT,
                          problem=f"la cartella «{folder.name}» non esiste", folder=folder)
    holder = None
    try:
        with writing(folder, path.name):
            holder = _Result(stage(folder, path.suffix, tag))
            yield holder
            fsync_file(holder.tmp)
            holder.final = place(holder.tmp, path, exact=exact)
    finally:
        if holder is not None:
            try:
                unlink_quietly(holder.tmp)
            except OSError:
                pass


class _Result:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.final: Path | None = None


# --------------------------------------------------------------------------- moving

def move_no_overwrite(src: Path, wanted: Path, *, exact: bool = False, identity: tuple[int, int] | None = None,
                      sha256: str | None = None, allow_copy: bool = True, tag: str = "") -> Path:
    """Move src to `wanted` (or, unless exact, a free name near it); never replaces a file, never loses src.

    identity (st_dev, st_ino) and sha256 say which file and which bytes are meant: if src is no
    longer that (replaced or edited meanwhile) SourceChanged is raised and src stays put. Only a
    plain file is moved, never what a symbolic link points to. allow_copy=False refuses to copy
    across filesystems (for a file that may still be growing: only the same inode keeps the bytes
    still being written into it). Problems of the destination raise OutputError.
    """
    src, wanted = Path(src), Path(wanted)
    with writing(wanted.parent, wanted.name):
        st = os.lstat(src)
        _same_file(st, identity)

        def without_link(target: Path, exc: BaseException) -> Path:
            if _same_filesystem(st, target.parent):
                _same_file(os.lstat(src), (st.st_dev, st.st_ino))
                with writing(src.parent, src.name):
                    os.rename(src, target)  # same filesystem, no links: rename keeps the inode
                fsync_dir(target.parent)
                fsync_dir(src.parent)
                return target
            if not allow_copy:
                raise exc
            return _copy_then_remove(src, target, st, sha256, exact, tag)

        target, linked = _link_first_free(src, wanted, exact, without_link)
        if not linked:
            return target
        try:
            _same_file(os.lstat(target), (st.st_dev, st.st_ino))
            if sha256 is not None and file_sha256(target) != sha256:
                raise SourceChanged("il contenuto è cambiato")
        except BaseException:
            os.unlink(target)  # the name we just made; src is untouched
            raise
        fsync_dir(target.parent)
        _remove_source(src, undo=target)
        return target


def _remove_source(src: Path, undo: Path) -> None:
    """The last step of a move; if the source folder refuses, the new name goes instead (one place)."""
    try:
        with writing(src.parent, src.name):  # a problem here is the source folder's, not the target's
            os.unlink(src)
            fsync_dir(src.parent)
    except OutputError:
        try:
            os.unlink(undo)
        except OSError:
            pass  # two names of one file, or a verified copy: nothing is lost either way
        raise


def _same_filesystem(st: os.stat_result, folder: Path) -> bool:
    return os.stat(folder).st_dev == st.st_dev


def _same_file(st: os.stat_result, identity) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise SourceChanged("non è un file normale")
    if identity is not None and (st.st_dev, st.st_ino) != tuple(identity):
        raise SourceChanged("il file è stato sostituito")


def _copy_then_remove(src: Path, target: Path, st: os.stat_result, sha256: str | None, exact: bool,
                      tag: str) -> Path:
    """Across filesystems: copy, fsync, verify the sha256 of what landed, place, then remove src."""
    tmp = stage(target.parent, target.suffix, tag)
    try:
        fd = os.open(src, os.O_RDONLY | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
        try:
            fst = os.fstat(fd)
            _same_file(fst, (st.st_dev, st.st_ino))
            out = os.open(tmp, os.O_WRONLY | os.O_TRUNC | _O_NOFOLLOW | _O_BINARY | _O_CLOEXEC)
            try:
                copied = copy_fd(fd, out)
                os.fsync(out)
            finally:
                os.close(out)
        finally:
            os.close(fd)
        if sha256 is not None and copied != sha256:
            raise SourceChanged("il contenuto è cambiato")
        if file_sha256(tmp) != copied:
            raise OSError(errno.EIO, "la copia non corrisponde all'originale", str(target))
        final = place(tmp, target, exact=exact)
    finally:
        unlink_quietly(tmp)
    # Only now, with a verified copy in place, does the original go; and only if it is still the
    # same file with the same bytes (one saved again meanwhile stays, to be processed again).
    now = os.lstat(src)
    if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (st.st_dev, st.st_ino, fst.st_size, fst.st_mtime_ns):
        _remove_source(src, undo=final)
    return final
