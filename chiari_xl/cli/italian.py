"""Click's own words (usage, help, errors) in Italian, for an office that reads Italian.

Click marks its strings for gettext; rather than shipping a .mo catalogue we give its modules a
lookup of every string it marks (tests/test_cli_italian.py fails on any English phrase left in a
help or an error). What click does not mark is set here too: the "[OPTIONS]" and "COMMAND
[ARGS]..." of the usage line (Comando, Gruppo), how a parameter is quoted in an error («--mese»),
and the numeric ranges of options (Secondi).

Option names: the Italian name is the one shown (`--mese`, `--finale`, `--cartella-ufficio`);
the English names of earlier versions still work, as hidden aliases (`opzione(..., alias=...)`),
so scripts written for them keep running.
"""

from __future__ import annotations

import click

IT = {
    # usage and help
    "Usage:": "Uso:",
    "Options": "Opzioni",
    "Commands": "Comandi",
    "Positional arguments": "Argomenti",
    "Show this message and exit.": "Mostra questo aiuto ed esce.",
    "Show the version and exit.": "Mostra la versione ed esce.",
    "%(prog)s, version %(version)s": "%(prog)s, versione %(version)s",
    "default: {default}": "predefinito: {default}",
    "env var: {var}": "variabile d'ambiente: {var}",
    "required": "obbligatorio",
    "(dynamic)": "(variabile)",
    "deprecated": "obsoleto",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Attenzione: il comando «{name}» è obsoleto.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Attenzione: «{name}» è obsoleto.{extra_message}",
    # errors
    "Error: {message}": "ERRORE: {message}",
    "Try '{command} {option}' for help.": "Per l'aiuto: «{command} {option}».",
    "Aborted!": "Interrotto.",
    "Missing command.": "Manca il comando.",
    "Missing argument": "Manca l'argomento",
    "Missing option": "Manca l'opzione",
    "Missing parameter": "Manca il parametro",
    "Missing parameter: {param_name}": "Manca il parametro: {param_name}",
    "Missing {param_type}": "Manca {param_type}",
    "No such command {name!r}.": "Il comando «{name}» non esiste.",
    "No such option {name!r}.": "L'opzione «{name}» non esiste.",
    "Did you mean {possibility}?": "Forse si intendeva {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Forse si intendeva uno tra: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Argomento in più, non previsto ({args})",
    "Got unexpected extra arguments ({args})": "Argomenti in più, non previsti ({args})",
    "Option {name!r} requires an argument.": "L'opzione «{name}» richiede un valore.",
    "Option {name!r} requires {nargs} arguments.": "L'opzione «{name}» richiede {nargs} valori.",
    "Option {name!r} does not take a value.": "L'opzione «{name}» non prende un valore.",
    "Argument {name!r} takes {nargs} values.": "L'argomento «{name}» richiede {nargs} valori.",
    "Takes {nargs} values but 1 was given.": "Richiede {nargs} valori, ne è stato dato 1.",
    "Takes {nargs} values but {len} were given.": "Richiede {nargs} valori, ne sono stati dati {len}.",
    "Invalid value for {param_hint}: {message}": "Valore non valido per {param_hint}: {message}",
    "Invalid value: {message}": "Valore non valido: {message}",
    "Invalid start character for option ({option})": "Carattere iniziale non valido per un'opzione ({option})",
    "Value must be an iterable.": "Serve un elenco di valori.",
    "unknown error": "errore sconosciuto",
    "Could not open file {filename!r}: {message}": "Impossibile aprire «{filename}»: {message}",
    "{value!r} is not a valid {number_type}.": "«{value}» non è un numero valido.",
    "{value} is not in the range {range}.": "{value} non è compreso tra {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "«{value}» non è un sì/no valido.",
    "{value!r} is not a valid UUID.": "«{value}» non è un UUID valido.",
    "{value!r} is not {choice}.": "«{value}» non è {choice}.",
    "{value!r} is not one of {choices}.": "«{value}» non è tra: {choices}.",
    "Choose from:\n\t{choices}": "Scegliere tra:\n\t{choices}",
    "{value!r} does not match the format {format}.": "«{value}» non è nel formato {format}.",
    "{value!r} does not match the formats {formats}.": "«{value}» non è in nessuno dei formati {formats}.",
    "{len_type} values are required, but {len_value} was given.":
        "Servono {len_type} valori, ne è stato dato {len_value}.",
    "{len_type} values are required, but {len_value} were given.":
        "Servono {len_type} valori, ne sono stati dati {len_value}.",
    "file": "il file",
    "directory": "la cartella",
    "path": "il percorso",
    "{name} {filename!r} does not exist.": "{name} «{filename}» non esiste.",
    "{name} {filename!r} is a file.": "{name} «{filename}» è un file, non una cartella.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» è una cartella, non un file.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» non si può leggere.",
    "{name} {filename!r} is not writable.": "{name} «{filename}» non si può scrivere.",
    "{name} {filename!r} is not executable.": "{name} «{filename}» non si può eseguire.",
    # prompts (not used by chiari-xl today, translated so none can appear in English)
    "Do you want to continue?": "Continuare?",
    "Confirm the action without prompting.": "Conferma senza chiedere.",
    "Repeat for confirmation": "Ripetere per conferma",
    "Error: The two entered values do not match.": "ERRORE: i due valori scritti sono diversi.",
    "Error: invalid input": "ERRORE: valore non valido",
    "Press any key to continue...": "Premere un tasto per continuare...",
}


def _it(message: str) -> str:
    return IT.get(message, message)


def _it_n(singular: str, plural: str, n: int) -> str:
    return _it(singular if n == 1 else plural)


def _quoted(param_hint):
    """A parameter named in an error: «--mese» (click writes '--month')."""
    if param_hint is not None and not isinstance(param_hint, str):
        return " / ".join(f"«{x}»" for x in param_hint)
    return param_hint


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
    click.exceptions._join_param_hints = _quoted
    click.exceptions._format_possibilities = _possibilities
    click.core.Parameter.get_error_hint = _option_hint
    click.core.Option.get_error_hint = _option_hint
    click.core.Argument.get_error_hint = _argument_hint


def _possibilities(possibilities: list[str]) -> str:
    named = ", ".join(f"«{p}»" for p in sorted(possibilities))
    return _it_n("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                 len(possibilities)).format(possibility=named, possibilities=named)


def _option_hint(self, ctx) -> str:
    shown = [o for o in self.opts if o not in getattr(self, "aliases", ())] or [self.human_readable_name]
    return " / ".join(f"«{x}»" for x in shown)


def _argument_hint(self, ctx) -> str:
    return f"«{self.make_metavar(ctx) if ctx is not None else self.human_readable_name}»"


# --------------------------------------------------------------------------- commands and options

class Comando(click.Command):
    """A command whose usage line reads `Uso: chiari-xl controlla [OPZIONI] PIANO`."""

    def __init__(self, *args, options_metavar: str | None = "[OPZIONI]", **kwargs):
        super().__init__(*args, options_metavar=options_metavar, **kwargs)


class Gruppo(click.Group):
    """The main command: `Uso: chiari-xl [OPZIONI] COMANDO [ARGOMENTI]...`."""

    command_class = Comando

    def __init__(self, *args, options_metavar: str | None = "[OPZIONI]",
                 subcommand_metavar: str = "COMANDO [ARGOMENTI]...", **kwargs):
        super().__init__(*args, options_metavar=options_metavar, subcommand_metavar=subcommand_metavar, **kwargs)


class Opzione(click.Option):
    """An option whose `aliases` (its names of earlier versions) work but are not shown."""

    def __init__(self, *args, aliases: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.aliases = tuple(aliases)

    def _shown(self) -> list[str]:
        return [o for o in self.opts if o not in self.aliases]

    def get_help_spec(self, ctx):
        every = self.opts
        self.opts = self._shown()
        try:
            return super().get_help_spec(ctx)
        finally:
            self.opts = every


def comando(name: str | None = None, **kwargs):
    """`click.command` with the Italian usage line."""
    return click.command(name, cls=Comando, **kwargs)


def opzione(*names: str, alias: tuple[str, ...] | str = (), **kwargs):
    """`click.option` named in Italian; `alias`: the old (English) names, still accepted, not shown."""
    aliases = (alias,) if isinstance(alias, str) else tuple(alias)
    return click.option(*names, *aliases, cls=Opzione, aliases=aliases, **kwargs)


class Secondi(click.ParamType):
    """A number of seconds between `low` and `high` (Italian decimal comma accepted: 0,5)."""

    name = "secondi"

    def __init__(self, low: float, high: float):
        self.low, self.high = low, high

    def get_metavar(self, param, ctx=None) -> str:
        return "SECONDI"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)):
            seconds = float(value)
        else:
            try:
                seconds = float(str(value).strip().replace(",", "."))
            except ValueError:
                self.fail(f"«{value}» non è un numero di secondi.", param, ctx)
        if not self.low <= seconds <= self.high:
            self.fail(f"{_num(seconds)} secondi: deve essere tra {_num(self.low)} e {_num(self.high)}.", param, ctx)
        return seconds


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


class Mese(click.ParamType):
    """A month as AAAA-MM (checked by the command, which says what is wrong in its own words)."""

    name = "mese"

    def get_metavar(self, param, ctx=None) -> str:
        return "AAAA-MM"

    def convert(self, value, param, ctx):
        return str(value)
