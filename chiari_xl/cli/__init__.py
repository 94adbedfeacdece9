"""The `chiari-xl` command: a thin skin over the library, with Italian help and messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chiari_xl.cli.italian import Gruppo, opzione
from chiari_xl.cli.italian import install as _italian
from chiari_xl.errors import ChiariError, OutputError, PlanReadError
from chiari_xl.findings import Severity
from chiari_xl.text import plural

_italian()

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@click.group(cls=Gruppo, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="chiari-xl", message="chiari-xl %(version)s")
def main():
    """Controlla e ricalcola il piano degli obiettivi di performance organizzativa."""


@main.command()
@click.argument("piano", type=click.Path(path_type=Path))
@opzione("-o", "--uscita", "output", alias="--output", metavar="FILE", type=click.Path(path_type=Path),
         help="File Excel controllato da scrivere (predefinito: accanto al piano, "
              "con «_controllato» nel nome). Un file esistente non viene mai sovrascritto.")
@opzione("--json", "json_path", metavar="FILE", type=click.Path(path_type=Path),
         help="Scrive anche il resoconto in formato JSON in questo file.")
@opzione("--pdf", "pdf", is_flag=True,
         help="Scrive anche il PDF del file controllato, pronto da stampare (accanto al file, stesso nome "
              ".pdf). Serve LibreOffice.")
@opzione("-q", "--silenzioso", "quiet", alias="--quiet", is_flag=True, help="Stampa solo l'esito finale.")
def check(piano: Path, output: Path | None, json_path: Path | None, pdf: bool, quiet: bool):
    """Controlla PIANO (.xlsx, .xlsm, .xls, .ods) e scrive il file controllato.

    Esito: 0 = nessun errore, 1 = errori trovati (il file controllato è scritto comunque),
    2 = file illeggibile (nessun file scritto).
    """
    from chiari_xl.api import check_plan

    try:
        result = check_plan(piano, output=output, json_path=json_path, pdf=pdf)
    except PlanReadError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except OutputError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except ChiariError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except MemoryError:
        click.echo(f"ERRORE: «{piano.name}» è troppo grande per la memoria disponibile: "
                   "nessun file è stato scritto.", err=True)
        sys.exit(EXIT_UNREADABLE)
    c = result.counts
    if not quiet:
        for f in result.findings:
            if f.severity == Severity.INFO:
                continue
            where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
            obj = f"ob. {f.objective}" if f.objective is not None else "piano"
            click.echo(f"{f.severity.label:<8} {obj:<7} {where:<18} {f.message}")
    click.echo(f"{plural(len(result.table), 'obiettivo controllato', 'obiettivi controllati')}: "
               f"{plural(c['error'], 'errore', 'errori')}, {plural(c['warning'], 'avviso', 'avvisi')}, "
               f"{plural(c['info'], 'informazione', 'informazioni')}.")
    _say_what_was_not_checked(result, piano, quiet)
    click.echo(f"Scritto: {result.output}")
    if result.report_path:
        click.echo(f"Resoconto JSON: {result.report_path}")
    if result.pdf_path:
        click.echo(f"PDF da stampare: {result.pdf_path}")
    elif result.pdf_problem:
        click.echo(result.pdf_problem, err=True)
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


def _say_what_was_not_checked(result, piano: Path, quiet: bool) -> None:
    """Nothing is said to be verified that was not: inferred figures and checks not run."""
    params = result.plan.params
    if params.inferred or params.to_confirm:
        click.echo(params.provenance)
    if params.inferred:
        if not quiet:
            for f in result.plan.findings:  # in the order they were inferred
                if f.code == "parametro-dedotto":
                    click.echo(f"  {f.message}")
        click.echo(f"Per averli in un foglio Parametri da confermare: chiari-xl parametri \"{piano}\"")
    for f in result.findings:
        if f.code == "controllo-non-eseguito":
            click.echo(f.message)


# --- other commands, each in its own module (one line each) ---
from chiari_xl.cli.progress import collect, month, progress_sheets  # noqa: E402
main.add_command(progress_sheets)
main.add_command(collect)
main.add_command(month)
from chiari_xl.cli.dropfolder import batch, watch  # noqa: E402
main.add_command(batch)
main.add_command(watch)
from chiari_xl.cli.parametri import parametri  # noqa: E402
main.add_command(parametri)
from chiari_xl.cli.yearend import liquidazione, personale_template  # noqa: E402
main.add_command(personale_template)
main.add_command(liquidazione)


if __name__ == "__main__":
    main()
