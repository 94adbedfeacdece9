"""The picture scripts say in Italian what is missing (PyMuPDF, LibreOffice), never a traceback,
and render through the one renderer (scripts/render_preview.py)."""

from __future__ import annotations

import builtins

import pytest

from conftest import ROOT, script as load


def test_without_pymupdf_the_message_says_what_to_install(monkeypatch):
    preview = load("render_preview")
    real = builtins.__import__

    def no_pymupdf(name, *args, **kwargs):
        if name == "pymupdf":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pymupdf)
    with pytest.raises(SystemExit, match="manca PyMuPDF.*pip install"):
        preview.pymupdf()


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch, tmp_path):
    preview = load("render_preview")
    from chiari_xl.libreoffice import LibreOfficeError

    def missing(*_a, **_k):
        raise LibreOfficeError("LibreOffice (soffice) non è installato")

    monkeypatch.setattr(preview, "to_pdf", missing)
    with pytest.raises(SystemExit, match="libreoffice-calc-nogui e fonts-crosextra-carlito"):
        preview.printed(tmp_path / "x.xlsx", tmp_path)


def test_the_progress_pictures_use_the_same_renderer():
    text = (ROOT / "scripts" / "progress_pictures.py").read_text(encoding="utf-8")
    assert "from render_preview import" in text and "pdftoppm" not in text and "subprocess" not in text
