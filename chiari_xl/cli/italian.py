"""Click's own words (usage, errors, --help) in Italian, for an office that reads Italian.

Click marks its strings for gettext; rather than shipping a .mo catalogue we give its
modules a lookup with the handful of strings a user of this tool can meet.
"""

from __future__ import annotations

IT = {
    "Usage:": "Uso:",
    "Options": "Opzioni",
    "Commands": "Comandi",
    "Arguments": "Argomenti",
    "Show this message and exit.": "Mostra questo aiuto ed esce.",
    "Show the version and exit.": "Mostra la versione ed esce.",
    "Error": "Errore",
    "Error: {message}": "Errore: {message}",
    "Try {command!r} for help.": "Per l'aiuto: {command!r}.",
    "Try '{command} {option}' for help.": "Per l'aiuto: «{command} {option}».",
    "Missing argument": "Argomento mancante",
    "Missing option": "Opzione mancante",
    "Missing parameter": "Parametro mancante",
    "Missing argument '{param_hint}'.": "Manca l'argomento «{param_hint}».",
    "Missing {param_type}": "Manca {param_type}",
    "No such command {name!r}.": "Comando {name!r} inesistente.",
    "No such option: {name}": "Opzione inesistente: {name}",
    "Got unexpected extra argument ({args})": "Argomento in più non previsto ({args})",
    "Got unexpected extra arguments ({args})": "Argomenti in più non previsti ({args})",
    "Option {name!r} requires an argument.": "L'opzione {name!r} richiede un valore.",
    "Invalid value for {param_hint}": "Valore non valido per {param_hint}",
    "Invalid value": "Valore non valido",
    "Aborted!": "Interrotto.",
    "(dynamic)": "(dinamico)",
    "default:": "predefinito:",
    "required": "obbligatorio",
    "Did you mean {possibility}?": "Forse intendevi {possibility}?",
}


def _it(message: str) -> str:
    return IT.get(message, message)


def _it_n(singular: str, plural: str, n: int) -> str:
    return _it(singular if n == 1 else plural)


def install() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = _it
        if hasattr(module, "ngettext"):
            module.ngettext = _it_n
