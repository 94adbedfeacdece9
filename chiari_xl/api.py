"""The library entry point: check one plan workbook and write the checked workbook and report.

The CLI, the drop folder and the watcher all call `check_plan`; it raises PlanReadError for a
file that is not a readable plan and OutputError when the result cannot be written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chiari_xl.checks import run_checks
from chiari_xl.findings import Finding, counts
from chiari_xl.safe_files import atomic_output
from chiari_xl.model.rules import compute
from chiari_xl.reading.plan import Plan, read_plan
from chiari_xl.report import build_report, write as write_report
from chiari_xl.workbook import write_workbook

SUFFIX = "_controllato"


@dataclass
class CheckResult:
    plan: Plan
    table: pd.DataFrame
    findings: list[Finding]
    output: Path | None
    report_path: Path | None
    report: dict

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def has_errors(self) -> bool:
        return self.counts["error"] > 0


def default_output(input_path: Path, folder: Path | None = None) -> Path:
    folder = folder or input_path.parent
    return folder / f"{input_path.stem}{SUFFIX}.xlsx"


def check_plan(input_path, output: Path | None = None, json_path: Path | None = None,
               write: bool = True) -> CheckResult:
    input_path = Path(input_path)
    plan = read_plan(input_path)
    df = compute(plan.objectives, plan.params)
    findings = run_checks(plan, df)
    out_final = None
    if write:
        target = Path(output) if output else default_output(input_path)
        info = {"title": _title(plan), "file": input_path.name, "sha256": plan.sha256,
                "when": dt.datetime.now().strftime("%d/%m/%Y %H:%M")}
        with atomic_output(target) as out:
            write_workbook(out.tmp, plan, df, findings, info)
        out_final = out.final
    report = build_report(plan, df, findings, str(out_final) if out_final else None)
    report_final = None
    if json_path is not None:
        with atomic_output(Path(json_path)) as out:
            write_report(report, out.tmp)
        report_final = out.final
    return CheckResult(plan, df, findings, out_final, report_final, report)


def _title(plan: Plan) -> str:
    year = plan.params.year
    return f"Piano di performance organizzativa {year}" if year else "Piano di performance organizzativa"
