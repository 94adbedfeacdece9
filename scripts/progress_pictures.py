#!/usr/bin/env python3
"""Render the README's pictures of the monthly progress workbooks, as they print on A4.

A month on the bundled plan (chiari_xl/dev/progress_demo.py): an area's sheet filled in, June's
report with the areas still missing, and a year-end payout where every area has answered.
LibreOffice -> PDF -> PNG (pdftoppm) of the page whose text starts the sheet.

Usage: python scripts/progress_pictures.py [OUTDIR]   (default docs/img)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chiari_xl.dev.progress_demo import JUNE_RETURNS, fill_sheet, indicator_rows, june_returns  # noqa: E402
from chiari_xl.libreoffice import to_pdf  # noqa: E402
from chiari_xl.progress.run import make_sheets, run_collect  # noqa: E402

DPI = 70


def page_with(pdf: Path, text: str) -> int:
    n = 1
    while True:
        proc = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout.strip() and n > 50:
            raise SystemExit(f"«{text}» not found in {pdf}")
        if text in proc.stdout:
            return n
        n += 1


def render(workbook: Path, text: str, target: Path, work: Path) -> None:
    pdf = to_pdf(workbook, work / "pdf")
    n = page_with(pdf, text)
    stem = work / "pagina"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(n), "-l", str(n), "-singlefile", str(pdf),
                    str(stem)], check=True)
    shutil.move(stem.with_suffix(".png"), target)
    print(target)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory(prefix="chiari-foto-") as tmp:
        tmp = Path(tmp)
        plan = tmp / "obiettivi_2025.xlsx"
        shutil.copyfile(ROOT / "workbooks" / "obiettivi_2025.xlsx", plan)
        office = tmp / "ufficio"
        sheets = make_sheets(plan, "2025-06", tmp / "giugno", office).out_dir
        returned = june_returns(sheets, tmp / "ricevuti")
        police = next(p for p in returned if "Corpo_Polizia" in p.name)
        render(police, "Mese di riferimento", out / "monitoraggio_area.png", tmp / "a")
        month = run_collect(plan, returned, "2025-06", office)
        render(month.output, "Fogli restituiti", out / "monitoraggio_mese.png", tmp / "b")
        # December: every area answers (all "Completato" but what the demo says otherwise)
        december = make_sheets(plan, "2025-12", tmp / "dicembre", office).out_dir
        final_returns = []
        for src in sorted(december.iterdir()):
            values = {ident: {"stato": "Completato"} for ident in indicator_rows(src)}
            for part, demo in JUNE_RETURNS.items():
                if f"_{part}" in src.name:
                    values.update(demo)
            final_returns.append(fill_sheet(src, tmp / "ricevuti_12" / src.name, values))
        final = run_collect(plan, final_returns, "2025-12", office, final=True)
        render(final.output, "Liquidazione per obiettivo", out / "liquidazione_obiettivi.png", tmp / "c")


if __name__ == "__main__":
    main()
