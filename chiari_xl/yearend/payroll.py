"""Cedolini.csv: what payroll loads, one row per employee with a bonus.

`matricola;importo;voce` with a header line, `;` as separator and the decimal comma (what an
Italian payroll import and Excel in Italian expect), the amount exact to the cent (the sum
of the person's shares), the item from the plan's Parametri («Voce del cedolino»). The file
holds personal data: it is written next to the payout workbook, never in a shared folder
unless asked; a CSV for a payroll import has no room for a «riservato» banner, so the mark
is in the payout workbook that goes with it and in the JSON report.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chiari_xl.yearend.payout import Payout

HEADER = ("matricola", "importo", "voce")


def amount_text(value) -> str:
    """1234.5 -> '1234,50': no thousands separator, two decimals, decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def rows(p: Payout) -> list[tuple[str, str, str]]:
    item = p.view.params.payroll_item
    year = p.view.year
    voce = f"{item} {year}" if year and str(year) not in item else item
    return [(e.matricola, amount_text(p.total_of(e.matricola)), voce)
            for e in p.staff.employees if p.total_of(e.matricola) > 0]


def write_payroll(path, p: Payout) -> Path:
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        w.writerows(rows(p))
    return path
