"""The findings registry: every code declared once, by the module that raises it."""

from __future__ import annotations

import importlib
import inspect
import re

from chiari_xl import findings as F

RAISED = re.compile(r"""F\.make\(\s*["']([a-z0-9-]+)["']""")


def test_every_code_is_declared_exactly_once():
    seen: dict[str, str] = {}
    for name in F.KIND_SOURCES:
        for kind in importlib.import_module(name).KINDS:
            assert kind.code not in seen, f"{kind.code} declared by {seen[kind.code]} and {name}"
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", kind.code), kind.code
            assert isinstance(kind.severity, F.Severity)
            seen[kind.code] = name
    assert seen.keys() == F.registry().keys()


def test_every_raised_code_is_declared_by_its_module_or_common():
    common = {k.code for k in F.COMMON}
    for name in F.KIND_SOURCES:
        module = importlib.import_module(name)
        own = {k.code for k in module.KINDS}
        raised = set(RAISED.findall(inspect.getsource(module)))
        assert raised <= own | common, f"{name} raises undeclared {sorted(raised - own - common)}"


def test_a_module_that_raises_findings_is_a_registry_source():
    import pkgutil

    import chiari_xl

    for info in pkgutil.walk_packages(chiari_xl.__path__, "chiari_xl."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        if RAISED.search(source):
            codes = set(RAISED.findall(source))
            common = {k.code for k in F.COMMON}
            assert info.name in F.KIND_SOURCES or codes <= common, info.name


def test_messages_fill_their_templates():
    f = F.make("coeff-errato", objective=10, sheet="Obiettivi", cell="M15", found="1,50", expected="1,00",
               staff="3 dipendenti")
    assert f.message == "Con 3 dipendenti il coefficiente è 1,00, ma è scritto 1,50."
    assert f.severity == F.Severity.ERROR and f.severity.label == "Errore"
    assert f.as_dict()["severity"] == "error"


def test_every_kind_says_what_to_do():
    """The Rilievi sheet and the sector sheets print a «Cosa fare» beside every finding: each kind
    has a short Italian sentence (a verb first, a full stop at the end), no placeholder left."""
    for kind in F.registry().values():
        todo = kind.todo
        assert todo, f"{kind.code} has no «cosa fare»"
        assert todo[0].isupper() and todo.endswith(".") and "{" not in todo, (kind.code, todo)
        assert 10 <= len(todo) <= 200, (kind.code, todo)
