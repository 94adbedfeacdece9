"""What happened to one dropped file (esito), as the summary and registro.log tell the office."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Esito(StrEnum):
    """The value is a stable code; `label` is what the office reads."""

    OK = "controllato"
    WITH_ERRORS = "controllato-con-errori"
    UNREADABLE = "scartato"
    WAITING = "in-attesa"
    NOT_WRITTEN = "non-scritto"
    TAKEN = "gia-elaborato"
    IGNORED = "lasciato-stare"
    TAKEN_BACK = "ripreso"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def failed(self) -> bool:
        """The run did not do its job for this file: the exit code says so."""
        return self in (Esito.UNREADABLE, Esito.NOT_WRITTEN)


_LABELS = {Esito.OK: "controllato", Esito.WITH_ERRORS: "controllato, con errori", Esito.UNREADABLE: "scartato",
           Esito.WAITING: "in attesa", Esito.NOT_WRITTEN: "non scritto", Esito.TAKEN: "già elaborato",
           Esito.IGNORED: "lasciato stare", Esito.TAKEN_BACK: "ripreso da scartati"}


@dataclass
class Outcome:
    name: str                    # the file's name as the office dropped it (never shortened)
    esito: Esito
    errors: int = 0
    warnings: int = 0
    output: Path | None = None
    report: Path | None = None
    moved_to: Path | None = None
    message: str = ""
    pdf: Path | None = None      # the checked workbook's PDF, when one was printed

    @property
    def failed(self) -> bool:
        return self.esito.failed
