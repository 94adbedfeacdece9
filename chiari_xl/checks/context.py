"""What every check needs: the plan, the computed table, and pool sums for what-if effects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from chiari_xl.model.allocation import amount_if
from chiari_xl.model.cards import Card, assign_cards
from chiari_xl.model.params import FIXED_POOL, PlanParams
from chiari_xl.model.rules import pool_summary
from chiari_xl.model.frames import records
from chiari_xl.reading.grid import column_range  # noqa: F401 (re-exported for the checks)
from chiari_xl.reading.plan import Plan


@dataclass
class Context:
    plan: Plan
    df: pd.DataFrame
    pools: pd.DataFrame  # model.rules.pool_summary: one row per pool
    pool_money: dict[str, Fraction]
    points_written: dict[str, Fraction]
    _records: list[dict] | None = None
    _cards: list[Card] | None = None

    @classmethod
    def build(cls, plan: Plan, df: pd.DataFrame) -> "Context":
        pools = pool_summary(df, plan.params)
        points = {name: Fraction(p) for name, p in zip(pools["pool"], pools["points_written"])}
        return cls(plan, df, pools, plan.params.pool_amounts(), points)

    @property
    def params(self) -> PlanParams:
        return self.plan.params

    @property
    def sheet(self) -> str:
        return self.plan.table_sheet

    def effect_of_total(self, row, new_total: Decimal | None) -> Decimal | None:
        """Euro change for this objective if its written total became `new_total`, all else equal."""
        pool = row["pool"]
        if new_total is None or pool is None or pool == FIXED_POOL or pool not in self.pool_money:
            return None
        current = row["amount_from_written"]
        if current is None:
            return None
        new_amount = amount_if(self.pool_money[pool], self.points_written.get(pool, Fraction(0)),
                               row["total_coeff"], new_total)
        return None if new_amount is None else new_amount - current

    def effect_of_moving(self, row, new_pool: str) -> Decimal | None:
        """Euro change for this objective if it were paid from `new_pool` with its written total."""
        if row["total_coeff"] is None or row["amount_from_written"] is None:
            return None
        if new_pool not in self.pool_money:
            return None
        new_amount = amount_if(self.pool_money[new_pool], self.points_written.get(new_pool, Fraction(0)),
                               None, row["total_coeff"])
        return None if new_amount is None else new_amount - row["amount_from_written"]

    def cards(self) -> list[Card]:
        """The plan's cards with their objective (model/cards.py), assigned once for all checks."""
        if self._cards is None:
            cards = self.plan.cards
            if cards is None or cards.empty:
                self._cards = []
            else:
                titles = {row["n"]: row["obiettivo"] for _, row in self.objectives() if row["n"] is not None}
                self._cards = assign_cards(records(cards), titles)
        return self._cards

    def objectives(self):
        """(index, row) for each objective row; rows are dicts (iterrows builds a Series per row,
        which was most of the checks' time on large plans)."""
        if self._records is None:
            self._records = records(self.df)
        return zip(self.df.index, self._records)
