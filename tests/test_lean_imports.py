"""`controlla` on a plan without formulas loads only what it uses. Start-up is most of a check of a
normal plan (scripts/bench.py: ~0,6 s of ~0,9 s), and twice a merge quietly added to it: openpyxl
imported before knowing the plan has formulas, the progress and year-end packages (and sqlite3)
imported to build one finding. Timings belong to the benchmark; what is imported is checked here."""

from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLE

PROBE = """
import sys
from chiari_xl.cli import main
try:
    main(["controlla", sys.argv[1], "-o", sys.argv[2], "-q"])
except SystemExit:
    pass
heavy = ("openpyxl", "sqlite3", "chiari_xl.progress", "chiari_xl.yearend", "chiari_xl.dropfolder", "watchdog")
print(sorted({m.split(".")[0] if not m.startswith("chiari_xl") else ".".join(m.split(".")[:2])
              for m in sys.modules if m.startswith(heavy)}))
"""


def test_checking_a_plan_without_formulas_loads_no_progress_year_end_or_openpyxl(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE), str(tmp_path / "c.xlsx")],
                         capture_output=True, text=True, timeout=120)
    assert (tmp_path / "c.xlsx").exists(), out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
