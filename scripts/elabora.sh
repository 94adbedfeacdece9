#!/bin/sh
# Double-click / one-command entry point for the office (Linux; elabora.command calls it on macOS).
# First run: prepares .venv inside the project (scripts/ambiente.sh), and on a fresh clone copies
# the bundled plan workbooks/obiettivi_2025.xlsx into workbooks/in (untracked, ignored by git: the
# tracked sample is never moved). Every run: checks every plan in workbooks/in, shows the summary,
# opens workbooks/out, waits for a key if in a terminal.
# Plain POSIX sh, so it runs even where bash is not the default shell.

set -u

SCRIPTS=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
. "$SCRIPTS/ambiente.sh"
SAMPLE="$WORKBOOKS/obiettivi_2025.xlsx"

ensure_environment

# A fresh clone (no results yet, nothing in in/): give the main job the bundled 2025 plan to check.
if [ -f "$SAMPLE" ] && [ ! -d "$WORKBOOKS/out" ] && [ -z "$(ls -A "$WORKBOOKS/in" 2>/dev/null)" ]; then
    mkdir -p "$WORKBOOKS/in" && cp "$SAMPLE" "$WORKBOOKS/in/" &&
        echo "Prima esecuzione: copio il piano di esempio «obiettivi_2025.xlsx» nella cartella «in»."
fi

"$VENV/bin/chiari-xl" elabora "$WORKBOOKS"
status=$?

open_folder "$WORKBOOKS/out"
if [ "$status" -ne 0 ]; then
    echo ""
    echo "Alcuni file non sono stati controllati: vedere il riepilogo qui sopra."
fi
pause
exit "$status"
