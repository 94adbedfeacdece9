"""registro.log: one line per event, appended (several processes may write it)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from chiari_xl.dropfolder.folders import rel
from chiari_xl.dropfolder.outcome import Esito, Outcome


@dataclass
class Registro:
    path: Path
    echo: object = None

    def write(self, text: str) -> None:
        line = f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {text}"
        try:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:
            print(f"Impossibile scrivere nel registro «{self.path}»: {exc.strerror or exc}", file=sys.stderr)
        if self.echo:
            self.echo(line)

    def outcome(self, o: Outcome, root: Path) -> None:
        parts = [f"{o.name}: {o.esito.label}"]
        if o.esito in (Esito.OK, Esito.WITH_ERRORS):
            parts.append(f"errori: {o.errors}, avvisi: {o.warnings}")
        if o.output:
            parts.append(f"risultato {rel(o.output, root)}")
        if o.pdf:
            parts.append(f"PDF {rel(o.pdf, root)}")
        if o.moved_to:
            parts.append(f"{'ora' if o.esito == Esito.TAKEN_BACK else 'originale'} in {rel(o.moved_to, root)}")
        if o.message:
            parts.append(o.message)
        self.write(" - ".join(parts))
