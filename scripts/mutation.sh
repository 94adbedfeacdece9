#!/usr/bin/env bash
# Mutation testing of the money and rule modules (not part of CI; about 10-30 minutes on 2 cores).
#
# Installs chiari-xl with its `mutation` extra (mutmut 3) in .venv, runs mutmut from scratch on the
# modules listed in setup.cfg [mutmut] with the fast money tests listed there (plain pytest, no
# LibreOffice), then writes docs/mutation.md from mutmut's results: per module mutants / killed /
# survived, and every survivor with its reason from docs/mutation_reasons.tsv, and the commit measured.
# It says whether the figures are those docs/mutation.md had before (a fresh clone must reproduce them).
# Exits non-zero when a survivor has no reason or a target is missed.
#   ./scripts/mutation.sh              full run, then the report
#   ./scripts/mutation.sh --report     only rewrite the report from the last run's mutants/
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,mutation]'

if [ "${1:-}" != "--report" ]; then
  rm -rf mutants  # mutmut reuses earlier results: a fresh run measures the code as it is now
  # mutmut exits non-zero when mutants survive: the report decides whether the targets hold.
  # Wall-clock and CPU time (mutmut and its children) and the load before and after go to
  # mutants/run-time.txt for the report: CPU time / cores estimates an idle machine's run.
  # The commit measured (and whether the tree had uncommitted changes) goes there too.
  nice .venv/bin/python - "${MUTMUT_CHILDREN:-$(nproc)}" <<'PY'
import os, resource, subprocess, sys, time
git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
commit = git("rev-parse", "--short", "HEAD") or "?"
dirty = "dirty" if git("status", "--porcelain", "--untracked-files=no") else "clean"
load = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
start = time.monotonic()
subprocess.run([".venv/bin/mutmut", "run", "--max-children", sys.argv[1]])
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
after = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "?"
os.makedirs("mutants", exist_ok=True)
with open("mutants/run-time.txt", "w") as f:
    f.write(f"{wall:.0f}\n{usage.ru_utime + usage.ru_stime:.0f}\n{load}\n{after}\n{os.cpu_count()}\n"
            f"{commit}\n{dirty}\n")
PY
fi

exec .venv/bin/python scripts/mutation_report.py
