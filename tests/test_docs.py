"""The README's generated parts (finding codes, command help) are what the code says today."""

from __future__ import annotations

from pathlib import Path

from cogapp import Cog

from chiari_xl.dev.docs import command_names, findings_table
from chiari_xl.findings import registry

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_is_what_cog_generates(capsys):
    status = Cog().main(["cog", "--check", "--diff", "--check-fail-msg=run: cog -r README.md", str(README)])
    assert status == 0, capsys.readouterr().out


def test_findings_table_lists_every_registered_code():
    table = findings_table()
    text = README.read_text(encoding="utf-8")
    for code, kind in registry().items():
        assert f"| `{code}` | {kind.severity} | {kind.title} |" in table
        assert f"`{code}`" in text


def test_every_command_has_its_help_in_the_readme():
    text = README.read_text(encoding="utf-8")
    assert command_names()
    for name in command_names():
        assert f"$ chiari-xl {name} --help" in text
