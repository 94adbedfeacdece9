"""The JSON report of a payout: employees with their shares, objectives, totals, findings."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from chiari_xl import __version__
from chiari_xl.findings import Finding, counts
from chiari_xl.model.money import as_decimal
from chiari_xl.yearend.payout import Payout


def _money(v: Decimal | None):
    return None if v is None else float(v)


def _pct(v: Fraction | None):
    return None if v is None else float(as_decimal(v, 6))


def build_report(p: Payout, findings: list[Finding], plan, raw, outputs: dict) -> dict:
    params = p.view.params
    employees = []
    for e in p.staff.employees:
        mine = p.shares.get(e.matricola, {})
        employees.append({
            "matricola": e.matricola, "name": e.name, "area": p.view.area_name(e.area_key) or e.area_text,
            "sector": p.sector_of(e) or None, "part_time": float(e.part_time),
            "score": None if e.score is None else float(e.score), "total": _money(p.total_of(e.matricola)),
            "shares": [{"n": n, "amount": _money(a)} for n, a in sorted(mine.items())]})
    objectives = [{"n": o.n, "title": o.title, "sector": o.sector, "rule": o.rule, "amount_allocated": _money(o.allocated),
                   "soglia": None if o.soglia is None else float(o.soglia), "achievement": _pct(o.achievement),
                   "achievement_source": o.source or None, "amount_due": _money(o.due), "paid": _money(o.paid),
                   "savings": _money(o.savings), "participants": o.participants} for o in p.objectives]
    groups = [{"n": u.n, "group": u.group, "areas": u.areas, "quota": str(u.quota), "amount": _money(u.amount),
               "paid": _money(u.paid), "people": len(u.shares)} for u in p.units if u.group]
    events = None
    if p.ledger is not None:
        led = p.ledger
        events = {"n": params.event_objective, "attendances": len(led.rows),
                  "paid_attendances": sum(1 for r in led.rows if r.paid is not None),
                  "people": len(led.per_person()), "due": _money(led.due), "value_by_bands": _money(led.value),
                  "paid": _money(led.paid), "scaled": led.scaled,
                  "factor": float(as_decimal(Fraction(led.pool) / Fraction(led.value), 6)) if led.value else None}
    t = p.totals
    return {
        "tool": f"chiari-xl {__version__}",
        "riservato": True,
        "note": "Contiene dati personali (nomi, matricole, importi individuali): non pubblicare.",
        "year": p.view.year,
        "plan": {"path": str(plan.path), "sha256": plan.sha256},
        "staff": {"path": str(raw.path), "sha256": raw.sha256},
        "split_rule": str(params.split_rule), "payout_rule": str(params.payout),
        "outputs": {"workbook": str(outputs["workbook"]), "payroll": str(outputs["payroll"]),
                    "transparency": [str(x) for x in outputs["transparency"]]},
        "counts": counts(findings),
        "totals": {k: _money(v) for k, v in t.items()},
        "employees": employees,
        "objectives": objectives,
        "groups": groups,
        "events": events,
        "findings": [f.as_dict() for f in findings],
    }
