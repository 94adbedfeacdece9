"""Turn a plan of typed numbers (make_plan.write_plan) into the plan as an office keeps it:
TOTALE COEFF. as `=peso*coeff`, each amount as `=ROUND(pool*total/SUM(totals of its pool),2)`,
the Giunta's amount linked to Parametri, a TOTALE row of SUMs, and a `Ripartizione` sheet that
splits the fund among the sectors by their weights.

The workbook is written by openpyxl, so its formulas carry no cached values: that is the file a
script or an export gives. scripts/build_formula_plan.py recalculates it with LibreOffice to
give it the values a file saved by Excel has; the tests use both.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils.cell import coordinate_from_string

from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL
from chiari_xl.model.rules import assign_pools
from chiari_xl.reading.params_sheet import SHEET as PARAMS_SHEET
from chiari_xl.reading.params_sheet import layout
from chiari_xl.reading.plan import read_plan

SPLIT_SHEET = "Ripartizione"


def add_formulas(src, dst) -> Path:
    """Write to `dst` the plan `src` with its totals, amounts and sums as formulas.

    The pools' rows must be contiguous (a plan sorted by sector, as the office keeps it); the
    Giunta's fixed rows may sit anywhere, with their totals blank (as in the published plan: a
    SUM of its pool's rows would count them). Totals that disagree with peso × coeff stay typed.
    """
    plan = read_plan(src)
    params = plan.params
    df = assign_pools(plan.objectives, params)
    wb = load_workbook(src)
    ws = wb[plan.table_sheet]
    at = _parameter_cells(params)

    split = wb.create_sheet(SPLIT_SHEET)
    for c, head in enumerate(("Fondo", "Peso del fondo", "Importo del fondo"), start=1):
        split.cell(1, c, head).font = Font(bold=True)
    split.cell(2, 1, GENERAL_POOL)
    split.cell(2, 3, f"={PARAMS_SHEET}!{at['general_pool']}")
    pool_cell = {GENERAL_POOL: f"{SPLIT_SHEET}!$C$2"}
    sectors = list(params.sector_weights)
    first, last = 3, 2 + len(sectors)
    fixed = "+".join(f"{PARAMS_SHEET}!{cell}" for cell in at["fixed"]) or "0"
    for i, name in enumerate(sectors):
        r = first + i
        split.cell(r, 1, name)
        split.cell(r, 2, f"={PARAMS_SHEET}!{at['sectors'][name]}")
        split.cell(r, 3, f"=({PARAMS_SHEET}!{at['fund_assigned']}-({fixed})-{PARAMS_SHEET}!{at['general_pool']})"
                         f"*B{r}/SUM($B${first}:$B${last})")
        pool_cell[name] = f"{SPLIT_SHEET}!$C${r}"
    split.column_dimensions["A"].width = 40
    split.column_dimensions["B"].width = 16
    split.column_dimensions["C"].width = 18

    col = {f: coordinate_from_string(df[f"cell_{f}"].iloc[0])[0] for f in ("peso", "coeff", "total_coeff", "amount")}
    spans = _pool_spans(df)
    for row in df.to_dict("records"):
        r, pool = row["row"], row["pool"]
        peso, coeff, total = row["peso"], row["coeff"], row["total_coeff"]
        if peso is not None and coeff is not None and total == peso * coeff:
            ws[f"{col['total_coeff']}{r}"] = f"={col['peso']}{r}*{col['coeff']}{r}"
        if pool == FIXED_POOL:
            if row["n"] in at["fixed_by_n"]:
                ws[f"{col['amount']}{r}"] = f"={PARAMS_SHEET}!{at['fixed_by_n'][row['n']]}"
            continue
        if pool in pool_cell and row["amount"] is not None:
            lo, hi = spans[pool]
            t = col["total_coeff"]
            ws[f"{col['amount']}{r}"] = f"=ROUND({pool_cell[pool]}*{t}{r}/SUM({t}${lo}:{t}${hi}),2)"
    lo, hi = int(df["row"].min()), int(df["row"].max())
    total_r = hi + 1
    if plan.total_row is None:
        n_col = coordinate_from_string(df["cell_n"].iloc[0])[0]
        ws[f"{n_col}{total_r}"] = "TOTALE"
        ws[f"{n_col}{total_r}"].font = Font(bold=True)
    else:
        total_r = plan.total_row["row"]
    for f in ("total_coeff", "amount"):
        cell = ws[f"{col[f]}{total_r}"]
        cell.value = f"=SUM({col[f]}{lo}:{col[f]}{hi})"
        cell.font = Font(bold=True)
        if f == "amount":
            cell.number_format = '#,##0.00 "€"'
    dst = Path(dst)
    wb.save(dst)
    return dst


def _pool_spans(df) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for pool, part in df[df["pool"].notna() & (df["pool"] != FIXED_POOL)].groupby("pool"):
        lo, hi = int(part["row"].min()), int(part["row"].max())
        between = df[(df["row"] >= lo) & (df["row"] <= hi)]
        others = between[(between["pool"] != pool) & (between["pool"] != FIXED_POOL)]
        if len(others):
            raise ValueError(f"the rows of pool {pool!r} are not contiguous: sort the plan by sector")
        spans[pool] = (lo, hi)
    return spans


def _parameter_cells(params) -> dict:
    """Where each parameter is on the plan's Parametri sheet (absolute A1 references): where the
    reader found it (the sheet may be older than the current layout, or laid out by a person),
    else where write_plan puts it."""
    out: dict = {"fixed": [], "fixed_by_n": {}, "sectors": {}}
    for r, (role, values) in enumerate(layout(params), start=1):
        value_cell = f"$B${r}"
        if role.startswith("scalar:"):
            out[role.split(":", 1)[1]] = value_cell
        elif role == "row:fixed" and values[0] is not None:
            out["fixed"].append(value_cell)
            out["fixed_by_n"][int(values[0])] = value_cell
        elif role == "row:sectors" and values[0] is not None:
            out["sectors"][values[0]] = value_cell
    found = {attr: coordinate_from_string(where.split("!")[-1]) for attr, where in params.source.items()}
    for attr, (letter, row) in found.items():
        if attr in out and not isinstance(out[attr], (list, dict)):
            out[attr] = f"${letter}${row}"
    if "fixed" in found:  # a table: its rows under the header, in reading order
        rows = [found["fixed"][1] + 1 + i for i in range(len(params.fixed))]
        out["fixed"] = [f"$B${r}" for r in rows]
        out["fixed_by_n"] = {n: f"$B${r}" for n, r in zip(params.fixed, rows)}
    if "sector_weights" in found:
        out["sectors"] = {name: f"$B${found['sector_weights'][1] + 1 + i}"
                          for i, name in enumerate(params.sector_weights)}
    return out
