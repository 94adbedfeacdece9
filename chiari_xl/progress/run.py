"""The office's actions as the CLI and the monthly folder call them: issue the sheets, collect the
returns, report a month, and (for the year-end payout per person) the final result per objective.

Where things go by default — the *monitoring folder* of a plan: `<plan's folder>/monitoraggio`,
or the folder above when the plan sits in a `piano/` folder (the monthly folder layout,
progress/folder.py). Inside it: `ufficio/` (key and history, ignored by git), `da_inviare/AAAA-MM/`
(the sheets of the month), `resoconti/` (monthly reports and payouts). Outputs are written with
safe_files.atomic_output: never over an existing file.
"""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from chiari_xl.findings import Finding
from chiari_xl.progress import history, office
from chiari_xl.progress import layout as L
from chiari_xl.progress.collect import FileResult, collect
from chiari_xl.progress.consolidated import write_consolidated
from chiari_xl.progress.indicators import PlanIndicators, plan_indicators
from chiari_xl.progress.month import Exit, MonthReport, build, to_json
from chiari_xl.progress.payout import ObjectiveResult
from chiari_xl.progress.revisions import fingerprint, revision_findings, snapshot
from chiari_xl.progress.sheets import SheetResult, prepared, write_area_sheets
from chiari_xl.reading.plan import read_plan
from chiari_xl.safe_files import atomic_output

OFFICE, TO_SEND, REPORTS = "ufficio", "da_inviare", "resoconti"


def check_month(month: str) -> str:
    if not L.MONTH_RE.match(month or ""):
        raise ValueError(f"Mese «{month}» non valido: scrivere AAAA-MM, per esempio 2025-06.")
    return month


def monitoring_root(plan_path: Path) -> Path:
    folder = Path(plan_path).absolute().parent
    return folder.parent if folder.name == "piano" else folder / "monitoraggio"


def office_of(plan_path: Path, office_dir: Path | None = None) -> Path:
    return Path(office_dir) if office_dir else monitoring_root(plan_path) / OFFICE


@dataclass
class PlanInForce:
    pi: PlanIndicators
    fingerprint: str
    office: Path
    revision: list[Finding] = field(default_factory=list)   # what changed since the plan used last time
    warnings: list[str] = field(default_factory=list)       # where the key and the history are


def open_plan(plan_path: Path, office_dir: Path | None = None) -> PlanInForce:
    """Read the plan, register it in the history and say whether it was revised since last time."""
    plan_path = Path(plan_path)
    pi = plan_indicators(read_plan(plan_path))
    where = office_of(plan_path, office_dir)
    snap = snapshot(pi)
    fp = fingerprint(snap)
    with closing(history.connect(where)) as con:
        before = history.register_plan(con, fp, pi.year, plan_path.name, snap)
    revision = []
    if before is not None:
        revision = revision_findings(before["snapshot"], snap, L.when_text(before["switched_at"], False),
                                     before["file_name"], plan_path.name)
    return PlanInForce(pi, fp, where, revision, office.warnings(where))


@dataclass
class SheetsOutcome:
    plan: PlanInForce
    month: str
    out_dir: Path
    written: list[SheetResult]
    unchanged: list[SheetResult]


def make_sheets(plan_path: Path, month: str, out_dir: Path | None = None, office_dir: Path | None = None,
                only_changed: bool = False, plan: PlanInForce | None = None) -> SheetsOutcome:
    """The month's sheets, prefilled with the values accepted for earlier months. only_changed:
    skip an area whose sheet for the month was already issued with the same content."""
    check_month(month)
    plan = plan or open_plan(plan_path, office_dir)
    out = Path(out_dir) if out_dir else monitoring_root(plan_path) / TO_SEND / month
    out.mkdir(parents=True, exist_ok=True)
    with closing(history.connect(plan.office)) as con:
        previous = history.as_of(con, month, plan.pi.indicators, before=True).current
        todo, same = set(), []
        for res in prepared(plan.pi, month, plan.office, previous):
            last = history.last_issue(con, res.area.key, month) if only_changed else None
            if last is not None and last["digest"] == res.digest:
                same.append(res)
            else:
                todo.add(res.area.key)
        written = write_area_sheets(plan.pi, month, out, plan.office, previous, only=todo)
        for res in written:
            history.record_issue(con, res.area.key, month, res.path.name, res.digest)
    return SheetsOutcome(plan, month, out, written, same)


@dataclass
class CollectOutcome:
    plan: PlanInForce
    month: str
    files: list[FileResult]
    report: MonthReport | None
    output: Path | None
    json_path: Path | None
    code: Exit
    json: dict = field(default_factory=dict)

    @property
    def objectives(self) -> list[ObjectiveResult]:
        return self.report.results if self.report else []


def run_collect(plan_path: Path, returned, month: str, office_dir: Path | None = None,
                output: Path | None = None, json_path: Path | None = None, final: bool = False,
                payout: str | None = None, plan: PlanInForce | None = None) -> CollectOutcome:
    """Collect the returned files for `month` and write the month's report (the payout with final).
    When no returned file could be read nothing is written and the code is 2."""
    check_month(month)
    plan = plan or open_plan(plan_path, office_dir)
    files = collect(plan.pi, returned, month, plan.office)
    if not any(f.readable for f in files):
        return CollectOutcome(plan, month, files, None, None, None, Exit.UNREADABLE)
    return write_report(plan_path, month, plan, files, output, json_path, final, payout)


def report_month(plan_path: Path, month: str, office_dir: Path | None = None, output: Path | None = None,
                 json_path: Path | None = None, final: bool = False, payout: str | None = None,
                 plan: PlanInForce | None = None) -> CollectOutcome:
    """The month's report from the history alone (nothing collected)."""
    check_month(month)
    plan = plan or open_plan(plan_path, office_dir)
    return write_report(plan_path, month, plan, [], output, json_path, final, payout)


def report_name(month: str, final: bool, provisional: bool) -> str:
    if final:
        return f"Liquidazione_{'provvisoria' if provisional else 'finale'}_{month}.xlsx"
    return f"Monitoraggio_consolidato_{month}.xlsx"


def write_report(plan_path: Path, month: str, plan: PlanInForce, files: list[FileResult], output: Path | None,
                 json_path: Path | None, final: bool, payout: str | None) -> CollectOutcome:
    with closing(history.connect(plan.office)) as con:
        report = build(plan.pi, con, month, files, final, payout)
    if output:
        target = Path(output)
    else:
        folder = monitoring_root(plan_path) / REPORTS
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / report_name(month, final, report.provisional)
    with atomic_output(target) as out:
        write_consolidated(out.tmp, report)
    data = to_json(report, out.final)
    written_json = None
    if json_path:
        with atomic_output(Path(json_path)) as jo:
            jo.tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        written_json = jo.final
    return CollectOutcome(plan, month, files, report, out.final, written_json, report.code, data)


def objective_results(plan_path: Path, office_dir: Path | None = None, month: str | None = None,
                      payout: str | None = None) -> list[ObjectiveResult]:
    """The final result of every objective of the plan in force, from the whole history up to
    `month` (default: the latest month with an accepted return): achievement, state, amount as
    published, amount due and savings by the payout rule, the reporting areas and those missing
    that month (`provisional`). Writes nothing. For the year-end payout per person."""
    plan = open_plan(plan_path, office_dir)
    with closing(history.connect(plan.office)) as con:
        month = month or history.latest_month(con) or f"{plan.pi.year or 0:04d}-12"
        return build(plan.pi, con, check_month(month), [], True, payout).results
