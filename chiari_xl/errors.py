"""Exceptions for what stops a run. What is wrong *inside* a plan is a Finding, not an exception."""

from pathlib import Path


class ChiariError(Exception):
    """Base class: a run cannot go on. `str()` is an Italian message for the office."""


class PlanReadError(ChiariError):
    """The input workbook cannot be read as a plan (missing, corrupt, encrypted, no table...)."""

    def __init__(self, path, reason: str, hint: str = ""):
        self.path = Path(path)
        self.reason = reason
        self.hint = hint
        text = f"Impossibile leggere «{shown_name(self.path)}»: {reason}"
        if hint:
            text += f" {hint}"
        super().__init__(text)


class OutputError(ChiariError):
    """The output cannot be written (folder missing, no permission, disk full...).

    `errno` is the system's error number when there is one; `problem` says in a few Italian words
    what to fix ("la cartella «out» non è scrivibile", "disco pieno (...)"); `folder` is where.
    """

    def __init__(self, message: str, *, errno: int | None = None, problem: str = "", folder=None):
        super().__init__(message)
        self.errno = errno
        self.problem = problem or message
        self.folder = Path(folder) if folder is not None else None


class ParamsNotInferred(ChiariError):
    """No Parametri sheet to hand back: the plan has the fund figures already, or its amounts
    do not give them."""


def shown_name(path) -> str:
    """The name to tell the office: the file's name; for '.' or '..' (no name), the folder's full path."""
    path = Path(path)
    return path.name if path.name not in ("", ".", "..") else str(path.resolve())
