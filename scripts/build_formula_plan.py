#!/usr/bin/env python3
"""Build workbooks/obiettivi_2025_con_formule.xlsx: the bundled 2025 plan kept the way an office
keeps it, with formulas for the totals, the amounts and the sums.

Steps: the plain plan is written from the transcriptions in workbooks/src/ (as
build_sample_plan.py does), its totals, amounts and sums are turned into formulas
(chiari_xl/dev/formula_plan.py), and LibreOffice recalculates the file so that every formula
carries its cached value, as in a file saved by Excel. Needs LibreOffice (soffice).

`chiari-xl controlla` on it gives the same amounts and findings as on the plain plan
(tests/test_formula_reading.py).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chiari_xl.dev.formula_plan import add_formulas  # noqa: E402
from chiari_xl.dev.make_plan import read_cards_csv, read_table_csv, write_plan  # noqa: E402
from chiari_xl.libreoffice import recalculate  # noqa: E402

OUT = ROOT / "workbooks" / "obiettivi_2025_con_formule.xlsx"


def params_2025():
    """The 2025 parameters, from the plain plan's build script (one place for them)."""
    spec = importlib.util.spec_from_file_location("build_sample_plan", ROOT / "scripts" / "build_sample_plan.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.params_2025()


def main(out: Path = OUT) -> None:
    src = ROOT / "workbooks" / "src"
    with tempfile.TemporaryDirectory(prefix="chiari-formule-") as tmp:
        tmp = Path(tmp)
        plain = write_plan(tmp / "plain.xlsx", read_table_csv(src / "obiettivi_2025_tabella.csv"),
                           read_cards_csv(src / "schede_2025.csv", texts=src / "schede_2025_testi.csv"), params_2025())
        with_formulas = add_formulas(plain, tmp / OUT.name)
        recalculated = recalculate(with_formulas, tmp / "lo")
        shutil.copyfile(recalculated, out)
    print(f"scritto {out}")


if __name__ == "__main__":
    main()
