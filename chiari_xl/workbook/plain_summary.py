"""A few Italian sentences that say what is wrong with the plan, for the Riepilogo sheet: what a
councillor reads before the tables. Generated from the findings (by kind, not by instance) and
the recomputed amounts, never written for one plan."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from chiari_xl.findings import Finding, Severity, kind_of
from chiari_xl.model.money import euro, total
from chiari_xl.text import join_and, plural

MOST_KINDS = 4  # kinds named in a sentence; the rest are counted
MOST_OBJECTIVES = 6
MOST_WHOLE = 3  # findings about the whole plan quoted with their message


def sentences(findings: list[Finding], df: pd.DataFrame, year) -> list[str]:
    errors = [f for f in findings if f.severity == Severity.ERROR]
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    plan = f"del piano {year}" if year else "del piano"
    if not errors and not warnings:
        return [f"Il controllo {plan} non ha trovato errori né avvisi: pesi, coefficienti e importi "
                "rispettano le regole e il fondo."]
    counted = " e ".join(p for p in (
        plural(len(errors), "errore da correggere", "errori da correggere") if errors else "",
        plural(len(warnings), "avviso da verificare", "avvisi da verificare") if warnings else "") if p)
    out = [f"Il controllo {plan} ha trovato {counted}."]
    whole = [f for f in errors + warnings if f.objective is None][:MOST_WHOLE]  # said in their own words
    errors = [f for f in errors if f not in whole]
    warnings = [f for f in warnings if f not in whole]
    if errors:
        out.append(f"Da correggere: {_by_kind(errors, 'errore')}.")
    out += _amounts(findings, df)
    if warnings:
        out.append(f"Da verificare: {_by_kind(warnings, 'avviso')}.")
    out += [f"{f.severity.label} sul piano intero: {_lower(f.message)}" for f in whole]
    out.append("Ogni rilievo, con la cella a cui si riferisce e cosa fare, è nel foglio «Rilievi»; "
               "i fogli dei settori riportano accanto a ogni obiettivo i suoi rilievi.")
    return out


def _by_kind(found: list[Finding], one: str) -> str:
    """'coefficiente diverso dal numero di dipendenti (obiettivo 10); ...', the most frequent first."""
    kinds: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        kinds[f.code].append(f)
    ranked = sorted(kinds.items(), key=lambda kv: -len(kv[1]))
    parts = [f"{_lower(kind_of(code).title)} ({_where(fs)})" for code, fs in ranked[:MOST_KINDS]]
    rest = sum(len(fs) for _code, fs in ranked[MOST_KINDS:])
    if rest:
        many = {"errore": "errori", "avviso": "avvisi"}[one]
        parts.append(f"e {'un altro ' + one if rest == 1 else f'altri {rest} {many}'} di altro tipo")
    return "; ".join(parts)


def _where(fs: list[Finding]) -> str:
    numbers = sorted({f.objective for f in fs if f.objective is not None})
    whole = len(fs) - sum(f.objective is not None for f in fs)
    parts = []
    if numbers:
        shown = [str(n) for n in numbers[:MOST_OBJECTIVES]]
        if len(numbers) > MOST_OBJECTIVES:
            shown.append(f"altri {len(numbers) - MOST_OBJECTIVES}")
        parts.append(("obiettivo " if len(numbers) == 1 else "obiettivi ") + join_and(shown))
    if whole:
        parts.append("il piano intero")
    return ", ".join(parts)


def _amounts(findings: list[Finding], df: pd.DataFrame) -> list[str]:
    """What correcting the plan does to the money: how many amounts change, the largest changes."""
    changes = [f for f in findings if f.code == "importo-da-ricalcolo" and f.euro_effect]
    if not changes:
        return []
    down = min(changes, key=lambda f: f.euro_effect)
    up = max(changes, key=lambda f: f.euro_effect)
    text = ("Applicando le regole " + ("cambia l'importo di 1 obiettivo" if len(changes) == 1 else
                                       f"cambiano gli importi di {len(changes)} obiettivi"))
    extremes = []
    if down.euro_effect < 0:
        extremes.append(f"scende di più l'obiettivo {down.objective}, di {euro(-down.euro_effect)}")
    if up.euro_effect > 0:
        extremes.append(f"sale di più l'obiettivo {up.objective}, di {euro(up.euro_effect)}")
    if extremes:
        text += ": " + "; ".join(extremes)
    written, recomputed = total(df["amount"]), total(df["amount_recomputed"])
    if written == recomputed:
        text += f". La somma degli importi resta {euro(written)}"
    else:
        text += f". La somma degli importi passa da {euro(written)} a {euro(recomputed)}"
    return [text + "."]


def _lower(title: str) -> str:
    """A kind's title inside a sentence: 'Coefficiente diverso...' -> 'coefficiente diverso...'."""
    return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title
