"""`chiari-xl parametri`: a copy of the office's workbook with a Parametri sheet to confirm."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chiari_xl.cli.italian import comando, opzione
from chiari_xl.errors import ChiariError, ParamsNotInferred
from chiari_xl.findings import Severity

EXIT_WRITTEN, EXIT_NOT_WRITTEN, EXIT_UNREADABLE = 0, 1, 2
_SAID = ("parametro-dedotto", "importo-fuori-tariffa", "tariffa-non-concorde", "fondo-con-un-obiettivo")


@comando("parametri")
@click.argument("piano", type=click.Path(path_type=Path))
@opzione("-o", "--uscita", "output", alias="--output", metavar="FILE", type=click.Path(path_type=Path),
         help="Copia da scrivere (predefinito: accanto al piano, con «_con_parametri» nel nome). "
                   "Un file esistente non viene mai sovrascritto.")
def parametri(piano: Path, output: Path | None):
    """Scrive una copia di PIANO con il foglio «Parametri» compilato con le cifre del fondo
    dedotte dagli importi scritti nella tabella, segnate «da confermare».

    Serve quando il piano non ha il foglio Parametri o non ha le cifre del fondo. L'originale
    non viene modificato. Nella copia: verificare con la delibera le celle evidenziate,
    completare quelle vuote (importo massimo, riserva, welfare) e scrivere «confermati» in
    «Stato dei parametri». Un .xls o .ods diventa un .xlsx con i soli valori.

    Esito: 0 = copia scritta, 1 = niente da dedurre o cifre non deducibili (nessun file
    scritto), 2 = file illeggibile o copia non scrivibile.
    """
    from chiari_xl.params_copy import copy_with_params

    try:
        done = copy_with_params(piano, output)
    except ParamsNotInferred as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_NOT_WRITTEN)
    except ChiariError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(done.plan.params.provenance)
    for f in done.plan.findings:  # in the order they were inferred
        if f.code in _SAID:
            label = "" if f.severity == Severity.INFO else f"{f.severity.label}: "
            where = f" ({f.sheet}!{f.cell})" if f.code == "importo-fuori-tariffa" else ""
            click.echo(f"  {label}{f.message}{where}")
    for note in done.notes:
        click.echo(note)
    click.echo(f"Scritto: {done.output}")
    click.echo("Aprire il foglio «Parametri», verificare le cifre evidenziate e scrivere «confermati» "
               "in «Stato dei parametri»; poi controllare la copia con chiari-xl controlla.")
    sys.exit(EXIT_WRITTEN)
