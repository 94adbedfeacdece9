"""The Personale workbook's sheets and headings: one place for the writer and the reader.

The reader finds each table by its headings (reading/plan.find_table), so a person may add
title rows, move columns or retype a heading loosely; these are the headings we write.
"""

from __future__ import annotations

import re

from chiari_xl.text import norm
from chiari_xl.workbook.columns import Columns

SHEET_HELP = "Istruzioni"
SHEET_STAFF = "Personale"
SHEET_EVENTS = "Presenze eventi"
SHEET_ACHIEVEMENT = "Raggiungimento"

# Each sheet's columns in the order written (key, heading, width): the writer and its formulas
# address them by key. On Personale, one column per objective ("Ob. n") follows these.
STAFF_COLUMNS = Columns([
    ("matricola", "Matricola", 11), ("name", "Cognome e nome", 24), ("area", "Area", 30),
    ("part_time", "Part-time %", 9), ("score", "Punteggio valutazione (facoltativo)", 12)])
OBJECTIVE_WIDTH = 6.5
EVENT_COLUMNS = Columns([
    ("date", "Data", 11), ("event", "Evento", 34), ("matricola", "Matricola", 11),
    ("name", "Cognome e nome (automatico)", 24), ("hours", "Ore", 7), ("start", "Ora inizio (facoltativa)", 10),
    ("night", "Notturno o festivo", 10)])
ACHIEVEMENT_COLUMNS = Columns([
    ("n", "N.", 5), ("title", "Obiettivo", 56), ("amount", "Importo stanziato", 14), ("soglia", "Soglia minima %", 10),
    ("achievement", "Raggiungimento % a fine anno", 14), ("note", "Note", 30)])
YES, NO = "Sì", "No"

_OBJECTIVE = re.compile(r"^(?:ob|obb|obiettivo|obiett)\s*(?:n\s*)?(\d{1,4})\b")


def objective_heading(n: int) -> str:
    return f"Ob. {n}"


def classify_staff(label) -> str | None:
    t = norm(label)
    if not t:
        return None
    m = _OBJECTIVE.match(t)
    if m:
        return f"obj:{int(m.group(1))}"
    if t.startswith("matr"):
        return "matricola"
    if t.startswith(("cognome", "nome", "dipendente", "nominativo")):
        return "name"
    if t == "area" or t.startswith(("area ", "area di", "ufficio")):
        return "area"
    if t.startswith(("part time", "parttime", "percentuale part", "orario")):
        return "part_time"
    if t.startswith(("punteggio", "valutazione", "scheda di valutazione")):
        return "score"
    return None


def classify_events(label) -> str | None:
    t = norm(label)
    if not t:
        return None
    if t.startswith("data"):
        return "date"
    if t.startswith(("evento", "manifestazione", "iniziativa")):
        return "event"
    if t.startswith("matr"):
        return "matricola"
    if t.startswith(("cognome", "nome", "dipendente")):
        return "name"
    if t in ("ore", "n ore", "numero ore", "ore di presenza") or t.startswith(("ore ", "durata")):
        return "hours"
    if t.startswith(("ora inizio", "ora di inizio", "inizio", "dalle")):
        return "start"
    if "notturn" in t or "festiv" in t:
        return "night"
    return None


def classify_achievement(label) -> str | None:
    t = norm(label)
    if not t:
        return None
    if t in ("n", "nr", "numero", "n obiettivo", "obiettivo n", "n ob"):
        return "n"
    if t.startswith("raggiungimento"):
        return "achievement"
    if t.startswith("soglia"):
        return "soglia"
    if t.startswith("importo"):
        return "amount"
    if t.startswith(("obiettivo", "titolo", "descrizione")):
        return "title"
    if t.startswith("note"):
        return "note"
    return None
