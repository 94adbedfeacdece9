"""`chiari-xl modello-personale` and `chiari-xl liquidazione`: the year end, from the objectives'
amounts to each person's bonus."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chiari_xl.cli.italian import Mese, comando, opzione
from chiari_xl.errors import ChiariError
from chiari_xl.findings import Severity
from chiari_xl.model.money import euro
from chiari_xl.text import plural

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@comando("modello-personale")
@click.argument("piano", type=click.Path(path_type=Path))
@opzione("-o", "--uscita", "output", alias="--output", metavar="FILE", type=click.Path(path_type=Path),
         help="File da scrivere (predefinito: «Personale_<anno>.xlsx» accanto al piano). "
                   "Un file esistente non viene mai sovrascritto.")
def personale_template(piano: Path, output: Path | None):
    """Crea il file del personale da compilare per il PIANO.

    Fogli: Personale (matricola, nome, area, part-time, partecipazione agli obiettivi),
    Presenze eventi (obiettivo pagato a presenze), Raggiungimento (a fine anno).
    Esito: 0 = scritto, 2 = piano illeggibile o file non scrivibile.
    """
    from chiari_xl.yearend.run import make_template

    try:
        path = make_template(piano, output)
    except ChiariError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"Scritto: {path}")
    click.echo("Contiene dati personali quando è compilato: non metterlo nelle cartelle condivise.")
    sys.exit(EXIT_OK)


@comando("liquidazione")
@click.argument("piano", type=click.Path(path_type=Path))
@opzione("--personale", "personale", required=True, metavar="FILE", type=click.Path(path_type=Path),
         help="Il file del personale compilato (modello: chiari-xl modello-personale).")
@opzione("-o", "--uscita", "output", alias="--output", metavar="FILE", type=click.Path(path_type=Path),
         help="File Excel della liquidazione (predefinito: «Liquidazione_<anno>.xlsx» accanto al file del "
              "personale). Cedolini.csv e Dati_relativi_ai_premi_<anno> vanno nella stessa cartella.")
@opzione("--json", "json_path", metavar="FILE", type=click.Path(path_type=Path),
         help="Scrive anche il resoconto JSON (riservato).")
@opzione("--cartella-ufficio", "office_dir", alias="--office-dir", metavar="CARTELLA",
         type=click.Path(path_type=Path, file_okay=False),
         help="Cartella dell'ufficio con lo storico mensile (predefinita: «monitoraggio/ufficio» accanto al piano).")
@opzione("--mese", "month", alias="--month", type=Mese(),
         help="Mese dello storico da usare, AAAA-MM (predefinito: dicembre dell'anno del piano).")
@opzione("-q", "--silenzioso", "quiet", alias="--quiet", is_flag=True, help="Stampa solo l'esito finale.")
def liquidazione(piano: Path, personale: Path, output: Path | None, json_path: Path | None,
                 office_dir: Path | None, month: str | None, quiet: bool):
    """Liquidazione di fine anno: dall'importo dovuto di ogni obiettivo al premio di ogni dipendente.

    Il raggiungimento di un obiettivo è quello del foglio «Raggiungimento» del file del personale
    se compilato, altrimenti quello dello storico mensile (come collect --finale).
    Scrive il file Excel della liquidazione (riservato), Cedolini.csv per gli stipendi e le tabelle
    «Dati relativi ai premi» da pubblicare (solo dati aggregati).
    Esito: 0 = nessun errore, 1 = errori nei dati (i file sono scritti comunque),
    2 = file illeggibile (nessun file scritto).
    """
    from chiari_xl.yearend.run import run_payout

    try:
        out = run_payout(piano, personale, output, json_path, office_dir, month)
    except ChiariError as exc:
        click.echo(f"ERRORE: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if not quiet:
        for f in out.findings:
            if f.severity == Severity.INFO:
                continue
            obj = f"ob. {f.objective}" if f.objective is not None else ""
            where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
            click.echo(f"{f.severity.label:<8} {obj:<7} {where:<22} {f.message}")
    t = out.payout.totals
    people = out.payout.staff.employees
    paid_people = sum(1 for e in people if out.payout.total_of(e.matricola) > 0)
    click.echo(f"{plural(len(out.payout.objectives), 'obiettivo', 'obiettivi')}, "
               f"{plural(len(people), 'dipendente', 'dipendenti')} ({paid_people} con un premio).")
    click.echo(f"Stanziato {euro(t['allocated'])}; dovuto {euro(t['due'])}; liquidato {euro(t['paid'])}; "
               f"economie {euro(t['savings'])}.")
    led = out.payout.ledger
    if led is not None:
        click.echo(f"Presenze agli eventi: {len(led.rows)} righe, valore a fasce {euro(led.value)}, "
                   f"pagato {euro(led.paid)} su {euro(led.due)} dovuti.")
    for u in out.payout.units:
        if u.group:
            click.echo(f"{u.key}: {euro(u.paid)} a {plural(len(u.shares), 'persona', 'persone')}.")
    c = {s: sum(1 for f in out.findings if f.severity == s) for s in Severity}
    click.echo(f"Rilievi: {plural(c[Severity.ERROR], 'errore', 'errori')}, "
               f"{plural(c[Severity.WARNING], 'avviso', 'avvisi')}.")
    click.echo(f"Scritto (RISERVATO): {out.output}")
    click.echo(f"Cedolini (RISERVATO): {out.payroll}")
    click.echo("Da pubblicare: " + ", ".join(str(p) for p in out.transparency))
    if out.json_path:
        click.echo(f"Resoconto JSON (RISERVATO): {out.json_path}")
    sys.exit(EXIT_FINDINGS if out.has_errors else EXIT_OK)
