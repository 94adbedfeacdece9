"""The '… - motivo.txt' written beside a rejected file: what is wrong and what to do (Italian)."""

from __future__ import annotations

import datetime as dt

from chiari_xl.errors import PlanReadError


def reason_text(name: str, exc: BaseException, shown_as: str | None = None) -> str:
    """name: the file's name as dropped; shown_as: its (shortened) name in scartati, if different."""
    when = dt.datetime.now().strftime("%d/%m/%Y alle %H:%M")
    if isinstance(exc, PlanReadError):
        what, hint = exc.reason, exc.hint
    elif isinstance(exc, MemoryError):
        what, hint = "il file è troppo grande per la memoria disponibile.", ""
    else:
        what = f"errore imprevisto del programma durante il controllo ({type(exc).__name__}: {exc})."
        hint = "Inviare il file e questo messaggio a chi gestisce il programma."
    lines = [f"Il file «{name}» è stato messo da parte il {when}: non è stato possibile controllarlo."]
    if shown_as and shown_as != name:
        lines.append(f"Il nome era troppo lungo: in «scartati» il file si chiama «{shown_as}».")
    lines += ["", f"Motivo: {what}"]
    if hint:
        lines.append(f"Suggerimento: {hint}")
    lines += [
        "",
        "Cosa fare: correggere o salvare di nuovo il file da Excel (File > Salva con nome >",
        "Cartella di lavoro di Excel .xlsx) e rimetterlo nella cartella «in».",
        "Il file originale è qui in «scartati», intatto: si può eliminare quando non serve più.",
        "Se il file cambia ancora qui (per esempio una copia che non era finita), viene ripreso e",
        "ricontrollato da solo.",
    ]
    return "\n".join(lines) + "\n"


def short_reason(exc: BaseException) -> str:
    """One line for the summary and the log."""
    if isinstance(exc, PlanReadError):
        return exc.reason
    if isinstance(exc, MemoryError):
        return "il file è troppo grande per la memoria disponibile."
    return f"errore imprevisto ({type(exc).__name__}: {exc})"
