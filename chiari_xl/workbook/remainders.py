"""Largest-remainder rounding as spreadsheet formulas (plan option; default is half-up).

Two hidden helper columns per amount column hold each share cut to the cent and its
remainder in cents; the amount adds one cent where the row's remainder ranks among the
cents still missing to reach the pool (ties: earlier row first), as allocation.py does.
Every formula reads the objectives table by column name (names.OBJECTIVES_WITH_REMAINDERS)
and the rank compares row numbers with ROW(), so no formula holds a row number.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from chiari_xl.model.allocation import lr_parts
from chiari_xl.model.params import FIXED_POOL, PlanParams
from chiari_xl.workbook.names import Table
from chiari_xl.workbook.values import blank_or

# amount column -> (points it splits by, floor helper, remainder helper)
HELPERS = {"amount_from_written": ("total_coeff", "floor_written", "rest_written"),
           "amount_recomputed": ("total_rule", "floor_recomputed", "rest_recomputed")}


def helper_cache(df: pd.DataFrame, params: PlanParams) -> dict:
    """{(out_key, df index): (floor euro | None, remainder cents | None)} for the cached values."""
    money = params.pool_amounts()
    cache = {}
    for out_key, (points_key, _f, _r) in HELPERS.items():
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


def _share(t: Table, points: str, pool_fund) -> str:
    pool = t.this("pool")
    return f"ROUND({pool_fund(pool)}*{t.this(points)}/SUMIF({t.col('pool')},{pool},{t.col(points)}),6)"


def helper_formulas(t: Table, pool_fund) -> dict[str, str]:
    """The formulas of the helper columns (the same on every row). `pool_fund(ref)`: the
    formula for the money of the pool named in the cell `ref`."""
    pool = t.this("pool")
    out = {}
    for points, floor_key, rest_key in HELPERS.values():
        p, share, floor = t.this(points), _share(t, points, pool_fund), t.this(floor_key)
        out[floor_key] = (f'=IF(OR({p}="",{pool}="",{pool}="{FIXED_POOL}"),"",'
                          f'IFERROR(ROUNDDOWN({share},2),""))')
        out[rest_key] = f'=IF({floor}="","",ROUND({share}*100-{floor}*100,6))'
    return out


def amount_formula(t: Table, out_key: str, pool_fund) -> str:
    """The amount: the floor plus a cent where the row's remainder ranks among the missing cents."""
    _points, floor_key, rest_key = HELPERS[out_key]
    pool, floor, rest = t.this("pool"), t.this(floor_key), t.this(rest_key)
    pools, rests = t.col("pool"), t.col(rest_key)
    rank = (f"SUMPRODUCT(({pools}={pool})*ISNUMBER({rests})"
            f"*(({rests}>{rest})+({rests}={rest})*(ROW({rests})<ROW())))")
    missing = f"ROUND(ROUND({pool_fund(pool)},2)*100-SUMIF({pools},{pool},{t.col(floor_key)})*100,0)"
    return f'IF({floor}="","",{floor}+IF({rank}<{missing},0.01,0))'


def write_helpers(ws, r: int, first_col: int, idx, formulas: dict, cache: dict, fmt) -> None:
    """The helper cells of output row r (columns from `first_col`, in HELPERS order)."""
    c = first_col
    for out_key, (_p, floor_key, rest_key) in HELPERS.items():
        f_val, r_val = cache.get((out_key, idx), (None, None))
        ws.write_formula(r, c, formulas[floor_key], fmt, blank_or(f_val))
        ws.write_formula(r, c + 1, formulas[rest_key], fmt, blank_or(r_val))
        c += 2
