"""Every kind of workbook chiari-xl writes, built once on the bundled 2025 plan, for the tests that
judge them as documents (schema validation, a second formula engine, the printed page).

`build_all(folder)` returns {kind: path}. The kinds:
  checked-half-up, checked-largest-remainder   the checked plan (workbook/), both rounding modes
  area-sheet                                   an area's monthly progress sheet as issued (progress/): July's,
                                               prefilled with the values accepted in June
  area-sheet-returned                          the same sheet filled in by the area (saved by openpyxl)
  monthly-report                               the consolidated report of June, with areas missing
  final-payout                                 collect --final: the year-end payout by objective
  yearend-payout, staff-template, transparency the year end (yearend/) on the bundled staff sample
  params-copy                                  `chiari-xl parametri` on the 2025 table without Parametri
(No tests here: a helper, as scenarios.py is.)
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from conftest import ROOT, SAMPLE, SRC, params_2025

from chiari_xl.dev.make_plan import read_cards_csv, read_table_csv, write_plan
from chiari_xl.dev.progress_demo import june_returns
from chiari_xl.model.params import Rounding

STAFF = ROOT / "workbooks" / "personale_2025_esempio.xlsx"
# the office's own workbooks (part A of issue 11 looks after these; the checked plan is workbook/'s)
OFFICE_KINDS = ("area-sheet", "area-sheet-returned", "monthly-report", "final-payout", "yearend-payout", "staff-template", "transparency")
KINDS = ("checked-half-up", "checked-largest-remainder", *OFFICE_KINDS, "params-copy")


def build_all(folder: Path, kinds=KINDS) -> dict[str, Path]:
    """Write each kind in `kinds` under `folder`; {kind: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / SAMPLE.name
    if not plan.exists():
        shutil.copyfile(SAMPLE, plan)
    out: dict[str, Path] = {}
    if {"checked-half-up", "checked-largest-remainder"} & set(kinds):
        out.update(_checked(folder, plan))
    if {"area-sheet", "area-sheet-returned", "monthly-report", "final-payout"} & set(kinds):
        out.update(_progress(folder, plan))
    if {"yearend-payout", "staff-template", "transparency"} & set(kinds):
        out.update(_yearend(folder, plan))
    if "params-copy" in kinds:
        out.update(_params_copy(folder))
    return {k: v for k, v in out.items() if k in kinds}


def _checked(folder: Path, plan: Path) -> dict[str, Path]:
    from chiari_xl.api import check_plan

    half_up = check_plan(plan, output=folder / "controllato_meta_per_eccesso.xlsx").output
    params = dataclasses.replace(params_2025(), rounding=Rounding.LARGEST_REMAINDER)
    src = write_plan(folder / "piano_resti_maggiori.xlsx", read_table_csv(SRC / "obiettivi_2025_tabella.csv"),
                     read_cards_csv(SRC / "schede_2025.csv"), params)
    largest = check_plan(src, output=folder / "controllato_resti_maggiori.xlsx").output
    return {"checked-half-up": half_up, "checked-largest-remainder": largest}


def _progress(folder: Path, plan: Path) -> dict[str, Path]:
    from chiari_xl.progress.run import make_sheets, run_collect

    office = folder / "ufficio"
    sheets = make_sheets(plan, "2025-06", folder / "da_inviare", office).out_dir
    returned = june_returns(sheets, folder / "ricevuti")
    police = next(p for p in returned if "Corpo_Polizia" in p.name)
    month = run_collect(plan, returned, "2025-06", office, output=folder / "resoconto_giugno.xlsx")
    final = run_collect(plan, returned, "2025-06", office, output=folder / "liquidazione_giugno.xlsx", final=True)
    july = make_sheets(plan, "2025-07", folder / "da_inviare_luglio", office).out_dir  # June's values prefilled
    issued = next(p for p in july.iterdir() if "Corpo_Polizia" in p.name)
    return {"area-sheet": issued, "area-sheet-returned": police, "monthly-report": month.output, "final-payout": final.output}


def _yearend(folder: Path, plan: Path) -> dict[str, Path]:
    from chiari_xl.yearend.run import make_template, run_payout

    template = make_template(plan, folder / "Personale_2025.xlsx")
    out_dir = folder / "liquidazione"
    out_dir.mkdir(exist_ok=True)
    payout = run_payout(plan, STAFF, output=out_dir / "Liquidazione_2025.xlsx")
    transparency = next(p for p in payout.transparency if p.suffix == ".xlsx")
    return {"yearend-payout": payout.output, "staff-template": template, "transparency": transparency}


def _params_copy(folder: Path) -> dict[str, Path]:
    from chiari_xl.params_copy import copy_with_params

    src = write_plan(folder / "obiettivi_2025_ufficio.xlsx", read_table_csv(SRC / "obiettivi_2025_tabella.csv"),
                     None, None)
    return {"params-copy": copy_with_params(src, folder / "con_parametri.xlsx").output}
