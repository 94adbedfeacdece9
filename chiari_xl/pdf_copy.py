"""The printed copy of a checked workbook: a PDF for the Giunta, as the workbook prints on A4.

LibreOffice renders it (chiari_xl/libreoffice.py: a throw-away profile in Italian locale, so
numbers and dates read 4.137,93 € and 26/11/2026 whatever the computer's own language). A PDF is
an extra: when LibreOffice is missing or fails, the check itself has still succeeded, and the
office is told in Italian what to install (`PdfNotWritten.reason`); the caller decides where that
message goes. Placing the PDF is the caller's (check: atomic_output next to the workbook; the
drop folder: its journal), so it never overwrites anything.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from chiari_xl.errors import ChiariError
from chiari_xl.libreoffice import LibreOfficeError, soffice, to_pdf

INSTALL = ("Per avere il PDF installare LibreOffice (gratuito, https://it.libreoffice.org/download/; "
           "su Linux: sudo apt install libreoffice-calc-nogui fonts-crosextra-carlito).")
MISSING = f"PDF non scritto: LibreOffice non è installato. {INSTALL}"


class PdfNotWritten(ChiariError):
    """No PDF: LibreOffice is missing or could not print the workbook. str() is for the office."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def available() -> bool:
    return soffice() is not None


def render(workbook: Path, name: str | None = None, timeout: int = 180) -> bytes:
    """The PDF of `workbook`, as bytes. name: the file name the office knows it by (a staged
    temporary file is printed under that name). Raises PdfNotWritten."""
    if not available():
        raise PdfNotWritten(MISSING)
    workbook = Path(workbook)
    with tempfile.TemporaryDirectory(prefix="chiari-pdf-") as tmp:
        src = Path(tmp) / (name or workbook.name)
        shutil.copyfile(workbook, src)
        try:
            pdf = to_pdf(src, Path(tmp) / "pdf", timeout=timeout)
        except LibreOfficeError as exc:
            raise PdfNotWritten(f"PDF non scritto: LibreOffice non è riuscito a stampare «{src.name}» ({exc}). "
                                "Il file Excel è completo; il PDF si può fare aprendolo e scegliendo "
                                "File › Esporta come PDF.") from None
        return pdf.read_bytes()
