"""`chiari-xl fogli-monitoraggio`, `chiari-xl raccogli` and `chiari-xl mese`: the monthly progress."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chiari_xl.cli.italian import Mese, comando, opzione
from chiari_xl.errors import ChiariError

EXIT_UNREADABLE = 2
MAX_LINES = 50  # findings printed; the rest are in the workbook's Segnalazioni sheet and the JSON
_OFFICE_HELP = ("Cartella dell'ufficio con la chiave di firma e lo storico (predefinita: «monitoraggio/ufficio» "
                "accanto al piano). La chiave non viene mai scritta nei fogli.")


def _fail(exc: BaseException) -> None:
    if isinstance(exc, (ChiariError, ValueError)):
        click.echo(f"ERRORE: {exc}", err=True)
    elif isinstance(exc, MemoryError):
        click.echo("ERRORE: memoria insufficiente: nessun file è stato scritto.", err=True)
    else:
        click.echo(f"ERRORE imprevisto ({type(exc).__name__}: {exc}). Inviare questo messaggio a chi gestisce "
                   "il programma.", err=True)
    sys.exit(EXIT_UNREADABLE)


def _plan_lines(plan) -> None:
    for w in plan.warnings:
        click.echo(f"Attenzione: {w}")
    for f in plan.revision:
        click.echo(f"Piano rivisto: {f.message}")


@comando("fogli-monitoraggio")
@click.argument("piano", type=click.Path(path_type=Path))
@opzione("--mese", "month", alias="--month", type=Mese(), required=True,
         help="Mese di riferimento, AAAA-MM (es. 2025-06).")
@opzione("-o", "--cartella-uscita", "out_dir", alias="--output-dir", metavar="CARTELLA",
         type=click.Path(path_type=Path, file_okay=False),
         help="Cartella in cui scrivere i fogli (predefinita: «monitoraggio/da_inviare/AAAA-MM» accanto al piano).")
@opzione("--cartella-ufficio", "office_dir", alias="--office-dir", metavar="CARTELLA",
         type=click.Path(path_type=Path, file_okay=False), help=_OFFICE_HELP)
def progress_sheets(piano: Path, month: str, out_dir: Path | None, office_dir: Path | None):
    """Crea un foglio di monitoraggio protetto e firmato per ogni area che rileva indicatori del PIANO,
    e uno per l'ufficio con gli obiettivi generali e intersettoriali.

    I file si chiamano «Monitoraggio_AAAA-MM_<Area>.xlsx»; i valori accettati nei mesi
    precedenti sono già compilati. Esito: 0 = fogli scritti, 2 = piano illeggibile.
    """
    from chiari_xl.progress.run import make_sheets

    try:
        done = make_sheets(piano, month, out_dir, office_dir)
    except Exception as exc:  # noqa: BLE001 - every failure ends with an Italian message, never a traceback
        _fail(exc)
    _plan_lines(done.plan)
    for r in done.written:
        click.echo(f"{r.area.name:<52} {r.n_indicators:>3} indicatori  {r.path}")
    click.echo(f"{len(done.written)} fogli di monitoraggio scritti in «{done.out_dir}».")
    sys.exit(0)


@comando("raccogli")
@click.argument("piano", type=click.Path(path_type=Path))
@click.argument("restituiti", nargs=-1, required=True, type=click.Path(path_type=Path))
@opzione("--mese", "month", alias="--month", type=Mese(), required=True, help="Mese raccolto, AAAA-MM (es. 2025-06).")
@opzione("-o", "--uscita", "output", alias="--output", metavar="FILE", type=click.Path(path_type=Path),
         help="File Excel del resoconto da scrivere (mai sovrascritto; predefinito: nella cartella "
              "«monitoraggio/resoconti»).")
@opzione("--json", "json_path", metavar="FILE", type=click.Path(path_type=Path), help="Scrive anche il resoconto JSON.")
@opzione("--finale", "final", alias="--final", is_flag=True,
         help="Liquidazione di fine anno: importo dovuto per obiettivo e totale sul fondo (provvisoria finché "
              "mancano aree).")
@opzione("--cartella-ufficio", "office_dir", alias="--office-dir", metavar="CARTELLA",
         type=click.Path(path_type=Path, file_okay=False), help=_OFFICE_HELP)
def collect(piano: Path, restituiti: tuple[Path, ...], month: str, output: Path | None, json_path: Path | None,
            final: bool, office_dir: Path | None):
    """Raccoglie i fogli RESTITUITI (file o cartelle) dalle aree per il PIANO e scrive il resoconto del mese.

    Accetta solo le celle da compilare di fogli firmati per questo mese e area e coerenti con il
    piano in vigore; ogni rifiuto è spiegato, cella per cella. Il resoconto mensile mostra
    l'avanzamento e le aree che mancano; gli importi solo con --finale.
    Esito: 0 = tutto accettato e nessuna area mancante, 1 = qualcosa rifiutato o aree mancanti
    (o liquidazione provvisoria), 2 = nessun file leggibile (nessun file scritto).
    """
    from chiari_xl.progress.run import run_collect

    try:
        out = run_collect(piano, restituiti, month, office_dir, output, json_path, final)
    except Exception as exc:  # noqa: BLE001 - every failure ends with an Italian message, never a traceback
        _fail(exc)
    _plan_lines(out.plan)
    if not out.files:
        click.echo("ERRORE: nessun foglio di monitoraggio (.xlsx) tra i file e le cartelle indicati.", err=True)
    echo_files(out.files)
    if out.report is None:
        click.echo("ERRORE: nessun file restituito è leggibile: nessun resoconto scritto.", err=True)
        sys.exit(out.code)
    echo_report(out)
    sys.exit(out.code)


def echo_files(files) -> None:
    shown = 0
    for f in files:
        click.echo(f"{f.status.label.upper():<20} {f.path.name}" + (f" – {f.reason}" if f.reason else ""))
        for n in f.notices:
            if n.finding.message == f.reason:
                continue
            if shown < MAX_LINES:
                click.echo(f"    {n.where:<22} {n.message}")
            shown += 1
    if shown > MAX_LINES:
        click.echo(f"    … e altre {shown - MAX_LINES} segnalazioni (foglio «Segnalazioni» e resoconto JSON).")


def echo_report(out) -> None:
    from chiari_xl.model.money import euro
    from chiari_xl.progress import layout as L
    from chiari_xl.progress.status import Status

    r = out.report
    label = L.month_label(r.month)
    if r.missing:
        names = ", ".join(r.name(a) for a in r.missing)
        click.echo(f"{label}: fogli restituiti {len(r.expected) - len(r.missing)} di {len(r.expected)}; "
                   f"MANCANO {len(r.missing)} aree: {names}.")
    else:
        click.echo(f"{label}: tutte le {len(r.expected)} aree hanno restituito il foglio.")
    count = {st: sum(1 for o in r.results if o.status == st) for st in Status}
    partial = sum(1 for o in r.results if o.missing)
    click.echo(f"{len(r.results)} obiettivi: {count[Status.REACHED]} sopra soglia, {count[Status.BELOW]} sotto "
               f"soglia, {count[Status.TO_FILL]} da compilare; {partial} con risposte parziali.")
    if r.final:
        total = sum((o.amount or 0 for o in r.results), 0)
        due = sum((o.due for o in r.results), 0)
        kind = "PROVVISORIA (mancano aree)" if r.provisional else "definitiva"
        click.echo(f"Liquidazione {kind}: da liquidare {euro(due)} su {euro(total)} stanziati.")
    click.echo(f"Scritto: {out.output}")
    if out.json_path:
        click.echo(f"Resoconto JSON: {out.json_path}")


_MONTH_HELP = """CARTELLA è la cartella del monitoraggio (predefinita: «workbooks/monitoraggio» se nella cartella
corrente c'è «workbooks», altrimenti la cartella corrente), con dentro:

\b
  piano/                il piano in vigore (un solo file)
  da_inviare/AAAA-MM/   i fogli da mandare alle aree per il mese
  ricevuti/             dove si salvano i fogli restituiti dalle aree
  resoconti/            il resoconto di ogni mese raccolto (e, a fine anno, la liquidazione)
  archivio/AAAA-MM/     i fogli raccolti, identici byte per byte, con data e ora nel nome
  scartati/             i fogli rifiutati per intero, ciascuno con accanto il «- motivo.txt»
  ufficio/              la chiave di firma e lo storico (da copiare regolarmente altrove)"""


@comando("mese", help="Il mese del monitoraggio in un colpo: raccoglie i fogli restituiti, scrive il "
                             "resoconto del mese e prepara i fogli del mese successivo.\n\n" + _MONTH_HELP +
                             "\n\nEsito: 0 = tutto raccolto e nessuna area mancante, 1 = qualcosa rifiutato, in "
                             "attesa o aree mancanti, 2 = piano o fogli restituiti illeggibili.")
@click.argument("cartella", required=False, type=click.Path(file_okay=False, path_type=Path))
@opzione("--prepara", "prepare", type=Mese(),
         help="Mese per cui preparare i fogli (predefinito: il mese dopo l'ultimo raccolto; la prima volta "
              "il mese corrente).")
@opzione("--finale", "final", is_flag=True, help="Scrive anche la liquidazione dell'ultimo mese raccolto.")
def month(cartella: Path | None, prepare: str | None, final: bool):
    from chiari_xl.progress.folder import run_folder
    from chiari_xl.progress.run import check_month

    root = cartella or (Path("workbooks") / "monitoraggio" if Path("workbooks").is_dir() else Path("."))
    try:
        if prepare:
            check_month(prepare)
        out = run_folder(root, prepare, final)
    except Exception as exc:  # noqa: BLE001 - every failure ends with an Italian message, never a traceback
        _fail(exc)
    click.echo(f"Cartella del monitoraggio: {out.root}")
    click.echo(f"Piano in vigore: {out.plan_path.name}")
    _plan_lines(out.plan)
    if out.collected:
        click.echo(f"Fogli raccolti da «ricevuti» ({len(out.collected)}):")
        echo_files(out.collected)
        for f in out.collected:
            where = out.moved.get(f.path.name)
            if where is not None:
                click.echo(f"    {f.path.name} -> {where.relative_to(out.root).as_posix()}")
    elif not out.waiting:
        click.echo("Nessun foglio restituito nella cartella «ricevuti».")
    for name, why in out.waiting:
        click.echo(f"{'IN ATTESA':<20} {name} – {why}")
    if out.collected and not any(f.readable for f in out.collected):
        click.echo("Nessun foglio restituito è leggibile: nessun resoconto scritto.")
    for rep in out.reports:
        echo_report(rep)
    if out.sheets is not None:
        s = out.sheets
        label = f"«{s.out_dir.relative_to(out.root).as_posix()}»"
        if s.written:
            again = [r for r in s.written if r.path.name.endswith(")" + r.path.suffix)]
            click.echo(f"Fogli di {s.month} da inviare alle aree: {len(s.written)} in {label}"
                       + (f" ({len(again)} aggiornati con i valori arrivati dopo: mandare questi)" if again else "."))
        else:
            click.echo(f"I fogli di {s.month} sono già pronti in {label}: nessuna novità da aggiungere.")
    if out.year_over:
        click.echo("Anno concluso: tutti i mesi del piano sono stati raccolti.")
    sys.exit(out.code)
