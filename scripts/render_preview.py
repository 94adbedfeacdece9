#!/usr/bin/env python3
"""Render a workbook as the office will print it: LibreOffice -> PDF -> PNG pages (pdftoppm).

Usage: python scripts/render_preview.py CHECKED.xlsx OUTDIR [--dpi 80]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chiari_xl.libreoffice import to_pdf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("workbook", type=Path)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args()
    pdf = to_pdf(args.workbook, args.outdir)
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(args.outdir / "pagina")], check=True)
    for p in sorted(args.outdir.glob("pagina*.png")):
        print(p)


if __name__ == "__main__":
    main()
