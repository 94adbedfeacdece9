"""All checks of a plan. Each check module yields findings; none raises or prints."""

from __future__ import annotations

from chiari_xl import findings as F
from chiari_xl.model.rules import compute
from chiari_xl.reading.plan import Plan
from chiari_xl.checks import amounts, card_text, cards, formulas, rules, staff_text
from chiari_xl.checks.context import Context


def run_checks(plan: Plan, computed=None) -> list[F.Finding]:
    """Every finding of the plan (reading findings included), sorted by severity and objective."""
    df = computed if computed is not None else compute(plan.objectives, plan.params)
    ctx = Context.build(plan, df)
    found = list(plan.findings)
    for module in (rules, amounts, staff_text, cards, card_text, formulas):
        found.extend(module.check(ctx))
    # a formula that could not be evaluated is said once, with what to do: not again as a blank
    unevaluated = {(f.sheet, f.cell) for f in found if f.code == "formula-non-calcolabile"}
    found = [f for f in found if not (f.code == "valore-mancante" and (f.sheet, f.cell) in unevaluated)]
    return sorted(formulas.attach_formulas(plan, _one_per_cell(found)), key=F.sort_key)


# an amount off the rate its pool's other amounts agree on is also off the split of the pool
# inferred from that rate: the first says why, the second would only repeat it
_SAID_BY = {"importo-errato": "importo-fuori-tariffa"}


def _one_per_cell(found: list[F.Finding]) -> list[F.Finding]:
    said = {(f.code, f.sheet, f.cell) for f in found}
    return [f for f in found if (_SAID_BY.get(f.code), f.sheet, f.cell) not in said]
