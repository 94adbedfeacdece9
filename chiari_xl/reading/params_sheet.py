"""The `Parametri` sheet: its labels, and reading PlanParams from it.

Labels are matched loosely (case, accents, punctuation), so a person can retype them.
The same labels are used by the writers, so a written workbook reads back the same.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.reading.grid import Grid
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.model.params import (CATEGORIES, Bracket, GroupShare, HourBand, Payout, PlanParams, Rounding, YEAREND_PARAMS,
                                    SplitRule, category_key, category_label)
from chiari_xl.text import clean, norm

KINDS = [
    Kind("parametro-predefinito", Severity.INFO, "Parametro preso dal regolamento",
         "Il foglio Parametri non indica «{field}»: uso il valore predefinito {expected}.",
         todo="Se il piano usa valori diversi da quelli del regolamento, scriverli nel foglio Parametri."),
    Kind("parametri-da-confermare", Severity.WARNING, "Parametri ancora da confermare",
         "Il foglio Parametri è segnato «da confermare»: le cifre del fondo sono state dedotte "
         "dagli importi scritti e non ancora verificate con la delibera. Dopo averle verificate "
         "scrivere «confermati» in questa cella.",
         todo="Verificare le cifre del fondo con la delibera, poi scrivere «confermati» nella cella."),
]

SHEET = "Parametri"

# scalar parameters: attribute -> label in column A
SCALARS = {
    "year": "Anno del piano",
    "fund_total": "Importo massimo dei premi",
    "fund_assigned": "Attribuito ai settori con progettualità finanziate",
    "fund_reserve": "Riserva per ulteriori progettualità",
    "fund_welfare": "Altre politiche retributive (welfare)",
    "general_pool": "Fondo obiettivi generali e intersettoriali",
    "all_staff_coeff": "Coefficiente per tutto il personale dipendente",
    "rounding": "Arrotondamento degli importi",
    "payout": "Pagamento a fine anno",
    "to_confirm": "Stato dei parametri",
    # year end: from the objectives' amounts to each person (yearend/)
    "split_rule": "Riparto di un obiettivo tra i dipendenti",
    "event_objective": "Obiettivo pagato a presenze agli eventi",
    "event_uplift": "Maggiorazione % per servizio notturno o festivo",
    "payroll_item": "Voce del cedolino",
}
TO_CONFIRM, CONFIRMED = "da confermare", "confermati"
YEAREND_SCALARS = ("split_rule", "event_objective", "event_uplift", "payroll_item")
# tables: attribute -> header labels
T_WEIGHTS = ("Strategicità", "Peso")
T_BRACKETS = ("N. dipendenti da", "a", "Coefficiente", "Origine")
T_FIXED = ("Obiettivo n. (importo fissato dalla Giunta)", "Importo", "Motivo")
T_SECTORS = ("Settore", "Peso del settore")
T_BANDS = ("Presenze a eventi: ore fino a", "Importo")
T_GROUPS = ("Obiettivo n. (riparto per gruppi)", "Gruppo", "Quota", "Aree")
# the plan's own words for the year-end rules, printed beside them
QUOTE_SPLIT = ("Il piano rinvia al «Sistema di misurazione, valutazione e trasparenza delle prestazioni», "
               "che non ne riporta la formula: regola predefinita del programma, modificabile.")
QUOTE_EVENTS = ("Scheda 3: «€.40,00 fino a 2 ore; €.60,00 fino a 4 ore €.80,00 fino a 6 ore; €.100,00 fino "
                "a 8 ore; €.140,00 fino a 10 ore (limite innalzato del 15% per prestazioni notturne e/o "
                "festive)» - «tutto nei limiti dell'importo assegnato».")
QUOTE_GROUPS = ("Scheda 4: «Riparto attività: - di 2/3 per Area Polizia Locale; - 1/3 suddiviso tra il "
                "personale delle altre aree». Aree: nomi separati da «;»; «altre aree» = chi non è negli "
                "altri gruppi. Le quote di un obiettivo si ripartiscono in proporzione.")
RULE_3 = ("Totale coeff. = peso (regola 1) × coefficiente per dipendenti (regola 2), per esempio "
          "20 × 1,50 = 30: non ha valori da impostare. Gli obiettivi con un importo fissato dalla Giunta "
          "non hanno totale coeff.: restano fuori dalla ripartizione in proporzione.")
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
EXTENSION_LABEL = "estensione del piano"
REGULATION_LABEL = "regolamento"

_SCALAR_KEYS = {norm(label): attr for attr, label in SCALARS.items()}
_SCALAR_ALIASES = {
    "importo massimo": "fund_total", "attribuito ai settori": "fund_assigned",
    "riserva": "fund_reserve", "welfare": "fund_welfare", "altre politiche retributive": "fund_welfare",
    "fondo obiettivi generali": "general_pool", "fondo generali": "general_pool",
    "arrotondamento": "rounding", "pagamento": "payout", "anno": "year",
    "tutto il personale": "all_staff_coeff", "stato dei parametri": "to_confirm",
    "maggiorazione": "event_uplift", "voce del cedolino": "payroll_item",
    "obiettivo pagato a presenze": "event_objective", "riparto di un obiettivo": "split_rule",
}


def _scalar_attr(label: str) -> str | None:
    key = norm(label)
    if not key:
        return None
    if key in _SCALAR_KEYS:
        return _SCALAR_KEYS[key]
    for alias, attr in _SCALAR_ALIASES.items():
        if key.startswith(alias) or (alias in key and attr != "year"):
            return attr
    return None


def _rounding(value) -> Rounding | None:
    t = norm(value)
    if "rest" in t or "largest" in t:
        return Rounding.LARGEST_REMAINDER
    if "eccesso" in t or "half" in t or "meta" in t or "centesimo" in t:
        return Rounding.HALF_UP
    return None


def _payout(value) -> Payout | None:
    t = norm(value)
    if "tutto" in t or "niente" in t or "all" in t:
        return Payout.ALL_OR_NOTHING
    if "proporz" in t or "proportional" in t:
        return Payout.PROPORTIONAL
    return None


def _to_confirm(value) -> bool:
    t = norm(value)
    return "da confermare" in t or "non confermat" in t


def _split_rule(value) -> SplitRule | None:
    t = norm(value)
    if not t:
        return None
    return SplitRule.WITH_SCORE if ("punteggio" in t or "score" in t or "valutazione" in t) else SplitRule.PARTICIPATION


def quota_text(q: Fraction) -> str:
    """2/3 -> '2/3', 1 -> '1': how a group's quota is written on Parametri."""
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _quota(grid: Grid, r: int, c: int, found: list) -> Fraction | None:
    raw = grid.value(r, c)
    m = _FRACTION.match(raw) if isinstance(raw, str) else None
    if m and int(m.group(2)):
        return Fraction(int(m.group(1)), int(m.group(2)))
    value = _number(grid, r, c, found, "quota del gruppo")
    return None if value is None else Fraction(value)


def _table_rows(grid: Grid, header_row: int, col: int):
    """Rows under a table header until the first row with a blank first cell."""
    r = header_row + 1
    while r < grid.n_rows and clean(grid.value(r, col)):
        yield r
        r += 1


def read_params(grid: Grid | None) -> tuple[PlanParams, list[F.Finding]]:
    """PlanParams from a Parametri grid; regulation defaults (and info findings) for what is missing."""
    params = PlanParams()
    found: list[F.Finding] = []
    if grid is None:
        params.defaults_used = ["weights", "brackets"]
        found.append(F.make("parametro-predefinito", sheet=SHEET, field="tabelle di pesi e coefficienti",
                            expected="del regolamento"))
        return params, found
    seen: set[str] = set()
    for r in range(grid.n_rows):
        row = grid.rows[r]
        for c, value in enumerate(row):
            label = norm(value)
            if not label:
                continue
            where = f"{grid.name}!{Grid.a1(r, c + 1)}"
            if label == norm(T_WEIGHTS[0]) and norm(grid.value(r, c + 1)).startswith("peso"):
                weights = {}
                for rr in _table_rows(grid, r, c):
                    key = category_key(grid.value(rr, c))
                    val = _number(grid, rr, c + 1, found, "peso della strategicità")
                    if key and val is not None:
                        weights[key] = val
                if weights:
                    params.weights = {k: weights.get(k, params.weights[k]) for k in CATEGORIES}
                    params.source["weights"] = f"{grid.name}!{Grid.a1(r, c)}"
                    seen.add("weights")
                break
            if label == norm(T_BRACKETS[0]):
                brackets = []
                for rr in _table_rows(grid, r, c):
                    low = _number(grid, rr, c, found, "fascia di dipendenti")
                    high = _number(grid, rr, c + 1, found, "fascia di dipendenti")
                    coeff = _number(grid, rr, c + 2, found, "coefficiente")
                    if low is None or coeff is None:
                        continue
                    brackets.append(Bracket(int(low), None if high is None else int(high), coeff,
                                            extension=norm(grid.value(rr, c + 3)).startswith("estensione")))
                if brackets:
                    params.brackets = sorted(brackets, key=lambda b: b.low)
                    params.source["brackets"] = f"{grid.name}!{Grid.a1(r, c)}"
                    seen.add("brackets")
                break
            if label == norm(T_FIXED[0]) or label.startswith("obiettivo n importo fissato"):
                for rr in _table_rows(grid, r, c):
                    n = _number(grid, rr, c, found, "numero dell'obiettivo")
                    amount = _number(grid, rr, c + 1, found, "importo fissato")
                    if n is not None and amount is not None:
                        params.fixed[int(n)] = amount
                params.source["fixed"] = f"{grid.name}!{Grid.a1(r, c)}"
                seen.add("fixed")
                break
            if label == norm(T_SECTORS[0]) and norm(grid.value(r, c + 1)).startswith("peso"):
                for rr in _table_rows(grid, r, c):
                    w = _number(grid, rr, c + 1, found, "peso del settore")
                    if w is not None:
                        params.sector_weights[clean(grid.value(rr, c))] = w
                params.source["sector_weights"] = f"{grid.name}!{Grid.a1(r, c)}"
                seen.add("sector_weights")
                break
            if label == norm(T_BANDS[0]):
                bands = []
                for rr in _table_rows(grid, r, c):
                    up_to = _number(grid, rr, c, found, "ore della fascia")
                    amount = _number(grid, rr, c + 1, found, "importo della fascia")
                    if up_to is not None and amount is not None:
                        bands.append(HourBand(up_to, amount))
                if bands:
                    params.event_bands = sorted(bands, key=lambda b: b.up_to)
                    params.source["event_bands"] = f"{grid.name}!{Grid.a1(r, c)}"
                    seen.add("event_bands")
                break
            if label == norm(T_GROUPS[0]):
                for rr in _table_rows(grid, r, c):
                    n = _number(grid, rr, c, found, "numero dell'obiettivo")
                    quota = _quota(grid, rr, c + 2, found)
                    if n is not None and quota is not None:
                        params.group_splits.append(GroupShare(int(n), clean(grid.value(rr, c + 1)), quota,
                                                              clean(grid.value(rr, c + 3))))
                params.source["group_splits"] = f"{grid.name}!{Grid.a1(r, c)}"
                seen.add("group_splits")
                break
            attr = _scalar_attr(value) if c == 0 or not clean(row[0]) else None
            if attr and attr not in seen:
                raw = grid.value(r, c + 1)
                if attr == "rounding":
                    val = _rounding(raw)
                elif attr == "payout":
                    val = _payout(raw)
                elif attr == "to_confirm":
                    val = _to_confirm(raw)
                elif attr == "split_rule":
                    val = _split_rule(raw)
                elif attr == "payroll_item":
                    val = clean(raw) or None
                else:
                    val = _number(grid, r, c + 1, found, SCALARS[attr])
                    if attr in ("year", "event_objective") and val is not None:
                        val = int(val)
                if val is not None:
                    setattr(params, attr, val)
                    params.source[attr] = where
                    seen.add(attr)
                break
    for attr, label in [("weights", "tabella dei pesi di strategicità"),
                        ("brackets", "tabella dei coefficienti per dipendenti")]:
        if attr not in seen:
            params.defaults_used.append(attr)
            found.append(F.make("parametro-predefinito", sheet=grid.name, field=label,
                                expected="del regolamento"))
    if params.to_confirm:
        found.append(F.make("parametri-da-confermare", sheet=grid.name,
                            cell=params.source["to_confirm"].split("!")[-1]))
    # year-end parameters: their defaults are said by the year-end run, which alone uses them
    params.yearend_defaults = [a for a in YEAREND_PARAMS if a not in seen]
    # fund figures the sheet lacks are inferred from the table, or said not checked (infer_params)
    return params, found


def _number(grid: Grid, r: int, c: int, found: list, field: str) -> Decimal | None:
    raw = grid.value(r, c)
    try:
        return to_decimal(raw)
    except NotANumber:
        found.append(F.make("valore-non-numerico", sheet=grid.name, cell=Grid.a1(r, c),
                            found=clean(raw), field=field))
        return None


def layout(params: PlanParams) -> list[tuple[str, list]]:
    """The Parametri sheet as rows of (role, values), shared by every writer.

    Roles: 'title', 'note', 'quote' (the plan's words for a rule), 'blank', 'section', 'scalar:<attr>',
    'header:<table>', 'row:<table>' with table in weights, brackets, fixed, sectors, bands, groups.
    """
    rows: list[tuple[str, list]] = []
    add = lambda role, *values: rows.append((role, list(values)))  # noqa: E731
    title = "Parametri del piano di performance organizzativa"
    add("title", f"{title} {params.year}" if params.year else title)
    add("note", "Valori usati per tutti i calcoli: modificarli qui, non nelle formule.")
    if params.inferred or params.to_confirm or "to_confirm" in params.source:
        add("note", "Le cifre del fondo sono state dedotte da chiari-xl dagli importi della tabella: "
                    "verificarle con la delibera, completare le celle vuote e poi scrivere "
                    f"«{CONFIRMED}» qui sotto.")
        add("scalar:to_confirm", SCALARS["to_confirm"],
            TO_CONFIRM if params.inferred or params.to_confirm else CONFIRMED)
    add("blank")
    add("section", "Regola 1 - Peso per strategicità")
    add("header:weights", *T_WEIGHTS)
    for key in CATEGORIES:
        add("row:weights", category_label(key), params.weights[key])
    add("blank")
    add("section", "Regola 2 - Coefficiente per numero di dipendenti coinvolti")
    add("header:brackets", *T_BRACKETS)
    for b in params.brackets:
        add("row:brackets", b.low, b.high, b.coeff, EXTENSION_LABEL if b.extension else REGULATION_LABEL)
    add("blank")
    add("scalar:all_staff_coeff", SCALARS["all_staff_coeff"], params.all_staff_coeff)
    add("blank")
    add("section", "Regola 3 - Totale coefficiente")
    add("note", RULE_3)
    add("blank")
    add("section", "Regola 4 - Fondo e ripartizione")
    for attr in ("year", "fund_total", "fund_assigned", "fund_reserve", "fund_welfare", "general_pool"):
        add(f"scalar:{attr}", SCALARS[attr], getattr(params, attr))
    add("blank")
    add("header:fixed", *T_FIXED)
    reason = ("importo senza peso né coefficiente" if "fixed" in params.inferred
              else "importo assegnato dalla Giunta Comunale")
    for n, amount in params.fixed.items():
        add("row:fixed", n, amount, reason)
    if not params.fixed:  # keeps the table (and the formulas' ranges) in place, empty
        add("row:fixed", None, None, "")
    add("blank")
    add("header:sectors", *T_SECTORS)
    for name, w in params.sector_weights.items():
        add("row:sectors", name, w)
    if not params.sector_weights:
        add("row:sectors", None, None)
    add("blank")
    add("section", "Arrotondamento e pagamento")
    add("scalar:rounding", SCALARS["rounding"], params.rounding.label)
    add("scalar:payout", SCALARS["payout"], params.payout.label)
    add("blank")
    add("section", "Fine anno - riparto tra i dipendenti")
    add("scalar:split_rule", SCALARS["split_rule"], params.split_rule.label)
    add("quote", QUOTE_SPLIT)
    add("scalar:payroll_item", SCALARS["payroll_item"], params.payroll_item)
    add("scalar:event_objective", SCALARS["event_objective"], params.event_objective)
    add("scalar:event_uplift", SCALARS["event_uplift"], params.event_uplift)
    add("quote", QUOTE_EVENTS)  # above its table: a table is read down to its first blank row
    add("header:bands", *T_BANDS)
    for band in params.event_bands:
        add("row:bands", band.up_to, band.amount)
    add("blank")
    add("quote", QUOTE_GROUPS)
    add("header:groups", *T_GROUPS)
    for g in params.group_splits:
        add("row:groups", g.objective, g.group, quota_text(g.quota), g.areas)
    if not params.group_splits:
        add("row:groups", None, None, None, None)
    return rows
