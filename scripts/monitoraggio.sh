#!/bin/sh
# Double-click / one-command entry point for the monthly progress (Linux; monitoraggio.command calls
# it on macOS). Every run, in workbooks/monitoraggio: collects the sheets saved in ricevuti/, archives
# them, writes the month's report in resoconti/, prepares next month's sheets in da_inviare/, opens
# the folder and waits for a key if in a terminal. First run: prepares .venv (scripts/ambiente.sh).
# An optional argument AAAA-MM is the month to prepare the sheets for.

set -u

SCRIPTS=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
. "$SCRIPTS/ambiente.sh"
FOLDER="$WORKBOOKS/monitoraggio"

ensure_environment
if [ $# -gt 0 ]; then
    "$VENV/bin/chiari-xl" mese "$FOLDER" --prepara "$1"
else
    "$VENV/bin/chiari-xl" mese "$FOLDER"
fi
status=$?

open_folder "$FOLDER"
case "$status" in
    0) ;;
    1) echo ""
       echo "Il mese non è completo: vedere sopra le aree che mancano e i fogli rifiutati o in attesa." ;;
    *) echo ""
       echo "Il monitoraggio non è stato eseguito: vedere il messaggio qui sopra." ;;
esac
pause
exit "$status"
