"""`chiari-xl elabora` and `chiari-xl sorveglia`: the drop folder from the command line (Italian)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from chiari_xl.cli.italian import Secondi, comando, opzione
from chiari_xl.dropfolder import (Esito, Folders, Outcome, Registro, process_file, rel, resolve_root, scan,
                                  take_back_changed, wait_stable)
from chiari_xl.safe_files import place_problem

EXIT_OK, EXIT_FAILED = 0, 2
MAX_WAIT = 60.0  # seconds a file still being copied is waited for before it is left for next time

_FOLDER_HELP = """CARTELLA è la cartella di scambio, con dentro le sottocartelle:

\b
  in/        dove si mettono i piani da controllare
  out/       dove compaiono i piani controllati (.xlsx) e i resoconti (.json)
  archivio/  dove finiscono gli originali elaborati, con data e ora nel nome
  scartati/  i file illeggibili, ciascuno con accanto il «- motivo.txt»

Se CARTELLA non è indicata si usa la cartella «workbooks» della cartella corrente,
se esiste, altrimenti la cartella corrente stessa. Le sottocartelle mancanti vengono create."""

folder_arg = click.argument("cartella", required=False, type=click.Path(file_okay=False, path_type=Path))
settle_opt = opzione("--attesa", "settle", type=Secondi(0.0, 600.0), default=2.0,
                     help="Secondi in cui un file non deve cambiare per considerarne finita la copia "
                          "(predefinito: 2; da 0 a 600).")


@comando("elabora", help="Controlla tutti i piani nella cartella «in» e mette i risultati in «out».\n\n"
                    + _FOLDER_HELP + "\n\nEsito: 0 = tutti i file letti (anche se con errori nel piano), "
                    "2 = almeno un file illeggibile o non elaborato (per esempio una cartella non scrivibile "
                    "o il disco pieno: il motivo è nel riepilogo).")
@folder_arg
@settle_opt
def batch(cartella: Path | None, settle: float):
    folders = Folders(resolve_root(cartella))
    first_time = not folders.inbox.is_dir()
    try:
        folders.ensure()
    except OSError as exc:  # the sub-folders cannot be created: the problem is the folder that holds them
        where = Path(exc.filename).parent if exc.filename else folders.root
        click.echo(f"ERRORE: impossibile preparare la cartella di scambio «{folders.root}»: "
                   f"{place_problem(exc, where)}.", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"Cartella di scambio: {folders.root}")
    if first_time:
        click.echo(f"Ho creato la cartella «{folders.inbox}»: mettere lì i piani da controllare e rieseguire.")
    outcomes = run_batch(folders, settle, Registro(folders.log))
    sys.exit(EXIT_FAILED if any(o.failed for o in outcomes) else EXIT_OK)


def run_batch(folders: Folders, settle: float, registro: Registro, max_wait: float = MAX_WAIT) -> list[Outcome]:
    """One batch run over the drop folder, telling the office what happened; returns the outcomes."""
    back = take_back_changed(folders)  # also settles whatever a crash left behind
    for o in back:
        registro.outcome(o, folders.root)
    todo, ignored = scan(folders.inbox)
    for p, why in ignored.items():
        registro.write(f"{p.name}: lasciato stare ({why}).")
    if not todo:
        _echo_back(back)
        click.echo("Nessun file da controllare nella cartella «in».")
        _echo_ignored(ignored)
        return [o for o in back if o.failed]

    def told_wait(pending):
        names = ", ".join(p.name for p in pending)
        click.echo(f"Attendo che finisca la copia di: {names} (al massimo {max_wait:.0f} secondi)...")

    ready, still, seen = wait_stable(todo, settle, max_wait, on_wait=told_wait)
    outcomes: list[Outcome] = []
    with click.progressbar(ready, label=f"Controllo di {len(ready)} file", show_pos=True,
                           item_show_func=lambda p: p.name if p else "") as bar:
        for path in bar:
            o = process_file(path, folders, seen=seen.get(path))
            registro.outcome(o, folders.root)
            outcomes.append(o)
    for path in still:
        o = Outcome(path.name, Esito.WAITING,
                    message="la copia non è ancora finita: sarà elaborato alla prossima esecuzione.")
        registro.outcome(o, folders.root)
        outcomes.append(o)
    click.echo("")
    _echo_back(back)
    click.echo(summary_table(outcomes, folders.root))
    _echo_notes(outcomes, folders)
    _echo_ignored(ignored)
    return outcomes + [o for o in back if o.failed]


def _echo_back(back: list[Outcome]) -> None:
    for o in back:
        click.echo(f"Ripreso da «scartati»: {o.name} ({o.message})" if o.esito == Esito.TAKEN_BACK
                   else f"- {o.name}: {o.message}")


def summary_table(outcomes: list[Outcome], root: Path) -> str:
    head = ("File", "Esito", "Errori", "Avvisi", "Output")
    rows = []
    for o in outcomes:
        checked = o.output is not None
        target = o.output or (o.moved_to if o.esito == Esito.UNREADABLE else None)
        rows.append((o.name, o.esito.label, str(o.errors) if checked else "-", str(o.warnings) if checked else "-",
                     rel(target, root) if target else "-"))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {2, 3}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([f"Riepilogo ({len(outcomes)} file)", line(head), line(["-" * w for w in widths]),
                      *(line(r) for r in rows)])


def _echo_notes(outcomes: list[Outcome], folders: Folders) -> None:
    notes = [o for o in outcomes if o.message]
    if notes:
        click.echo("")
        for o in notes:
            click.echo(f"- {o.name}: {o.message}")
    done = [o for o in outcomes if o.output]
    click.echo("")
    if done:
        printed = " (e il PDF da stampare di ciascuno)" if all(o.pdf for o in done) else (
            " (e il PDF da stampare di alcuni)" if any(o.pdf for o in done) else "")
        click.echo(f"Piani controllati e resoconti{printed} in: {folders.out}")
        click.echo(f"Originali archiviati in: {folders.archive}")
    if any(o.esito == Esito.UNREADABLE for o in outcomes):
        click.echo(f"File illeggibili spostati in: {folders.rejected} (il motivo è nel file «… - motivo.txt» "
                   "accanto a ciascuno).")
    if any(o.esito == Esito.NOT_WRITTEN for o in outcomes):
        click.echo("ATTENZIONE: alcuni piani non sono stati elaborati per un problema delle cartelle (vedere sopra): "
                   "restano in «in» e saranno controllati alla prossima esecuzione, a problema risolto.")
    elif any(o.failed for o in outcomes):
        click.echo("ATTENZIONE: non tutti i file sono stati controllati.")


def _echo_ignored(ignored: dict[Path, str]) -> None:
    for p, why in ignored.items():
        click.echo(f"Lasciato stare: {p.name} ({why}).")


@comando("sorveglia", help="Sorveglia la cartella «in» e controlla ogni piano appena arriva; "
                    "ogni evento è scritto in «registro.log». Per fermare: Ctrl-C.\n\n" + _FOLDER_HELP)
@folder_arg
@settle_opt
@opzione("--intervallo", "rescan", type=Secondi(0.2, 600.0), default=2.0,
         help="Ogni quanti secondi ricontrollare comunque la cartella, utile sulle cartelle di rete "
              "(predefinito: 2; da 0,2 a 600).")
def watch(cartella: Path | None, settle: float, rescan: float):
    from chiari_xl.dropfolder.watch import run_watch

    root = resolve_root(cartella)
    stop = threading.Event()

    def on_signal(signum, _frame):
        if stop.is_set():  # second Ctrl-C: stop now; the file being checked stays safely in in/
            raise KeyboardInterrupt
        click.echo("Arresto in corso (il file in lavorazione viene completato)...", err=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, on_signal)
    click.echo(f"Sorveglio «{Folders(root).inbox}». Risultati in «{Folders(root).out}». Per fermare: Ctrl-C.")
    try:
        run_watch(root, settle=settle, rescan=rescan, stop=stop, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("Interrotto.", err=True)
    sys.exit(EXIT_OK)
