#!/usr/bin/env bash
# Mutation testing of the money and rule modules (not part of CI; about 10-30 minutes on 2 cores).
#
# Installs chiari-xl with its `mutation` extra (mutmut 3) in .venv, runs mutmut from scratch on the
# modules listed in setup.cfg [mutmut] with the fast money tests listed there (plain pytest, no
# LibreOffice), then writes docs/mutation.md from mutmut's results: per module mutants / killed /
# survived, and every survivor with its reason from docs/mutation_reasons.tsv.
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
  load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  start=$(date +%s)
  # mutmut exits non-zero when mutants survive; the report decides whether the targets hold
  nice .venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-$(nproc)}" || true
  end=$(date +%s)
  printf '%s\n%s\n' "$((end - start))" "$load" > mutants/run-time.txt
fi

exec .venv/bin/python scripts/mutation_report.py
