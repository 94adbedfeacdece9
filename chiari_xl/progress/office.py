"""The office folder: the signing key and the history, kept out of git and out of the workbooks.

The key (`.chiari-xl-chiave`, 32 random bytes as hex, mode 0600) signs every sheet sent to the
areas; the history (`chiari-xl-monitoraggio.sqlite`) records every value accepted. Neither is
ever written into a workbook, and neither must end up in a repository: the folder gets its own
`.gitignore` ("*") the first time it is used, so git ignores it wherever it sits, and a warning
says so when the folder is inside a git work tree (a program folder may be replaced when the
program is updated: the key and the history need a backup elsewhere).

Losing the key: a new one is created on the next run; the sheets already sent were signed with
the old one and are refused ("Firma non valida"), so they must be sent again. The history stays
readable (it holds values, not signatures).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from chiari_xl.errors import ChiariError

KEY_NAME = ".chiari-xl-chiave"
DB_NAME = "chiari-xl-monitoraggio.sqlite"
GITIGNORE = "# Chiave di firma e storico del monitoraggio (chiari-xl): mai in git.\n*\n"


def key_path(office_dir: Path) -> Path:
    return Path(office_dir) / KEY_NAME


def db_path(office_dir: Path) -> Path:
    return Path(office_dir) / DB_NAME


def prepare(office_dir: Path) -> Path:
    """The office folder, created with its .gitignore when missing."""
    office = Path(office_dir)
    try:
        office.mkdir(parents=True, exist_ok=True)
        ignore = office / ".gitignore"
        if not ignore.exists():
            fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(GITIGNORE)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ChiariError(f"Impossibile preparare la cartella dell'ufficio «{office}»: "
                          f"{exc.strerror or exc}.") from None
    return office


def git_work_tree(path: Path) -> Path | None:
    """The git work tree `path` is inside, or None."""
    p = Path(path).absolute()
    for folder in (p, *p.parents):
        if (folder / ".git").exists():
            return folder
    return None


def warnings(office_dir: Path) -> list[str]:
    """What the office should know about where its key and history are (Italian)."""
    repo = git_work_tree(office_dir)
    if repo is None:
        return []
    return [f"La chiave di firma e lo storico sono in «{Path(office_dir).absolute()}», dentro la cartella del "
            f"programma «{repo}» (un repository git): sono esclusi da git, ma conviene copiarli "
            "regolarmente in un'altra cartella (vedere il README, «La chiave e lo storico»)."]


def load_or_create_key(office_dir: Path) -> bytes:
    """The office key; created (32 random bytes, hex, mode 0600) the first time."""
    path = key_path(prepare(office_dir))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        raise ChiariError(f"La chiave dell'ufficio «{path}» non è leggibile: senza di essa "
                          "i fogli restituiti non possono essere verificati.") from None
    if len(key) < 16:
        raise ChiariError(f"La chiave dell'ufficio «{path}» è troppo corta.")
    return key
