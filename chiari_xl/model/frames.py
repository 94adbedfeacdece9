"""The frames the pipeline passes along, declared once (pandera DataFrameModel).

- `Objectives`: one row per objective of the summary table, as read (reading/plan.py);
- `ComputedObjectives`: the same rows with what Rules 1-4 add (model/rules.py `compute`);
- `Cards`: one row per indicator of the objective cards (reading/plan.py).

Every column holds Python objects (dtype object): counts and amounts are `Decimal` (never a
float), a number that is not there is `None` (never NaN), text is `str` ("" when blank), and
each `cell_<field>` is the A1 cell the value came from ("" when the table has no such column),
so a finding can point at it. The contract is checked where a frame is produced (after reading,
after computing): column types, nullability, the values of the few closed columns. A column the
input lacks is added with its default here, not padded by hand by the reader.

Column names are the model's attributes: `Objectives.n_dip == "n_dip"`, for code that prefers
a checked name to a bare string.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import cache

import pandas as pd

from chiari_xl.model.params import CATEGORIES


@contextmanager
def _hypothesis_hidden():
    """pandera imports hypothesis, when it is installed, for data synthesis (strategies) that
    chiari-xl never uses: 0.12 s of every run's start-up wherever the test dependencies are
    installed. While hidden (None in sys.modules: `import hypothesis` fails at once), pandera
    sets its strategies aside; hypothesis itself stays importable afterwards."""
    if "hypothesis" in sys.modules:  # already loaded (the test run): nothing to save
        yield
        return
    sys.modules["hypothesis"] = None
    try:
        yield
    finally:
        if sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


with _hypothesis_hidden():
    import pandera.pandas as pa
    from pandera import extensions
    from pandera.typing import Series

    with suppress(ImportError):  # what register_check_method loads, loaded while hypothesis is hidden
        from pandera.strategies import base_strategies  # noqa: F401


@extensions.register_check_method(statistics=["types"])
def python_types(series: pd.Series, *, types: tuple[type, ...]):
    """An object column whose every value is exactly one of `types` (bool is not an int, a
    float is not money, None only where NoneType is listed).

    One pass over the values' types decides the common case; the per-value mask is only
    built when something is wrong, so that pandera can say which rows."""
    allowed = set(types)
    values = series.tolist()
    if series.dtype == object and set(map(type, values)) <= allowed:
        return True
    if series.dtype != object:  # e.g. pandas' own "str" dtype: its NaN is not our None
        return False
    return pd.Series([type(v) in allowed for v in values], index=series.index)


NONE = type(None)


def _field(types: tuple[type, ...], *, nullable: bool = False, default=None, **kw):
    # None is a type like any other here (NoneType): allowed exactly where the column is
    # nullable, so the one type check also proves non-nullability, and a NaN (a float) is
    # refused where only None may stand for "no value" (ignore_na=False: the check sees nulls)
    allowed = types + (NONE,) if nullable else types
    return pa.Field(nullable=nullable, default=default, ignore_na=False,
                    python_types={"types": allowed}, **kw)


def _text():
    return _field((str,), default="")  # blank text is "", never None


def _cell():
    return _text()


def _decimal():
    return _field((Decimal,), nullable=True)


def _int_or_none():
    return _field((int,), nullable=True)


def _flag():
    return _field((bool,), default=False)


class _Contract(pa.DataFrameModel):
    class Config:
        strict = True               # a column nobody declared is a bug, not a feature
        add_missing_columns = True  # a column the input lacks gets its default
        coerce = False              # values are already what they must be: check, never convert

    @classmethod
    def conform(cls, df: pd.DataFrame) -> pd.DataFrame:
        """`df` with the declared columns it lacks added (each with its default), checked.

        The same verdict as `cls.validate(df)`, several times faster: pandera's `default` also
        means "fill the nulls" and costs a fillna and two isna per column on every validation,
        its nullable check another isna, and its dtype check a failed import per column (it
        looks for geopandas), where one pass over the values' types says all of it. So the
        missing columns are added here from the declared defaults, and the checking schema is
        the declared one with the python_types check doing the null and dtype checks.
        """
        schema = cls.to_schema()
        missing = [name for name in schema.columns if name not in df.columns]
        if missing:
            df = df.copy()
            for name in missing:
                default = schema.columns[name].default
                df[name] = pd.Series([default] * len(df), index=df.index, dtype=object)
        return _checking_schema(cls).validate(df, inplace=True)


@cache
def _checking_schema(model: type[_Contract]) -> pa.DataFrameSchema:
    """The declared columns and their checks, without defaults (conform adds missing columns);
    None and the object dtype are allowed or refused by each column's python_types check."""
    declared = model.to_schema()
    columns = {name: pa.Column(None, checks=column.checks, nullable=True, name=name)
               for name, column in declared.columns.items()}
    return pa.DataFrameSchema(columns, strict=True, name=declared.name)


class Objectives(_Contract):
    """The objectives table as read."""

    row: Series[object] = _field((int,))  # 1-based row of the input sheet
    n: Series[object] = _int_or_none()
    tipologia: Series[object] = _text()
    obiettivo: Series[object] = _text()
    tempi: Series[object] = _text()
    personale: Series[object] = _text()
    category: Series[object] = _field((str,), nullable=True, isin=[*CATEGORIES, None])
    category_text: Series[object] = _text()   # the category as written (text or marks)
    category_marks: Series[object] = _text()  # ';'-joined keys of the marked columns
    all_staff: Series[object] = _flag()       # N. dip. says "tutto il personale"
    n_dip: Series[object] = _decimal()
    peso: Series[object] = _decimal()
    coeff: Series[object] = _decimal()
    total_coeff: Series[object] = _decimal()
    amount: Series[object] = _decimal()
    cell_n: Series[object] = _cell()
    cell_tipologia: Series[object] = _cell()
    cell_obiettivo: Series[object] = _cell()
    cell_tempi: Series[object] = _cell()
    cell_personale: Series[object] = _cell()
    cell_category: Series[object] = _cell()
    cell_n_dip: Series[object] = _cell()
    cell_peso: Series[object] = _cell()
    cell_coeff: Series[object] = _cell()
    cell_total_coeff: Series[object] = _cell()
    cell_amount: Series[object] = _cell()


class ComputedObjectives(Objectives):
    """The objectives with Rules 1-4 applied (model/rules.py)."""

    peso_rule: Series[object] = _decimal()
    coeff_rule: Series[object] = _decimal()
    coeff_extension: Series[object] = _flag()  # the coefficient comes from the plan's extension
    total_rule: Series[object] = _decimal()
    pool: Series[object] = _field((str,), nullable=True)
    amount_from_written: Series[object] = _decimal()  # the split applied to the written totals
    amount_recomputed: Series[object] = _decimal()    # the split applied to the rules' totals
    amount_change: Series[object] = _decimal()        # amount_recomputed - amount (the published one)


class Cards(_Contract):
    """The objective cards: one row per indicator."""

    row: Series[object] = _field((int,))
    n: Series[object] = _int_or_none()
    n_text: Series[object] = _text()
    intestazione: Series[object] = _text()
    titolo: Series[object] = _text()
    tempi: Series[object] = _text()
    indicatore: Series[object] = _text()
    quantita: Series[object] = _text()
    attivita: Series[object] = _text()
    peso_pct: Series[object] = _decimal()
    peso_pct_text: Series[object] = _text()
    soglia_pct: Series[object] = _decimal()
    soglia_pct_text: Series[object] = _text()
    personale: Series[object] = _text()
    descrizione: Series[object] = _text()  # the card's description, on its rows (optional column)
    fasi: Series[object] = _text()         # the card's phases with their dates (optional column)
    rilevato_da: Series[object] = _text()  # who reports the indicator's progress (optional column)
    cell_n: Series[object] = _cell()
    cell_intestazione: Series[object] = _cell()
    cell_titolo: Series[object] = _cell()
    cell_tempi: Series[object] = _cell()
    cell_indicatore: Series[object] = _cell()
    cell_quantita: Series[object] = _cell()
    cell_attivita: Series[object] = _cell()
    cell_peso_pct: Series[object] = _cell()
    cell_soglia_pct: Series[object] = _cell()
    cell_personale: Series[object] = _cell()
    cell_descrizione: Series[object] = _cell()
    cell_fasi: Series[object] = _cell()
    cell_rilevato_da: Series[object] = _cell()


def records_frame(records: list[dict], contract: type[_Contract] | None = None) -> pd.DataFrame:
    """A frame of Python objects from row dicts: None stays None (no NaN), Decimals stay
    Decimals; checked against `contract` (and completed with its defaults) when given."""
    keys = list(dict.fromkeys(k for r in records for k in r))
    if not records and contract is not None:  # no rows: still every column, none to default
        keys = list(contract.to_schema().columns)
    df = pd.DataFrame({k: pd.Series([r.get(k) for r in records], dtype=object) for k in keys})
    return contract.conform(df) if contract is not None else df


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts of the stored objects (None stays None).

    Same values as df.iterrows()/to_dict("records") for our object frames, at a fraction of
    the cost (no Series per row, no per-value boxing): it mattered at 10,000 objectives.
    """
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]
