"""The fund figures inferred from the amounts written in the table, when the workbook lacks them.

The municipality's own workbook is the summary table: the fund figures are in the text of the
deliberation, not in a sheet. The table still carries enough to check itself:
- a row with an amount and no weight, coefficient or total is an amount fixed by the Giunta;
- inside a pool (generali + intersettoriali together, each sector alone) every amount is the
  pool's rate in euro per point times the objective's totale coeff., rounded half-up to the
  cent. So an amount `a` written for `t` points confines the rate to [(a - ½ cent)/t,
  (a + ½ cent)/t), and the pool's rate is taken where most of these intervals overlap: a wrong
  row falls outside and cannot move it (it is flagged, with the euro it is off). The rate is
  accepted when more than half of the pool's rows agree on it;
- the pool's money is that rate times the pool's points; sector pools whose moneys stand as
  small integers (34 : 17 : 13 : 13 in 2025) get those as sector weights; the fund is the sum.

Every figure is exact (Fraction) and chosen as the simplest decimal inside the interval the
amounts allow (10.000 rather than 10.000,0012), and every figure is said in a finding with its
value, so the office can confirm it. Pure: the objectives frame and what the Parametri sheet
gave in, PlanParams and findings out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil

import pandas as pd

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.frames import records
from chiari_xl.model.money import as_decimal, euro, euro4, round_cents
from chiari_xl.model.params import ORIGIN_LABELS, PlanParams, Rounding
from chiari_xl.model.sectors import GENERAL_POOL, pool_of_tipologia, sectors_of_table
from chiari_xl.reading.grid import column_range
from chiari_xl.text import num

KINDS = [
    Kind("parametro-dedotto", Severity.INFO, "Parametro dedotto dagli importi scritti",
         "{field}: {found}. Dedotto dagli importi scritti: {how}. Da confermare.",
         todo="Verificare la cifra con la delibera e scriverla nel foglio Parametri."),
    Kind("importo-fuori-tariffa", Severity.ERROR, "Importo fuori dalla tariffa del suo fondo",
         "{found} per {points} punti sono {rate} per punto, ma {agree} obiettivi di «{pool}» "
         "concordano su {pool_rate} per punto: l'importo sarebbe {expected}.",
         todo="Verificare l'importo: correggerlo nel piano, o correggere i totali coeff. del fondo."),
    Kind("fondo-con-un-obiettivo", Severity.INFO, "Fondo con un solo obiettivo",
         "«{pool}» ha un solo obiettivo con importo: la sua tariffa ({rate} per punto) non si può "
         "confrontare con altri obiettivi dello stesso fondo.",
         todo="Nessuna azione; se si conosce l'importo del fondo, scriverlo nel foglio Parametri."),
    Kind("tariffa-non-concorde", Severity.WARNING, "Importi del fondo senza una tariffa comune",
         "Gli importi di «{pool}» non concordano su una tariffa per punto ({found}): non si può "
         "dire quale sia sbagliato. Come fondo uso la somma degli importi scritti, {expected}.",
         todo="Scrivere nel foglio Parametri le cifre del fondo prese dalla delibera e rifare il controllo."),
]

FUND_FIGURES = ("fund_assigned", "general_pool", "sector_weights")
HALF_CENT = Fraction(1, 200)
MAX_SECTOR_WEIGHT = 100  # sector weights are "small integers": the staff of a sector, a share...


@dataclass(frozen=True)
class Span:
    """The exact values x with lo <= x < hi."""

    lo: Fraction
    hi: Fraction

    def times(self, k: Fraction) -> Span:
        return Span(self.lo * k, self.hi * k)

    def __and__(self, other: Span) -> Span | None:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Span(lo, hi) if lo < hi else None

    @property
    def mid(self) -> Fraction:
        return (self.lo + self.hi) / 2

    def simplest(self) -> Fraction:
        """Whole euros if the span holds any, else cents, else finer (the nearest the middle among
        those): a fund decided as 10.000 € reads 10.000, not 10.000,0012; tenths are not preferred
        to cents (41.223,10 is no rounder a fund than 41.223,09)."""
        for places in (0, 2, 3, 4, 5, 6):
            q = 10 ** places
            first, last = ceil(self.lo * q), ceil(self.hi * q) - 1
            if first <= last:
                return Fraction(min(max(round(self.mid * q), first), last), q)
        return self.mid


def max_cover(items: list[tuple[Span, object]]) -> tuple[Span, list] | None:
    """The stretch covered by the most spans (the first such), and the items whose span covers it."""
    events = sorted([(s.lo, 1) for s, _ in items] + [(s.hi, -1) for s, _ in items])
    count, best = 0, None
    for i, (x, step) in enumerate(events):
        count += step
        last_at_x = i + 1 < len(events) and events[i + 1][0] > x
        if last_at_x and (best is None or count > best[0]):
            best = (count, Span(x, events[i + 1][0]))
    if best is None:
        return None
    seg = best[1]
    return seg, [item for s, item in items if s.lo <= seg.lo and seg.hi <= s.hi]


@dataclass
class PoolFit:
    """What a pool's written amounts say about its rate."""

    name: str
    rows: list[dict]  # the pool's objectives
    points: Fraction  # Σ written totals: what the split divides by
    rated: list[dict]  # rows with an amount and points > 0
    rate: Span | None  # rates that reproduce every agreeing row
    agreeing: list[dict]

    @property
    def consensus(self) -> bool:
        n = len(self.rated)
        return n == 1 or (len(self.agreeing) >= 2 and 2 * len(self.agreeing) > n)

    @property
    def money(self) -> Span | None:
        return self.rate.times(self.points) if self.consensus and self.rate else None

    @property
    def written(self) -> Decimal:
        return sum((r["amount"] for r in self.rated), Decimal(0))

    def chosen_money(self) -> Fraction:
        return self.money.simplest() if self.money else Fraction(self.written)


def fit_pool(name: str, rows: list[dict], rounding: Rounding) -> PoolFit:
    # Largest remainder may add a cent to an amount cut to the cent: a cent either side.
    half = HALF_CENT if rounding == Rounding.HALF_UP else 2 * HALF_CENT
    points = sum((Fraction(r["total_coeff"]) for r in rows if r["total_coeff"] is not None), Fraction(0))
    rated = [r for r in rows if r["amount"] is not None and r["amount"] >= 0
             and r["total_coeff"] is not None and r["total_coeff"] > 0]
    items = [(Span((Fraction(r["amount"]) - half) / Fraction(r["total_coeff"]),
                   (Fraction(r["amount"]) + half) / Fraction(r["total_coeff"])), r) for r in rated]
    cover = max_cover(items)
    rate, agreeing = cover if cover else (None, [])
    return PoolFit(name, rows, points, rated, rate, agreeing)


def is_fixed(row: dict) -> bool:
    """An amount with no weight, coefficient or total: fixed directly (by the Giunta)."""
    return (row["n"] is not None and row["amount"] is not None
            and all(row[f] is None for f in ("peso", "coeff", "total_coeff")))


def needs_inference(params: PlanParams) -> bool:
    return _fund_missing(params) != [] or "fixed" not in params.source


def _fund_missing(params: PlanParams) -> list[str]:
    return [a for a in FUND_FIGURES if getattr(params, a) is None or getattr(params, a) == {}]


def small_weights(moneys: dict[str, Span]) -> tuple[dict[str, int], Span] | None:
    """Smallest integer weights w (all <= MAX_SECTOR_WEIGHT) with one unit u such that every pool's
    money u·w lies in its span; (weights, span of the unit). None when there are none."""
    if len(moneys) < 2:
        return None
    big = max(moneys, key=lambda n: moneys[n].lo)
    for w_big in range(1, MAX_SECTOR_WEIGHT + 1):
        unit: Span | None = moneys[big].times(Fraction(1, w_big))
        weights = {big: w_big}
        for name, span in moneys.items():
            if name == big:
                continue
            w = round(span.mid / unit.mid)
            unit = unit & span.times(Fraction(1, w)) if 1 <= w <= MAX_SECTOR_WEIGHT else None
            if unit is None:
                break
            weights[name] = w
        else:
            return {n: weights[n] for n in moneys}, unit
    return None


def infer_params(objectives: pd.DataFrame, given: PlanParams, sheet: str) -> tuple[PlanParams, list[F.Finding]]:
    """`given` (what the Parametri sheet said, if anything) completed from the written amounts.

    Only what the sheet lacks is inferred: fixed amounts when it has no table of them, the fund
    figures (fund attributed, general pool, sector weights) when any is missing.
    """
    if not needs_inference(given):
        return given, []
    params = copy.deepcopy(given)
    rows = records(objectives) if not objectives.empty else []
    amount_cells = lambda rs: column_range(r.get("cell_amount", "") for r in rs)  # noqa: E731
    found: list[F.Finding] = []
    if "fixed" not in given.source:
        fixed_rows = [r for r in rows if is_fixed(r)]
        if fixed_rows:
            params.fixed = {r["n"]: r["amount"] for r in fixed_rows}
            params.inferred.append("fixed")
            found += [F.make("parametro-dedotto", objective=r["n"], sheet=sheet, cell=r.get("cell_amount", ""),
                             field=f"Importo fissato, obiettivo {r['n']}", found=euro(r["amount"]),
                             how="importo senza peso né coefficiente") for r in fixed_rows]
    missing = _fund_missing(given)
    if not missing:
        return params, found
    split_rows = [r for r in rows if r["n"] not in params.fixed]
    names = list(params.sector_weights) or sectors_of_table(r["tipologia"] for r in split_rows)
    groups: dict[str, list[dict]] = {GENERAL_POOL: [], **{n: [] for n in names}}
    for r in split_rows:
        pool = pool_of_tipologia(r["tipologia"], names)
        if pool is not None:
            groups[pool].append(r)
    fits = {name: fit_pool(name, members, params.rounding) for name, members in groups.items() if members}
    unpriced = [f.name for f in fits.values() if not f.rated]
    if not fits or unpriced:
        why = ("la tabella non ha importi scritti" if not fits or len(unpriced) == len(fits)
               else "non ci sono importi scritti per " + ", ".join(f"«{n}»" for n in unpriced))
        found.append(F.make("controllo-non-eseguito", sheet=sheet, check="gli importi stanziati",
                            why=f"mancano le cifre del fondo ({_what(missing)}) e {why}, quindi "
                                "non si possono dedurre"))
        return params, found
    sector_fits = [fits[n] for n in names if n in fits]
    if params.general_pool is None:
        gen = fits.get(GENERAL_POOL)
        params.general_pool = as_decimal(gen.chosen_money()) if gen else Decimal(0)
        params.inferred.append("general_pool")
    sectors_span = _sector_figures(params, sector_fits)
    if params.fund_assigned is None:
        sectors_total = (as_decimal(sectors_span.simplest()) if sectors_span else
                         sum((as_decimal(f.chosen_money()) for f in sector_fits), Decimal(0)))
        params.fund_assigned = sum(params.fixed.values(), Decimal(0)) + params.general_pool + sectors_total
        params.inferred.append("fund_assigned")
    found += _pool_findings(params, fits, sheet, amount_cells)
    found += _figure_findings(params, fits, sector_fits, sectors_span, sheet, amount_cells(rows))
    return params, found


def _sector_figures(params: PlanParams, sector_fits: list[PoolFit]) -> Span | None:
    """Set the sector weights if missing; return the span of sector funds the amounts allow."""
    if not sector_fits:
        if not params.sector_weights:
            params.inferred.append("sector_weights")  # a table without sector objectives: none
        return None
    if params.sector_weights:  # weights written: the unit (fund / Σ weights) most sectors agree on
        total_w = sum(params.sector_weights.values(), Decimal(0))
        units = [(f.money.times(1 / Fraction(params.sector_weights[f.name])), f) for f in sector_fits
                 if f.money and params.sector_weights.get(f.name)]
        cover = max_cover(units)
        return cover[0].times(Fraction(total_w)) if cover else None
    params.inferred.append("sector_weights")
    if all(f.money for f in sector_fits):
        hit = small_weights({f.name: f.money for f in sector_fits})
        if hit:
            weights, unit = hit
            params.sector_weights = {n: Decimal(w) for n, w in weights.items()}
            return unit.times(sum(weights.values()))
    # no small integers: each sector's own fund is its weight
    params.sector_weights = {f.name: as_decimal(f.chosen_money()) for f in sector_fits}
    return None


def _pool_findings(params: PlanParams, fits: dict[str, PoolFit], sheet: str, cells) -> list[F.Finding]:
    money = params.pool_amounts()
    out = []
    for fit in fits.values():
        if fit.name not in money or fit.points == 0:
            continue
        rate = money[fit.name] / fit.points
        if len(fit.rated) == 1:
            r = fit.rated[0]
            out.append(F.make("fondo-con-un-obiettivo", objective=r["n"], sheet=sheet, cell=r.get("cell_amount", ""),
                              pool=fit.name, rate=euro4(rate)))
        elif not fit.consensus:
            rates = ", ".join(euro4(Fraction(r["amount"]) / Fraction(r["total_coeff"])) for r in fit.rated)
            out.append(F.make("tariffa-non-concorde", sheet=sheet, cell=cells(fit.rated), pool=fit.name,
                              found=rates, expected=euro(money[fit.name])))
        elif fit.rate.lo <= rate < fit.rate.hi:  # the pool's figure reproduces its agreeing rows
            agreeing = {id(a) for a in fit.agreeing}
            for r in fit.rated:
                if id(r) in agreeing:
                    continue
                t = Fraction(r["total_coeff"])
                expected = round_cents(rate * t)
                out.append(F.make("importo-fuori-tariffa", objective=r["n"], sheet=sheet,
                                  cell=r.get("cell_amount", ""), found=euro(r["amount"]), expected=euro(expected),
                                  euro_effect=expected - r["amount"], points=num(r["total_coeff"]),
                                  rate=euro4(Fraction(r["amount"]) / t), agree=len(fit.agreeing),
                                  pool=fit.name, pool_rate=euro4(rate)))
    return out


def _figure_findings(params: PlanParams, fits: dict[str, PoolFit], sector_fits: list[PoolFit],
                     sectors_span: Span | None, sheet: str, all_cells: str) -> list[F.Finding]:
    money = params.pool_amounts()
    out = []

    def said(field, value, how, cell=all_cells):
        out.append(F.make("parametro-dedotto", sheet=sheet, cell=cell, field=field, found=value, how=how))

    for fit in fits.values():
        if fit.name not in money or (fit.name == GENERAL_POOL and "general_pool" not in params.inferred):
            continue
        cells = column_range(r.get("cell_amount", "") for r in fit.rows)
        rate = money[fit.name] / fit.points if fit.points else Fraction(0)
        if len(fit.rated) == 1:
            agree = "un solo obiettivo con importo, tariffa non confrontabile"
        elif fit.consensus:
            agree = f"{len(fit.agreeing)} obiettivi su {len(fit.rated)} concordano"
        else:
            agree = "gli importi non concordano: somma degli importi scritti"
        said(f"Fondo «{fit.name}»", euro4(money[fit.name]),
             f"{euro4(rate)} per punto × {num(as_decimal(fit.points))} punti; {agree}", cells)
    if "general_pool" in params.inferred and GENERAL_POOL not in fits:
        said(f"Fondo «{GENERAL_POOL}»", euro(0), "nessun obiettivo generale o intersettoriale")
    if "sector_weights" in params.inferred and not sector_fits:
        said("Pesi dei settori", "nessuno", "la tabella non ha obiettivi di settore")
    elif "sector_weights" in params.inferred:
        names = list(params.sector_weights)
        weights = [params.sector_weights[n] for n in names]
        if all(w == w.to_integral_value() and w <= MAX_SECTOR_WEIGHT for w in weights) and len(names) > 1:
            said("Pesi dei settori", " : ".join(num(w) for w in weights) + f" ({', '.join(names)})",
                 "i fondi dei settori stanno in questo rapporto: fondo di ciascun settore = fondo dei "
                 f"settori × peso / {num(sum(weights))}")
        else:
            said("Pesi dei settori", "il fondo di ciascun settore",
                 "i fondi dei settori non stanno come numeri interi piccoli"
                 if len(names) > 1 else "un solo settore")
    if "fund_assigned" in params.inferred:
        fixed = sum(params.fixed.values(), Decimal(0))
        sectors = params.fund_assigned - fixed - params.general_pool
        how = (f"{euro(fixed)} fissati + {euro4(params.general_pool)} generali e intersettoriali + "
               f"{euro4(sectors)} dei settori")
        if sectors_span is not None:
            how += (f"; per i settori dà gli stessi importi ogni fondo da {euro4(sectors_span.lo)} "
                    f"a {euro4(sectors_span.hi)} escluso")
        said("Fondo attribuito ai settori con progettualità finanziate", euro4(params.fund_assigned), how)
    return out


def _what(attrs: list[str]) -> str:
    return ", ".join(ORIGIN_LABELS[a] for a in attrs)
