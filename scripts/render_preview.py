#!/usr/bin/env python3
"""Render a workbook as the office will print it: LibreOffice (Italian locale) -> PDF -> PNG pages.

Usage: python scripts/render_preview.py WORKBOOK.xlsx OUTDIR [--dpi 80] [--pages 1,3]

Needs LibreOffice (Debian packages libreoffice-calc-nogui and fonts-crosextra-carlito, Calibri's
metrics) for the PDF and PyMuPDF (`pip install -e '.[test]'` installs it) to turn pages into PNG:
a rasteriser in a wheel, so no poppler-utils. Each missing piece is said in Italian, no traceback.
Numbers and dates come out as in Italian Excel (4.137,93 €, 26/11/2026), whatever this
machine's locale is, because chiari_xl.libreoffice runs LibreOffice with an it-IT profile.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chiari_xl.libreoffice import LibreOfficeError, to_pdf  # noqa: E402


def pymupdf():
    """The rasteriser (PyMuPDF, in the test extra), or a clear message of what to install."""
    try:
        import pymupdf as module
    except ImportError:
        raise SystemExit("ERRORE: manca PyMuPDF per creare le immagini: installarlo con "
                         "`.venv/bin/pip install -e '.[test]'` (oppure `.venv/bin/pip install pymupdf`).") from None
    return module


def printed(workbook: Path, outdir: Path) -> Path:
    """The workbook as LibreOffice prints it (Italian locale), or a clear message of what to install."""
    try:
        return to_pdf(workbook, outdir)
    except LibreOfficeError as exc:
        raise SystemExit(f"ERRORE: impossibile creare il PDF con LibreOffice: {exc}. Installare i pacchetti "
                         "libreoffice-calc-nogui e fonts-crosextra-carlito (caratteri con le misure di Calibri).") from None


def page_with(pdf: Path, text: str) -> int:
    """The first page (1-based) whose text contains `text`."""
    with pymupdf().open(pdf) as doc:
        for i, page in enumerate(doc, start=1):
            if text in page.get_text():
                return i
    raise SystemExit(f"ERRORE: «{text}» non compare in {pdf}")


def page_png(pdf: Path, page: int, target: Path, dpi: int = 80) -> Path:
    with pymupdf().open(pdf) as doc:
        doc[page - 1].get_pixmap(dpi=dpi).save(target)
    return target


def render(workbook: Path, outdir: Path, dpi: int = 80, pages: list[int] | None = None,
           prefix: str = "pagina") -> list[Path]:
    """PNG files of the workbook's printed pages (1-based `pages`, all by default)."""
    module = pymupdf()
    pdf = printed(workbook, outdir)
    out = []
    with module.open(pdf) as doc:
        for i, page in enumerate(doc, start=1):
            if pages and i not in pages:
                continue
            target = outdir / f"{prefix}-{i:02d}.png"
            page.get_pixmap(dpi=dpi).save(target)
            out.append(target)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workbook", type=Path)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--pages", help="pagine da rendere, es. 1,3 (predefinito: tutte)")
    args = ap.parse_args()
    pages = [int(p) for p in args.pages.split(",")] if args.pages else None
    args.outdir.mkdir(parents=True, exist_ok=True)
    for p in render(args.workbook, args.outdir, args.dpi, pages):
        print(p)


if __name__ == "__main__":
    main()
