"""Findings: what is wrong (or worth knowing) in a plan, as data.

Every kind of finding has a stable kebab-case code, a severity and an Italian message template.
Each module that raises findings declares the kinds it owns in a module-level `KINDS` list (as
frictionless-py's checks declare their errors); the few kinds any step may raise (a value
missing or not a number) are declared here as COMMON. `registry()` gathers them all once: it
drives the messages, the workbook, the JSON report and the README's table of codes, and a test
proves that every code is declared exactly once and every code raised is declared.
Checks return findings; they never raise or print.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache


class Severity(StrEnum):
    """How serious a finding is. The value is the stable code (JSON); `label` is what people read."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self][0]

    @property
    def plural_label(self) -> str:
        return _SEVERITY_LABELS[self][1]

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_LABELS = {Severity.ERROR: ("Errore", "Errori"), Severity.WARNING: ("Avviso", "Avvisi"),
                    Severity.INFO: ("Informazione", "Informazioni")}
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Kind:
    code: str
    severity: Severity
    title: str
    template: str
    todo: str = ""  # what the office does about it, in a short Italian sentence ("Cosa fare")


# Kinds any reading or checking step may raise.
COMMON = [
    Kind("valore-mancante", Severity.ERROR, "Valore mancante",
         "Manca {field}, necessario per il calcolo.",
         todo="Scrivere il valore nella cella indicata del piano e rifare il controllo."),
    Kind("valore-non-numerico", Severity.ERROR, "Valore non numerico",
         "In {field} ci vuole un numero: trovato «{found}».",
         todo="Scrivere nella cella solo il numero (senza testo né unità) e rifare il controllo."),
    Kind("errore-formula", Severity.ERROR, "Errore di formula nella cella",
         "La cella di {field} contiene l'errore {found}.",
         todo="Correggere la formula della cella nel piano (o scriverci il valore) e rifare il controllo."),
    Kind("numero-mancante", Severity.ERROR, "Numero dell'obiettivo mancante",
         "La riga non ha il numero dell'obiettivo.",
         todo="Scrivere il numero dell'obiettivo nella riga."),
    Kind("controllo-non-eseguito", Severity.INFO, "Controllo non eseguito",
         "Non controllato: {check}. Motivo: {why}.",
         todo="Per avere il controllo completare il dato indicato nel motivo; altrimenti nessuna azione."),
]

# Modules that declare a KINDS list, in the order their codes are documented.
KIND_SOURCES = (
    "chiari_xl.findings",
    "chiari_xl.reading.plan",
    "chiari_xl.reading.params_sheet",
    "chiari_xl.model.infer_params",
    "chiari_xl.reading.evaluate",
    "chiari_xl.checks.rules",
    "chiari_xl.checks.amounts",
    "chiari_xl.checks.staff_text",
    "chiari_xl.checks.cards",
    "chiari_xl.progress.collect",
    "chiari_xl.progress.month",
    "chiari_xl.progress.revisions",
    "chiari_xl.checks.card_text",
    "chiari_xl.checks.formulas",
    "chiari_xl.yearend.checks",
)
KINDS = COMMON  # this module's own declaration, as in every other source


@cache
def registry() -> dict[str, Kind]:
    """code -> Kind for every declared kind. A code declared twice is a programming error."""
    out: dict[str, Kind] = {}
    for name in KIND_SOURCES:
        for kind in importlib.import_module(name).KINDS:
            if kind.code in out:
                raise RuntimeError(f"finding code {kind.code!r} declared twice (again in {name})")
            out[kind.code] = kind
    return out


_loaded: dict[str, Kind] = {}


def kind_of(code: str) -> Kind:
    """The Kind of `code`, from the modules already imported when they declare it (the module
    raising a finding always is): `controlla` does not import the progress and year-end modules
    just to build one of its own findings. Unknown there: the whole registry, which also refuses
    a code declared twice (tests/test_registry.py)."""
    kind = _loaded.get(code)
    if kind is None:
        for name in KIND_SOURCES:
            for k in getattr(sys.modules.get(name), "KINDS", ()):
                _loaded.setdefault(k.code, k)
        kind = _loaded.get(code) or registry()[code]
    return kind


def declared_by() -> dict[str, str]:
    """code -> the module that declares it (for the docs and the registry test)."""
    return {kind.code: name for name in KIND_SOURCES for kind in importlib.import_module(name).KINDS}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    objective: int | None
    sheet: str
    cell: str
    found: str
    expected: str
    euro_effect: Decimal | None
    message: str
    formula: str = ""  # the input cell's formula, when it has one


    @property
    def title(self) -> str:
        return registry()[self.code].title

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = str(self.severity)
        d["euro_effect"] = None if self.euro_effect is None else float(self.euro_effect)
        if not self.formula:
            del d["formula"]  # the report of a plan without formulas stays as it was
        return d


class _Blank(dict):
    def __missing__(self, key):
        return ""


def make(code: str, *, objective=None, sheet="", cell="", found="", expected="",
         euro_effect: Decimal | None = None, formula: str = "", **extra) -> Finding:
    """Build a finding of a registered kind; its message comes from the kind's template."""
    kind = kind_of(code)
    fields = _Blank(objective=objective if objective is not None else "", found=found,
                    expected=expected, **extra)
    return Finding(code=code, severity=kind.severity, objective=objective, sheet=sheet,
                   cell=cell, found=str(found), expected=str(expected),
                   euro_effect=euro_effect, message=kind.template.format_map(fields), formula=formula)


def sort_key(f: Finding):
    return (f.severity.rank, f.objective if f.objective is not None else -1, f.sheet, f.cell, f.code)


def counts(findings) -> dict[str, int]:
    out = {str(s): 0 for s in Severity}
    for f in findings:
        out[str(f.severity)] += 1
    return out


def worse(a: Severity | None, b: Severity) -> Severity:
    """The more serious of two severities (None counts as no severity)."""
    if a is None:
        return b
    return a if a.rank <= b.rank else b
