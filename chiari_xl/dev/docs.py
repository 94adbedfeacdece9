"""The README's generated parts: the table of finding codes and the commands' help.

README.md holds cog blocks that call these functions, so the table comes from the findings
registry and the help from the click commands themselves, and cannot drift from them:

    cog -r README.md      # regenerate after adding a finding kind or a command
    cog --check README.md # what tests/test_docs.py runs: fails when README is out of date
"""

from __future__ import annotations

from chiari_xl.findings import declared_by, registry


def findings_table() -> str:
    """Markdown table: every finding code with its severity, its title and the module raising it."""
    declared = declared_by()
    lines = ["| code | severity | title (as shown to the office) | declared in |",
             "|---|---|---|---|"]
    for code, kind in registry().items():
        module = declared[code].replace(".", "/") + ".py"
        if module == "chiari_xl/findings.py":
            module += " (any step)"
        lines.append(f"| `{code}` | {kind.severity} | {kind.title} | `{module}` |")
    return "\n".join(lines)


def command_names() -> list[str]:
    import click

    from chiari_xl.cli import main

    return main.list_commands(click.Context(main))


def command_help(command: str | None = None) -> str:
    """`chiari-xl [COMMAND] --help` as a user sees it (Italian, 100 columns), in a console block."""
    from click.testing import CliRunner

    from chiari_xl.cli import main

    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args, prog_name="chiari-xl", terminal_width=100)
    if result.exit_code != 0:
        raise RuntimeError(f"chiari-xl {' '.join(args)} failed: {result.output}")
    shown = " ".join(["chiari-xl", *args])
    return f"```console\n$ {shown}\n{result.output.rstrip()}\n```"


def all_commands_help() -> str:
    """The help of the main command and of every command, one block each."""
    blocks = [command_help()]
    for name in command_names():
        blocks.append(f"#### `chiari-xl {name}`\n\n{command_help(name)}")
    return "\n\n".join(blocks)
