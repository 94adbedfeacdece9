"""Largest-remainder rounding as spreadsheet formulas (plan option; default is half-up).

Two hidden helper columns per amount column hold each share cut to the cent and its
remainder in cents; the amount adds one cent where the row's remainder ranks among the
cents still missing to reach the pool (ties: earlier row first), as allocation.py does.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from chiari_xl.model.allocation import lr_parts
from chiari_xl.model.params import FIXED_POOL, PlanParams
from chiari_xl.workbook.values import blank_or

HELPERS = {"amount_from_written": ("total_coeff", "Quota troncata (scritti)", "Resto in cent. (scritti)"),
           "amount_recomputed": ("total_rule", "Quota troncata (regola)", "Resto in cent. (regola)")}


def helper_cache(df: pd.DataFrame, params: PlanParams) -> dict:
    """{(out_key, df index): (floor euro | None, remainder cents | None)} for the cached values."""
    money = params.pool_amounts()
    cache = {}
    for out_key, (points_key, _a, _b) in HELPERS.items():
        for pool, idx in df.groupby("pool", dropna=True).groups.items():
            if pool == FIXED_POOL or pool not in money:
                continue
            pts = [df.at[i, points_key] for i in idx]
            total = sum((Fraction(p) for p in pts if p is not None), Fraction(0))
            exact = [None if p is None or total <= 0 else money[pool] * Fraction(p) / total for p in pts]
            floors, rests = lr_parts(exact)
            for i, f, r in zip(idx, floors, rests):
                cache[(out_key, i)] = (None if f is None else Fraction(f, 100), r)
    return cache


def write_helpers(ws, fmt, header_row: int, first_col: int) -> dict:
    """Headings of the helper columns; returns {out_key: (floor col, rest col)}."""
    cols = {}
    c = first_col
    for out_key, (_p, floor_h, rest_h) in HELPERS.items():
        ws.write_string(header_row, c, floor_h, fmt.header)
        ws.write_string(header_row, c + 1, rest_h, fmt.header)
        ws.set_column(c, c + 1, 11, None, {"hidden": True})
        cols[out_key] = (c, c + 1)
        c += 2
    return cols


def write_row(ws, fmt, r: int, idx, out_key: str, cols: dict, cell, rng, header_row: int,
              cache: dict, amount_fmt, amount_value):
    """The two helper cells of row r and its amount formula."""
    points_key = HELPERS[out_key][0]
    fc, rc = cols[out_key]
    p, pool = cell(points_key), cell("pool")
    share = f"VLOOKUP({pool},FondiTab,3,FALSE)*{p}/SUMIF({rng('pool')},{pool},{rng(points_key)})"
    floor_cell, rest_cell = xl_rowcol_to_cell(r, fc), xl_rowcol_to_cell(r, rc)
    f_val, r_val = cache.get((out_key, idx), (None, None))
    ws.write_formula(r, fc, f'=IF(OR({p}="",{pool}=""),"",IFERROR(ROUNDDOWN(ROUND({share},6),2),""))',
                     fmt.coeff, blank_or(f_val))
    ws.write_formula(r, rc, f'=IF({floor_cell}="","",ROUND(ROUND({share},6)*100-{floor_cell}*100,6))',
                     fmt.coeff, blank_or(r_val))
    fl = xl_col_to_name(fc)
    rs = xl_col_to_name(rc)
    first, last = rng("pool").replace("$", "").split(":")
    pool_col = first.rstrip("0123456789")
    first_row, last_row = int(first[len(pool_col):]), int(last[len(pool_col):])
    rests = f"${rs}${first_row}:${rs}${last_row}"
    above_pool = f"${pool_col}${header_row + 1}:{pool_col}{r}"
    above_rest = f"${rs}${header_row + 1}:{rs}{r}"
    rank = (f"SUMPRODUCT(({rng('pool')}={pool})*ISNUMBER({rests})*({rests}>{rest_cell}))"
            f"+SUMPRODUCT(({above_pool}={pool})*ISNUMBER({above_rest})*({above_rest}={rest_cell}))")
    missing = (f"ROUND(ROUND(VLOOKUP({pool},FondiTab,3,FALSE),2)*100"
               f"-SUMIF({rng('pool')},{pool},${fl}${first_row}:${fl}${last_row})*100,0)")
    ws.write_formula(r, cols["_amount_col"][out_key],
                     f'=IF({floor_cell}="","",{floor_cell}+IF({rank}<{missing},0.01,0))',
                     amount_fmt, amount_value)
