"""The state of a month: who returned, who is missing, each objective's achievement, and why.

A monthly report is progress, not a payout: it says which areas returned their sheet and which
did not, scores every objective from the values that count as of the month (history.as_of),
marks as partial every objective some of whose reporting areas are missing, and lists every
finding of the collection. With `final` it is the year-end payout: amounts due and savings,
provisional for every objective whose reporting areas have not all returned the final month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from fractions import Fraction

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.money import as_decimal, euro
from chiari_xl.model.params import Payout
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.collect import FileResult
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.indicators import PlanIndicators
from chiari_xl.progress.notices import Notice
from chiari_xl.progress.payout import ObjectiveResult, evaluate
from chiari_xl.progress.revisions import revision_findings
from chiari_xl.text import num

KINDS = [
    Kind("area-senza-risposta", Severity.WARNING, "Area senza foglio nel mese",
         "Nessun foglio accettato di «{area}» per {month}{since}.",
         todo="Sollecitare l'area e salvare il suo foglio in «ricevuti» appena arriva."),
    Kind("obiettivo-parziale", Severity.WARNING, "Obiettivo valutato con risposte parziali",
         "Obiettivo {objective}: hanno risposto {got} aree su {total} (manca {missing}): il raggiungimento "
         "({found} %) è provvisorio.",
         todo="Sollecitare le aree che mancano: il raggiungimento si aggiorna alla prossima raccolta."),
    Kind("aree-in-disaccordo", Severity.WARNING, "Aree in disaccordo",
         "Indicatore {ident}: completamento diverso tra le aree ({found}): si usa il più basso.",
         todo="Verificare con le aree il completamento reale dell'indicatore."),
    Kind("liquidazione-provvisoria", Severity.ERROR, "Liquidazione provvisoria",
         "Liquidazione PROVVISORIA: per {month} mancano i fogli di {count} aree ({areas}); gli obiettivi "
         "{objectives} sono segnati come provvisori.",
         todo="Raccogliere i fogli delle aree mancanti e rifare la liquidazione."),
    Kind("valori-senza-indicatore", Severity.INFO, "Valori di indicatori tolti dal piano",
         "«{area}»: {count} valori registrati per indicatori che il piano in vigore non ha più ({found}): "
         "restano nello storico ma non contano.",
         todo="Nessuna azione, salvo che l'indicatore sia stato tolto dal piano per errore."),
    Kind("rilevatore-sconosciuto", Severity.WARNING, "«Rilevato da» senza area",
         "Nella colonna «Rilevato da» delle schede «{found}» non nomina un'area del piano: quegli indicatori "
         "sono rilevati dall'ufficio.",
         todo="Scrivere nella colonna «Rilevato da» delle schede il nome di un'area del piano."),
]


class Exit(IntEnum):
    """Exit code of a collection: 0 complete, 1 something refused or missing, 2 nothing readable."""

    COMPLETE = 0
    INCOMPLETE = 1
    UNREADABLE = 2


@dataclass
class MonthReport:
    pi: PlanIndicators
    month: str
    final: bool
    payout: Payout
    files: list[FileResult]
    results: list[ObjectiveResult]
    current: dict
    returned: dict[str, dict]             # area key -> the accepted file that counts this month
    trend: dict[str, dict[int, Fraction]]
    month_files: list[dict]
    revisions: list[dict]                 # {when, old_file, new_file, findings}
    notices: list[Notice] = field(default_factory=list)
    when: dt.datetime = field(default_factory=dt.datetime.now)

    @property
    def expected(self) -> list[str]:
        return list(self.pi.areas)

    @property
    def missing(self) -> list[str]:
        return [a for a in self.expected if a not in self.returned]

    @property
    def provisional(self) -> bool:
        return self.final and bool(self.missing)

    @property
    def code(self) -> Exit:
        if self.missing or any(f.status != Outcome.ACCEPTED for f in self.files):
            return Exit.INCOMPLETE
        return Exit.COMPLETE

    def name(self, key: str) -> str:
        return self.pi.area_name(key)


def build(pi: PlanIndicators, con, month: str, files: list[FileResult], final: bool = False,
          payout: str | None = None) -> MonthReport:
    payout = Payout(payout or pi.plan.params.payout)
    standing = history.as_of(con, month, pi.indicators)
    returned = history.returned(con, month)
    results = evaluate(pi, standing.current, payout, set(returned))
    trend = {m: {o.n: o.achievement for o in evaluate(pi, history.as_of(con, m, pi.indicators).current, payout)}
             for m in history.months(con, month)}
    report = MonthReport(pi=pi, month=month, final=final, payout=payout, files=files, results=results,
                         current=standing.current, returned=returned, trend=trend,
                         month_files=history.month_files(con, month), revisions=_revisions(con))
    report.notices = [n for f in files for n in f.notices] + _month_notices(report, standing.orphans)
    return report


def _revisions(con) -> list[dict]:
    switches = history.plan_history(con)
    out = []
    for old, new in zip(switches, switches[1:]):
        found = revision_findings(old["snapshot"], new["snapshot"], L.when_text(old["switched_at"], False), old["file_name"],
                                  new["file_name"])
        out.append({"when": new["switched_at"], "old_file": old["file_name"], "new_file": new["file_name"],
                    "findings": found})
    return out


def _month_notices(r: MonthReport, orphans: list[dict]) -> list[Notice]:
    out: list[Notice] = []
    label = L.month_label(r.month)
    for key in r.missing:
        older = {v["month"] for v in r.current.get(key, {}).values()}
        since = f"; contano i valori accettati fino a {L.month_label(max(older))}" if older else ""
        out.append(Notice(F.make("area-senza-risposta", area=r.name(key), month=label, since=since),
                          area=r.name(key)))
    for o in r.results:
        if o.missing and o.reporters:
            out.append(Notice(F.make("obiettivo-parziale", objective=o.n, found=_pct(o.achievement),
                                     got=len(o.reporters) - len(o.missing), total=len(o.reporters),
                                     missing=", ".join(r.name(a) for a in o.missing))))
        for st in o.indicators:
            if st.disagreeing:
                detail = "; ".join(f"{r.name(a)}: {_pct(c * 100)} %" for a, c in sorted(st.reports.items()))
                out.append(Notice(F.make("aree-in-disaccordo", objective=st.n, found=detail, ident=f"{st.n}.{st.k}"),
                                  area=", ".join(r.name(a) for a in sorted(st.reports))))
    if r.provisional:
        affected = [str(o.n) for o in r.results if o.provisional]
        out.append(Notice(F.make("liquidazione-provvisoria", month=label, count=len(r.missing),
                                 areas=", ".join(r.name(a) for a in r.missing), objectives=", ".join(affected))))
    by_area: dict[str, list[dict]] = {}
    for o in orphans:
        by_area.setdefault(o["area_key"], []).append(o)
    for key, items in sorted(by_area.items()):
        idents = ", ".join(sorted({f"{o['n']}.{o['k']} «{o['indicatore'] or '?'}»" for o in items}))
        out.append(Notice(F.make("valori-senza-indicatore", area=r.name(key), count=len(items), found=idents),
                          area=r.name(key)))
    for said in sorted(set(r.pi.unresolved_reporters)):
        out.append(Notice(F.make("rilevatore-sconosciuto", sheet=r.pi.plan.cards_sheet or "", found=said)))
    return out


def _pct(value: Fraction) -> str:
    return num(as_decimal(value, 2))


# --------------------------------------------------------------------------- JSON

def _num(v):
    if v is None:
        return None
    if isinstance(v, Fraction):
        return float(as_decimal(v, 6))
    return float(v)


def to_json(r: MonthReport, output=None) -> dict:
    inds = {(i.n, i.k): i for i in r.pi.indicators}
    files = []
    for f in r.files:
        files.append({
            "file": f.path.name, "sha256": f.sha256, "area": f.area_name, "area_key": f.area_key, "month": f.month,
            "status": str(f.status), "status_label": f.status.label, "reason": f.reason, "new": f.new,
            "values": [{"n": v["n"], "k": v["k"], "indicatore": v.get("indicatore"),
                        "stato": v["stato"].label if v.get("stato") else None,
                        "quantita": _num(v.get("quantita")), "percentuale": _num(v.get("percentuale")),
                        "nota": v.get("nota")} for v in f.values],
            "findings": [n.as_dict() for n in f.notices]})
    objectives = []
    for o in r.results:
        item = {"n": o.n, "obiettivo": o.obiettivo, "group": o.group, "soglia": _num(o.soglia),
                "achievement": _num(o.achievement), "status": str(o.status), "status_label": o.status.label,
                "reporters": [r.name(a) for a in o.reporters], "missing": [r.name(a) for a in o.missing],
                "indicators": [{"n": s.n, "k": s.k, "indicatore": inds[(s.n, s.k)].indicatore,
                                "completion": _num(s.completion), "reported_by": [r.name(a) for a in s.reports]}
                               for s in o.indicators]}
        if r.final:
            item.update({"amount": _num(o.amount), "amount_due": _num(o.due), "savings": _num(o.savings),
                         "provisional": o.provisional})
        objectives.append(item)
    out = {
        "plan": r.pi.plan.path.name, "year": r.pi.year, "month": r.month,
        "kind": "liquidazione" if r.final else "monitoraggio", "final": r.final, "provisional": r.provisional,
        "payout": str(r.payout), "output": str(output) if output else None,
        "areas": {"expected": [r.name(a) for a in r.expected],
                  "returned": [{"area": r.name(a), "file": s["file_name"], "collected_at": s["collected_at"]}
                               for a, s in sorted(r.returned.items())],
                  "missing": [r.name(a) for a in r.missing]},
        "files": files, "objectives": objectives,
        "findings": [n.as_dict() for n in r.notices],
        "revisions": [{"when": v["when"], "old_file": v["old_file"], "new_file": v["new_file"],
                       "findings": [f.as_dict() for f in v["findings"]]} for v in r.revisions],
    }
    if r.final:
        total = sum((o.amount or 0 for o in r.results), 0)
        due = sum((o.due for o in r.results), 0)
        out["totals"] = {"amount": _num(total), "amount_due": _num(due), "savings": _num(total - due),
                         "amount_due_text": euro(due)}
    return out
