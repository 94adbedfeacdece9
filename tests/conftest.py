"""Shared fixtures: the bundled plan, a builder for small plans, LibreOffice recalculation."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from chiari_xl.dev.make_plan import Style, read_cards_csv, read_table_csv, write_plan
from chiari_xl.model.params import PlanParams

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "workbooks" / "src"
SAMPLE = ROOT / "workbooks" / "obiettivi_2025.xlsx"
D = Decimal


def script(name: str):
    """scripts/<name>.py loaded as a module (the scripts are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def params_2025() -> PlanParams:
    return script("build_sample_plan").params_2025()


@pytest.fixture(autouse=True)
def no_pdf_in_drop_folders(monkeypatch):
    """The drop folder prints each checked workbook to PDF when LibreOffice is installed (seconds a
    plan); its tests do not need that, except those about the PDF, which set CHIARI_PDF back."""
    monkeypatch.setenv("CHIARI_PDF", "0")


@pytest.fixture
def sample_plan(tmp_path) -> Path:
    """A private copy of the bundled 2025 plan (tests must never touch the original)."""
    dst = tmp_path / SAMPLE.name
    shutil.copyfile(SAMPLE, dst)
    return dst


@pytest.fixture
def table_2025() -> list[dict]:
    return read_table_csv(SRC / "obiettivi_2025_tabella.csv")


@pytest.fixture
def cards_2025() -> list[dict]:
    return read_cards_csv(SRC / "schede_2025.csv")


@pytest.fixture
def make_plan(tmp_path):
    """make_plan(name, table, cards=None, params=..., **style) -> path of a small plan workbook."""

    def build(name: str, table: list[dict], cards: list[dict] | None = None,
              params: PlanParams | None | str = "2025", **style) -> Path:
        p = params_2025() if params == "2025" else params
        return write_plan(tmp_path / name, table, cards, p, Style(**style))

    return build


def obj(n, tipologia="SETTORE TERRITORIO", category="miglioramento", n_dip=3, peso=20, coeff=1,
        total=20, amount=None, personale="", obiettivo=None, tempi="2025") -> dict:
    """One row of a summary table, consistent by default."""
    dec = lambda v: None if v is None else D(str(v))  # noqa: E731
    return {"n": n, "tipologia": tipologia, "obiettivo": obiettivo or f"Obiettivo di prova {n}",
            "tempi": tempi, "personale": personale, "category": category, "n_dip": dec(n_dip),
            "peso": dec(peso), "coeff": dec(coeff), "total_coeff": dec(total), "amount": dec(amount)}


def need_libreoffice():
    """In CI LibreOffice must be there: its tests fail rather than skip."""
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) manca: in CI i test di ricalcolo non possono essere saltati")
    pytest.skip("LibreOffice (soffice) non installato")


@pytest.fixture
def lo_recalc(tmp_path):
    """lo_recalc(path) -> path of a copy recalculated by headless LibreOffice."""
    need_libreoffice()
    from chiari_xl.libreoffice import recalculate

    def run(path: Path) -> Path:
        return recalculate(path, tmp_path / "lo")

    return run
