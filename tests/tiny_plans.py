"""Tiny plans with round figures, for the money tests: every expected euro can be worked out by hand.

`fund()` gives the parameters of a plan whose fund is made only of the pools asked for (no
reserve, no welfare), so that the split of each pool is the whole story.
"""

from __future__ import annotations

from decimal import Decimal

from conftest import obj

from chiari_xl.api import check_plan
from chiari_xl.dev.make_plan import write_plan
from chiari_xl.model.params import PlanParams, Rounding

D = Decimal
FIRST_ROW = 6  # the builder's table starts on row 6: objective i of the list is on row 5 + i
AMOUNT_COL = "O"


def fund(general="0", sectors=None, fixed=None, rounding=Rounding.HALF_UP, **kw) -> PlanParams:
    """Parameters: the general pool, the sectors' weights {sector: weight} sharing `sector_money`,
    the Giunta's fixed amounts {n: euro}."""
    fixed = {n: D(str(v)) for n, v in (fixed or {}).items()}
    # a plan needs at least one sector to have its amounts checked: by default one without money
    sectors = {s: D(str(w)) for s, w in (sectors if sectors is not None else {"TERRITORIO": 1}).items()}
    sector_money = D(str(kw.pop("sector_money", "0")))
    assigned = D(str(general)) + sector_money + sum(fixed.values(), D(0))
    values = dict(year=2025, fund_total=assigned, fund_assigned=assigned, fund_reserve=D(0), fund_welfare=D(0),
                  general_pool=D(str(general)), fixed=fixed, sector_weights=sectors, rounding=rounding)
    values.update(kw)
    return PlanParams(**values)


def row(n, tipologia="SETTORE TERRITORIO", category="miglioramento", n_dip=3, amount=None, **kw) -> dict:
    """An objective, consistent by default (peso, coeff and total from Rules 1-3)."""
    weights = {"strategico": 40, "innovativo": 25, "miglioramento": 20, "mantenimento": 10, "una tantum": 5}
    coeffs = {1: "0.5", 2: "1", 3: "1", 4: "1.5", 5: "1.5", 6: "2", 7: "2", 8: "2.5", 9: "2.5"}
    peso = kw.pop("peso", weights.get(category))
    coeff = kw.pop("coeff", coeffs.get(n_dip, "3") if isinstance(n_dip, int) else None)
    total = kw.pop("total", None if peso is None or coeff is None else D(str(peso)) * D(coeff))
    out = obj(n, tipologia, category, n_dip if not isinstance(n_dip, str) else None, peso, coeff, total, amount,
              **kw)
    if isinstance(n_dip, str):
        out["n_dip"] = n_dip  # written as text, e.g. "tutto il personale"
    return out


def check(make_plan, rows, params, name="piano.xlsx", **style):
    return check_plan(make_plan(name, rows, None, params, **style), write=False)


def amount_cell(i: int) -> str:
    """The amount cell of the i-th objective of the list (from 1)."""
    return f"{AMOUNT_COL}{FIRST_ROW + i - 1}"


def by_n(result, column) -> dict:
    return {n: v for n, v in zip(result.table["n"], result.table[column])}


def findings(result, code):
    return [f for f in result.findings if f.code == code]


def one(result, code):
    found = findings(result, code)
    assert len(found) == 1, [(f.code, f.objective, f.message) for f in result.findings]
    return found[0]


def card(n, header, title, indicators=((100, "Azione unica"),), soglia=80) -> list[dict]:
    """The rows of one objective card: (weight %, indicator[, target]) tuples; None leaves a figure blank."""
    dec = lambda v: None if v is None else D(str(v))  # noqa: E731
    return [{"n": n, "intestazione": header, "titolo": title, "tempi": "2025", "indicatore": ind[1],
             "quantita": ind[2] if len(ind) > 2 else "n.1 azione", "attivita": "Attività", "peso_pct": dec(ind[0]),
             "soglia_pct": dec(soglia), "personale": ""} for ind in indicators]
