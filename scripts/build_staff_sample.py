#!/usr/bin/env python3
"""Build workbooks/personale_2025_esempio.xlsx: the Personale workbook of the 2025 plan filled
with invented, clearly fictitious people (surnames such as «Esempio», «Prova», «Fittizio»).

77 employees in the 17 areas of the plan; each objective has as many participants as its
N. dip. in the plan, except where a finding is intended (documented here and in the README):
  - objective 27: 8 participants, N. dip. 10 (the plan's own staff text says «n.8 Agenti»)
    -> partecipanti-diversi-da-n-dip;
  - objective 22: the card's staff text names «n.1 dipendenti area Sue», but the card's header
    gives the objective to Area Ambiente only -> area-non-dell-obiettivo for that person;
  - the events of the year are worth more than the 18.000 € of objective 3 by the hour bands
    -> presenze-oltre-stanziamento, every attendance scaled down pro rata.
A year of events (card 3) and an explicit year-end achievement per objective (so the sample
runs without a monthly history). Deterministic: the same file every time.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chiari_xl.reading.plan import read_plan  # noqa: E402
from chiari_xl.yearend.plan_view import PlanView  # noqa: E402
from chiari_xl.yearend.staff_template import StaffFill, write_staff_workbook  # noqa: E402

D = Decimal
PLAN = ROOT / "workbooks" / "obiettivi_2025.xlsx"
OUT = ROOT / "workbooks" / "personale_2025_esempio.xlsx"

# area (as written by the office) -> (prefix, number of people)
AREAS = {
    "Segreteria affari generali": ("s", 4), "Contabilità controllo gestione tributi": ("c", 7),
    "Gare e contratti": ("g", 3), "Manutenzione ordinaria del territorio": ("m", 10),
    "Demografici urp servizi cimiteriali": ("d", 7), "Ced e sistemi informativi": ("ced", 1),
    "Informatica": ("i", 1), "Piano di zona": ("z", 4), "Cultura sistema biblioteca": ("k", 4),
    "Servizi sociali": ("ss", 6), "Politiche giovanili sport": ("pg", 2), "Servizi educativi": ("e", 3),
    "Lavori pubblici": ("l", 3), "SUE-SUAP-commercio": ("u", 5), "Ambiente ecologia": ("a", 1),
    "Pianificazione urbanistica sit catasto patrimonio": ("p", 4), "Corpo polizia locale": ("pl", 12),
}


def _ids(prefix, a, b):
    return [f"{prefix}{i}" for i in range(a, b + 1)]


# objective -> participants (person ids); N. dip. of the plan unless said above
PARTICIPANTS = {
    1: ["s1", "s3", "c1", "c2", "c4", "g1", "m1", "d1", "z1", "k2", "ss3", "e1", "l1", "l2", "pl11"],
    2: ["s2", "ced1", "i1", "ss2", "l3"],
    4: ["s1", "s2", "ss1", "pl5", "pl6"],
    5: ["c6", "c7", *_ids("pl", 7, 10)],
    6: _ids("s", 1, 3), 7: ["s4"], 8: _ids("c", 1, 3), 9: _ids("c", 1, 6), 10: _ids("g", 1, 3),
    11: _ids("m", 1, 10), 12: _ids("d", 1, 7), 13: ["ced1"], 14: _ids("z", 1, 4), 15: _ids("k", 1, 4),
    16: _ids("ss", 1, 6), 17: ["k1", "pg1", "pg2"], 18: _ids("e", 1, 3), 19: _ids("l", 1, 3),
    20: [*_ids("u", 1, 5), "i1"], 21: _ids("u", 1, 3), 22: ["a1", "u4"], 23: _ids("p", 1, 4),
    24: _ids("pl", 1, 10), 25: ["pl11", "pl12"], 26: _ids("pl", 1, 4), 27: _ids("pl", 3, 10),
}
PARTIAL = {(1, "l2"): D("0.5"), (1, "m1"): D("0.5"), (9, "c6"): D("0.5"), (24, "pl9"): D("0.5"),
           (24, "pl10"): D("0.5")}
PART_TIME = {"s4": D(50), "c5": D("83.33"), "d3": D(75), "z2": D(50), "k3": D("66.67"), "pl12": D(75),
             "m7": D(50)}
# year-end achievement % (soglia in brackets where it is not met)
ACHIEVEMENT = {2: D(90), 5: D(85), 10: D(85), 12: D(95), 13: D(90), 14: D(80), 17: D(85), 20: D(95),
               22: D(90), 23: D(75), 24: D("93.33"), 26: D(80), 27: D(98)}
NOTES = {13: "Piano approvato, ma senza il secondo aggiornamento (soglia 100%)",
         24: "28 servizi serali su 30", 26: "80 controlli su 100 (soglia 90%)"}

SURNAMES = [("Esempio", "Esempio"), ("Prova", "Prova"), ("Fittizio", "Fittizia"), ("Campione", "Campione"),
            ("Modello", "Modello"), ("Inventato", "Inventata"), ("Immaginario", "Immaginaria"),
            ("Ipotetico", "Ipotetica"), ("Simulato", "Simulata"), ("Provvisorio", "Provvisoria"),
            ("Finto", "Finta"), ("Demo", "Demo")]
FEMALE = ["Anna", "Beatrice", "Chiara", "Daria", "Elena", "Federica", "Giulia", "Ilaria", "Laura", "Marta",
          "Nadia", "Paola", "Rita", "Sara", "Teresa", "Valeria"]
MALE = ["Andrea", "Bruno", "Carlo", "Davide", "Enrico", "Fabio", "Giorgio", "Luca", "Marco", "Nicola",
        "Paolo", "Roberto", "Stefano", "Tommaso", "Ugo", "Walter"]

EVENTS = [  # (month, day, event, start, hours range, people range)
    (1, 6, "Befana in piazza", "15:00", (2, 4), (4, 6)),
    (2, 15, "Festa patronale: fiera e processione", "08:00", (6, 10), (8, 12)),
    (3, 2, "Carnevale dei bambini", "14:00", (2, 4), (5, 8)),
    (3, 8, "Convegno per la Giornata della donna", "17:30", (2, 3), (3, 5)),
    (3, 20, "Incontro pubblico sul nuovo PGT", "20:30", (2, 3), (3, 5)),
    (4, 13, "Mercato di primavera", "08:00", (5, 8), (5, 8)),
    (4, 6, "Corsa non competitiva", "08:30", (4, 6), (6, 9)),
    (4, 25, "Commemorazione del 25 aprile", "09:30", (2, 3), (4, 6)),
    (5, 1, "Concerto del primo maggio", "17:00", (5, 7), (5, 8)),
    (5, 11, "Festa dello sport", "09:00", (6, 9), (6, 9)),
    (5, 24, "Notte bianca della biblioteca", "21:00", (3, 5), (4, 6)),
    (6, 2, "Festa della Repubblica", "10:00", (2, 3), (4, 6)),
    (6, 14, "Maratonina cittadina", "07:00", (5, 7), (8, 12)),
    (6, 21, "Festa della musica", "19:30", (4, 6), (6, 9)),
    (6, 28, "Cinema all'aperto (prima serata)", "21:15", (3, 4), (3, 5)),
    (7, 5, "Concerto in piazza", "20:00", (4, 6), (6, 9)),
    (7, 12, "Sagra d'estate in piazza", "18:00", (5, 7), (6, 9)),
    (7, 19, "Rassegna teatrale estiva", "20:30", (3, 4), (4, 6)),
    (7, 30, "Emergenza maltempo: alberi caduti", "17:00", (4, 8), (6, 10)),
    (8, 15, "Ferragosto al parco", "10:00", (6, 9), (4, 7)),
    (8, 30, "Emergenza: allagamento del sottopasso", "22:00", (3, 6), (4, 6)),
    (9, 7, "Festa delle associazioni", "09:00", (6, 9), (6, 9)),
    (9, 20, "Giornata ecologica", "08:30", (3, 5), (5, 8)),
    (9, 27, "Mostra d'arte: inaugurazione", "18:00", (2, 3), (3, 5)),
    (10, 4, "Fiera d'autunno", "08:00", (6, 10), (8, 12)),
    (10, 18, "Consiglio comunale aperto", "20:30", (2, 4), (3, 5)),
    (10, 25, "Castagnata in piazza", "14:00", (4, 6), (5, 8)),
    (11, 2, "Commemorazione dei defunti", "08:00", (4, 6), (5, 8)),
    (11, 4, "Giornata delle Forze armate", "10:00", (2, 3), (3, 5)),
    (11, 22, "Incontro pubblico sulla sicurezza", "20:45", (2, 3), (3, 4)),
    (12, 7, "Accensione delle luci di Natale", "17:30", (3, 4), (5, 8)),
    (12, 8, "Mercatino dell'Immacolata", "09:00", (7, 9), (6, 9)),
    (12, 13, "Mercatino di Natale", "09:00", (7, 10), (8, 11)),
    (12, 21, "Concerto di Natale", "20:30", (3, 4), (4, 6)),
    (12, 31, "Capodanno in piazza", "21:30", (4, 6), (6, 9)),
]
HOLIDAYS = {(1, 1), (1, 6), (4, 21), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)}


def people() -> list[dict]:
    rng = random.Random(2025)
    out = []
    used = set()
    i = 0
    for area, (prefix, count) in AREAS.items():
        for k in range(1, count + 1):
            pid = f"{prefix}{k}"
            while True:
                female = rng.random() < 0.55
                surname = rng.choice(SURNAMES)[1 if female else 0]
                first = rng.choice(FEMALE if female else MALE)
                name = f"{surname} {first}"
                if name not in used:
                    used.add(name)
                    break
            i += 1
            obj = {n: PARTIAL.get((n, pid), D(1)) for n, ids_ in PARTICIPANTS.items() if pid in ids_}
            out.append({"id": pid, "matricola": str(20000 + 37 * i), "name": name, "area": area,
                        "part_time": PART_TIME.get(pid, D(100)), "score": D(rng.randint(78, 100)), "obj": obj})
    return out


def events(staff: list[dict]) -> list[dict]:
    rng = random.Random(3)
    out = []
    for month, day, name, start, (h0, h1), (p0, p1) in EVENTS:
        date = dt.date(2025, month, day)
        t = dt.time(*map(int, start.split(":")))
        holiday = date.weekday() == 6 or (month, day) in HOLIDAYS
        for person in rng.sample(staff, rng.randint(p0, p1)):
            hours = D(rng.choice([h for h in range(h0 * 2, h1 * 2 + 1)])) / 2
            night = holiday or t.hour >= 21 or (t.hour + float(hours)) > 22
            out.append({"date": date, "event": name, "matricola": person["matricola"], "hours": hours,
                        "start": t, "night": night})
    return out


def main(out: Path = OUT) -> None:
    view = PlanView(read_plan(PLAN))
    staff = people()
    achievements = {n: ACHIEVEMENT.get(n, D(100)) for n in view.objectives}
    fill = StaffFill(people=staff, events=events(staff), achievements=achievements, notes=NOTES)
    write_staff_workbook(out, view, fill)
    print(f"scritto {out}: {len(staff)} dipendenti, {len(fill.events)} presenze a eventi")


if __name__ == "__main__":
    main()
