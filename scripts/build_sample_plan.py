#!/usr/bin/env python3
"""Build workbooks/obiettivi_2025.xlsx from the committed plain-text transcriptions in
workbooks/src/, so a reviewer can diff them against the seed. (scripts/elabora.sh copies it into
the untracked workbooks/in/ on a fresh clone; the tracked file itself is never moved.)

The published table's mistakes are kept: this is the plan as the municipality keeps it.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chiari_xl.dev.make_plan import read_cards_csv, read_table_csv, write_plan  # noqa: E402
from fractions import Fraction  # noqa: E402

from chiari_xl.model.params import GroupShare, PlanParams  # noqa: E402

D = Decimal


def params_2025() -> PlanParams:
    """The 2025 fund as printed after the summary table; sector weights inferred (domain.md, Rule 4).
    Year end: objective 3 is paid by attendance at events (card 3's hour bands, the defaults);
    objective 4 is split 2/3 to Polizia Locale, 1/3 to the staff of the other areas (card 4)."""
    return PlanParams(
        year=2025, fund_total=D("91223.09"), fund_assigned=D("69223.09"), fund_reserve=D("4000.00"),
        fund_welfare=D("18000.00"), general_pool=D("10000.00"), fixed={3: D("18000.00")},
        sector_weights={"AMMINISTRATIVO-FINANZIARIO": D(34), "SOCIALE-EDUCATIVO": D(17),
                        "TERRITORIO": D(13), "SICUREZZA": D(13)},
        event_objective=3,
        group_splits=[GroupShare(4, "Polizia Locale", Fraction(2, 3), "Corpo polizia locale"),
                      GroupShare(4, "Altre aree", Fraction(1, 3), "altre aree")])


OUT = ROOT / "workbooks" / "obiettivi_2025.xlsx"


def main(out: Path = OUT) -> None:
    src = ROOT / "workbooks" / "src"
    write_plan(out, read_table_csv(src / "obiettivi_2025_tabella.csv"),
               read_cards_csv(src / "schede_2025.csv", texts=src / "schede_2025_testi.csv"), params_2025())
    print(f"scritto {out}")


if __name__ == "__main__":
    main()
