"""The year-end library entry, as the CLI calls it: the staff template, the payout.

Achievements: the Personale workbook's «Raggiungimento» sheet when an objective's row is
filled (the office's year-end figure, for offices that do not use the monthly sheets);
otherwise the monthly history (progress/: the values accepted up to `month`, December of
the plan year by default, with the rules of `collect --final`). When both exist, the
Personale workbook counts, and a differing history value is said as a finding.
Outputs go next to the Personale workbook (it holds personal data already), never into a
drop folder's shared folders unless asked with `output`; nothing is ever overwritten.
"""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from chiari_xl import findings as F
from chiari_xl.errors import OutputError
from chiari_xl.reading.plan import Plan, read_plan
from chiari_xl.safe_files import atomic_output
from chiari_xl.yearend import checks, payroll, transparency
from chiari_xl.yearend.payout import FROM_HISTORY, FROM_STAFF, Payout, compute_payout
from chiari_xl.yearend.payout_workbook import write_payout_workbook
from chiari_xl.yearend.plan_view import PlanView
from chiari_xl.yearend.report import build_report
from chiari_xl.yearend.staff_read import read_staff
from chiari_xl.yearend.staff_template import write_staff_workbook

_SHARED = ("in", "out", "archivio", "scartati")


def make_template(plan_path, output=None) -> Path:
    plan_path = Path(plan_path)
    view = PlanView(read_plan(plan_path))
    target = Path(output) if output else plan_path.parent / f"Personale_{view.year or 'piano'}.xlsx"
    with atomic_output(target) as out:
        write_staff_workbook(out.tmp, view)
    return out.final


def history_achievements(plan: Plan, office_dir: Path | None, month: str) -> dict[int, Fraction]:
    """THE one call into the monthly progress: per objective, the whole year's achievement % as of
    `month` (progress.run.objective_results, --final's rules, the plan in force), for the
    objectives some area reported on. {} when the office folder has no history."""
    from chiari_xl.progress import history
    from chiari_xl.progress.run import objective_results, office_of

    if not history.db_path(office_of(plan.path, office_dir)).exists():
        return {}
    results = objective_results(plan.path, office_dir, month)
    return {r.n: r.achievement for r in results if any(st.reports for st in r.indicators)}


def _achievements(view: PlanView, typed: dict, history: dict) -> dict[int, tuple[Fraction, str]]:
    """Per objective: the Personale workbook's value when typed, else the history's."""
    out = {}
    for n in view.objectives:
        if n in typed:
            out[n] = (Fraction(typed[n]), FROM_STAFF)
        elif n in history:
            out[n] = (history[n], FROM_HISTORY)
    return out


def _is_shared(folder: Path) -> bool:
    folder = folder.resolve()
    return folder.name.lower() in _SHARED and (folder.parent / "in").is_dir() and (folder.parent / "out").is_dir()


@dataclass
class PayoutOutcome:
    payout: Payout
    findings: list[F.Finding]
    output: Path
    payroll: Path
    transparency: list[Path]
    json_path: Path | None
    report: dict = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == F.Severity.ERROR for f in self.findings)


def run_payout(plan_path, staff_path, output=None, json_path=None, office_dir=None,
               month: str | None = None) -> PayoutOutcome:
    plan_path, staff_path = Path(plan_path), Path(staff_path)
    plan = read_plan(plan_path)
    view = PlanView(plan)
    raw = read_staff(staff_path)
    staff, found = checks.validate(raw, view)
    found += checks.participation_findings(staff, view)
    found += checks.parameter_findings(view, bool(staff.events))
    found += [f for f in plan.findings if f.sheet == "Parametri" and f.severity == F.Severity.ERROR]
    month = month or f"{view.year or 0:04d}-12"
    history = history_achievements(plan, office_dir, month)
    achievements = _achievements(view, staff.achievements, history)
    found += checks.achievement_findings(view, achievements, {n: Fraction(v) for n, v in staff.achievements.items()},
                                         staff.achievement_cells, history)
    payout = compute_payout(view, staff, achievements, found)
    findings = sorted(payout.findings, key=F.sort_key)
    year = view.year or "piano"
    folder = Path(output).parent if output else staff_path.parent
    if output is None and _is_shared(folder):
        raise OutputError(f"Il file del personale è nella cartella condivisa «{folder}»: la liquidazione contiene "
                          "dati personali e non viene scritta lì. Indicare dove scriverla con -o.")
    target = Path(output) if output else folder / f"Liquidazione_{year}.xlsx"
    published_items = transparency.items(payout)  # everything computed before the first file is written
    with atomic_output(target) as out:
        write_payout_workbook(out.tmp, payout, findings, plan_path, staff_path)
    with atomic_output(out.final.parent / "Cedolini.csv") as csv_out:
        payroll.write_payroll(csv_out.tmp, payout)
    published = transparency.write_transparency(out.final.parent, payout, published_items)
    report = build_report(payout, findings, plan, raw, {"workbook": out.final, "payroll": csv_out.final,
                                                        "transparency": published})
    written_json = None
    if json_path:
        with atomic_output(Path(json_path)) as jo:
            jo.tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        written_json = jo.final
    return PayoutOutcome(payout, findings, out.final, csv_out.final, published, written_json, report)
