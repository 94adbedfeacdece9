"""`chiari-xl progress-sheets` and `chiari-xl collect`: the monthly progress of the objectives."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chiari_xl.errors import ChiariError

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2
_OFFICE_HELP = ("Cartella dell'ufficio con la chiave di firma e lo storico (predefinita: la cartella del piano). "
                "La chiave non viene mai scritta nei fogli.")


@click.command("progress-sheets")
@click.argument("piano", type=click.Path(path_type=Path))
@click.option("--month", "month", required=True, help="Mese di riferimento, AAAA-MM (es. 2025-06).")
@click.option("-o", "--output-dir", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Cartella in cui scrivere i fogli (predefinita: la cartella del piano).")
@click.option("--office-dir", type=click.Path(path_type=Path, file_okay=False), help=_OFFICE_HELP)
def progress_sheets(piano: Path, month: str, out_dir: Path | None, office_dir: Path | None):
    """Crea un foglio di monitoraggio protetto e firmato per ogni area del PIANO.

    I file si chiamano «Monitoraggio_AAAA-MM_<Area>.xlsx»; i valori accettati il mese
    precedente sono già compilati. Esito: 0 = fogli scritti, 2 = piano illeggibile.
    """
    from chiari_xl.progress.run import make_sheets

    try:
        if out_dir:
            out_dir.mkdir(parents=True, exist_ok=True)
        done = make_sheets(piano, month, out_dir, office_dir)
    except (ChiariError, ValueError) as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    for r in done:
        click.echo(f"{r.area.name:<50} {r.n_indicators:>3} indicatori  {r.path}")
    click.echo(f"{len(done)} fogli di monitoraggio scritti.")
    sys.exit(EXIT_OK)


@click.command("collect")
@click.argument("piano", type=click.Path(path_type=Path))
@click.argument("restituiti", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--month", "month", required=True, help="Mese raccolto, AAAA-MM (es. 2025-06).")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path),
              help="Cartella di lavoro consolidata da scrivere (mai sovrascritta).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Scrive anche il resoconto JSON.")
@click.option("--final", is_flag=True, help="Liquidazione di fine anno: importo per obiettivo e totale sul fondo.")
@click.option("--office-dir", type=click.Path(path_type=Path, file_okay=False), help=_OFFICE_HELP)
def collect(piano: Path, restituiti: tuple[Path, ...], month: str, output: Path | None, json_path: Path | None,
            final: bool, office_dir: Path | None):
    """Raccoglie i fogli RESTITUITI (file o cartelle) dalle aree per il PIANO.

    Accetta solo le celle da compilare di fogli firmati per questo piano, mese e area;
    ogni rifiuto è spiegato. Esito: 0 = tutto accettato, 1 = qualcosa rifiutato,
    2 = nessun file leggibile.
    """
    from chiari_xl.progress.run import run_collect

    try:
        out = run_collect(piano, restituiti, month, office_dir, output, json_path, final)
    except (ChiariError, ValueError) as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    for f in out.files:
        click.echo(f"{f.status.upper():<20} {f.path.name}" + (f" – {f.reason}" if f.reason else ""))
        for c in f.rejections:
            click.echo(f"    {c.get('cell', ''):<20} {c['reason']}")
        for n in f.notes:
            click.echo(f"    nota: {n}")
    reached = sum(1 for o in out.objectives if o.reached)
    click.echo(f"{len(out.objectives)} obiettivi: {reached} sopra soglia; "
               f"dovuto {out.report['totals']['amount_due']:.2f} € su {out.report['totals']['amount']:.2f} €.")
    click.echo(f"Scritto: {out.output}")
    if out.json_path:
        click.echo(f"Resoconto JSON: {out.json_path}")
    sys.exit(out.code)
