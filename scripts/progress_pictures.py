#!/usr/bin/env python3
"""Render the README's pictures of the office's workbooks, as they print on A4.

A month on the bundled plan (chiari_xl/dev/progress_demo.py): an area's sheet filled in, June's
report with the areas still missing, and a year-end payout where every area has answered; the
year end on the bundled staff sample: the bonus per employee. LibreOffice (Italian locale) -> PDF
-> PNG with PyMuPDF (scripts/render_preview.py) of the page whose text starts the sheet.

Usage: python scripts/progress_pictures.py [OUTDIR]   (default docs/img)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from chiari_xl.dev.progress_demo import JUNE_RETURNS, fill_sheet, indicator_rows, june_returns  # noqa: E402
from chiari_xl.progress.run import make_sheets, run_collect  # noqa: E402
from chiari_xl.yearend.run import run_payout  # noqa: E402
from render_preview import page_png, page_with, printed  # noqa: E402

DPI = 70


def render(workbook: Path, text: str, target: Path, work: Path) -> None:
    pdf = printed(workbook, work / "pdf")
    print(page_png(pdf, page_with(pdf, text), target, DPI))


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
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
        (tmp / "premi").mkdir()
        payout = run_payout(plan, ROOT / "workbooks" / "personale_2025_esempio.xlsx",
                            output=tmp / "premi" / "Liquidazione_2025.xlsx")
        render(payout.output, "Premi 2025 per dipendente", out / "liquidazione.png", tmp / "d")


if __name__ == "__main__":
    main()
