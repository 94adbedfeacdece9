"""One dropped file: check it, then archive it with its results, or reject it with a reason.

Failures are classified by their cause, not by where they surface:
  - the input cannot be read as a plan (PlanReadError, or the checker failing on it): it goes
    to scartati/ with a '… - motivo.txt' beside it (Esito.UNREADABLE);
  - a problem of a place we write to (a folder not writable, a full disk, a name too long for
    the share, xlsxwriter's FileCreateError): the plan stays in in/, every partial result is
    undone, and the outcome (Esito.NOT_WRITTEN) says in Italian what to fix; the run exits
    non-zero and goes on with the other files;
  - the file is not ready (still being copied, open in Excel, changed while it was read): it
    stays in in/ (Esito.WAITING) for the next run.
A file is judged only on bytes that stood still: it is read once into a private snapshot
(snapshot.py), and if its size or times differ from what the stability wait saw, or change before
it is filed, it is not judged at all. What is archived is verified to be the bytes checked.
Everything happens under the folder lock, after journal.recover() has settled any crash.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from filelock import FileLock, Timeout

from chiari_xl import pdf_copy
from chiari_xl.dropfolder import journal, names, rejected, snapshot
from chiari_xl.dropfolder.folders import TAG, Folders
from chiari_xl.dropfolder.outcome import Esito, Outcome
from chiari_xl.dropfolder.reasons import reason_text, short_reason
from chiari_xl.dropfolder.scan import excel_lock_of, ignore_reason
from chiari_xl.dropfolder.stability import Signature
from chiari_xl.errors import OutputError
from chiari_xl.safe_files import (SourceChanged, file_sha256, free_name, place_problem, stage,
                                  unlink_quietly, write_bytes, writing)

CHANGED = "il file è cambiato mentre veniva letto: sarà ricontrollato quando resterà fermo."
ARRIVING = "la copia del file non è ancora finita: sarà controllato quando resterà fermo."
STAYS = "il file resta in «in» e sarà controllato alla prossima esecuzione."


def not_written(exc: OutputError) -> str:
    return f"{exc.problem}: {STAYS}"


def pdf_wanted() -> bool:
    """The checked workbook's PDF joins its outputs when LibreOffice is installed, unless the
    environment says CHIARI_PDF=0 (a server that must not start LibreOffice, the tests)."""
    return os.environ.get("CHIARI_PDF", "").strip() != "0" and pdf_copy.available()


def process_file(path: Path, folders: Folders, lock_timeout: float = 300.0,
                 seen: Signature | None = None, pdf: bool | None = None) -> Outcome:
    """Check one dropped file under the folder lock and put everything where it belongs.

    seen: the file's signature when the stability wait judged it finished; if the bytes read
    are not those, the file is not judged now. pdf: also print the checked workbook to PDF
    (default: pdf_wanted()). Never raises for a problem of one file.
    """
    path = Path(path)
    pdf = pdf_wanted() if pdf is None else pdf
    name = path.name
    try:
        with FileLock(str(folders.lock), timeout=lock_timeout):
            unsettled = journal.recover(folders)
            if journal.relpath(folders, path) in unsettled:
                return Outcome(name, Esito.NOT_WRITTEN,
                               message="un'elaborazione interrotta di questo file non si è potuta completare "
                                       "(vedere i problemi delle cartelle segnalati): " + STAYS)
            return _process_locked(path, folders, seen, pdf)
    except Timeout:
        return Outcome(name, Esito.WAITING, message="un'altra elaborazione della cartella non è terminata: "
                                                    "il file sarà elaborato alla prossima esecuzione.")
    except OutputError as exc:
        return Outcome(name, Esito.NOT_WRITTEN, message=not_written(exc))
    except OSError as exc:  # e.g. the lock file cannot be made: the drop folder itself is not writable
        return Outcome(name, Esito.NOT_WRITTEN, message=f"{place_problem(exc, folders.root)}: {STAYS}")
    except Exception as exc:  # a bug must not stop the other files, nor show a traceback to the office
        return Outcome(name, Esito.NOT_WRITTEN,
                       message=f"errore imprevisto del programma ({type(exc).__name__}: {exc}): {STAYS} "
                               "Se si ripete, inviare il file a chi gestisce il programma.")


def _process_locked(path: Path, folders: Folders, seen: Signature | None, pdf: bool) -> Outcome:
    name = path.name
    if not os.path.lexists(path):
        return Outcome(name, Esito.TAKEN, message="elaborato da un'altra esecuzione contemporanea.")
    why = ignore_reason(path)
    if why is not None:
        return Outcome(name, Esito.IGNORED, message=why)
    lock = excel_lock_of(path)
    if lock is not None:
        # Moving a file Excel has open fails on Windows and on shares, and would lose the user's edits.
        return Outcome(name, Esito.WAITING, message=f"il file risulta aperto in Excel (c'è «{lock.name}»): "
                                                    f"chiuderlo e rieseguire. Se non è aperto, eliminare «{lock.name}».")
    with writing(folders.root):
        folders.ensure()
        work = journal.new_workdir(folders)
    try:
        try:
            snap = snapshot.take(path, work, folders.root)
        except snapshot.NotPlainFile:
            return Outcome(name, Esito.IGNORED, message=ignore_reason(path) or "non è un file normale")
        except snapshot.StillChanging:
            return Outcome(name, Esito.WAITING, message=ARRIVING)
        except FileNotFoundError:
            return Outcome(name, Esito.TAKEN, message="non è più nella cartella.")
        except PermissionError:
            return Outcome(name, Esito.WAITING, message="il file non si può leggere (in uso da un altro programma "
                                                        "o senza permesso di lettura): riprovare più tardi.")
        if seen is not None and tuple(seen) != snap.signature:
            return Outcome(name, Esito.WAITING, message=ARRIVING)
        from chiari_xl.api import analyse  # the checker, imported only when there is something to check

        try:
            result = analyse(snap.path)
        except Exception as exc:  # PlanReadError; or the checker failing on this file: one bad file never stops the others
            return _reject(path, folders, snap, exc)
        return _archive(path, folders, snap, result, pdf)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unchanged(path: Path, snap: snapshot.Snapshot) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return ((st.st_dev, st.st_ino) == snap.identity
            and (st.st_size, st.st_mtime_ns, st.st_ctime_ns) == snap.signature)


def _rel(folders: Folders, p: Path) -> str:
    return journal.relpath(folders, p)


def _archive(path: Path, folders: Folders, snap: snapshot.Snapshot, result, pdf: bool) -> Outcome:
    """The checked workbook, its JSON and (pdf) its PDF placed in out/ and the original archived, in
    one journaled transaction: after a crash all of them are there, or none. A PDF LibreOffice
    cannot make is a note, never a reason to keep the plan back."""
    from chiari_xl.api import report_of, write_checked_workbook
    from chiari_xl.report import dumps

    name = path.name
    if not _unchanged(path, snap):
        return Outcome(name, Esito.WAITING, message=CHANGED)
    staged: dict[str, Path] = {}
    note = ""
    try:
        xlsx, js, printed = names.output_names(folders, name, pdf=pdf)
        dest = names.archive_name(folders, name)
        with writing(folders.out, xlsx.name):
            tx = staged[_rel(folders, xlsx)] = stage(folders.out, ".xlsx", TAG)
            write_checked_workbook(result, tx, name=name)
            tj = staged[_rel(folders, js)] = stage(folders.out, ".json", TAG)
            write_bytes(tj, dumps(report_of(result, xlsx, input_path=path)).encode("utf-8"))
            outputs = [[_rel(folders, xlsx), file_sha256(tx)], [_rel(folders, js), file_sha256(tj)]]
        if printed is not None:
            try:
                data = pdf_copy.render(tx, name=xlsx.name)
            except pdf_copy.PdfNotWritten as exc:
                note, printed = exc.reason, None
            else:
                with writing(folders.out, printed.name):
                    tp = staged[_rel(folders, printed)] = stage(folders.out, ".pdf", TAG)
                    write_bytes(tp, data)
                    outputs.append([_rel(folders, printed), file_sha256(tp)])
        entry = journal.Entry(journal.ARCHIVE, name, _rel(folders, path), _rel(folders, dest),
                              list(snap.identity), snap.sha256, outputs)
        journal.execute(folders, entry, staged)
    except OutputError as exc:
        return Outcome(name, Esito.NOT_WRITTEN, message=not_written(exc))
    except SourceChanged:
        return Outcome(name, Esito.WAITING, message=CHANGED)
    finally:
        _discard(staged.values())
    c = result.counts
    return Outcome(name, Esito.WITH_ERRORS if result.has_errors else Esito.OK, c["error"], c["warning"],
                   xlsx, js, dest, message=note, pdf=printed)


def _reject(path: Path, folders: Folders, snap: snapshot.Snapshot, exc: BaseException) -> Outcome:
    name = path.name
    if not _unchanged(path, snap):
        return Outcome(name, Esito.WAITING, message=CHANGED)  # never judge a file that is still moving
    staged: dict[str, Path] = {}
    try:
        target, reason = names.reject_pair(folders, name)
        data = reason_text(name, exc, shown_as=target.name).encode("utf-8")
        with writing(folders.rejected, reason.name):
            tr = staged[_rel(folders, reason)] = stage(folders.rejected, ".txt", TAG)
            write_bytes(tr, data)
        entry = journal.Entry(journal.REJECT, name, _rel(folders, path), _rel(folders, target),
                              list(snap.identity), snap.sha256,
                              [[_rel(folders, reason), hashlib.sha256(data).hexdigest()]])
        journal.execute(folders, entry, staged)
    except OutputError as err:
        return Outcome(name, Esito.NOT_WRITTEN,
                       message=f"non è un piano leggibile ({short_reason(exc)}), ma non si è potuto spostarlo in "
                               f"«scartati»: {not_written(err)}")
    except SourceChanged:
        return Outcome(name, Esito.WAITING, message=CHANGED)
    finally:
        _discard(staged.values())
    return Outcome(name, Esito.UNREADABLE, moved_to=target, message=short_reason(exc))


def _discard(tmps) -> None:
    for t in tmps:
        try:
            unlink_quietly(t)
        except OSError:
            pass  # swept by the next holder of the lock


# --------------------------------------------------------------------------- taking back

def take_back_changed(folders: Folders, lock_timeout: float = 300.0) -> list[Outcome]:
    """Rejected files that changed after they were rejected go back to in/ (rejected.py says why).

    Also settles what a crash left behind (journal.recover), so call it at the start of a run.
    """
    if not folders.state.is_dir():
        return []
    try:
        with FileLock(str(folders.lock), timeout=lock_timeout):
            journal.recover(folders)
            return [_take_back(folders, p, original) for p, original in rejected.changed(folders)]
    except Timeout:
        return []
    except OutputError as exc:
        return [Outcome("scartati", Esito.NOT_WRITTEN, message=exc.problem)]
    except OSError as exc:
        return [Outcome("scartati", Esito.NOT_WRITTEN, message=place_problem(exc, folders.root))]


def _take_back(folders: Folders, src: Path, original: str) -> Outcome:
    try:
        st = os.lstat(src)
        dest = free_name(folders.inbox / original)
        reason = names.reason_of(src)
        remove = [[_rel(folders, reason), file_sha256(reason)]] if os.path.lexists(reason) else []
        entry = journal.Entry(journal.TAKE_BACK, original, _rel(folders, src), _rel(folders, dest),
                              [st.st_dev, st.st_ino], None, [], remove)
        journal.execute(folders, entry, {})
    except OutputError as exc:
        return Outcome(original, Esito.NOT_WRITTEN,
                       message=f"è cambiato dopo essere stato scartato, ma non si è potuto riportarlo in «in»: "
                               f"{exc.problem}.")
    except (SourceChanged, OSError):
        return Outcome(original, Esito.WAITING, message="è cambiato dopo essere stato scartato: sarà ripreso più tardi.")
    return Outcome(original, Esito.TAKEN_BACK, moved_to=dest,
                   message="è cambiato dopo essere stato scartato (forse la copia non era finita): "
                           "riportato in «in» per un nuovo controllo.")
