"""The frames' contract (model/frames.py): what the reader and the rules promise every consumer."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pandera.errors
import pytest
from conftest import obj, params_2025

from chiari_xl.model.frames import Cards, ComputedObjectives, Objectives, records_frame
from chiari_xl.model.rules import compute
from chiari_xl.reading.plan import read_plan

D = Decimal


def declared(model) -> list[str]:
    return list(model.to_schema().columns)


def test_read_and_computed_frames_have_exactly_the_declared_columns(sample_plan):
    plan = read_plan(sample_plan)
    assert sorted(plan.objectives.columns) == sorted(declared(Objectives))
    assert sorted(plan.cards.columns) == sorted(declared(Cards))
    df = compute(plan.objectives, plan.params)
    assert sorted(df.columns) == sorted(declared(ComputedObjectives))
    assert set(declared(Objectives)) < set(declared(ComputedObjectives))
    # money is Decimal, a missing number None, never a float or NaN
    assert all(isinstance(v, Decimal) for v in df["amount_recomputed"])
    assert not any(isinstance(v, float) for col in df.columns for v in df[col])


def test_a_table_without_a_column_gets_it_from_the_contract(make_plan):
    rows = [obj(1, amount=None), obj(2, amount=None)]
    path = make_plan("senza_tempi.xlsx", rows, None, params_2025(),
                     column_order=["n", "tipologia", "obiettivo", "personale", "category", "n_dip",
                                   "peso", "coeff", "total_coeff", "amount"])
    plan = read_plan(path)
    assert list(plan.objectives["tempi"]) == ["", ""]
    assert list(plan.objectives["cell_tempi"]) == ["", ""]
    assert plan.objectives["cell_n_dip"].str.len().min() > 0


def test_the_contract_refuses_a_float_amount_and_a_nan():
    good = {"row": 5, "n": 1, "amount": D("10.00")}
    assert records_frame([good], Objectives).loc[0, "amount"] == D("10.00")
    with pytest.raises(pandera.errors.SchemaError, match="python_types"):
        records_frame([{**good, "amount": 10.0}], Objectives)
    with pytest.raises(pandera.errors.SchemaError, match="python_types"):
        records_frame([{**good, "amount": float("nan")}], Objectives)  # None, never NaN
    with pytest.raises(pandera.errors.SchemaError, match="python_types"):
        records_frame([{**good, "tipologia": None}], Objectives)  # blank text is "", never None
    # what pandera's own validation says agrees with the faster conform()
    assert Objectives.validate(records_frame([good], Objectives)).loc[0, "tempi"] == ""
    with pytest.raises(pandera.errors.SchemaError):
        records_frame([{**good, "n": True}], Objectives)  # a bool is not an objective number
    with pytest.raises(pandera.errors.SchemaError):
        records_frame([{**good, "category": "urgentissimo"}], Objectives)
    with pytest.raises((pandera.errors.SchemaError, pandera.errors.SchemaErrors)):
        records_frame([{**good, "colonna_nuova": 1}], Objectives)  # strict: undeclared column


def test_compute_checks_what_it_hands_on():
    plan_rows = [{"row": 5, "n": 1, "tipologia": "GENERALE", "category": "strategico",
                  "n_dip": D(3), "peso": D(40), "coeff": D(1), "total_coeff": D(40), "amount": None}]
    df = compute(records_frame(plan_rows, Objectives), params_2025())
    assert df.loc[0, "pool"] == "Generali e intersettoriali"
    assert df.loc[0, "amount_recomputed"] == D("10000.00")
    assert ComputedObjectives.amount_recomputed == "amount_recomputed"
    assert isinstance(ComputedObjectives.validate(df), pd.DataFrame)
