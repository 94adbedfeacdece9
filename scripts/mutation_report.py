"""Write docs/mutation.md from the results of the last `mutmut run` (scripts/mutation.sh runs both).

Per module: mutants, killed, survived (equivalent / acceptable / without a reason), and the share
of non-equivalent mutants killed against the target. Every survivor is listed with its reason,
looked up in docs/mutation_reasons.tsv by function and mutated line (mutant numbers change when the
code does; the line a mutant writes does not). Exit status 1 when a survivor has no reason or a
module misses its target, so the run says plainly when the tests have a gap.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REASONS = ROOT / "docs" / "mutation_reasons.tsv"
OUT = ROOT / "docs" / "mutation.md"
# module -> (what it holds, share of non-equivalent mutants the fast tests must kill)
MODULES = {
    "chiari_xl/model/allocation.py": ("split of a pool to the cent", 0.95),
    "chiari_xl/model/rules.py": ("Rules 1-4 on the table", 0.95),
    "chiari_xl/progress/payout.py": ("Rule 5: achievement and payout", 0.95),
    "chiari_xl/checks/amounts.py": ("amount and fund checks", 0.90),
    "chiari_xl/model/staff.py": ("staff counting from free text", 0.90),
    "chiari_xl/model/money.py": ("rounding, exact amounts, euro text", 0.90),
    "chiari_xl/text.py": ("number text (num, coeff, plural), label matching", 0.90),
}
NOTES = (
    "The tests a mutant must fail are the fast money tests only (`setup.cfg [mutmut]`): a survivor here "
    "may still be caught by the rest of the suite, so the figures are a floor. `progress/payout.py` is "
    "tested only through its public functions (`amount_due`, `evaluate`), stating Rule 5 of the "
    "domain notes: at exactly the soglia the objective is reached and paid; an objective "
    "without indicators does not stop the later ones; a missing soglia or amount pays 0. The commit column "
    "says which version of each module was measured.")
DETECTED = {"killed", "timeout"}  # a mutant that makes the tests hang is caught too


def function_of(mutant: str, module: str) -> str:
    """'chiari_xl.model.staff.xǁStaffCountǁdescribe__mutmut_3' -> 'StaffCount.describe'."""
    name = mutant[len(module.removesuffix(".py").replace("/", ".")) + 1:].rsplit("__mutmut_", 1)[0]
    return name.removeprefix("xǁ").removeprefix("x_").replace("ǁ", ".")


def changed_lines(diff: str) -> tuple[str, str]:
    """(original, mutated) lines of a mutant's diff, each joined with ' / ' and stripped."""
    lines = diff.splitlines()
    old = [ln[1:].strip() for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    new = [ln[1:].strip() for ln in lines if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(old), " / ".join(new)


def load_reasons() -> dict[tuple[str, str], tuple[str, str]]:
    out = {}
    for raw in REASONS.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        function, mutated, kind, reason = raw.split("\t")
        if kind not in ("equivalent", "acceptable"):
            raise SystemExit(f"{REASONS.name}: kind must be equivalent or acceptable, not {kind!r}: {raw}")
        out[(function, mutated.strip())] = (kind, reason)
    return out


def git(*args) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main() -> int:
    # mutmut is the `mutation` extra: imported here so that the helpers above load without it
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    reasons = load_reasons()
    used = set()
    rows, survivors = {}, defaultdict(list)
    for path in walk_mutatable_files():
        module = str(path)
        if module not in MODULES:
            continue
        data = SourceFileMutationData(path=path)
        data.load()
        counts = Counter()
        for name, code in sorted(data.exit_code_by_key.items(), key=lambda kv: _natural(kv[0])):
            status = status_by_exit_code[code]
            counts["mutants"] += 1
            if status in DETECTED:
                counts["killed"] += 1
                counts["timeout"] += status == "timeout"
                continue
            function = function_of(name, module)
            old, new = changed_lines(get_diff_for_mutant(name, path=path))
            kind, reason = reasons.get((function, new), ("", ""))
            if kind:
                used.add((function, new))
            counts[kind or "unexplained"] += 1
            survivors[module].append((name.rsplit(".", 1)[-1], status, function, old, new, kind, reason))
        rows[module] = counts
    text, ok = render(rows, survivors)
    stale = sorted(set(reasons) - used)
    if stale:
        text += "\n## Reasons no longer used\n\nThese lines of `docs/mutation_reasons.tsv` match no survivor:\n\n"
        text += "".join(f"- `{f}`: `{m}`\n" for f, m in stale)
    before = figures(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)} written")
    print(text.split("\n## Survivors")[0])
    print(compare_figures(before, figures(text)))
    return 0 if ok else 1


def figures(report: str) -> dict[str, list[str]]:
    """Per module of a report's table: mutants, killed, equivalent, acceptable, no reason."""
    out = {}
    for line in report.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 8:
            out[cells[0].strip("`")] = cells[3:8]
    return out


def compare_figures(before: dict, after: dict) -> str:
    """Whether this run reproduced the figures docs/mutation.md had before it."""
    if not before:
        return "No earlier docs/mutation.md to compare with."
    differ = sorted(m for m in before.keys() | after.keys() if before.get(m) != after.get(m))
    if not differ:
        return "Figures reproduced: every module's counts are those docs/mutation.md had before this run."
    return "Figures differ from the earlier docs/mutation.md for: " + ", ".join(
        f"{m} ({before.get(m)} -> {after.get(m)})" for m in differ)


def _natural(name: str):
    head, _, num = name.rpartition("__mutmut_")
    return head, int(num) if num.isdigit() else 0


def render(rows, survivors) -> tuple[str, bool]:
    ok = True
    lines = [
        "# Mutation testing of the money and rule modules",
        "",
        "Generated by `scripts/mutation.sh` (mutmut "
        f"{version('mutmut')}, {dt.date.today():%d/%m/%Y}); do not edit by hand: the reasons live in "
        "`docs/mutation_reasons.tsv`.",
        "",
        "Each mutant is a small change to one line of a module (`<` for `<=`, `and` for `or`, a constant "
        "changed, a call dropped). The fast money tests (setup.cfg `[mutmut]`: plain pytest, no LibreOffice) "
        "run against each; a mutant they do not notice *survived*. A survivor is *equivalent* when it "
        "cannot change any result, *acceptable* when it changes something no user sees or relies on "
        "(the reason says what). Score = killed / (mutants − equivalent); targets from issue 16.",
        "",
        _run_time(),
        "",
        NOTES,
        "",
        "| module | holds | commit | mutants | killed | survived: equivalent | acceptable | no reason "
        "| score | target |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Counter()
    for module, (what, target) in MODULES.items():
        c = rows.get(module, Counter())
        total.update(c)
        denominator = c["mutants"] - c["equivalent"]
        score = c["killed"] / denominator if denominator else 1.0
        met = score >= target and not c["unexplained"]
        ok = ok and met
        commit = git("log", "-1", "--format=%h", "--", module) + ("" if not git("status", "--porcelain", module)
                                                                   else " + changes")
        lines.append(f"| `{module}` | {what} | {commit} | {c['mutants']} | {c['killed']} | {c['equivalent']} "
                     f"| {c['acceptable']} | {c['unexplained']} | {score:.1%} | "
                     f"{'≥ ' + format(target, '.0%')} {'✓' if met else '✗'} |")
    denominator = total["mutants"] - total["equivalent"]
    lines.append(f"| all | | | {total['mutants']} | {total['killed']} | {total['equivalent']} | "
                 f"{total['acceptable']} | {total['unexplained']} | "
                 f"{total['killed'] / denominator if denominator else 1:.1%} | |")
    if total["timeout"]:
        lines += ["", f"Killed includes {total['timeout']} mutants that made the tests time out."]
    lines += ["", "## Survivors", ""]
    for module in MODULES:
        if not survivors.get(module):
            continue
        lines += [f"### `{module}`", "", "| mutant | status | changed line | mutated to | kind | why |",
                  "|---|---|---|---|---|---|"]
        for name, status, function, old, new, kind, reason in survivors[module]:
            lines.append(f"| `{name}` | {status} | `{_cell(old)}` | `{_cell(new)}` | {kind or '**none**'} | "
                         f"{_cell(reason) or '**no reason yet**'} |")
        lines.append("")
    return "\n".join(lines) + "\n", ok


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def _run_time() -> str:
    """One sentence on how long the run took, from mutants/run-time.txt (scripts/mutation.sh)."""
    f = ROOT / "mutants" / "run-time.txt"
    if not f.exists():
        return ""
    wall, cpu, before, after, cores = (f.read_text().splitlines() + [""] * 5)[:5]
    cores = int(cores or 2)
    minutes = lambda s: f"{int(s) // 60} min {int(s) % 60:02d} s"  # noqa: E731
    return (f"Run time: {minutes(wall)} on {cores} cores, shared with other work (load average "
            f"{before} before, {after} after). The run used {minutes(cpu)} of CPU: on an idle "
            f"{cores}-core machine it takes about {minutes(int(cpu) / cores)} plus mutmut's own start.")


if __name__ == "__main__":
    sys.exit(main())
