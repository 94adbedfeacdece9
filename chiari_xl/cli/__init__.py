"""The `chiari-xl` command: a thin skin over the library, with Italian help and messages."""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path

import click

from chiari_xl.cli.italian import Gruppo, opzione
from chiari_xl.cli.italian import install as _italian
from chiari_xl.errors import ChiariError
from chiari_xl.findings import Severity
from chiari_xl.text import plural

_italian()

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
CONSOLE_MAX = 50  # findings printed by `controlla`; a messy plan has tens of thousands


class _Commands(Gruppo):
    """The commands of chiari-xl, named in Italian; those of other modules are imported only when
    used, so that `chiari-xl controlla` does not pay for the drop folder's or the progress sheets'
    imports. The English names of earlier versions still work (scripts written for them), unlisted."""

    ELSEWHERE = {"fogli-monitoraggio": "chiari_xl.cli.progress:progress_sheets",
                 "raccogli": "chiari_xl.cli.progress:collect",
                 "mese": "chiari_xl.cli.progress:month",
                 "elabora": "chiari_xl.cli.dropfolder:batch",
                 "sorveglia": "chiari_xl.cli.dropfolder:watch",
                 "parametri": "chiari_xl.cli.parametri:parametri",
                 "modello-personale": "chiari_xl.cli.yearend:personale_template",
                 "liquidazione": "chiari_xl.cli.yearend:liquidazione"}
    EARLIER = {"check": "controlla", "batch": "elabora", "watch": "sorveglia", "collect": "raccogli",
               "month": "mese", "progress-sheets": "fogli-monitoraggio", "personale-template": "modello-personale"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.ELSEWHERE])

    def get_command(self, ctx, name):
        name = self.EARLIER.get(name, name)
        if name in self.ELSEWHERE:
            module, attr = self.ELSEWHERE[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="chiari-xl", message="chiari-xl %(version)s")
def main():
    """Controlla e ricalcola il piano degli obiettivi di performance organizzativa."""


@main.command("controlla")
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
    # One short process allocating millions of small objects (pandas, findings, cells): with the
    # default thresholds the cyclic collector ran ~2,800 times on a messy 10,000-objective plan,
    # a sixth of the run, to free almost nothing. Fewer collections; peak memory unchanged.
    gc.set_threshold(100_000, 50, 100)
    from chiari_xl.api import check_plan

    try:
        result = check_plan(piano, output=output, json_path=json_path, pdf=pdf)
    except ChiariError as exc:  # unreadable plan, output that cannot be written: said in Italian
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except MemoryError:
        click.echo(f"ERRORE: «{piano.name}» è troppo grande per la memoria disponibile: "
                   "nessun file è stato scritto.", err=True)
        sys.exit(EXIT_UNREADABLE)
    c = result.counts
    if not quiet:
        _echo_findings(result)
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
    # Nothing is left to free: spare the interpreter's exit a full collection over the
    # ~100,000 objects pandas and the plan left behind (0.1 s, a third of reading the file).
    gc.freeze()
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


def _echo_findings(result) -> None:
    """The errors and warnings, at most CONSOLE_MAX of them: the rest is in the workbook and JSON."""
    shown = [f for f in result.findings if f.severity != Severity.INFO]
    for f in shown[:CONSOLE_MAX]:
        where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        obj = f"ob. {f.objective}" if f.objective is not None else "piano"
        click.echo(f"{f.severity.label:<8} {obj:<7} {where:<18} {f.message}")
    rest = len(shown) - CONSOLE_MAX
    if rest > 0:
        where = [f"nel foglio «Rilievi» di {result.output}"] if result.output else []
        where += [f"nel resoconto {result.report_path}"] if result.report_path else []
        click.echo(f"… e {plural(rest, 'altro rilievo', 'altri rilievi')} (errori e avvisi) non mostrati qui"
                   + (f": l'elenco completo è {' e '.join(where)}." if where else "."))


if __name__ == "__main__":
    main()
