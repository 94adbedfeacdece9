#!/bin/sh
# macOS: Finder runs a double-clicked .command in Terminal, from the home folder.
# All the work is in monitoraggio.sh beside it (run with sh, so its executable bit does not matter).
exec /bin/sh "$(dirname -- "$0")/monitoraggio.sh" "$@"
