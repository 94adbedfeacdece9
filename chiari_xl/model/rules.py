"""Rules 1-4 on the objectives table: DataFrame in, DataFrame out, no I/O.

Adds to every objective the weight and coefficient the rules give, the total they make,
the pool it is paid from, `amount_from_written` (the split applied to the totals as
written), `amount_recomputed` (the split applied to the totals the rules give) and
`amount_change` (recomputed minus published). The columns: model/frames.py.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from chiari_xl.model.allocation import allocate
from chiari_xl.model.frames import ComputedObjectives
from chiari_xl.model.money import as_decimal, total
from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams


def _col(df: pd.DataFrame, values) -> pd.Series:
    """A column of Python objects: None stays None (pandas would turn it into NaN)."""
    return pd.Series(list(values), index=df.index, dtype=object)


def _int_or_none(value) -> int | None:
    if value is None or value != value.to_integral_value() or value < 1:
        return None
    return int(value)


C = ComputedObjectives  # the columns this module produces, named by the contract


def expected_factors(df: pd.DataFrame, params: PlanParams) -> pd.DataFrame:
    """peso_rule, coeff_rule, total_rule, coeff_extension per objective (Rules 1-3)."""
    out = df.copy()
    out[C.peso_rule] = _col(out, (params.weights.get(c) if c else None for c in out[C.category]))
    coeffs, ext = [], []
    for n_dip, all_staff in zip(out[C.n_dip], out[C.all_staff]):
        if all_staff:
            coeffs.append(params.all_staff_coeff)
            ext.append(False)
            continue
        n = _int_or_none(n_dip) if n_dip is not None else None
        coeff, bracket = params.coefficient(n) if n is not None else (None, None)
        coeffs.append(coeff)
        ext.append(bool(bracket and bracket.extension))
    out[C.coeff_rule] = _col(out, coeffs)
    out[C.coeff_extension] = _col(out, ext)
    out[C.total_rule] = _col(out, (p * c if p is not None and c is not None else None
                                   for p, c in zip(out[C.peso_rule], out[C.coeff_rule])))
    return out


def assign_pools(df: pd.DataFrame, params: PlanParams) -> pd.DataFrame:
    out = df.copy()
    pools = []
    for n, tipologia in zip(out[C.n], out[C.tipologia]):
        if n is not None and n in params.fixed:
            pools.append(FIXED_POOL)
        else:
            pools.append(params.sector_for(tipologia or ""))
    out[C.pool] = _col(out, pools)
    return out


def split_amounts(df: pd.DataFrame, params: PlanParams, points_col: str, out_col: str) -> pd.DataFrame:
    """Rule 4: each pool split among its objectives in proportion to `points_col`."""
    out = df.copy()
    out[out_col] = _col(out, [None] * len(out))
    if not params.amounts_ready:
        return out
    pool_money = params.pool_amounts()
    for pool, idx in out.groupby("pool", dropna=True).groups.items():
        if pool == FIXED_POOL:
            out.loc[idx, out_col] = [params.fixed[n] for n in out.loc[idx, "n"]]
            continue
        if pool not in pool_money:
            continue
        amounts = allocate(pool_money[pool], list(out.loc[idx, points_col]), params.rounding)
        out.loc[idx, out_col] = pd.Series(amounts, index=idx, dtype=object)
    return out


def compute(objectives: pd.DataFrame, params: PlanParams) -> pd.DataFrame:
    """The objectives as read (frames.Objectives) -> with Rules 1-4 applied (frames.ComputedObjectives),
    checked against the contract before it is handed on."""
    df = expected_factors(objectives, params)
    df = assign_pools(df, params)
    df = split_amounts(df, params, C.total_coeff, C.amount_from_written)
    df = split_amounts(df, params, C.total_rule, C.amount_recomputed)
    df[C.amount_change] = _col(df, (None if new is None or old is None else new - old
                                    for new, old in zip(df[C.amount_recomputed], df[C.amount])))
    return C.conform(df.astype(object))


def pool_summary(df: pd.DataFrame, params: PlanParams) -> pd.DataFrame:
    """One row per pool (the Giunta's amounts, the general pool, each sector, in that order):
    its money (exact; None while the fund is not known), the objectives, points and amounts it
    sums, and the rounding residual (its money minus the recomputed amounts)."""
    rows = []
    money = params.pool_amounts()
    if params.general_pool is not None:  # known even when the sectors' money is not
        money.setdefault(GENERAL_POOL, Fraction(params.general_pool))
    money[FIXED_POOL] = Fraction(params.fixed_total)
    for name in pool_names(params):
        part = df[df["pool"] == name]
        exact = money.get(name)
        recomputed = total(part["amount_recomputed"])
        rows.append({
            "pool": name,
            "weight": params.sector_weights.get(name),
            "exact": exact,
            "n_objectives": len(part),
            "points_written": total(part["total_coeff"]),
            "points_rule": total(part["total_rule"]),
            "amount_written": total(part["amount"]),
            "amount_from_written": total(part["amount_from_written"]),
            "amount_recomputed": recomputed,
            "residual": None if exact is None else as_decimal(exact) - recomputed,  # no money: no residual
        })
    return pd.DataFrame.from_records(rows).astype(object)


def pool_names(params: PlanParams) -> list[str]:
    """Every pool, in the order the plan presents them."""
    return [FIXED_POOL, GENERAL_POOL, *params.sector_weights]
