# Shared by the double-click scripts (sourced, not run): the Python environment of the project.
# The caller sets SCRIPTS (this folder). Provides: pause, fail, ensure_environment (first run:
# creates .venv inside the project and installs chiari-xl into it; again when setup.cfg changes).
# Plain POSIX sh, so it runs even where bash is not the default shell.

PROJECT=$(dirname -- "$SCRIPTS")
VENV="$PROJECT/.venv"
STAMP="$VENV/chiari-xl-installato.txt"   # copy of setup.cfg at install time: a change means reinstall
WORKBOOKS="$PROJECT/workbooks"

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

open_folder() {
    [ -d "$1" ] || return 0
    case "$(uname -s 2>/dev/null)" in
        Darwin) open "$1" >/dev/null 2>&1 || true ;;
        *) if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
               xdg-open "$1" >/dev/null 2>&1 &
           fi ;;
    esac
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

ensure_environment() {
    if [ ! -x "$VENV/bin/chiari-xl" ] || ! cmp -s "$PROJECT/setup.cfg" "$STAMP"; then
        setup_venv
    fi
}
