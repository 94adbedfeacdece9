"""The staff data and the year-end payout as findings (same registry as the plan checks).

`validate` turns the rows read from the Personale workbook into StaffData, saying what it
cannot use and what it assumes; `participation_findings` compares the participants with the
plan (N. dip., areas); `payout_findings` says where money could not reach people. Every rule
is general: nothing here knows which objective or person is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.money import as_decimal, euro
from chiari_xl.model.params import SplitRule
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.text import clean, num, plural
from chiari_xl.yearend.group_split import named_areas
from chiari_xl.yearend.plan_view import PlanView
from chiari_xl.yearend.staff import (Attendance, Employee, StaffData, matricola_text, parse_date, parse_flag,
                                     parse_time)
from chiari_xl.yearend.staff_read import RawStaff

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
KINDS = [
    Kind("matricola-mancante", E, "Matricola mancante",
         "Alla riga {row} di «{sheet_name}» manca la matricola: la riga non è considerata.",
         todo="Scrivere la matricola nella riga del file del personale."),
    Kind("matricola-duplicata", E, "Matricola ripetuta",
         "La matricola {found} compare più volte nell'elenco del personale: vale solo la prima riga ({expected}).",
         todo="Tenere una sola riga per matricola nell'elenco del personale."),
    Kind("matricola-sconosciuta", E, "Matricola non nell'elenco del personale",
         "La presenza del {date} a «{event}» è della matricola {found}, che non è nell'elenco del personale: non è pagata.",
         todo="Correggere la matricola, o aggiungere la persona all'elenco del personale."),
    Kind("area-personale-sconosciuta", W, "Area non del piano",
         "L'area «{found}» di {who} non è un'area del piano: non posso controllare a quali obiettivi partecipa.",
         todo="Scrivere l'area con il nome usato nel piano."),
    Kind("area-non-dell-obiettivo", W, "Partecipante di un'altra area",
         "{who} ({area}) partecipa all'obiettivo {objective}, che il piano assegna a: {expected}.",
         todo="Verificare la partecipazione; se è giusta, nessuna azione."),
    Kind("partecipanti-diversi-da-n-dip", W, "Partecipanti diversi da N. dip.",
         "All'obiettivo {objective} partecipano {found_text}, ma N. dip. nel piano (il numero che ha dato "
         "il coefficiente) è {expected}.",
         todo="Verificare le partecipazioni nel file del personale, o N. dip. nel piano."),
    Kind("part-time-non-valido", E, "Part-time non valido",
         "Il part-time di {who} è «{found}»: ci vuole una percentuale maggiore di 0 e non oltre 100. Uso 100%.",
         todo="Scrivere il part-time come percentuale (es. 50 oppure 83,33)."),
    Kind("punteggio-non-valido", E, "Punteggio non valido",
         "Il punteggio di {who} è «{found}»: ci vuole un numero da 0 a 100. Non lo uso.",
         todo="Scrivere un punteggio da 0 a 100."),
    Kind("punteggio-mancante", W, "Punteggio mancante",
         "Il riparto usa il punteggio individuale, ma {who} non ce l'ha: conto 100.",
         todo="Scrivere il punteggio individuale della persona."),
    Kind("partecipazione-non-valida", E, "Partecipazione non valida",
         "La partecipazione di {who} all'obiettivo {objective} è «{found}»: ci vuole un numero maggiore di 0 "
         "(o la cella vuota). Non la conto.",
         todo="Scrivere un numero maggiore di 0, o lasciare la cella vuota."),
    Kind("obiettivo-sconosciuto", W, "Colonna di un obiettivo che il piano non ha",
         "La colonna «Ob. {found}» non corrisponde a nessun obiettivo del piano: non la uso.",
         todo="Correggere il numero dell'obiettivo nell'intestazione della colonna, o togliere la colonna."),
    Kind("partecipazione-obiettivo-eventi", W, "Partecipazione segnata all'obiettivo a presenze",
         "L'obiettivo {objective} si paga a presenze agli eventi: le partecipazioni segnate nella sua colonna "
         "non contano, contano le righe del foglio delle presenze.",
         todo="Registrare le presenze nel foglio «Presenze eventi», non nella colonna dell'obiettivo."),
    Kind("ore-non-valide", E, "Ore non valide",
         "La presenza del {date} a «{event}» ({who}) ha ore «{found}»: ci vuole un numero maggiore di 0 e non "
         "oltre 24. Non è pagata.",
         todo="Correggere le ore della presenza (un numero da 0 a 24)."),
    Kind("ore-oltre-fasce", W, "Ore oltre l'ultima fascia",
         "La presenza del {date} a «{event}» ({who}) dura {found} ore, oltre l'ultima fascia ({expected} ore): "
         "è pagata come l'ultima fascia.",
         todo="Verificare le ore; se sono giuste, nessuna azione."),
    Kind("data-non-valida", E, "Data non valida",
         "La presenza a «{event}» ({who}) ha la data «{found}», che non è una data: non è pagata.",
         todo="Scrivere la data della presenza (es. 15/06/2025)."),
    Kind("data-fuori-anno", E, "Data fuori dall'anno del piano",
         "La presenza del {found} a «{event}» ({who}) è fuori dall'anno del piano ({expected}): non è pagata.",
         todo="Correggere la data della presenza."),
    Kind("ora-non-valida", W, "Ora di inizio non valida",
         "La presenza del {date} a «{event}» ({who}) ha l'ora di inizio «{found}», che non è un'ora (es. 20:30): "
         "la ignoro.",
         todo="Scrivere l'ora di inizio come 20:30, o lasciarla vuota."),
    Kind("presenza-duplicata", E, "Presenza ripetuta",
         "{who} è segnato due volte a «{event}» il {date} ({expected}): la seconda riga non è pagata.",
         todo="Togliere la riga ripetuta."),
    Kind("presenze-sovrapposte", E, "Due eventi nello stesso momento",
         "{who} risulta a due eventi nello stesso momento il {date}: «{event}» e «{other}» ({found}). "
         "Entrambe le presenze sono pagate come scritte: verificare.",
         todo="Verificare le due presenze e correggere quella sbagliata."),
    Kind("raggiungimento-non-valido", E, "Raggiungimento non valido",
         "Il raggiungimento dell'obiettivo {objective} è «{found}»: ci vuole una percentuale da 0 a 100. Non lo uso.",
         todo="Scrivere il raggiungimento come percentuale da 0 a 100."),
    Kind("raggiungimento-mancante", E, "Raggiungimento mancante",
         "Per l'obiettivo {objective} non c'è il raggiungimento (né nel file del personale né nello storico "
         "mensile): il suo importo non è pagato e va in economia.",
         todo=("Scrivere il raggiungimento nel foglio «Raggiungimento», o raccogliere i fogli mensili che "
               "mancano.")),
    Kind("raggiungimento-diverso-da-storico", I, "Raggiungimento diverso dallo storico mensile",
         "Per l'obiettivo {objective} il file del personale dice {found}, lo storico mensile {expected}: "
         "vale il file del personale.",
         todo="Verificare quale dei due valori è quello giusto."),
    Kind("obiettivo-senza-partecipanti", E, "Importo dovuto senza nessuno da pagare",
         "L'obiettivo {objective} ha {found} da pagare ma nessun partecipante: l'importo va in economia.",
         todo="Segnare nel file del personale chi partecipa all'obiettivo."),
    Kind("gruppo-senza-partecipanti", E, "Gruppo del riparto senza partecipanti",
         "Nel riparto dell'obiettivo {objective} il gruppo «{group}» ({found}) non ha partecipanti: la sua "
         "quota va in economia.",
         todo="Segnare i partecipanti del gruppo, o correggere le aree del riparto nel foglio Parametri."),
    Kind("fuori-dai-gruppi", W, "Partecipante fuori dai gruppi del riparto",
         "{who} ({area}) partecipa all'obiettivo {objective}, ma nessun gruppo del suo riparto comprende la sua "
         "area: non riceve nulla per questo obiettivo.",
         todo="Aggiungere l'area a un gruppo del riparto nel foglio Parametri, o togliere la partecipazione."),
    Kind("gruppo-area-sconosciuta", W, "Area del riparto non del piano",
         "Il riparto dell'obiettivo {objective} indica per il gruppo «{group}» l'area «{found}», che non è "
         "un'area del piano.",
         todo="Scrivere nel riparto il nome dell'area come nel piano."),
    Kind("presenze-oltre-stanziamento", W, "Presenze oltre l'importo dell'obiettivo",
         "Le presenze agli eventi valgono {found} secondo le fasce, più dei {expected} dovuti per "
         "l'obiettivo {objective}: ogni presenza è ridotta in proporzione ({factor}).",
         todo="Nessuna azione se la riduzione è voluta; altrimenti verificare le presenze."),
    Kind("presenze-senza-obiettivo", E, "Presenze senza obiettivo a presenze",
         "Il file ha {found} presenze agli eventi, ma il foglio Parametri del piano non indica l'obiettivo "
         "pagato a presenze: non sono pagate.",
         todo="Indicare nel foglio Parametri del piano l'obiettivo pagato a presenze."),
    Kind("parametro-fine-anno-predefinito", I, "Parametro di fine anno predefinito",
         "Il foglio Parametri del piano non indica «{field}»: uso {expected}.",
         todo="Se il piano usa un valore diverso, scriverlo nel foglio Parametri."),
]


def _who(name: str, matricola: str) -> str:
    return f"{name} (matricola {matricola})" if name else f"la matricola {matricola}"


def _number(value):
    """(Decimal | None, ok): a blank is (None, True); text that is not a number is (None, False)."""
    try:
        return to_decimal(value), True
    except NotANumber:
        return None, False


def _date_text(d) -> str:
    return d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else clean(d)


def validate(raw: RawStaff, view: PlanView) -> tuple[StaffData, list[F.Finding]]:
    found: list[F.Finding] = []
    employees = _employees(raw, view, found)
    events = _events(raw, view, {e.matricola: e for e in employees}, found)
    achievements, cells = _achievements(raw, view, found)
    return StaffData(employees, events, achievements, cells), found


def _employees(raw: RawStaff, view: PlanView, found: list) -> list[Employee]:
    known = set(view.objectives)
    for n, cell in raw.objective_columns.items():
        sheet, _, a1 = cell.partition("!")
        if n not in known:
            found.append(F.make("obiettivo-sconosciuto", sheet=sheet, cell=a1, found=n))
    event_n = view.params.event_objective
    out: list[Employee] = []
    first_row: dict[str, str] = {}
    event_marks = []
    for row in raw.staff:
        name = clean(row.value("name"))
        mat = matricola_text(row.value("matricola"))
        if not mat:
            found.append(F.make("matricola-mancante", sheet=row.sheet, cell=f"A{row.row}", found=name,
                                row=row.row, sheet_name=row.sheet))
            continue
        sheet, _, a1 = row.where("matricola").partition("!")
        if mat in first_row:
            found.append(F.make("matricola-duplicata", sheet=sheet, cell=a1, found=mat, expected=first_row[mat]))
            continue
        first_row[mat] = row.where("matricola")
        who = _who(name, mat)
        pt, ok = _number(row.value("part_time"))
        if pt is None and ok:
            pt = Decimal(100)
        elif not ok or not (0 < pt <= 100):
            s, _, c = row.where("part_time").partition("!")
            found.append(F.make("part-time-non-valido", sheet=s, cell=c, found=clean(row.value("part_time")),
                                expected="0-100", who=who))
            pt = Decimal(100)
        score, ok = _number(row.value("score"))
        if not ok or (score is not None and not (0 <= score <= 100)):
            s, _, c = row.where("score").partition("!")
            found.append(F.make("punteggio-non-valido", sheet=s, cell=c, found=clean(row.value("score")),
                                expected="0-100", who=who))
            score = None
        area_text = clean(row.value("area"))
        area_key = view.resolve_area(area_text)
        if area_text and area_key is None:
            s, _, c = row.where("area").partition("!")
            found.append(F.make("area-personale-sconosciuta", sheet=s, cell=c, found=area_text, who=who))
        emp = Employee(mat, name, area_text, area_key, pt, score, where=row.where("matricola"))
        for n, (value, where) in sorted(row.objectives.items()):
            if n not in known:
                continue
            w, ok = _number(value)
            if not ok and clean(value).lower() in ("x", "si", "sì"):
                w, ok = Decimal(1), True
            s, _, c = where.partition("!")
            if not ok or (w is not None and w < 0):
                found.append(F.make("partecipazione-non-valida", objective=n, sheet=s, cell=c,
                                    found=clean(value), who=who))
                continue
            if w is None or w == 0:
                continue
            if n == event_n:
                event_marks.append((n, s, c))
                continue
            emp.participation[n] = w
        out.append(emp)
    if event_marks:
        n, s, c = event_marks[0]
        found.append(F.make("partecipazione-obiettivo-eventi", objective=n, sheet=s, cell=c))
    return out


def _events(raw: RawStaff, view: PlanView, staff: dict[str, Employee], found: list) -> list[Attendance]:
    year = view.year
    params = view.params
    last_band = max((b.up_to for b in params.event_bands), default=None)
    out: list[Attendance] = []
    for row in raw.events:
        mat = matricola_text(row.value("matricola"))
        event = clean(row.value("event"))
        emp = staff.get(mat)
        who = _who(emp.name if emp else "", mat) if mat else "senza matricola"
        where = row.where("matricola") if mat else f"{row.sheet}!A{row.row}"
        a = Attendance(where=where, date=None, event=event, matricola=mat, hours=None, start=None,
                       night=parse_flag(row.value("night")))

        def drop(code, key, **kw):
            s, _, c = row.where(key).partition("!")
            found.append(F.make(code, objective=params.event_objective, sheet=s, cell=c, event=event,
                                who=who, **kw))
            a.payable = False
            a.reason = F.kind_of(code).title

        raw_date = row.value("date")
        try:
            a.date = parse_date(raw_date)
        except (ValueError, OverflowError):
            drop("data-non-valida", "date", found=clean(raw_date))
        date_text = _date_text(a.date or raw_date)
        hours, ok = _number(row.value("hours"))
        if not ok or hours is None or not (0 < hours <= 24):
            drop("ore-non-valide", "hours", found=clean(row.value("hours")), date=date_text)
        else:
            a.hours = hours
            if last_band is not None and hours > last_band:
                s, _, c = row.where("hours").partition("!")
                found.append(F.make("ore-oltre-fasce", objective=params.event_objective, sheet=s, cell=c,
                                    found=num(hours), expected=num(last_band), date=date_text, event=event, who=who))
        if not mat:
            drop("matricola-mancante", "matricola", row=row.row, sheet_name=row.sheet)
        elif emp is None:
            drop("matricola-sconosciuta", "matricola", found=mat, date=date_text)
        if a.date is not None and year and a.date.year != year:
            drop("data-fuori-anno", "date", found=date_text, expected=year)
        try:
            a.start = parse_time(row.value("start"))
        except ValueError:
            s, _, c = row.where("start").partition("!")
            found.append(F.make("ora-non-valida", objective=params.event_objective, sheet=s, cell=c,
                                found=clean(row.value("start")), date=date_text, event=event, who=who))
        out.append(a)
    _overlaps(out, staff, params.event_objective, found)
    if out and params.event_objective is None:
        found.append(F.make("presenze-senza-obiettivo", sheet=raw.events_sheet or "", found=len(out)))
        for a in out:
            a.payable, a.reason = False, F.kind_of("presenze-senza-obiettivo").title
    return out


def _interval(a: Attendance):
    start = dt.datetime.combine(a.date, a.start)
    return start, start + dt.timedelta(hours=float(a.hours))


def _overlaps(rows: list[Attendance], staff: dict, n, found: list) -> None:
    """The same person twice at the same event and day (the second is not paid); at two events at
    once: overlapping times when both start times are given, else more than 24 hours in one day."""
    by_person: dict[str, list[Attendance]] = defaultdict(list)
    for a in rows:
        if a.payable and a.date is not None:
            by_person[a.matricola].append(a)
    for mat, items in by_person.items():
        who = _who(staff[mat].name if mat in staff else "", mat)
        seen: dict[tuple, Attendance] = {}
        kept = []
        for a in items:
            key = (a.date, a.event.lower())
            if key in seen:
                s, _, c = a.where.partition("!")
                found.append(F.make("presenza-duplicata", objective=n, sheet=s, cell=c, who=who, event=a.event,
                                    date=_date_text(a.date), expected=f"prima riga: {seen[key].where}"))
                a.payable, a.reason = False, F.kind_of("presenza-duplicata").title
                continue
            seen[key] = a
            kept.append(a)
        for i, a in enumerate(kept):
            for b in kept[i + 1:]:
                clash = None
                if a.start is not None and b.start is not None:
                    (a0, a1), (b0, b1) = _interval(a), _interval(b)
                    if a0 < b1 and b0 < a1:
                        clash = f"{a.start:%H:%M} per {num(a.hours)} h e {b.start:%H:%M} per {num(b.hours)} h"
                elif a.date == b.date and a.hours + b.hours > 24:
                    clash = f"{num(a.hours + b.hours)} ore nello stesso giorno"
                if clash:
                    s, _, c = b.where.partition("!")
                    found.append(F.make("presenze-sovrapposte", objective=n, sheet=s, cell=c, who=who,
                                        date=_date_text(a.date), event=a.event, other=b.event, found=clash))


def _achievements(raw: RawStaff, view: PlanView, found: list) -> tuple[dict[int, Decimal], dict[int, str]]:
    out, cells = {}, {}
    for row in raw.achievements:
        n, ok = _number(row.value("n"))
        if n is None or not ok or n != n.to_integral_value():
            continue
        n = int(n)
        raw_value = row.value("achievement")
        value, ok = _number(raw_value)
        if raw_value is None:
            continue
        s, _, c = row.where("achievement").partition("!")
        if not ok or value is None or not (0 <= value <= 100):
            found.append(F.make("raggiungimento-non-valido", objective=n, sheet=s, cell=c, found=clean(raw_value)))
            continue
        out[n] = value
        cells[n] = row.where("achievement")
    return out, cells


def participation_findings(data: StaffData, view: PlanView) -> list[F.Finding]:
    """Participants against the plan: N. dip. of each objective, the areas it belongs to."""
    found = []
    staff_sheet = data.employees[0].where.partition("!")[0] if data.employees else ""
    event_n = view.params.event_objective
    groups = {g.objective for g in view.params.group_splits}
    for n, obj in view.objectives.items():
        if n == event_n:
            continue
        people = [e for e in data.employees if n in e.participation]
        if not obj.all_staff and obj.n_dip is not None and people and len(people) != obj.n_dip:
            found.append(F.make("partecipanti-diversi-da-n-dip", objective=n, sheet=staff_sheet,
                                found=len(people), expected=num(obj.n_dip),
                                found_text=plural(len(people), "persona", "persone")))
        if obj.all_staff or not obj.areas:
            continue
        names = ", ".join(view.area_name(k) for k in obj.areas)
        for e in people:
            if e.area_key is not None and e.area_key not in obj.areas and n not in groups:
                s, _, c = e.where.partition("!")
                found.append(F.make("area-non-dell-obiettivo", objective=n, sheet=s, cell=c,
                                    found=e.area_text, expected=names, who=_who(e.name, e.matricola),
                                    area=e.area_text))
    if view.params.split_rule == SplitRule.WITH_SCORE:
        for e in data.employees:
            if e.participation and e.score is None:
                s, _, c = e.where.partition("!")
                found.append(F.make("punteggio-mancante", sheet=s, cell=c, who=_who(e.name, e.matricola)))
    return found


def parameter_findings(view: PlanView, has_events: bool) -> list[F.Finding]:
    """Year-end parameters the plan's Parametri sheet does not give, when they are used."""
    p = view.params
    out = []
    if "split_rule" in p.yearend_defaults:
        out.append(F.make("parametro-fine-anno-predefinito", sheet="Parametri",
                          field="Riparto di un obiettivo tra i dipendenti", expected=f"«{p.split_rule.label}»"))
    if has_events and "event_bands" in p.yearend_defaults:
        bands = "; ".join(f"{euro(b.amount)} fino a {num(b.up_to)} ore" for b in p.event_bands)
        out.append(F.make("parametro-fine-anno-predefinito", sheet="Parametri",
                          field="fasce orarie delle presenze", expected=f"quelle della scheda 3 del 2025 ({bands})"))
    if has_events and "event_uplift" in p.yearend_defaults:
        out.append(F.make("parametro-fine-anno-predefinito", sheet="Parametri",
                          field="maggiorazione notturno o festivo", expected=f"{num(p.event_uplift)}%"))
    for g in p.group_splits:
        for name in named_areas(g, view.areas)[1]:
            out.append(F.make("gruppo-area-sconosciuta", objective=g.objective, sheet="Parametri",
                              found=name, group=g.group))
    return out


def achievement_findings(view: PlanView, chosen: dict, typed: dict, cells: dict, history: dict) -> list[F.Finding]:
    """Objectives with an amount and no achievement from anywhere; a typed value the history contradicts."""
    out = []
    for n, obj in view.objectives.items():
        if n not in chosen and obj.amount:
            out.append(F.make("raggiungimento-mancante", objective=n, euro_effect=-obj.amount))
        if n in typed and n in history and history[n] != typed[n]:
            sheet, _, cell = cells[n].partition("!")
            out.append(F.make("raggiungimento-diverso-da-storico", objective=n, sheet=sheet, cell=cell,
                              found=f"{num(typed[n])}%", expected=f"{num(as_decimal(history[n], 2))}%"))
    return out


def payout_findings(units, ledger, outside, view: PlanView, staff: dict[str, Employee]) -> list[F.Finding]:
    """Where money could not reach people: units with nobody, people outside every group, events
    worth more than the amount due."""
    out = []
    by_n: dict[int, list] = defaultdict(list)
    for u in units:
        by_n[u.n].append(u)
    for n, us in by_n.items():
        for u in us:
            if u.shares or u.amount <= 0:
                continue
            if u.group:
                out.append(F.make("gruppo-senza-partecipanti", objective=n, found=euro(u.amount),
                                  euro_effect=-u.amount, group=u.group))
            else:
                out.append(F.make("obiettivo-senza-partecipanti", objective=n, found=euro(u.amount),
                                  euro_effect=-u.amount))
    for n, emp in outside:
        s, _, c = emp.where.partition("!")
        out.append(F.make("fuori-dai-gruppi", objective=n, sheet=s, cell=c, who=_who(emp.name, emp.matricola),
                          area=emp.area_text or "area non indicata"))
    if ledger is not None and ledger.scaled:
        factor = ledger.pool / ledger.value
        out.append(F.make("presenze-oltre-stanziamento", objective=view.params.event_objective,
                          found=euro(ledger.value), expected=euro(ledger.due),
                          euro_effect=ledger.pool - ledger.value,
                          factor=f"× {str(factor.quantize(Decimal('0.0001'))).replace('.', ',')}"))
    return out
