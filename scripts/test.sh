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

if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installo LibreOffice (serve ai test di ricalcolo delle formule)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq libreoffice-calc-nogui >/dev/null
  else
    echo "ATTENZIONE: LibreOffice non è installato: i test di ricalcolo saranno saltati" \
         "(in CI falliscono). Installare il pacchetto libreoffice-calc-nogui." >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
