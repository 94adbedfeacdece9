"""A PDF for the Giunta: `check --pdf` and the drop folder print the checked workbook as it prints
on A4, in Italian (LibreOffice), next to it, never over a file; without LibreOffice the check
still succeeds and says what to install."""

from __future__ import annotations

import pymupdf
import pytest
from click.testing import CliRunner

import chiari_xl.pdf_copy as pdf_copy
from chiari_xl.cli import main
from chiari_xl.dropfolder import Folders, process_file

from conftest import need_libreoffice


def pdf_text(path) -> str:
    with pymupdf.open(path) as doc:
        return "\n".join(page.get_text() for page in doc)


def test_check_pdf_prints_the_checked_workbook_in_italian_next_to_it(sample_plan):
    need_libreoffice()
    run = CliRunner().invoke(main, ["controlla", str(sample_plan), "--pdf", "-q"])
    assert run.exit_code == 1, run.output  # the 2025 plan has one error: the PDF does not change that
    printed = sample_plan.with_name("obiettivi_2025_controllato.pdf")
    assert f"PDF da stampare: {printed}" in run.output
    text = pdf_text(printed)
    assert "Piano di performance organizzativa 2025" in text
    assert "69.223,09" in text and "69,223.09" not in text      # Italian numbers, as in Italian Excel
    again = CliRunner().invoke(main, ["controlla", str(sample_plan), "--pdf", "-q", "--json",
                                      str(sample_plan.with_name("obiettivi_2025_controllato.json"))])
    assert again.exit_code == 1
    # never over a file: the second run is numbered, its three files alike
    for ext in ("xlsx", "json", "pdf"):
        assert sample_plan.with_name(f"obiettivi_2025_controllato (2).{ext}").is_file(), ext
    assert pdf_text(printed) == text


def test_check_pdf_without_libreoffice_checks_all_the_same_and_says_what_to_install(sample_plan, monkeypatch):
    monkeypatch.setattr(pdf_copy, "soffice", lambda: None)
    run = CliRunner().invoke(main, ["controlla", str(sample_plan), "--pdf", "-q"])
    assert run.exit_code == 1
    assert "PDF non scritto: LibreOffice non è installato" in run.output and "libreoffice.org" in run.output
    assert sample_plan.with_name("obiettivi_2025_controllato.xlsx").is_file()
    assert not sample_plan.with_name("obiettivi_2025_controllato.pdf").exists()


def test_drop_folder_prints_each_checked_plan_when_libreoffice_is_installed(sample_plan, tmp_path, monkeypatch):
    need_libreoffice()
    monkeypatch.setenv("CHIARI_PDF", "1")
    root = tmp_path / "scambio"
    (root / "in").mkdir(parents=True)
    (root / "in" / "piano.xlsx").write_bytes(sample_plan.read_bytes())
    run = CliRunner().invoke(main, ["elabora", str(root), "--attesa", "0"])
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in (root / "out").iterdir()) == [
        "piano_controllato.json", "piano_controllato.pdf", "piano_controllato.xlsx"]
    assert "e il PDF da stampare di ciascuno" in run.output
    assert "69.223,09" in pdf_text(root / "out" / "piano_controllato.pdf")
    assert "PDF out/piano_controllato.pdf" in (root / "registro.log").read_text(encoding="utf-8")


def test_a_pdf_libreoffice_cannot_print_is_a_note_never_a_lost_plan(sample_plan, tmp_path, monkeypatch):
    def broken(workbook, name=None, timeout=180):
        raise pdf_copy.PdfNotWritten("PDF non scritto: LibreOffice non è riuscito a stampare (prova).")

    monkeypatch.setattr(pdf_copy, "available", lambda: True)
    monkeypatch.setattr(pdf_copy, "render", broken)
    folders = Folders(tmp_path / "scambio")
    folders.ensure()
    (folders.inbox / "piano.xlsx").write_bytes(sample_plan.read_bytes())
    outcome = process_file(folders.inbox / "piano.xlsx", folders, pdf=True)
    assert not outcome.failed and outcome.pdf is None
    assert "LibreOffice non è riuscito" in outcome.message
    assert sorted(p.name for p in folders.out.iterdir()) == ["piano_controllato.json", "piano_controllato.xlsx"]
    assert [p.name for p in folders.inbox.iterdir()] == [] and len(list(folders.archive.iterdir())) == 1


@pytest.mark.parametrize("wanted", ["0", ""])
def test_chiari_pdf_0_turns_the_drop_folders_pdf_off(monkeypatch, wanted):
    from chiari_xl.dropfolder.process import pdf_wanted

    monkeypatch.setattr(pdf_copy, "available", lambda: True)
    monkeypatch.setenv("CHIARI_PDF", wanted)
    assert pdf_wanted() is (wanted != "0")
