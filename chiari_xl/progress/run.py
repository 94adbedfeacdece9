"""The two office actions, as the CLI calls them: issue the sheets, collect the returns.

`office_dir` (default: the plan's folder) holds the key and the history database.
Outputs are written with safe_files.atomic_output: never over an existing file.
"""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chiari_xl.safe_files import atomic_output
from chiari_xl.reading.plan import read_plan
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.collect import ACCEPTED, PARTIAL, REJECTED, FileResult, collect, exit_code
from chiari_xl.progress.consolidated import write_consolidated
from chiari_xl.progress.indicators import PlanIndicators, plan_indicators
from chiari_xl.model.money import as_decimal
from chiari_xl.progress.payout import ObjectiveResult, evaluate
from chiari_xl.progress.sheets import SheetResult, write_area_sheets


def check_month(month: str) -> str:
    if not L.MONTH_RE.match(month or ""):
        raise ValueError(f"Mese «{month}» non valido: scrivere AAAA-MM, per esempio 2025-06.")
    return month


def make_sheets(plan_path: Path, month: str, out_dir: Path | None = None,
                office_dir: Path | None = None) -> list[SheetResult]:
    plan_path = Path(plan_path)
    pi = plan_indicators(read_plan(plan_path))
    office = Path(office_dir or plan_path.parent)
    out = Path(out_dir or plan_path.parent)
    with closing(history.connect(office)) as con:
        previous = history.as_of(con, pi.plan.sha256, check_month(month), before=True)
    return write_area_sheets(pi, month, out, office, previous)


@dataclass
class CollectOutcome:
    files: list[FileResult]
    objectives: list[ObjectiveResult]
    findings: list[dict]
    output: Path | None
    json_path: Path | None
    code: int
    report: dict = field(default_factory=dict)


def run_collect(plan_path: Path, returned, month: str, office_dir: Path | None = None,
                output: Path | None = None, json_path: Path | None = None, final: bool = False,
                payout: str | None = None) -> CollectOutcome:
    plan_path = Path(plan_path)
    check_month(month)
    pi = plan_indicators(read_plan(plan_path))
    office = Path(office_dir or plan_path.parent)
    files = collect(pi, returned, month, office)
    payout = payout or pi.plan.params.payout
    with closing(history.connect(office)) as con:
        current = history.as_of(con, pi.plan.sha256, month)
        trend = {m: {o.n: o.achievement for o in evaluate(pi, history.as_of(con, pi.plan.sha256, m), payout)}
                 for m in history.months(con, pi.plan.sha256, month)}
        answered = history.areas_answered(con, pi.plan.sha256, month)
    results = evaluate(pi, current, payout)
    findings = build_findings(pi, files, results, answered)
    kind = "Liquidazione_finale" if final else "Monitoraggio_consolidato"
    target = Path(output) if output else office / f"{kind}_{month}.xlsx"
    with atomic_output(target) as out:
        write_consolidated(out.tmp, pi, month, results, current, trend, findings, payout, final)
    report = build_report(pi, month, files, results, payout, out.final)
    written_json = None
    if json_path:
        with atomic_output(Path(json_path)) as jo:
            jo.tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        written_json = jo.final
    return CollectOutcome(files, results, findings, out.final, written_json, exit_code(files), report)


def build_findings(pi: PlanIndicators, files: list[FileResult], results: list[ObjectiveResult],
                   answered: set[str]) -> list[dict]:
    out = []
    for key in sorted(pi.area_map.areas):
        if key not in answered and pi.of_area(key):
            out.append({"tipo": "Area senza risposta", "area": pi.area_map.areas[key].name,
                        "dettaglio": "Nessun foglio accettato per il mese."})
    for f in files:
        area = f.area_name or ""
        if f.status == REJECTED:
            out.append({"tipo": "File rifiutato", "area": area, "file": f.path.name, "dettaglio": f.reason})
        for c in f.rejections:
            out.append({"tipo": "Cella rifiutata" if f.status != REJECTED else "Cella protetta modificata",
                        "area": area, "file": f.path.name, "cella": c.get("cell"), "valore": c.get("value"),
                        "dettaglio": c["reason"]})
        for note in f.notes:
            out.append({"tipo": "Nota", "area": area, "file": f.path.name, "dettaglio": note})
    names = pi.area_map.areas
    for res in results:
        for st in res.indicators:
            if st.disagreeing:
                detail = "; ".join(f"{names[a].name}: {_pct(c)}" for a, c in sorted(st.reports.items()))
                out.append({"tipo": "Aree in disaccordo", "area": ", ".join(names[a].name for a in sorted(st.reports)),
                            "cella": f"ob. {st.n}, ind. {st.k}",
                            "dettaglio": f"Completamento diverso tra le aree ({detail}): si usa il più basso."})
    return out


def _pct(c: Fraction) -> str:
    return f"{as_decimal(c * 100, 2)}%".replace(".", ",")


def _num(v):
    if v is None:
        return None
    if isinstance(v, Fraction):
        return float(as_decimal(v, 6))
    return float(v) if isinstance(v, Decimal) else v


def build_report(pi, month, files, results, payout, output) -> dict:
    inds = {(i.n, i.k): i for i in pi.indicators}
    accepted, rejected = [], []
    for f in files:
        if f.status in (ACCEPTED, PARTIAL):
            accepted.append({"file": f.path.name, "sha256": f.sha256, "area": f.area_name, "area_key": f.area_key,
                             "month": f.month, "status": f.status, "notes": f.notes,
                             "values": [{"n": v["n"], "k": v["k"], "indicatore": inds[(v["n"], v["k"])].indicatore,
                                         **{k: _num(v.get(k)) for k in ("stato", "quantita", "percentuale", "nota")}}
                                        for v in f.values]})
        if f.status == REJECTED or f.rejections:
            rejected.append({"file": f.path.name, "area": f.area_name, "month": f.month,
                             "whole_file": f.status == REJECTED,
                             "reason": f.reason or "Alcune celle sono state rifiutate.",
                             "cells": f.rejections})
    objectives = [{"n": r.n, "achievement": _num(r.achievement), "soglia": _num(r.soglia), "reached": r.reached,
                   "amount": _num(r.amount), "amount_due": _num(r.due), "savings": _num(r.savings)}
                  for r in results]
    return {"plan": pi.plan.path.name, "plan_sha256": pi.plan.sha256, "month": month, "payout": payout,
            "output": str(output) if output else None, "accepted": accepted, "rejected": rejected,
            "objectives": objectives,
            "totals": {"amount": _num(sum((r.amount or 0 for r in results), Decimal(0))),
                       "amount_due": _num(sum((r.due for r in results), Decimal(0))),
                       "savings": _num(sum((r.savings for r in results), Decimal(0)))}}
