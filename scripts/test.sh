#!/usr/bin/env bash
# Runs the test suite from a fresh clone: creates .venv (once), installs chiari-xl with its
# test extras, installs LibreOffice when it is missing and we may (root + apt), then pytest.
# Extra arguments go to pytest: ./scripts/test.sh -k bundled
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# LibreOffice recalculates and prints the written workbooks; Carlito (Calibri's metrics) makes it
# print them as Excel does, which the printed-page tests measure.
if ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi carlito; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installo LibreOffice e il carattere Carlito (servono ai test di ricalcolo e di stampa)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq libreoffice-calc-nogui fonts-crosextra-carlito >/dev/null
  else
    echo "ATTENZIONE: mancano LibreOffice o il carattere Carlito: i test di ricalcolo e di stampa saranno" \
         "saltati (in CI falliscono). Installare i pacchetti libreoffice-calc-nogui e fonts-crosextra-carlito." >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
