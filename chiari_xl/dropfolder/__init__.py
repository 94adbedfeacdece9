"""The drop folder: plans dropped in `in/` come back checked in `out/`, nothing is ever lost.

Promise to the office, whatever happens (a crash, Ctrl-C, two runs at once, a folder that cannot
be written, a full disk, a copy that stalls): every dropped file is still in `in/`, or in
`archivio/` with its checked workbook and report in `out/`, or in `scartati/` with its reason;
never in none, never in two, never with two results. The parts:

    folders.py    the layout and which folder is meant
    scan.py       what in in/ is a file to process, what is left alone (links, folders, devices...)
    stability.py  when a file has finished arriving
    snapshot.py   the bytes read, once, without following links
    process.py    check one file and archive or reject it; failures classified by cause
    journal.py    each transaction written down first, replayed after a crash (the design is there)
    rejected.py   a rejected file that changes afterwards (a stalled copy) is taken back
    names.py      derived names (shortened when too long), reasons.py the '… - motivo.txt' text
    outcome.py    what happened to each file; registro.py the log; watch.py the watcher

Moves and writes go through chiari_xl.safe_files (never overwrite, never half a file).
"""

from chiari_xl.dropfolder.folders import LOCK_NAME, LOG_NAME, Folders, rel, resolve_root
from chiari_xl.dropfolder.names import REASON_SUFFIX, stamp
from chiari_xl.dropfolder.outcome import Esito, Outcome
from chiari_xl.dropfolder.process import process_file, take_back_changed
from chiari_xl.dropfolder.registro import Registro
from chiari_xl.dropfolder.scan import excel_lock_of, ignore_reason, scan
from chiari_xl.dropfolder.stability import Stability, signature, wait_stable
from chiari_xl.safe_files import move_no_overwrite

OK, WITH_ERRORS, UNREADABLE, WAITING, NOT_WRITTEN, TAKEN, IGNORED, TAKEN_BACK = (
    Esito.OK, Esito.WITH_ERRORS, Esito.UNREADABLE, Esito.WAITING, Esito.NOT_WRITTEN, Esito.TAKEN, Esito.IGNORED,
    Esito.TAKEN_BACK)

__all__ = ["LOCK_NAME", "LOG_NAME", "REASON_SUFFIX", "Esito", "Folders", "Outcome", "Registro", "Stability",
           "OK", "WITH_ERRORS", "UNREADABLE", "WAITING", "NOT_WRITTEN", "TAKEN", "IGNORED", "TAKEN_BACK",
           "excel_lock_of", "ignore_reason", "move_no_overwrite", "process_file", "rel", "resolve_root", "scan",
           "signature", "stamp", "take_back_changed", "wait_stable"]
