"""The library entry point: check one plan workbook and write the checked workbook and report.

The CLI calls `check_plan`; the drop folder calls its parts (`analyse`, `write_checked_workbook`,
`report_of`) because it chooses and journals the names itself. PlanReadError: the file is not a
readable plan; OutputError: the result cannot be written (a problem of the place, not of the plan).
"""

from __future__ import annotations

import datetime as dt
import errno
import io
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from chiari_xl.checks import run_checks
from chiari_xl.findings import Finding, counts
from chiari_xl.errors import OutputError
from chiari_xl.safe_files import atomic_output, free_pair, write_bytes
from chiari_xl.model.rules import compute
from chiari_xl.pdf_copy import PdfNotWritten
from chiari_xl.pdf_copy import render as render_pdf
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
    pdf_path: Path | None = None
    pdf_problem: str = ""   # why no PDF was written, when one was asked for (Italian)

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)

    @property
    def has_errors(self) -> bool:
        return self.counts["error"] > 0


def default_output(input_path: Path, folder: Path | None = None) -> Path:
    folder = folder or input_path.parent
    return folder / f"{input_path.stem}{SUFFIX}.xlsx"


def analyse(input_path) -> CheckResult:
    """Read, recompute and check a plan without writing anything (PlanReadError if unreadable)."""
    input_path = Path(input_path)
    plan = read_plan(input_path)
    df = compute(plan.objectives, plan.params)
    findings = run_checks(plan, df)
    return CheckResult(plan, df, findings, None, None, {})


def write_checked_workbook(result: CheckResult, path: Path, name: str | None = None) -> Path:
    """The checked workbook of `result` into the existing (temporary) file `path`.

    name: the input's name as the office knows it. The workbook is built in memory and written
    with one fsynced write, so a full disk is an ordinary OSError here and leaves no scratch files
    or half-open zip behind (xlsxwriter would raise FileCreateError and print "Exception ignored").
    """
    plan = result.plan
    info = {"title": _title(plan), "file": name or plan.path.name, "sha256": plan.sha256,
            "when": dt.datetime.now().strftime("%d/%m/%Y %H:%M")}
    buf = io.BytesIO()
    write_workbook(buf, plan, result.table, result.findings, info)
    write_bytes(path, buf.getbuffer())
    return Path(path)


def report_of(result: CheckResult, output: Path | None, input_path: Path | None = None) -> dict:
    """The JSON report; input_path: where the input is as the office knows it (default: where it was read)."""
    plan = result.plan if input_path is None else replace(result.plan, path=Path(input_path))
    return build_report(plan, result.table, result.findings, str(output) if output else None)


def check_plan(input_path, output: Path | None = None, json_path: Path | None = None,
               write: bool = True, pdf: bool = False) -> CheckResult:
    """Check a plan and write the checked workbook (and, when asked, its JSON report and its PDF).

    The files that belong together share their number: 'x (2).xlsx' with 'x (2).json' (when the
    JSON is named after the workbook) and 'x (2).pdf'. A PDF that cannot be made (no LibreOffice)
    is not an error: `pdf_problem` says why, in Italian.
    """
    input_path = Path(input_path)
    result = analyse(input_path)
    target = Path(output) if output else default_output(input_path)
    json_paired = json_path is not None and Path(json_path).stem == target.stem
    pdf_path = target.with_suffix(".pdf") if write and pdf else None
    paired = write and (json_paired or pdf_path is not None)
    for _ in range(100):
        if paired:
            names = free_pair(target, *([Path(json_path)] if json_paired else []), *([pdf_path] if pdf_path else []))
            target = names[0]
            json_path = names[1] if json_paired else json_path
            pdf_path = names[-1] if pdf_path else None
        try:
            if write:
                with atomic_output(target, exact=paired) as out:
                    write_checked_workbook(result, out.tmp)
                result.output = out.final
            break
        except OutputError as exc:
            if not (paired and exc.errno == errno.EEXIST):  # the free pair was taken meanwhile
                raise
    result.report = report_of(result, result.output)
    if json_path is not None:
        result.report_path = _write_beside(Path(json_path), json_paired,
                                           lambda tmp: write_report(result.report, tmp))
    if pdf_path is not None:
        try:
            data = render_pdf(result.output)
        except PdfNotWritten as exc:
            result.pdf_problem = exc.reason
        else:
            result.pdf_path = _write_beside(pdf_path, True, lambda tmp: tmp.write_bytes(data))
    return result


def _write_beside(path: Path, exact: bool, write) -> Path:
    """Write a companion file atomically: at `path` (exact), or at a free name if it was taken meanwhile."""
    try:
        with atomic_output(path, exact=exact) as out:
            write(out.tmp)
    except OutputError as exc:
        if not (exact and exc.errno == errno.EEXIST):
            raise
        with atomic_output(path) as out:
            write(out.tmp)
    return out.final


def _title(plan: Plan) -> str:
    year = plan.params.year
    return f"Piano di performance organizzativa {year}" if year else "Piano di performance organizzativa"
