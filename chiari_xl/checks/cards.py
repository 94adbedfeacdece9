"""Objective cards (schede) against the summary table, and each card on its own.

Cards are grouped and given their objective by model/cards.py (by number, else by title).
Sector, title, dates and staff of the card are compared with the table; the indicator
weights of a card must add up to 100 and its soglia must be a percentage.
"""

from __future__ import annotations

import re
from decimal import Decimal

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.text import num
from chiari_xl.model.cards import similarity
from chiari_xl.model.params import PlanParams
from chiari_xl.model.sectors import GENERAL_POOL, is_general, sectors_named
from chiari_xl.model.staff import parse_staff
from chiari_xl.text import norm
from chiari_xl.checks.context import Context

KINDS = [
    Kind("scheda-mancante", Severity.ERROR, "Obiettivo senza scheda",
         "L'obiettivo {objective} della tabella non ha una scheda.",
         todo="Aggiungere al piano la scheda dell'obiettivo."),
    Kind("scheda-senza-obiettivo", Severity.ERROR, "Scheda senza obiettivo in tabella",
         "La scheda n. {found} non corrisponde a nessun obiettivo della tabella.",
         todo="Correggere il numero della scheda, o aggiungere l'obiettivo alla tabella."),
    Kind("scheda-senza-numero", Severity.WARNING, "Scheda senza numero",
         "La scheda «{found}» non riporta il numero; per titolo corrisponde all'obiettivo "
         "{expected}.",
         todo="Scrivere nella scheda il numero dell'obiettivo."),
    Kind("scheda-settore-diverso", Severity.WARNING, "Settore della scheda diverso dalla tabella",
         "La scheda è intestata a «{found}», la tabella la mette in «{expected}».",
         todo="Allineare settore e area tra la scheda e la tabella."),
    Kind("scheda-titolo-diverso", Severity.WARNING, "Titolo della scheda diverso dalla tabella",
         "Titolo nella scheda: «{found}»; nella tabella: «{expected}».",
         todo="Usare lo stesso titolo nella scheda e nella tabella."),
    Kind("scheda-tempi-diversi", Severity.WARNING, "Tempi della scheda diversi dalla tabella",
         "Tempi nella scheda: «{found}»; nella tabella: «{expected}».",
         todo="Allineare i tempi di attuazione tra la scheda e la tabella."),
    Kind("scheda-personale-diverso", Severity.WARNING, "Personale della scheda diverso dalla tabella",
         "La scheda indica «{text}» ({found}), ma N. dip. in tabella è {expected}.",
         todo="Allineare il personale della scheda con N. dip. della tabella."),
    Kind("indicatori-non-100", Severity.ERROR, "Percentuali degli indicatori diverse da 100",
         "Le percentuali degli indicatori sommano {found}% invece di {expected}%.",
         todo="Correggere le percentuali degli indicatori perché sommino 100%."),
    Kind("soglia-non-valida", Severity.ERROR, "Soglia minima non valida",
         "La soglia minima deve essere tra 0 e 100%: trovato {found}.",
         todo="Scrivere una soglia minima tra 0 e 100%."),
    Kind("soglia-diversa", Severity.ERROR, "Soglie diverse nella stessa scheda",
         "La stessa scheda indica soglie diverse: {found}.",
         todo="Lasciare nella scheda una sola soglia minima."),
]

TITLE_SAME = 0.6  # below this the card's title is flagged as different
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def check(ctx: Context):
    cards = ctx.plan.cards
    if cards is None or cards.empty:
        return
    sheet = ctx.plan.cards_sheet
    table = {row["n"]: row for _, row in ctx.objectives() if row["n"] is not None}
    matched: dict[int, list] = {}
    for card in ctx.cards():
        first = card.first
        if card.by_title:
            yield F.make("scheda-senza-numero", objective=card.objective, sheet=sheet, cell=first["cell_n"],
                         found=first["titolo"][:80], expected=card.objective)
            matched[card.objective] = card.rows
        elif card.n is None:
            yield F.make("numero-mancante", sheet=sheet, cell=first["cell_n"])
        elif card.n not in table:
            yield F.make("scheda-senza-obiettivo", objective=card.n, sheet=sheet, cell=first["cell_n"], found=card.n)
        else:
            matched[card.n] = card.rows
        yield from _card_itself(card.rows, card.n, sheet)
    for n, row in table.items():
        if n not in matched:
            yield F.make("scheda-mancante", objective=n, sheet=ctx.sheet, cell=row["cell_n"])
            continue
        yield from _card_vs_table(ctx, matched[n], row, sheet)


def _card_itself(rows, n, sheet):
    first = rows[0]
    weights = [r["peso_pct"] for r in rows]
    if all(w is not None for w in weights):
        total = sum(weights, Decimal(0))
        if total != 100:
            yield F.make("indicatori-non-100", objective=n, sheet=sheet, cell=first["cell_peso_pct"],
                         found=num(total), expected=100)
    else:
        for r in rows:
            if r["peso_pct"] is None:
                yield F.make("valore-mancante", objective=n, sheet=sheet, cell=r["cell_peso_pct"],
                             field="la percentuale dell'indicatore")
    soglie = {r["soglia_pct"] for r in rows if r["soglia_pct"] is not None}
    if not soglie:
        yield F.make("valore-mancante", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                     field="la soglia minima")
    elif len(soglie) > 1:
        yield F.make("soglia-diversa", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                     found=", ".join(num(s) for s in sorted(soglie)))
    for s in soglie:
        if not 0 <= s <= 100:
            yield F.make("soglia-non-valida", objective=n, sheet=sheet, cell=first["cell_soglia_pct"],
                         found=f"{num(s)}%", expected="0-100%")


def card_pool(header: str, params: PlanParams) -> set[str]:
    """Pools a card header names: GENERAL_POOL, or the sectors it mentions ('SETTORE X ...')."""
    if is_general(header):
        return {GENERAL_POOL}
    return set(sectors_named(header, params.sector_weights, after_settore=True))


def _card_vs_table(ctx: Context, rows, row, sheet):
    card = rows[0]
    n = row["n"]
    pools = card_pool(card["intestazione"], ctx.params)
    if pools and row["pool"] is not None and row["pool"] not in pools and row["pool"] in (
            GENERAL_POOL, *ctx.params.sector_weights):
        other = sorted(pools)[0]
        yield F.make("scheda-settore-diverso", objective=n, sheet=sheet, cell=card["cell_intestazione"],
                     found=card["intestazione"], expected=row["tipologia"],
                     euro_effect=ctx.effect_of_moving(row, other))
    if card["titolo"] and row["obiettivo"] and similarity(card["titolo"], row["obiettivo"]) < TITLE_SAME:
        yield F.make("scheda-titolo-diverso", objective=n, sheet=sheet, cell=card["cell_titolo"],
                     found=card["titolo"], expected=row["obiettivo"])
    if _dates_differ(card["tempi"], row["tempi"]):
        yield F.make("scheda-tempi-diversi", objective=n, sheet=sheet, cell=card["cell_tempi"],
                     found=card["tempi"], expected=row["tempi"])
    n_dip = row["n_dip"]
    if card["personale"] and n_dip is not None and n_dip == n_dip.to_integral_value():
        count = parse_staff(card["personale"])
        if not count.agrees_with(int(n_dip)):
            effect = None
            if row["peso_rule"] is not None:
                coeff, _ = ctx.params.coefficient(count.nearest(int(n_dip)))
                effect = ctx.effect_of_total(row, row["peso_rule"] * coeff) if coeff is not None else None
            yield F.make("scheda-personale-diverso", objective=n, sheet=sheet, cell=card["cell_personale"],
                         found=count.describe(), expected=num(n_dip), text=card["personale"], euro_effect=effect)


def _span(text: str):
    years = [int(y) for y in _YEAR.findall(text or "")]
    return (min(years), max(years)) if years else None


def _last_date(text: str):
    dates = [(int(y), int(m), int(d)) for d, m, y in _DATE.findall(text or "")]
    return max(dates) if dates else None


def _dates_differ(card: str, table: str) -> bool:
    a, b = _span(card), _span(table)
    if a and b and a != b:
        return True
    da, db = _last_date(card), _last_date(table)
    return bool(da and db and da != db)
