"""Plan parameters (Rules 1-4 of the regulation and the year's fund) and their defaults.

Everything that changes from one plan to the next lives in the workbook's `Parametri`
sheet; the code only holds the regulation's defaults for the weights and the headcount
brackets. The fund figures have no default: without them the amounts are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from chiari_xl.model.sectors import FIXED_POOL, GENERAL_POOL, pool_of_tipologia  # noqa: F401 (re-exported)
from chiari_xl.text import norm, squash

D = Decimal

CATEGORIES = ("strategico", "innovativo", "miglioramento", "mantenimento", "una tantum")



# parameters only the year-end payout uses (chiari_xl/yearend/)
YEAREND_PARAMS = ("split_rule", "event_objective", "event_uplift", "payroll_item", "event_bands", "group_splits")


class Rounding(StrEnum):
    """How a pool's amounts are rounded to the cent (model/allocation.py). Value: stable code."""

    HALF_UP = "half-up"
    LARGEST_REMAINDER = "largest-remainder"

    @property
    def label(self) -> str:
        return {Rounding.HALF_UP: "al centesimo, metà per eccesso",
                Rounding.LARGEST_REMAINDER: "al centesimo, metodo dei resti maggiori"}[self]


class Payout(StrEnum):
    """How an objective's amount is paid at year end from its achievement."""

    PROPORTIONAL = "proportional"
    ALL_OR_NOTHING = "all-or-nothing"

    @property
    def label(self) -> str:
        return {Payout.PROPORTIONAL: "proporzionale al raggiungimento, se pari o sopra la soglia",
                Payout.ALL_OR_NOTHING: "tutto o niente: importo intero se pari o sopra la soglia"}[self]

    @property
    def short_label(self) -> str:
        return {Payout.PROPORTIONAL: "proporzionale", Payout.ALL_OR_NOTHING: "tutto o niente"}[self]


class SplitRule(StrEnum):
    """How an objective's amount is split among its people at year end (yearend/split.py).

    The plan leaves it to the municipality's evaluation system, which it does not reproduce;
    the default is participation × part-time, the evaluation score an optional factor."""

    PARTICIPATION = "participation-part-time"
    WITH_SCORE = "participation-part-time-score"

    @property
    def label(self) -> str:
        return {SplitRule.PARTICIPATION: "partecipazione × part-time",
                SplitRule.WITH_SCORE: "partecipazione × part-time × punteggio individuale"}[self]


@dataclass(frozen=True)
class HourBand:
    """Card 3: an attendance at an event lasting up to `up_to` hours is paid `amount`."""

    up_to: Decimal
    amount: Decimal


@dataclass(frozen=True)
class GroupShare:
    """Card 4-like split: `quota` of objective `objective` goes to the people of `areas`
    (area names separated by ";"; "altre aree" or blank = the participants no other group takes).
    Quotas of one objective are shares in proportion ("2/3" and "1/3", or 2 and 1)."""

    objective: int
    group: str
    quota: Fraction
    areas: str = ""


# Card 3 of the 2025 plan (the regulation has no such table): "€.40,00 fino a 2 ore; €.60,00 fino
# a 4 ore €.80,00 fino a 6 ore; €.100,00 fino a 8 ore; €.140,00 fino a 10 ore (limite innalzato
# del 15% per prestazioni notturne e/o festive)".
DEFAULT_HOUR_BANDS = ((2, 40), (4, 60), (6, 80), (8, 100), (10, 140))
DEFAULT_EVENT_UPLIFT = D(15)




@dataclass(frozen=True)
class Bracket:
    low: int
    high: int | None  # None: "and more"
    coeff: Decimal
    extension: bool = False  # not in the regulation: a rule the plan adds to fill a gap

    def contains(self, n: int) -> bool:
        return n >= self.low and (self.high is None or n <= self.high)

    @property
    def label(self) -> str:
        if self.high is None:
            return f"da {self.low} in su"
        return str(self.low) if self.low == self.high else f"da {self.low} a {self.high}"


def category_label(key: str) -> str:
    return f"{CATEGORIES.index(key) + 1}. {key}"


def category_key(value) -> str | None:
    """'1. Strategico (40)', 'STRATEGICO', '1' -> 'strategico'; None if not a category."""
    text = norm(value)
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= len(CATEGORIES):
        return CATEGORIES[int(text) - 1]
    for key in CATEGORIES:
        if squash(key) in text.replace(" ", ""):
            return key
    return None


# what each group of parameters is called when people are told where it came from
ORIGIN_LABELS = {
    "weights": "pesi di strategicità", "brackets": "coefficienti per dipendenti",
    "fixed": "importi fissati", "general_pool": "fondo generali e intersettoriali",
    "sector_weights": "pesi dei settori", "fund_assigned": "fondo attribuito",
    "fund_total": "importo massimo dei premi", "year": "anno del piano",
}


def _labels(attrs) -> str:
    return ", ".join(ORIGIN_LABELS.get(a, a) for a in attrs)


@dataclass
class PlanParams:
    year: int | None = None
    weights: dict[str, Decimal] = field(default_factory=lambda: {
        "strategico": D(40), "innovativo": D(25), "miglioramento": D(20),
        "mantenimento": D(10), "una tantum": D(5)})
    brackets: list[Bracket] = field(default_factory=lambda: [
        Bracket(1, 1, D("0.5")), Bracket(2, 3, D(1)), Bracket(4, 5, D("1.5")),
        Bracket(6, 7, D(2)), Bracket(8, 9, D("2.5")),
        # The regulation says "più di 10": exactly 10 is in no row. The 2025 plan gives it 3,00.
        Bracket(10, 10, D(3), extension=True), Bracket(11, None, D(3))])
    all_staff_coeff: Decimal = D(3)
    fund_total: Decimal | None = None
    fund_assigned: Decimal | None = None
    fund_reserve: Decimal | None = None
    fund_welfare: Decimal | None = None
    general_pool: Decimal | None = None
    fixed: dict[int, Decimal] = field(default_factory=dict)
    sector_weights: dict[str, Decimal] = field(default_factory=dict)
    rounding: Rounding = Rounding.HALF_UP
    payout: Payout = Payout.PROPORTIONAL
    # year end (yearend/): how amounts reach people; see SplitRule, HourBand, GroupShare
    split_rule: SplitRule = SplitRule.PARTICIPATION
    event_objective: int | None = None  # the objective paid by attendance at events (card 3)
    event_bands: list[HourBand] = field(default_factory=lambda: [
        HourBand(D(h), D(a)) for h, a in DEFAULT_HOUR_BANDS])
    event_uplift: Decimal = DEFAULT_EVENT_UPLIFT  # % added for night and/or holiday service
    group_splits: list[GroupShare] = field(default_factory=list)
    payroll_item: str = "Premio performance organizzativa"
    # where each value came from: name -> "Parametri!B24"; missing name = default
    source: dict[str, str] = field(default_factory=dict)
    defaults_used: list[str] = field(default_factory=list)
    # year-end parameters left at their defaults: only the year-end run uses (and reports) them
    yearend_defaults: list[str] = field(default_factory=lambda: list(YEAREND_PARAMS))
    # figures inferred from the amounts written in the table (model/infer_params.py)
    inferred: list[str] = field(default_factory=list)
    # the Parametri sheet says its figures still have to be confirmed ("da confermare")
    to_confirm: bool = False

    @property
    def provenance(self) -> str:
        """Where the parameters came from, in one line for people (the Riepilogo says it)."""
        state = " (segnati «da confermare»)" if self.to_confirm else ""
        missing = [a for a in ("fund_assigned", "general_pool", "sector_weights")
                   if a not in self.source and a not in self.inferred]
        if self.source and not (self.inferred or self.defaults_used or missing):
            return f"Parametri: tutti dal foglio Parametri del file{state}."
        parts = []
        sheet = [a for a in ORIGIN_LABELS if a in self.source and a not in self.inferred]
        if sheet:
            parts.append(f"dal foglio Parametri{state}: {_labels(sheet)}")
        elif not self.source:
            parts.append("il file non ha il foglio Parametri")
        from_amounts = [a for a in self.inferred if a != "year"]
        if from_amounts:
            parts.append(f"dedotti dagli importi scritti, da confermare: {_labels(from_amounts)}")
        if "year" in self.inferred:
            parts.append(f"anno {self.year} dedotto dalle intestazioni, da confermare")
        if self.defaults_used:
            parts.append(f"dal regolamento: {_labels(self.defaults_used)}")
        if missing:
            parts.append(f"mancanti (importi non controllati): {_labels(missing)}")
        return "Parametri: " + "; ".join(parts) + "."

    def coefficient(self, n_dip: int) -> tuple[Decimal | None, Bracket | None]:
        for b in self.brackets:
            if b.contains(n_dip):
                return b.coeff, b
        return None, None

    def sector_for(self, tipologia: str | None) -> str | None:
        """The pool of an objective from its tipologia text: GENERAL_POOL or a sector name."""
        return pool_of_tipologia(tipologia, self.sector_weights)

    @property
    def amounts_ready(self) -> bool:
        # no sector weights is a known figure only when inferred from a table without sectors
        return (self.fund_assigned is not None and self.general_pool is not None
                and (bool(self.sector_weights) or "sector_weights" in self.inferred))

    @property
    def fixed_total(self) -> Decimal:
        """The sum of the amounts fixed by the Giunta."""
        return sum(self.fixed.values(), D(0))

    @property
    def sector_fund(self) -> Decimal | None:
        """What is left for the sector pools after the Giunta's amounts and the general pool."""
        if not self.amounts_ready:
            return None
        return self.fund_assigned - self.fixed_total - self.general_pool

    @property
    def sector_weights_usable(self) -> bool:
        """The sector fund can be split by the weights: none negative, and their sum above zero."""
        weights = self.sector_weights.values()
        return all(w >= 0 for w in weights) and sum(weights, D(0)) > 0

    def pool_amounts(self) -> dict[str, Fraction]:
        """Exact amount of every pool (not rounded: rounding applies to each objective).
        Sector pools only when the weights can split the sector fund (checks/amounts.py says why not)."""
        out: dict[str, Fraction] = {}
        if not self.amounts_ready:
            return out
        out[GENERAL_POOL] = Fraction(self.general_pool)
        if not self.sector_weights_usable:
            return out
        total_w = sum(self.sector_weights.values(), D(0))
        for name, w in self.sector_weights.items():
            out[name] = Fraction(self.sector_fund) * Fraction(w) / Fraction(total_w)
        return out
