"""The monthly cycle by folders and double clicks (scripts/monitoraggio.*, `chiari-xl mese`).

Layout of the monitoring folder (by default `workbooks/monitoraggio`):

    piano/                the plan in force (one workbook)
    da_inviare/AAAA-MM/   the sheets to send to the areas for that month
    ricevuti/             where the office saves the sheets the areas send back
    resoconti/            each month's report (Monitoraggio_consolidato_AAAA-MM.xlsx and .json)
                          and, once the plan's last month is collected, the payout (Liquidazione_…)
    archivio/AAAA-MM/     every collected return, byte-identical, with date and time in its name
    scartati/             the returns refused whole, each with a "… - motivo.txt" beside it
    ufficio/              the signing key and the history (with its own .gitignore)

One run:
1. reads the plan in piano/ and says whether it was revised since the last run;
2. collects every file in ricevuti/, each for the month it was issued for; a file Excel still has
   open (its "~$" lock file is beside it) is left where it is, "in attesa";
3. moves each collected file, byte-identical and never over another file, to archivio/<month>/
   (accepted, even in part) or to scartati/ with the reason (refused whole: put it back in
   ricevuti/ once the reason is fixed, a refusal never blocks it);
4. writes the report of every month collected (the payout, too, for the plan's last month);
5. prepares the sheets of the month after the last one collected (the first time: the current
   month) in da_inviare/, prefilled with what was accepted; an area whose sheet is already
   there and would not change is left alone, one whose values arrived late gets a new one.
Two runs at once on the same folder wait for each other (a lock file).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from chiari_xl.dropfolder import REASON_SUFFIX, excel_lock_of, ignore_reason, stamp
from chiari_xl.errors import ChiariError
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.collect import FileResult, collect
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.month import Exit
from chiari_xl.progress.run import (OFFICE, REPORTS, TO_SEND, CollectOutcome, PlanInForce, SheetsOutcome,
                                    make_sheets, open_plan, write_report)
from chiari_xl.safe_files import atomic_output, move_no_overwrite

PLAN, RETURNED, ARCHIVE, REFUSED = "piano", "ricevuti", "archivio", "scartati"
LOCK = ".chiari-xl-monitoraggio.lock"
PLAN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def plan(self) -> Path:
        return self.root / PLAN

    @property
    def returned(self) -> Path:
        return self.root / RETURNED

    @property
    def to_send(self) -> Path:
        return self.root / TO_SEND

    @property
    def reports(self) -> Path:
        return self.root / REPORTS

    @property
    def archive(self) -> Path:
        return self.root / ARCHIVE

    @property
    def refused(self) -> Path:
        return self.root / REFUSED

    @property
    def office(self) -> Path:
        return self.root / OFFICE

    def ensure(self) -> None:
        for d in (self.plan, self.returned, self.to_send, self.reports, self.archive, self.refused):
            d.mkdir(parents=True, exist_ok=True)


@dataclass
class FolderOutcome:
    root: Path
    plan_path: Path | None = None
    plan: PlanInForce | None = None
    collected: list[FileResult] = field(default_factory=list)
    moved: dict[str, Path] = field(default_factory=dict)       # file name -> where it went
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    reports: list[CollectOutcome] = field(default_factory=list)
    sheets: SheetsOutcome | None = None
    year_over: bool = False

    @property
    def code(self) -> Exit:
        if self.collected and not any(f.readable for f in self.collected):
            return Exit.UNREADABLE
        if self.waiting or any(r.code != Exit.COMPLETE for r in self.reports) or \
                any(f.status != Outcome.ACCEPTED for f in self.collected):
            return Exit.INCOMPLETE
        return Exit.COMPLETE


def find_plan(folder: Path) -> Path:
    """The one plan workbook in piano/ (ChiariError with what to do otherwise)."""
    plans = [p for p in sorted(folder.iterdir()) if p.is_file() and ignore_reason(p) is None
             and p.suffix.lower() in PLAN_SUFFIXES] if folder.is_dir() else []
    if not plans:
        raise ChiariError(f"Nella cartella «{folder}» non c'è il piano degli obiettivi: copiarci il file Excel del "
                          "piano in vigore e rieseguire.")
    if len(plans) > 1:
        names = ", ".join(f"«{p.name}»" for p in plans)
        raise ChiariError(f"Nella cartella «{folder}» ci sono più piani ({names}): lasciare solo quello in vigore "
                          "(spostare gli altri altrove) e rieseguire.")
    return plans[0]


def run_folder(root: Path, prepare: str | None = None, final: bool = False, today: dt.date | None = None,
               lock_timeout: float = 600) -> FolderOutcome:
    layout = Layout(Path(root).absolute())
    layout.ensure()
    try:
        with FileLock(str(layout.root / LOCK), timeout=lock_timeout):
            return _run(layout, prepare, final, today or dt.date.today())
    except Timeout:
        raise ChiariError("Un'altra elaborazione del monitoraggio è in corso sulla stessa cartella: "
                          "attendere che finisca e rieseguire.") from None


def _run(layout: Layout, prepare: str | None, final: bool, today: dt.date) -> FolderOutcome:
    out = FolderOutcome(layout.root)
    out.plan_path = find_plan(layout.plan)
    out.plan = plan = open_plan(out.plan_path, layout.office)
    todo = []
    for p in sorted(layout.returned.iterdir(), key=lambda p: p.name.lower()):
        why = ignore_reason(p)
        if why is not None:
            continue  # Excel's lock files, hidden and temporary files, folders
        lock = excel_lock_of(p)
        if lock is not None:
            out.waiting.append((p.name, f"ancora aperto in Excel (c'è «{lock.name}»): chiuderlo e rieseguire; "
                                        f"se non è aperto, eliminare «{lock.name}»"))
            continue
        todo.append(p)
    if todo:
        out.collected = collect(plan.pi, todo, None, plan.office)
        for res in out.collected:
            try:
                out.moved[res.path.name] = _put_away(layout, res)
            except (OSError, ChiariError) as exc:  # recorded already: the next run moves it
                why = getattr(exc, "strerror", None) or exc
                out.waiting.append((res.path.name, f"raccolto ma non spostato ({why}): resta in «ricevuti», "
                                                   "sarà spostato alla prossima esecuzione"))
    months = sorted({f.month for f in out.collected if f.status != Outcome.REFUSED and f.month})
    last_month = f"{plan.pi.year:04d}-12" if plan.pi.year else None
    if final and not months:
        with closing(history.connect(plan.office)) as con:
            months = [m for m in [history.latest_month(con)] if m]
    for month in months:
        is_last = final or month == last_month
        files = [f for f in out.collected if f.month == month]
        out.reports.append(write_report(out.plan_path, month, plan, files, None, None, False, None))
        if is_last:
            out.reports.append(write_report(out.plan_path, month, plan, files, None, None, True, None))
    for rep in out.reports:  # the JSON beside each workbook, for other programs
        _write_json(rep)
    month = prepare or _month_to_prepare(plan, today)
    if month is None:
        out.year_over = True
    else:
        out.sheets = make_sheets(out.plan_path, month, layout.to_send / month, layout.office, only_changed=True,
                                 plan=plan)
    return out


def _month_to_prepare(plan: PlanInForce, today: dt.date) -> str | None:
    """The month after the last one with an accepted return; the first time the current month
    (within the plan's year). None once the plan's last month is collected."""
    with closing(history.connect(plan.office)) as con:
        latest = history.latest_month(con)
    year = plan.pi.year
    if latest:
        nxt = L.next_month(latest)
        return None if year and nxt > f"{year:04d}-12" else nxt
    month = f"{today.year:04d}-{today.month:02d}"
    if year:
        month = min(max(month, f"{year:04d}-01"), f"{year:04d}-12")
    return month


def _put_away(layout: Layout, res: FileResult) -> Path:
    """The collected file out of ricevuti/, byte-identical, never over another file."""
    src = res.path
    if res.status == Outcome.REFUSED:
        target = layout.refused / src.name
        with atomic_output(target.with_name(target.name + REASON_SUFFIX)) as reason:
            reason.tmp.write_text(_reason_text(res), encoding="utf-8")
        return move_no_overwrite(src, target)
    folder = layout.archive / (res.month or "senza-mese")
    folder.mkdir(parents=True, exist_ok=True)
    return move_no_overwrite(src, folder / f"{src.stem}_{stamp()}{src.suffix}")


def _reason_text(res: FileResult) -> str:
    when = dt.datetime.now().strftime("%d/%m/%Y alle %H:%M")
    lines = [f"Il foglio «{res.path.name}» è stato rifiutato il {when}.", "", f"Motivo: {res.reason}"]
    cells = [n for n in res.notices if n.finding.cell]
    if cells:
        lines += ["", "Celle:"] + [f"  {n.where}: {n.message}" for n in cells]
    lines += ["", "Cosa fare: se il motivo riguarda il foglio (celle protette modificate, file di un'altra area o",
              "di un altro mese), chiedere all'area di compilare il foglio giusto, preso da «da_inviare».",
              "Se il motivo è stato risolto qui (per esempio il piano giusto in «piano»), rimettere il file",
              "in «ricevuti» e rieseguire: un rifiuto non impedisce di raccoglierlo dopo.",
              "Il file qui in «scartati» è l'originale, intatto."]
    return "\n".join(lines) + "\n"


def _write_json(rep: CollectOutcome) -> None:
    if rep.output is None:
        return
    with atomic_output(rep.output.with_suffix(".json")) as out:
        out.tmp.write_text(json.dumps(rep.json, ensure_ascii=False, indent=2), encoding="utf-8")
    rep.json_path = out.final
