#!/bin/sh
# Double-click / one-command entry point for the office (Linux; elabora.command calls it on macOS).
# First run: creates .venv inside the project and installs chiari-xl into it, and on a fresh clone
# copies the bundled plan workbooks/obiettivi_2025.xlsx into workbooks/in (untracked, ignored by
# git: the tracked sample is never moved). Every run: checks every plan in workbooks/in, shows the
# summary, opens workbooks/out, waits for a key if in a terminal.
# Plain POSIX sh, so it runs even where bash is not the default shell.

set -u

SCRIPTS=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
PROJECT=$(dirname -- "$SCRIPTS")
VENV="$PROJECT/.venv"
STAMP="$VENV/chiari-xl-installato.txt"   # copy of setup.cfg at install time: a change means reinstall
WORKBOOKS="$PROJECT/workbooks"
SAMPLE="$WORKBOOKS/obiettivi_2025.xlsx"

pause() {
    # Only a person in front of a terminal window needs time to read; unattended runs must not hang.
    if [ -t 0 ] && [ -t 1 ]; then
        printf '\nPremere Invio per chiudere questa finestra...'
        read -r _ || true
    fi
}

fail() {
    printf '\n%s\n' "$@" >&2
    pause
    exit 1
}

python_hint() {
    case "$(uname -s 2>/dev/null)" in
        Darwin) echo "Installare Python 3.11 o successivo da https://www.python.org/downloads/macos/ e rieseguire." ;;
        *) echo "Installare Python 3.11 o successivo, per esempio con:"
           echo "    sudo apt install python3 python3-venv      (Debian, Ubuntu)"
           echo "    sudo dnf install python3                   (Fedora)"
           echo "oppure da https://www.python.org/downloads/ e rieseguire." ;;
    esac
}

find_python() {
    for cand in python3.14 python3.13 python3.12 python3.11 python3 python; do
        if command -v "$cand" >/dev/null 2>&1 &&
           "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
            echo "$cand"
            return 0
        fi
    done
    return 1
}

setup_venv() {
    PY=$(find_python) || {
        found=""
        for cand in python3 python; do
            if command -v "$cand" >/dev/null 2>&1; then
                found=$("$cand" --version 2>&1)
                break
            fi
        done
        if [ -n "$found" ]; then
            fail "ERRORE: serve Python 3.11 o successivo, ma è installato $found (troppo vecchio)." "$(python_hint)"
        else
            fail "ERRORE: Python non è installato (serve Python 3.11 o successivo)." "$(python_hint)"
        fi
    }
    echo "Prima esecuzione: preparo l'ambiente in «$VENV» (qualche minuto, serve Internet)..."
    "$PY" -m venv --clear "$VENV" ||
        fail "ERRORE: impossibile creare l'ambiente Python in «$VENV»." \
             "Su Debian/Ubuntu installare il pacchetto python3-venv: sudo apt install python3-venv"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e "$PROJECT" ||
        fail "ERRORE: installazione di chiari-xl non riuscita (vedere i messaggi sopra)." \
             "Controllare la connessione a Internet e rieseguire: l'installazione riprende da capo."
    cp "$PROJECT/setup.cfg" "$STAMP"
    echo "Ambiente pronto."
}

if [ ! -x "$VENV/bin/chiari-xl" ] || ! cmp -s "$PROJECT/setup.cfg" "$STAMP"; then
    setup_venv
fi

# A fresh clone (no results yet, nothing in in/): give the main job the bundled 2025 plan to check.
if [ -f "$SAMPLE" ] && [ ! -d "$WORKBOOKS/out" ] && [ -z "$(ls -A "$WORKBOOKS/in" 2>/dev/null)" ]; then
    mkdir -p "$WORKBOOKS/in" && cp "$SAMPLE" "$WORKBOOKS/in/" &&
        echo "Prima esecuzione: copio il piano di esempio «obiettivi_2025.xlsx» nella cartella «in»."
fi

"$VENV/bin/chiari-xl" batch "$WORKBOOKS"
status=$?

if [ -d "$WORKBOOKS/out" ]; then
    case "$(uname -s 2>/dev/null)" in
        Darwin) open "$WORKBOOKS/out" >/dev/null 2>&1 || true ;;
        *) if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
               xdg-open "$WORKBOOKS/out" >/dev/null 2>&1 &
           fi ;;
    esac
fi

if [ "$status" -ne 0 ]; then
    echo ""
    echo "Alcuni file non sono stati controllati: vedere il riepilogo qui sopra."
fi
pause
exit "$status"
