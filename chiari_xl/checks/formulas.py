"""Audit of the formulas of the objectives table: the spreadsheet mistakes numbers do not show.

The office keeps TOTALE COEFF. as `=peso*coeff`, the amounts as `=ROUND(pool*total/SUM(..),2)`
and the totals as SUMs. What goes wrong there (the spreadsheet-smell literature, PerfectXL) is
structural: one row's formula unlike its column's after a copy-paste, a number typed over a
formula, a reference to the row below, a SUM that misses the last row or counts the total row,
a parameter typed into a formula, a value saved without recalculation. Each is found by a
general rule on the formulas themselves (openpyxl's tokenizer and translator, the `formulas`
engine for values), never by knowing which row is wrong.

Peer groups: a formula is compared with the formulas of its column in the rows paid from the
same pool for the amount (each pool has its own fund cell and its own SUM), in all the rows
but the Giunta's fixed amounts for the other columns. Only a clear majority (at least two rows, more than half) sets a pattern.
"""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal


from chiari_xl import findings as F
from chiari_xl.checks.context import Context
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.money import euro
from chiari_xl.model.params import FIXED_POOL
from chiari_xl.reading.evaluate import CannotEvaluate, pattern_keys, translate
from chiari_xl.reading.grid import Grid
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.reading.plan import FIELD_IT
from chiari_xl.text import norm, num

KINDS = [
    Kind("riferimento-altra-riga", Severity.ERROR, "Formula che legge un'altra riga",
         "La formula {found} di {field} legge {other}, che è la riga di un altro obiettivo: "
         "ci si aspetta {expected}.",
         todo="Correggere la formula perché legga la propria riga."),
    Kind("somma-righe-mancanti", Severity.ERROR, "Somma che non comprende tutte le righe",
         "La somma {found} non comprende {missing}: ci si aspetta {expected}.",
         todo="Estendere la somma a tutte le righe."),
    Kind("somma-include-totale", Severity.ERROR, "Somma che comprende la riga del totale",
         "La somma {found} comprende la riga {total_row} del totale: ci si aspetta {expected}.",
         todo="Togliere la riga del totale dalla somma."),
    Kind("formula-incoerente", Severity.WARNING, "Formula diversa da quella della colonna",
         "La formula {found} di {field} è diversa da quella delle altre righe della colonna, "
         "che qui sarebbe {expected}.",
         todo="Verificare la formula e, se è un errore, copiarla da un'altra riga della colonna."),
    Kind("numero-su-formula", Severity.WARNING, "Numero scritto al posto della formula",
         "In {field} le altre righe hanno una formula, qui è scritto il numero {found}: la "
         "formula della colonna darebbe {expected}.",
         todo="Rimettere nella cella la formula della colonna al posto del numero."),
    Kind("costante-in-formula", Severity.WARNING, "Parametro scritto dentro la formula",
         "La formula {found} contiene il numero {constant}, che nel piano è un parametro "
         "({parameter}): se il parametro cambia la formula resta indietro. Usare un riferimento "
         "a {expected}.",
         todo="Sostituire nella formula il numero con il riferimento alla cella del parametro."),
    Kind("valore-non-ricalcolato", Severity.WARNING, "Valore salvato diverso da quello della formula",
         "La cella mostra {found}, ma la sua formula {formula} oggi dà {expected}: il file è stato "
         "salvato senza ricalcolare. Ricalcolare in Excel (F9) e salvare.",
         todo="Aprire il file in Excel, ricalcolare (F9), salvare e rifare il controllo."),
]

AUDITED = ("n_dip", "peso", "coeff", "total_coeff", "amount")
_ROUND_FUNCS = ("ROUND(", "ROUNDUP(", "ROUNDDOWN(", "MROUND(", "TRUNC(", "ARROTONDA(")
_NEUTRAL = (Decimal(0), Decimal(1), Decimal(100))


def check(ctx: Context):
    engine = ctx.plan.formulas
    if engine is None:
        return
    grid = engine.grids.get(ctx.sheet)
    if grid is None or not grid.formulas:
        return
    audit = _Audit(ctx, engine, grid)
    yield from audit.run()


class _Audit:
    def __init__(self, ctx: Context, engine, grid: Grid):
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
        self.ctx, self.engine, self.grid = ctx, engine, grid
        self.records = [rec for _, rec in ctx.objectives()]
        self.rows = {rec["row"] for rec in self.records}  # 1-based rows of the objectives
        self.total_row = (ctx.plan.total_row or {}).get("row")
        self.cols = {}
        for f in AUDITED:
            cell = next((rec.get(f"cell_{f}") for rec in self.records if rec.get(f"cell_{f}")), "")
            if cell:
                self.cols[f] = column_index_from_string(coordinate_from_string(cell)[0]) - 1
        self.flagged: set[str] = set()  # cells with a structural finding already
        self.key_of: dict[tuple[int, int], str] = {}  # (r, c) -> R1C1 key, filled by _keys
        self.pool_rows: dict = {}
        for rec in self.records:
            if rec.get("pool") not in (None, FIXED_POOL):
                self.pool_rows.setdefault(rec["pool"], set()).add(rec["row"])

    def run(self):
        found = []
        for field, c in self.cols.items():
            for rec in self.records:
                found.extend(self._cell_structure(field, rec, c))
            found.extend(self._total_structure(field, c))
        for field, c in self.cols.items():
            for group in self._groups(field):
                found.extend(self._column(field, c, group))
        found.extend(self._constants())
        found.extend(self._stale())
        return found

    # -- helpers -----------------------------------------------------------------------------
    def _groups(self, field):
        if field != "amount":  # the Giunta's objectives have no use for weights and totals
            return [[rec for rec in self.records if rec.get("pool") != FIXED_POOL]]
        by_pool: dict = {}
        for rec in self.records:
            by_pool.setdefault(rec.get("pool") or "", []).append(rec)
        return list(by_pool.values())

    def _effect(self, field, rec, value) -> Decimal | None:
        """Euro change for the objective if the cell held `value` instead of what it holds."""
        new = _decimal(value)
        if new is None or rec is None:
            return None
        if field == "amount":
            return None if rec["amount"] is None else new - rec["amount"]
        peso, coeff = rec.get("peso"), rec.get("coeff")
        total = {"total_coeff": new, "peso": new * coeff if coeff is not None else None,
                 "coeff": peso * new if peso is not None else None}.get(field)
        if total is None or rec.get("total_coeff") is None:
            return None
        return self.ctx.effect_of_total(rec, total)

    def _value_of(self, formula, r, c):
        try:
            return self.engine.evaluate(self.grid.name, formula, r, c)
        except CannotEvaluate:
            return None

    def _make(self, code, rec, r, c, formula, field, **kw):
        cell = Grid.a1(r, c)
        self.flagged.add(cell)
        return F.make(code, objective=rec["n"] if rec else None, sheet=self.grid.name, cell=cell,
                      formula=formula, field=FIELD_IT.get(field, field), **kw)

    # -- references to other rows, SUM ranges ------------------------------------------------
    def _cell_structure(self, field, rec, c):
        r = rec["row"] - 1
        formula = self.grid.formula(r, c)
        if not formula:
            return
        tokens = _tokens(formula)
        if tokens is None:
            return
        for ref, func in _references(tokens):
            parsed = _parse_ref(ref, self.grid.name)
            if parsed is None:
                continue
            c1, r1, c2, r2 = parsed
            if r1 == r2 and c1 == c2 and r1 in self.rows and r1 != rec["row"]:
                expected = self._pattern_for(field, rec, c) or f"i riferimenti alla riga {rec['row']}"
                value = self._value_of(expected, r, c) if expected.startswith("=") else None
                yield self._make("riferimento-altra-riga", rec, r, c, formula, field, found=formula,
                                 expected=expected, other=f"{Grid.a1(r1 - 1, c1 - 1)}",
                                 euro_effect=self._effect(field, rec, value))
                return
            if func == "SUM(" and rec.get("pool") in self.pool_rows:
                hit = self._sum_range(field, rec, r, c, formula, ref, (c1, r1, c2, r2),
                                      self.pool_rows[rec["pool"]])
                if hit is not None:
                    yield hit
                    return

    def _total_structure(self, field, c):
        if self.total_row is None:
            return
        r = self.total_row - 1
        formula = self.grid.formula(r, c)
        tokens = _tokens(formula) if formula else None
        if not tokens:
            return
        for ref, func in _references(tokens):
            parsed = _parse_ref(ref, self.grid.name)
            if parsed is None or func != "SUM(":
                continue
            hit = self._sum_range(field, None, r, c, formula, ref, parsed, self.rows)
            if hit is not None:
                yield hit
                return

    def _sum_range(self, field, rec, r, c, formula, ref, bounds, wanted: set[int]):
        c1, r1, c2, r2 = bounds
        if c1 != c2 or r1 == r2:
            return None
        lo, hi = min(wanted), max(wanted)
        if r2 < lo or r1 > hi:
            return None  # a sum of something else
        counts_total = self.total_row is not None and r1 <= self.total_row <= r2
        missing = [] if r1 <= lo and r2 >= hi else sorted(w for w in wanted if not r1 <= w <= r2)
        if not counts_total and not missing:
            return None
        fixed_ref = _with_rows(ref, lo, hi)
        expected = formula.replace(ref, fixed_ref, 1)
        value = self._value_of(expected, r, c)
        now = self.grid.value(r, c)
        effect = None
        if field == "amount" and _decimal(value) is not None and _decimal(now) is not None:
            effect = _decimal(value) - _decimal(now)
        if counts_total:
            return self._make("somma-include-totale", rec, r, c, formula, field, found=formula,
                              expected=expected, total_row=self.total_row, euro_effect=effect)
        return self._make("somma-righe-mancanti", rec, r, c, formula, field, found=formula,
                          expected=expected, missing=_rows_text(missing), euro_effect=effect)

    def _pattern_for(self, field, rec, c) -> str:
        """The formula of the column's pattern, as it reads in rec's row ('' if no pattern)."""
        for group in self._groups(field):
            if rec in group:
                pattern = self._dominant(c, group)
                if pattern is not None:
                    text, origin = pattern
                    return translate(text, origin, (rec["row"] - 1, c))
        return ""

    # -- the column pattern ------------------------------------------------------------------
    def _dominant(self, c, group):
        """(formula, (r, c)) of the pattern most rows of the group follow, or None."""
        cells = [(rec["row"] - 1, c) for rec in group if self.grid.formula(rec["row"] - 1, c)]
        if len(cells) < 2:
            return None
        keys = self._keys(cells)
        key, count = Counter(keys.values()).most_common(1)[0]
        if count < 2 or count * 2 <= len(cells):
            return None
        origin = next(rc for rc in cells if keys[rc] == key)
        return self.grid.formulas[origin], origin

    def _keys(self, cells):
        """R1C1 keys of the formulas of the cells (remembered for the constants' audit)."""
        keys = pattern_keys({rc: self.grid.formulas[rc] for rc in cells})
        self.key_of.update(keys)
        return keys

    def _column(self, field, c, group):
        pattern = self._dominant(c, group)
        if pattern is None:
            return
        text, origin = pattern
        cells = {rec["row"] - 1: rec for rec in group}
        keys = self._keys([(r, c) for r in cells if self.grid.formula(r, c)])
        key = keys[origin]
        n_formulas = len(keys)
        typed = {r for r in cells if not self.grid.formula(r, c) and _is_number(self.grid.value(r, c))}
        for r, rec in cells.items():
            cell = Grid.a1(r, c)
            if cell in self.flagged:
                continue
            formula = self.grid.formula(r, c)
            if formula and keys[(r, c)] == key:
                continue
            expected = translate(text, origin, (r, c))
            if formula:
                if _has_constant(formula, self._parameter_values()):
                    continue  # said by costante-in-formula, which tells what to do
                value = self._value_of(expected, r, c)
                yield self._make("formula-incoerente", rec, r, c, formula, field, found=formula,
                                 expected=expected, euro_effect=self._effect(field, rec, value))
            elif not formula and n_formulas > len(typed) and r in typed:
                value = self._value_of(expected, r, c)
                shown = f"{expected} = {_show(field, value)}" if value is not None else expected
                yield self._make("numero-su-formula", rec, r, c, "", field,
                                 found=_show(field, self.grid.value(r, c)), expected=shown,
                                 euro_effect=self._effect(field, rec, value))

    # -- parameters typed into formulas ------------------------------------------------------
    def _parameter_values(self) -> dict[Decimal, str]:
        if hasattr(self, "_params_cache"):
            return self._params_cache
        p = self.ctx.params
        out: dict[Decimal, str] = {}
        src = p.source
        if "weights" in src:
            for key, w in p.weights.items():
                out.setdefault(Decimal(w), f"peso «{key}»")
        if "brackets" in src:
            for b in p.brackets:
                out.setdefault(Decimal(b.coeff), f"coefficiente per {b.label}")
        for attr, label in (("all_staff_coeff", "coefficiente per tutto il personale"),
                            ("fund_total", "importo massimo dei premi"), ("fund_assigned", "fondo attribuito"),
                            ("fund_reserve", "riserva"), ("fund_welfare", "welfare"),
                            ("general_pool", "fondo obiettivi generali e intersettoriali")):
            if attr in src and getattr(p, attr) is not None:
                out.setdefault(Decimal(getattr(p, attr)), label)
        if "fixed" in src:
            for n, amount in p.fixed.items():
                out.setdefault(Decimal(amount), f"importo fissato dalla Giunta per l'obiettivo {n}")
        if "sector_weights" in src:
            for name, w in p.sector_weights.items():
                out.setdefault(Decimal(w), f"peso del settore {name}")
        if p.amounts_ready and "sector_weights" in src:
            for name, money in p.pool_amounts().items():
                out.setdefault(round(Decimal(money.numerator) / Decimal(money.denominator), 2), f"fondo «{name}»")
        for neutral in _NEUTRAL:
            out.pop(neutral, None)
        self._params_cache = out
        return out

    def _parameter_cell(self, value: Decimal) -> str:
        for grid in self.engine.grids.values():
            if not norm(grid.name).startswith("parametri"):
                continue
            for r, row in enumerate(grid.rows):
                for c, v in enumerate(row):
                    if _is_number(v) and _decimal(v) == value:
                        return f"{grid.name}!{Grid.a1(r, c)}"
        return "la cella del parametro"

    def _constants(self):
        params = self._parameter_values()
        if not params:
            return
        rows = [(rec["row"] - 1, rec) for rec in self.records]
        if self.total_row is not None:
            rows.append((self.total_row - 1, None))
        seen: dict[str, object] = {}  # a pattern's numbers are the same in all its rows
        for field, c in self.cols.items():
            for r, rec in rows:
                formula = self.grid.formula(r, c)
                if not formula:
                    continue
                key = self.key_of.get((r, c))
                if key is None:
                    hit = _has_constant(formula, params)
                elif key in seen:
                    hit = seen[key]
                else:
                    hit = seen[key] = _has_constant(formula, params)
                if hit is None:
                    continue
                constant, label = hit
                yield self._make("costante-in-formula", rec, r, c, formula, field, found=formula,
                                 expected=self._parameter_cell(constant), constant=num(constant),
                                 parameter=label)

    # -- cached values that are not what the formula gives -----------------------------------
    def _stale(self):
        cells = []
        for c in self.cols.values():
            cells += [(rec["row"] - 1, c) for rec in self.records]
            if self.total_row is not None:
                cells.append((self.total_row - 1, c))
        by_row = {rec["row"] - 1: rec for rec in self.records}
        field_of = {c: f for f, c in self.cols.items()}
        cells = [rc for rc in cells if self.grid.formula(*rc) and (self.grid.name, *rc) not in self.engine.computed]
        if not cells:
            return
        for (r, c), now in self.engine.evaluate_column(self.grid.name, cells).items():
            if isinstance(now, CannotEvaluate):
                continue
            saved = self.grid.value(r, c)
            if _same(saved, now):
                continue
            field, rec = field_of[c], by_row.get(r)
            effect = None
            if field == "amount" and _decimal(now) is not None and _decimal(saved) is not None:
                effect = _decimal(now) - _decimal(saved)
            formula = self.grid.formula(r, c)
            yield self._make("valore-non-ricalcolato", rec, r, c, formula, field, found=_show(field, saved),
                             expected=_show(field, now), euro_effect=effect)


# -- formula text helpers ----------------------------------------------------------------------
def _tokens(formula: str):
    from openpyxl.formula.tokenizer import Tokenizer
    try:
        return Tokenizer(formula).items
    except Exception:  # noqa: BLE001 - openpyxl cannot tokenize it: nothing to audit structurally
        return None


def _references(tokens):
    """(reference text, innermost function 'SUM(' or '') for each cell or range operand."""
    stack: list[str] = []
    for tok in tokens:
        if tok.type == "FUNC" and tok.subtype == "OPEN":
            stack.append(tok.value.upper())
        elif tok.type == "FUNC" and tok.subtype == "CLOSE":
            if stack:
                stack.pop()
        elif tok.type == "OPERAND" and tok.subtype == "RANGE":
            yield tok.value, (stack[-1] if stack else "")


def _has_constant(formula: str, params: dict[Decimal, str]):
    """(value, parameter) of the first number in the formula that is a plan parameter, or None.

    The digits of ROUND and its kin are not parameters.
    """
    tokens = _tokens(formula)
    if not tokens or not params:
        return None
    stack: list[list] = []  # [function, argument index]
    for tok in tokens:
        if tok.type == "FUNC" and tok.subtype == "OPEN":
            stack.append([tok.value.upper(), 0])
        elif tok.type == "FUNC" and tok.subtype == "CLOSE":
            if stack:
                stack.pop()
        elif tok.type == "SEP" and tok.subtype == "ARG" and stack:
            stack[-1][1] += 1
        elif tok.type == "OPERAND" and tok.subtype == "NUMBER":
            if stack and stack[-1][0] in _ROUND_FUNCS and stack[-1][1] >= 1:
                continue
            try:
                value = Decimal(tok.value)
            except ArithmeticError:
                continue
            if value in params:
                return value, params[value]
    return None


def _parse_ref(ref: str, own_sheet: str):
    """(c1, r1, c2, r2), 1-based, of a reference to the table's own sheet; None otherwise."""
    from openpyxl.utils.cell import range_boundaries
    sheet, _, cells = ref.rpartition("!")
    if sheet and sheet.strip("'").replace("''", "'").upper() != own_sheet.upper():
        return None
    try:
        c1, r1, c2, r2 = range_boundaries(cells.replace("$", ""))
    except ValueError:
        return None  # a defined name
    if r1 is None or c1 is None:
        return None  # whole columns or rows
    return c1, r1, c2, r2


def _with_rows(ref: str, lo: int, hi: int) -> str:
    """`ref` (a one-column range such as N$6:N$31) with its rows set to lo..hi, keeping its $."""
    sheet, bang, cells = ref.rpartition("!")
    first, _, last = cells.partition(":")

    def row(part, n):
        letters = part.rstrip("0123456789").rstrip("$")
        dollar = "$" if part.rstrip("0123456789").endswith("$") else ""
        return f"{letters}{dollar}{n}"

    return f"{sheet}{bang}{row(first, lo)}:{row(last or first, hi)}"


def _rows_text(rows: list[int]) -> str:
    return ("la riga " if len(rows) == 1 else "le righe ") + ", ".join(str(r) for r in rows)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _decimal(v) -> Decimal | None:
    if not _is_number(v):
        return None
    try:
        return to_decimal(v)
    except NotANumber:
        return None


def _same(saved, now) -> bool:
    if _is_number(saved) and _is_number(now):
        a, b = float(saved), float(now)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if saved is None and now in (0, ""):
        return True
    return saved == now


def _show(field: str, value) -> str:
    d = _decimal(value)
    if d is None:
        return "" if value is None else str(value)
    return euro(d) if field == "amount" else num(d)


def attach_formulas(plan, found: list[F.Finding]) -> list[F.Finding]:
    """Each finding about one cell that holds a formula in the input carries that formula."""
    engine = plan.formulas
    if engine is None:  # a plan without formulas: nothing to attach, and no openpyxl to import
        return found
    from dataclasses import replace

    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    out = []
    for f in found:
        grid = engine.grids.get(f.sheet)
        if f.formula or grid is None or not f.cell or ":" in f.cell or "," in f.cell:
            out.append(f)
            continue
        try:
            col, row = coordinate_from_string(f.cell)
        except ValueError:
            out.append(f)
            continue
        formula = grid.formula(row - 1, column_index_from_string(col) - 1)
        out.append(replace(f, formula=formula) if formula else f)
    return out
