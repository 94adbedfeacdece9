"""Cards that contradict themselves, read from the card's own text.

Each card says the same things in several places: an indicator's name, its target (quantità) and
its activity; the title, the description, the phases and the tempi. These checks read the
quantities (model/quantities.py) and the dates and durations (model/dates.py, model/phases.py)
written there and compare a card with itself:

- one indicator counting the same thing with different numbers (or two shares of one measure);
- "X su Y (Z%)" where Z is not X/Y;
- a deadline or time window before the plan year that the card's tempi do not cover, or in an
  indicator; a deadline after the end of the card's tempi;
- a duration word ("triennale") against the years written with it, or in the tempi of the
  card and of the table;
- a multi-year total that is not the yearly figure times the years ("100 all'anno, 250 sul triennio");
- indicators due after the plan year weighing so much that the soglia cannot be met in the year.

All of this is read from free text, so every finding is a warning.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import combinations

from chiari_xl import findings as F
from chiari_xl.checks.context import Context
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.cards import Card
from chiari_xl.model.dates import When, dates, durations, years_of
from chiari_xl.model.phases import steps, step_named
from chiari_xl.model.quantities import PERCENT, Quantity, quantities, unit_of
from chiari_xl.text import content_words, num

KINDS = [
    Kind("quantita-diverse-nell-indicatore", Severity.WARNING, "Stessa quantità con numeri diversi",
         "Nello stesso indicatore si legge «{expected}» {in_a} e «{found}» {in_b}: {what}.",
         todo="Correggere nella scheda la quantità sbagliata."),
    Kind("percentuale-su-totale-errata", Severity.WARNING, "Percentuale diversa dal rapporto scritto",
         "{in_} si legge «{found}»: {part} su {whole} è {actual}, non {written}.",
         todo="Correggere nella scheda la percentuale o le quantità."),
    Kind("data-prima-dell-anno", Severity.WARNING, "Data precedente all'anno del piano",
         "{in_} si legge «{found}», prima del {year}, l'anno del piano; {tempi_note}.",
         todo="Correggere la data nella scheda (di solito l'anno)."),
    Kind("data-oltre-i-tempi", Severity.WARNING, "Data oltre i tempi di attuazione",
         "{in_} si legge «{found}», dopo la fine dei tempi di attuazione ({in_tempi}: «{expected}»).",
         todo="Correggere nella scheda la data o i tempi di attuazione."),
    Kind("durata-diversa-dagli-anni", Severity.WARNING, "Durata diversa dagli anni scritti",
         "{in_} si legge «{found}» ({n} anni), ma {in_other} «{expected}» ({m} anni).",
         todo="Allineare nella scheda la durata e gli anni scritti."),
    Kind("totale-pluriennale-non-multiplo", Severity.WARNING, "Totale pluriennale diverso dalla quantità annua",
         "{in_y} si legge «{expected}» e {in_t} «{found}»: {yearly} all'anno per {years} anni fanno {product}, "
         "non {total}.",
         todo="Correggere nella scheda la quantità annua o il totale."),
    Kind("peso-oltre-l-anno", Severity.WARNING, "Soglia non raggiungibile nell'anno del piano",
         "{subject} {later}, con scadenze dopo il {year} ({due}): nel {year} si può raggiungere al massimo "
         "{reachable}, meno della soglia minima {soglia}.",
         todo="Rivedere nella scheda le scadenze, i pesi degli indicatori o la soglia minima."),
]

ROW_FIELDS = ("indicatore", "quantita", "attivita")
CARD_FIELDS = ("titolo", "tempi", "descrizione", "fasi")
# where a text sits, as an Italian locative ("nella descrizione…": no verb to agree with)
IN = {"titolo": "nel titolo della scheda", "tempi": "nei tempi di attuazione della scheda",
      "descrizione": "nella descrizione dell'obiettivo", "fasi": "nelle fasi di attuazione",
      "indicatore": "nel nome dell'indicatore", "quantita": "nella quantità dell'indicatore",
      "attivita": "nell'attività dell'indicatore", "tabella": "nei tempi di attuazione della tabella"}
IN_ROW = {"indicatore": "nel nome", "quantita": "nella quantità", "attivita": "nell'attività"}
APPROX_SHARE = Decimal("0.05")  # "circa 120 all'anno": a multi-year total within 5% agrees


def check(ctx: Context):
    sheet = ctx.plan.cards_sheet
    table = {row["n"]: row for _, row in ctx.objectives() if row["n"] is not None}
    year = ctx.params.year
    for card in ctx.cards():
        n = card.objective if card.objective is not None else card.n
        row = table.get(card.objective)
        texts = list(_texts(card))
        yield from _row_quantities(card, n, sheet)
        yield from _text_quantities(texts, n, sheet)
        yield from _durations(card, texts, n, sheet, row)
        if year:
            yield from _dates(card, texts, n, sheet, int(year), row)
            yield from _weight_after_year(card, n, sheet, int(year))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value, prep: str = "") -> str:
    """A percentage with its Italian article: 'il 20%', 'l'80%', 'dell'80%', 'del 60%'."""
    text = f"{num(value)}%"
    digits = text.split(",")[0].replace(".", "")
    vowel = digits.startswith("8") or digits in ("1", "11")
    article = {"": ("il ", "l'"), "di": ("del ", "dell'")}[prep]
    return (article[1] if vowel else article[0]) + text


def _texts(card: Card):
    """(scope, field, text, cell) of every text of the card: its card-level texts once (scope
    "card"), then each indicator's (scope: the indicator's position in the card)."""
    first = card.first
    for f in CARD_FIELDS:
        if first.get(f):
            yield "card", f, first[f], first.get(f"cell_{f}", "")
    for i, r in enumerate(card.rows):
        for f in ROW_FIELDS:
            if r.get(f):
                yield i, f, r[f], r.get(f"cell_{f}", "")


def _quote(text: str, start: int, end: int, left: int = 40, right: int = 50) -> str:
    """The words around text[start:end], cut at the clause around it."""
    a = start
    while a > 0 and start - a < left and text[a - 1] not in ".;:(\n":
        a -= 1
    b = end
    while b < len(text) and b - end < right and text[b] not in ".;)\n":
        b += 1
    if b < len(text) and text[b] == ")" and "(" in text[a:end]:
        b += 1
    quote = " ".join(text[a:b].split())
    return ("…" if a > 0 and text[a - 1] not in ".;:(\n" else "") + quote + \
        ("…" if b < len(text) and text[b] not in ".;)\n" else "")


# ---- quantities ------------------------------------------------------------------------------

def _row_quantities(card: Card, n, sheet):
    """Inside one indicator: the same unit counted with other numbers by its name, target, activity."""
    for r in card.rows:
        found = {f: quantities(r.get(f) or "") for f in ROW_FIELDS}
        said = set()
        for fa, fb in combinations(ROW_FIELDS, 2):
            for unit in sorted({q.unit for q in found[fa]} & {q.unit for q in found[fb]} - {""} - said):
                # totals only: not per year ("all'anno"), not per item ("2 ore ciascuno")
                a = [q for q in found[fa] if q.unit == unit and q.years is None and not q.rate]
                b = [q for q in found[fb] if q.unit == unit and q.years is None and not q.rate]
                if unit == PERCENT:
                    a, b = _same_measure(a, b)
                va, vb = {q.reference for q in a}, {q.reference for q in b}
                if not va or not vb or not va.isdisjoint(vb):
                    continue
                said.add(unit)
                qa, qb = a[0], b[0]
                if unit == PERCENT:
                    what = f"{_pct(qa.reference)} contro {_pct(qb.reference)}"
                else:
                    what = (f"{num(qa.reference)} {_unit_word(qa, r[fa])} contro "
                            f"{num(qb.reference)} {_unit_word(qb, r[fb])}")
                yield F.make("quantita-diverse-nell-indicatore", objective=n, sheet=sheet, cell=r.get(f"cell_{fb}", ""),
                             found=_quote(r[fb], qb.start, qb.end), expected=_quote(r[fa], qa.start, qa.end),
                             in_a=IN_ROW[fa], in_b=IN_ROW[fb], what=what)


def _unit_word(q: Quantity, text: str) -> str:
    """The unit as the text writes it ('vie'), for the message."""
    for word in text[q.start:q.end].split():
        if unit_of(word.strip(".,;:()")) == q.unit:
            return word.strip(".,;:()").lower()
    return q.unit


def _same_measure(a: list[Quantity], b: list[Quantity]):
    """Percentages are compared when they are shares of the same thing: the words after them
    share a word ('del 50% degli impianti individuati dalla polizia locale' / 'il 60% delle
    rilevazioni effettuate dalla polizia locale'), or one of them does not say of what."""
    def words(q):
        return {unit_of(w) or w for w in content_words(q.measure)}
    keep_a = [q for q in a if any(not words(q) or not words(p) or words(q) & words(p) for p in b)]
    keep_b = [p for p in b if any(not words(q) or not words(p) or words(q) & words(p) for q in a)]
    return keep_a, keep_b


def _text_quantities(texts, n, sheet):
    """In each text: "X su Y (Z%)" that does not add up; yearly figures against multi-year totals."""
    rows_qs = []
    for scope, field, text, cell in texts:
        qs = quantities(text)
        for q in qs:
            if q.of is not None and q.percent is not None and q.of != 0 and not _ratio_agrees(q):
                actual = q.value * 100 / q.of
                actual = actual.quantize(Decimal("0.1"))
                yield F.make("percentuale-su-totale-errata", objective=n, sheet=sheet, cell=cell,
                             found=_quote(text, q.start, q.end), expected=f"{num(actual)}%",
                             in_=_cap(IN[field]), part=num(q.value), whole=num(q.of), actual=_pct(actual),
                             written=_pct(q.percent))
        rows_qs.append((scope, field, text, cell, qs))
    yield from _multi_year(rows_qs, n, sheet)


def _ratio_agrees(q: Quantity) -> bool:
    """32 su 45 (70%): 70% of 45 is 31,5, and 32 is it rounded up; or 32/45 rounds to the written 70%."""
    share = q.percent * q.of / 100
    if q.value in (share.to_integral_value(ROUND_FLOOR), share.to_integral_value(ROUND_CEILING)):
        return True
    places = -q.percent.as_tuple().exponent if q.percent.as_tuple().exponent < 0 else 0
    return (q.value * 100 / q.of).quantize(Decimal(1).scaleb(-places)) == q.percent


def _multi_year(rows_qs, n, sheet):
    """A total over N years must be N times the yearly figure of the same unit (within 5% when
    either is approximate: "circa"). The yearly figure is one said to be per year in the same
    indicator (or in the card's own texts, for a total written there), else one in the same text
    without a period (the plan year's target)."""
    every = [(scope, field, text, cell, q) for scope, field, text, cell, qs in rows_qs for q in qs]
    for scope, field, text, cell, total in every:
        if not total.years or total.years < 2:
            continue
        yearly = [x[1:] for x in every if x[0] == scope and x[4].unit == total.unit and x[4].years == 1]
        if not yearly:
            yearly = [x[1:] for x in every if x[2] is text and x[4].unit == total.unit and x[4].years is None
                      and x[4].of is None]
        if not yearly:
            continue
        if any(_multiplies(y[3], total) for y in yearly):
            continue
        yfield, ytext, _ycell, y = yearly[0]
        yield F.make("totale-pluriennale-non-multiplo", objective=n, sheet=sheet, cell=cell,
                     found=_quote(text, total.start, total.end), expected=_quote(ytext, y.start, y.end),
                     in_y=_cap(IN[yfield]), in_t=IN[field] if field != yfield else "poi",
                     yearly=num(y.value), years=total.years, product=num(y.value * total.years),
                     total=num(total.value))


def _multiplies(yearly: Quantity, total: Quantity) -> bool:
    product = yearly.value * total.years
    if yearly.approx or total.approx:
        return abs(product - total.value) <= APPROX_SHARE * product
    return product == total.value


# ---- dates -----------------------------------------------------------------------------------

def _tempi(card: Card, row):
    """(span of years, text, place) of the card's tempi, else of the table's; (None, "", "") if neither has years."""
    own = card.first.get("tempi") or ""
    if years_of(own):
        return years_of(own), own, IN["tempi"]
    table = (row or {}).get("tempi") or ""
    if years_of(table):
        return years_of(table), table, IN["tabella"]
    return None, own or table, ""


def _dates(card: Card, texts, n, sheet, year: int, row):
    span, tempi_text, tempi_place = _tempi(card, row)
    first = card.first
    if span and tempi_place == IN["tempi"] and span[1] < year:
        yield F.make("data-prima-dell-anno", objective=n, sheet=sheet, cell=first.get("cell_tempi", ""),
                     found=tempi_text, expected=str(year), in_=_cap(IN["tempi"]), year=year,
                     tempi_note="la scheda riguarda anni già conclusi")
        return  # every date of the card would repeat it
    said = set()
    for _scope, field, text, cell in texts:
        if field in ("titolo", "tempi"):
            continue  # a title names; the tempi are the reference
        for d in dates(text):
            if not d.sets_time or d.years is None or (field, d.text) in said:
                continue
            lo, hi = d.years
            # a past phase of a multi-year objective is not a contradiction: its tempi cover it
            covered = span is not None and span[0] <= lo and hi <= span[1]
            if hi < year and (field in ROW_FIELDS or not covered):
                said.add((field, d.text))
                note = (f"{tempi_place} si legge «{tempi_text}»" if tempi_place else
                        "i tempi di attuazione non indicano anni")
                yield F.make("data-prima-dell-anno", objective=n, sheet=sheet, cell=cell, found=d.text,
                             expected=tempi_text or str(year), in_=_cap(IN[field]), year=year, tempi_note=note)
            elif span is not None and hi > span[1]:
                said.add((field, d.text))
                yield F.make("data-oltre-i-tempi", objective=n, sheet=sheet, cell=cell, found=d.text,
                             expected=tempi_text, in_=_cap(IN[field]), in_tempi=tempi_place)


def _durations(card: Card, texts, n, sheet, row):
    """A duration word against the years written right after it, and the tempi's word against
    the years of the tempi (the card's, else the table's)."""
    said = set()
    for _scope, field, text, cell in texts:
        for dur in durations(text):
            if dur.span is None or (field, dur.word, dur.span.text) in said:
                continue
            m = dur.span.span_years()
            if m is not None and m != dur.years:
                said.add((field, dur.word, dur.span.text))
                yield F.make("durata-diversa-dagli-anni", objective=n, sheet=sheet, cell=cell,
                             found=_quote(text, dur.start, dur.end), expected=dur.span.text,
                             in_=_cap(IN[field]), in_other="subito dopo", n=dur.years, m=m)
    first = card.first
    own, table = first.get("tempi") or "", (row or {}).get("tempi") or ""
    for word_text, years_text, place, other in ((own, table, IN["tempi"], IN["tabella"]),
                                                (table, own, IN["tabella"], IN["tempi"])):
        alone = [d for d in durations(word_text) if d.span is None]
        if not alone:
            continue
        span = years_of(word_text) or years_of(years_text)
        if span is None:
            continue
        source = word_text if years_of(word_text) else years_text
        m = span[1] - span[0] + 1
        if m != alone[0].years:
            yield F.make("durata-diversa-dagli-anni", objective=n, sheet=sheet, cell=first.get("cell_tempi", ""),
                         found=word_text, expected=source, in_=_cap(place),
                         in_other="nello stesso testo" if source is word_text else other, n=alone[0].years, m=m)
            break


# ---- weights due after the plan year ---------------------------------------------------------

def _weight_after_year(card: Card, n, sheet, year: int):
    first = card.first
    soglia = next((r["soglia_pct"] for r in card.rows if r.get("soglia_pct") is not None), None)
    weights = [r["peso_pct"] for r in card.rows if r.get("peso_pct") is not None]
    if soglia is None or not weights:
        return
    plan_steps = steps(first.get("fasi") or "")
    later = []
    for r in card.rows:
        if r.get("peso_pct") is None:
            continue
        due, why = _due(r, plan_steps)
        if due is not None and due > year:
            later.append((r, why))
    if not later:
        return
    later_weight = sum((r["peso_pct"] for r, _ in later), Decimal(0))
    reachable = sum(weights, Decimal(0)) - later_weight
    if reachable >= soglia:
        return
    yield F.make("peso-oltre-l-anno", objective=n, sheet=sheet, cell=first.get("cell_soglia_pct", ""),
                 found=f"{num(reachable)}%", expected=f"{num(soglia)}%", year=year, later=_pct(later_weight),
                 reachable=_pct(reachable), soglia=_pct(soglia, "di"),
                 subject=_subject([f"«{_short(r['indicatore'])}»" for r, _ in later],
                                  [r["peso_pct"] for r, _ in later]),
                 due=_grouped(why for _, why in later))


def _subject(names: list[str], weights: list[Decimal]) -> str:
    if len(names) == 1:
        return f"L'indicatore {names[0]} pesa"
    names = [f"{name} ({num(w)}%)" for name, w in zip(names, weights)]
    return f"Gli indicatori {', '.join(names[:-1])} e {names[-1]} pesano"


def _grouped(whys) -> str:
    """[(place, quote)] -> "«a» e «b» nelle fasi di attuazione; «c» nel nome dell'indicatore"."""
    by_place: dict[str, list[str]] = {}
    for place, quote in whys:
        by_place.setdefault(place, []).append(f"«{quote}»")
    return "; ".join(f"{', '.join(q[:-1]) + ' e ' if len(q) > 1 else ''}{q[-1]} {place}"
                     for place, q in by_place.items())


def _short(text: str, limit: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _due(r: dict, plan_steps) -> tuple[int | None, tuple[str, str]]:
    """The year an indicator is due: a deadline in its own texts, else a single year in its name
    ("… SUE 2025"), else the year of the phase step its name repeats."""
    own = [(d, f) for f in ROW_FIELDS for d in dates(r.get(f) or "") if d.sets_time and d.last.year]
    if own:
        d, f = max(own, key=lambda pair: pair[0].last.year)
        return d.last.year, (IN[f], d.text)
    plain = {d.last.year for d in dates(r.get("indicatore") or "")
             if d.when == When.PLAIN and not d.is_span and d.last.year}
    if len(plain) == 1:
        y = plain.pop()
        return y, (IN["indicatore"], str(y))
    step = step_named(r.get("indicatore") or "", plan_steps) if plan_steps else None
    if step is not None and step.year is not None:
        due = step.due if step.due in step.text else f"{step.due}: {_short(step.text, 50)}"
        return step.year, (IN["fasi"], due)
    return None, ("", "")
