"""`chiari-xl batch` and `chiari-xl watch`: the drop folder from the command line (Italian)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from chiari_xl.dropfolder import (FAILED, UNREADABLE, WAITING, Folders, Outcome, Registro, process_file, rel,
                         resolve_root, scan, wait_stable)

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
settle_opt = click.option("--attesa", "settle", type=click.FloatRange(0.0, 600.0), default=2.0, show_default=True,
                          metavar="SECONDI",
                          help="Secondi in cui un file non deve cambiare per considerarne finita la copia.")


@click.command(help="Controlla tutti i piani nella cartella «in» e mette i risultati in «out».\n\n"
                    + _FOLDER_HELP + "\n\nEsito: 0 = tutti i file letti (anche se con errori nel piano), "
                    "2 = almeno un file illeggibile o non elaborato.")
@folder_arg
@settle_opt
def batch(cartella: Path | None, settle: float):
    folders = Folders(resolve_root(cartella))
    first_time = not folders.inbox.is_dir()
    folders.ensure()
    click.echo(f"Cartella di lavoro: {folders.root}")
    if first_time:
        click.echo(f"Ho creato la cartella «{folders.inbox}»: mettere lì i piani da controllare e rieseguire.")
    registro = Registro(folders.log)
    todo, ignored = scan(folders.inbox)
    if not todo:
        click.echo("Nessun file da controllare nella cartella «in».")
        _echo_ignored(ignored)
        sys.exit(EXIT_OK)

    def told_wait(pending):
        names = ", ".join(p.name for p in pending)
        click.echo(f"Attendo che finisca la copia di: {names} (al massimo {MAX_WAIT:.0f} secondi)...")

    ready, still = wait_stable(todo, settle, MAX_WAIT, on_wait=told_wait)
    outcomes: list[Outcome] = []
    with click.progressbar(ready, label=f"Controllo di {len(ready)} file", show_pos=True,
                           item_show_func=lambda p: p.name if p else "") as bar:
        for path in bar:
            o = process_file(path, folders)
            registro.outcome(o, folders.root)
            outcomes.append(o)
    for path in still:
        o = Outcome(path.name, WAITING,
                    message="la copia non è ancora finita: sarà elaborato alla prossima esecuzione.")
        registro.outcome(o, folders.root)
        outcomes.append(o)
    click.echo("")
    click.echo(summary_table(outcomes, folders.root))
    _echo_notes(outcomes, folders)
    _echo_ignored(ignored)
    sys.exit(EXIT_FAILED if any(o.failed for o in outcomes) else EXIT_OK)


def summary_table(outcomes: list[Outcome], root: Path) -> str:
    head = ("File", "Esito", "Errori", "Avvisi", "Output")
    rows = []
    for o in outcomes:
        checked = o.output is not None
        target = o.output or (o.moved_to if o.esito == UNREADABLE else None)
        rows.append((o.name, o.esito, str(o.errors) if checked else "-", str(o.warnings) if checked else "-",
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
        click.echo(f"Piani controllati e resoconti in: {folders.out}")
        click.echo(f"Originali archiviati in: {folders.archive}")
    if any(o.esito == UNREADABLE for o in outcomes):
        click.echo(f"File illeggibili spostati in: {folders.rejected} (il motivo è nel file «… - motivo.txt» "
                   "accanto a ciascuno).")
    if any(o.esito in FAILED for o in outcomes):
        click.echo("ATTENZIONE: non tutti i file sono stati controllati.")


def _echo_ignored(ignored: dict[Path, str]) -> None:
    for p, why in ignored.items():
        click.echo(f"Lasciato stare: {p.name} ({why}).")


@click.command(help="Sorveglia la cartella «in» e controlla ogni piano appena arriva; "
                    "ogni evento è scritto in «registro.log». Per fermare: Ctrl-C.\n\n" + _FOLDER_HELP)
@folder_arg
@settle_opt
@click.option("--intervallo", "rescan", type=click.FloatRange(0.2, 600.0), default=2.0, show_default=True,
              metavar="SECONDI",
              help="Ogni quanti secondi ricontrollare comunque la cartella (utile sulle cartelle di rete).")
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
