"""Evaluate the Excel formulas of a plan, to give a value to formulas saved without one.

A workbook written by a program that does not calculate (a script, an export, openpyxl, some
web tools) keeps `=L6*M6` but no number: read as it is, every total would be blank. The
`formulas` package (a pure-Python Excel engine) computes them here; LibreOffice, when it is
installed, recalculates the whole file for what that engine cannot do. The audit of the
formulas (checks/formulas.py) uses the same engine to see whether a cached value is still what
its formula gives.

Speed: compiling a formula costs ~1.5 ms and calling it ~0.3 ms, so a formula is compiled once
per pattern (its R1C1 form: `=L6*M6` and `=L7*M7` are one pattern) and a column of one pattern
is evaluated in one call on column vectors where the pattern allows it (relative references to
single cells only). The engine (numpy, scipy) is imported only when a plan has formulas.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from functools import cache
from pathlib import Path


from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.reading.grid import Grid

KINDS = [
    Kind("formula-calcolata", Severity.INFO, "Formule senza valore, calcolate da chiari-xl",
         "Le formule di {where} non avevano il valore calcolato (il file è stato salvato da un "
         "programma che non calcola le formule): i valori sono stati calcolati da chiari-xl{how}.",
         todo="Nessuna azione; per evitarlo basta aprire il file in Excel e salvarlo."),
    Kind("formula-non-calcolabile", Severity.ERROR, "Formula senza valore che non si riesce a calcolare",
         "La cella contiene la formula {found} ma non il suo valore, e chiari-xl non riesce a "
         "calcolarla ({reason}). Aprire il file in Excel e salvarlo: Excel calcola le formule e "
         "ne salva i valori.",
         todo="Aprire il file in Excel e salvarlo (Excel calcola le formule), poi rifare il controllo."),
]

ANCHOR_ROW = 1_000_000  # formulas are compared translated to this row: their R1C1 form, in A1 text
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class CannotEvaluate(Exception):
    """The engine cannot compute this formula (unknown function or name, a cycle, bad syntax)."""


def pattern_key(formula: str, r: int, c: int) -> str:
    """The formula as if written at row ANCHOR_ROW of its column: equal keys = equal R1C1 forms."""
    from openpyxl.formula.translate import Translator
    from openpyxl.utils.cell import get_column_letter
    return Translator(formula, origin=Grid.a1(r, c)).translate_formula(f"{get_column_letter(c + 1)}{ANCHOR_ROW}")


def pattern_keys(formulas: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """pattern_key of many cells of one column; cheap for the rows that are copies of the first
    (one translation each instead of a full tokenization)."""
    from openpyxl.formula.translate import Translator
    out: dict[tuple[int, int], str] = {}
    copy, first_key = None, ""
    for rc, formula in formulas.items():
        try:
            if copy is None:
                copy, first_key = Translator(formula, origin=Grid.a1(*rc)), pattern_key(formula, *rc)
                out[rc] = first_key
            elif copy.translate_formula(Grid.a1(*rc)) == formula:
                out[rc] = first_key
            else:
                out[rc] = pattern_key(formula, *rc)
        except Exception:  # noqa: BLE001 - a formula openpyxl cannot translate is its own pattern
            out[rc] = formula
    return out


def translate(formula: str, src: tuple[int, int], dst: tuple[int, int]) -> str:
    """`formula` of cell src as it reads copied to dst (0-based (row, col))."""
    from openpyxl.formula.translate import Translator
    return Translator(formula, origin=Grid.a1(*src)).translate_formula(Grid.a1(*dst))


@dataclass
class _Input:
    name: str
    sheet: str  # upper case
    c1: int  # 0-based, inclusive
    c2: int
    r1: int
    r2: int
    rel_rows: tuple[bool, bool]  # which row bounds move when the formula is copied down
    single: bool


@dataclass
class _Compiled:
    func: object
    origin: tuple[int, int]
    inputs: list[_Input]
    vector_ok: bool  # every moving input is one cell: a column can be evaluated in one call


@dataclass
class Engine:
    grids: dict[str, Grid]
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self._by_upper = {name.upper(): g for name, g in self.grids.items()}
        self._compiled: dict[tuple[str, str], _Compiled | CannotEvaluate] = {}
        self._busy: set[tuple[str, int, int]] = set()
        self._parser = None
        self._blocks: dict[tuple, object] = {}  # fixed ranges (SUM(N$6:N$32)) built once
        self.computed: set[tuple[str, int, int]] = set()  # (sheet, r, c) given a value here

    # -- values -----------------------------------------------------------------------------
    def value(self, sheet: str, r: int, c: int):
        """The cell's value; a formula saved without one is evaluated (and remembered)."""
        grid = self._by_upper.get(sheet.upper())
        if grid is None:
            raise CannotEvaluate(f"il foglio «{sheet}» non esiste")
        if (r, c) in grid.uncached:
            key = (grid.name, r, c)
            if key in self._busy:
                raise CannotEvaluate("riferimento circolare")
            self._busy.add(key)
            try:
                grid.set_value(r, c, self.evaluate(grid.name, grid.formulas[(r, c)], r, c))
            finally:
                self._busy.discard(key)
            grid.uncached.discard((r, c))
            self.computed.add(key)
        return grid.value(r, c)

    def evaluate(self, sheet: str, formula: str, r: int, c: int):
        """What `formula` gives written at (r, c) of `sheet`, as a cell value (number, text, bool, '#ERR')."""
        comp = self._compile(sheet, formula, r, c)
        args = [self._block(sheet, i, r - comp.origin[0]) for i in comp.inputs]
        return _cell_value(self._call(comp, args))

    def evaluate_column(self, sheet: str, cells: list[tuple[int, int]],
                        store: bool = False) -> dict[tuple[int, int], object]:
        """Values of the formula cells given (of one sheet), each as its formula gives it now.

        A cell the engine cannot compute maps to a CannotEvaluate instance. With `store`, the
        values of cells saved without one are kept as soon as each pattern is done, so the next
        pattern (a SUM under the column) reads them instead of evaluating them one by one.
        """
        grid = self._by_upper[sheet.upper()]
        groups: dict[str, list[tuple[int, int]]] = {}
        out: dict[tuple[int, int], object] = {}
        for col in sorted({c for _, c in cells}):
            keys = pattern_keys({rc: grid.formulas[rc] for rc in cells if rc[1] == col})
            for rc, key in keys.items():
                groups.setdefault(f"{col}|{key}", []).append(rc)
        for members in groups.values():
            done = self._evaluate_group(grid, members)
            out.update(done)
            if store:
                for rc, value in done.items():
                    if rc in grid.uncached and not isinstance(value, CannotEvaluate):
                        grid.set_value(*rc, value)
                        grid.uncached.discard(rc)
                        self.computed.add((grid.name, *rc))
        return out

    def _evaluate_group(self, grid: Grid, members: list[tuple[int, int]]) -> dict:
        r0, c0 = members[0]
        out: dict = {}
        try:
            comp = self._compile(grid.name, grid.formulas[(r0, c0)], r0, c0)
        except CannotEvaluate as exc:
            return {rc: exc for rc in members}
        if comp.vector_ok and len(members) > 2:
            try:
                args = [self._vector(grid.name, i, [r - comp.origin[0] for r, _ in members]) for i in comp.inputs]
                result = self._call(comp, args)
                flat = getattr(result, "ravel", None)
                values = list(flat()) if flat is not None else []
                if len(values) == len(members):
                    return {rc: _cell_value(v) for rc, v in zip(members, values)}
            except CannotEvaluate:
                pass  # one row the engine cannot do: find it cell by cell below
        for r, c in members:
            try:
                out[(r, c)] = self.evaluate(grid.name, grid.formulas[(r, c)], r, c)
            except CannotEvaluate as exc:
                out[(r, c)] = exc
        return out

    # -- compiling --------------------------------------------------------------------------
    def _compile(self, sheet: str, formula: str, r: int, c: int) -> _Compiled:
        try:
            key = (sheet.upper(), f"{c}|{pattern_key(formula, r, c)}")
        except Exception as exc:  # noqa: BLE001
            raise CannotEvaluate(f"formula non leggibile: {exc}") from None
        hit = self._compiled.get(key)
        if hit is None:
            try:
                hit = self._build(sheet, formula, r, c)
            except CannotEvaluate as exc:
                hit = exc
            self._compiled[key] = hit
        if isinstance(hit, CannotEvaluate):
            raise hit
        return hit

    def _build(self, sheet: str, formula: str, r: int, c: int) -> _Compiled:
        if self._parser is None:
            import logging

            import formulas

            # the engine logs a traceback for every function it lacks; that is a finding here
            for name in ("schedula", "formulas"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
            _excel_rounding()
            self._parser = formulas.Parser()
        try:
            func = self._parser.ast(formula)[1].compile()
        except Exception as exc:  # noqa: BLE001 - the engine's parser raises many kinds
            raise CannotEvaluate(f"formula non supportata ({_short(exc)})") from None
        moving = _moving_refs(formula)
        inputs = []
        for name, rng in func.inputs.items():
            if rng is None:  # a defined name
                target = self.names.get(name.upper())
                if target is None:
                    raise CannotEvaluate(f"nome «{name}» non definito")
                inputs.append(self._name_input(name, target))
                continue
            if len(rng.ranges) != 1:
                raise CannotEvaluate("riferimento multiplo non supportato")
            d = rng.ranges[0]
            ref_sheet = (d.get("sheet") or sheet).upper().strip("'")
            if ref_sheet not in self._by_upper:
                raise CannotEvaluate(f"il foglio «{ref_sheet}» non esiste")
            rel = moving.get(name.upper(), (False, False))
            r1, r2 = int(d["r1"]), int(d["r2"])
            inputs.append(_Input(name, ref_sheet, d["n1"] - 1, d["n2"] - 1, max(r1 - 1, 0), r2 - 1, rel,
                                 single=(r1 == r2 and d["n1"] == d["n2"])))
        vector_ok = all(i.single or not any(i.rel_rows) for i in inputs)
        return _Compiled(func, (r, c), inputs, vector_ok)

    def _name_input(self, name: str, target: str) -> _Input:
        from openpyxl.utils.cell import range_boundaries

        sheet_part, _, ref = target.rpartition("!")
        sheet = sheet_part.strip("'").replace("''", "'").upper()
        if sheet not in self._by_upper:
            raise CannotEvaluate(f"il nome «{name}» non indica una cella del file")
        try:
            c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
        except ValueError:
            raise CannotEvaluate(f"il nome «{name}» non è un intervallo di celle") from None
        r1 = r1 or 1
        r2 = r2 or 1_048_576
        return _Input(name, sheet, c1 - 1, c2 - 1, r1 - 1, r2 - 1, (False, False), r1 == r2 and c1 == c2)

    # -- inputs -----------------------------------------------------------------------------
    def _rows(self, i: _Input, shift: int) -> tuple[int, int]:
        return (i.r1 + shift if i.rel_rows[0] else i.r1, i.r2 + shift if i.rel_rows[1] else i.r2)

    def _block(self, sheet: str, i: _Input, shift: int):
        import numpy as np

        r1, r2 = self._rows(i, shift)
        if r1 < 0:
            raise CannotEvaluate("riferimento fuori dal foglio")
        if i.single:
            return _engine_value(self.value(i.sheet, r1, i.c1))
        memo = (i.sheet, i.c1, i.c2, r1, r2)
        if memo in self._blocks:
            return self._blocks[memo]
        grid = self._by_upper[i.sheet]
        r2 = min(r2, max(grid.n_rows - 1, r1))
        rows = [[_engine_value(self.value(i.sheet, r, c)) for c in range(i.c1, i.c2 + 1)]
                for r in range(r1, r2 + 1)]
        block = np.array(rows, dtype=object)
        self._blocks[memo] = block
        return block

    def _vector(self, sheet: str, i: _Input, shifts: list[int]):
        import numpy as np

        if not any(i.rel_rows):
            return self._block(sheet, i, 0)
        return np.array([[_engine_value(self.value(i.sheet, i.r1 + s, i.c1))] for s in shifts], dtype=object)

    def _call(self, comp: _Compiled, args):
        try:
            result = comp.func(*args)
        except Exception as exc:  # noqa: BLE001 - schedula wraps what the functions raise
            raise CannotEvaluate(f"funzione non supportata ({_short(exc)})") from None
        first = result.ravel()[0] if hasattr(result, "ravel") and result.size else result
        if str(first) == "#NAME?":
            raise CannotEvaluate("funzione o nome sconosciuto")
        return result


def _excel_round(x, digits, mode=ROUND_HALF_UP):
    """ROUND as Excel does it: on the number's 15 significant digits, halves away from zero.

    The engine's own ROUND multiplies in binary floating point, so ROUND(1.005;2) gives 1,00
    where Excel (and LibreOffice) give 1,01: a cent off on an amount.
    """
    value = Decimal(format(float(x), ".15g"))
    return float(value.quantize(Decimal(1).scaleb(-int(digits)), rounding=mode))


@cache
def _excel_rounding() -> None:
    import formulas
    from formulas.functions import wrap_ufunc

    functions = formulas.get_functions()
    functions["ROUND"] = wrap_ufunc(_excel_round)
    functions["ROUNDUP"] = wrap_ufunc(functools.partial(_excel_round, mode=ROUND_UP))
    functions["ROUNDDOWN"] = wrap_ufunc(functools.partial(_excel_round, mode=ROUND_DOWN))


def _moving_refs(formula: str) -> dict[str, tuple[bool, bool]]:
    """{reference without $ (upper case): (first row relative, last row relative)}."""
    from openpyxl.formula.tokenizer import Tokenizer
    out = {}
    for tok in Tokenizer(formula).items:
        if tok.type != "OPERAND" or tok.subtype != "RANGE":
            continue
        sheet, bang, ref = tok.value.rpartition("!")
        parts = ref.split(":")
        rel = [not _row_absolute(p) for p in parts]
        key = ((sheet + bang) + ref).upper().replace("$", "")
        out[key] = (rel[0], rel[-1])
    return out


def _row_absolute(part: str) -> bool:
    """'A$1', '$A$1', '$1' have an absolute row; 'A1', '$A1', 'A' a relative one."""
    letters = part.lstrip("$").rstrip("0123456789$")
    rest = part.lstrip("$")[len(letters):]
    return rest.startswith("$") or (not letters and part.startswith("$"))


def _engine_value(v):
    import schedula as sh

    if v is None:
        return sh.EMPTY
    if isinstance(v, dt.datetime):
        delta = v - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86400
    return v


def _cell_value(v):
    """An engine result as the grid keeps values (openpyxl's types)."""
    import numpy as np

    if hasattr(v, "ravel") and getattr(v, "size", 1) >= 1 and not isinstance(v, (str, np.generic)):
        v = v.ravel()[0]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, str):
        if v == "empty" or type(v).__name__ == "_Token":
            return 0
        return str(v)
    if isinstance(v, float) and math.isfinite(v):
        v = float(format(v, ".15g"))  # what Excel saves: 15 significant digits, no binary noise
        if v.is_integer() and abs(v) < 2 ** 53:
            return int(v)
    return v


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:120]


# -- filling the formulas saved without a value ---------------------------------------------
def fill_uncached(path: Path, grids: dict[str, Grid], names: dict[str, str]) -> tuple[Engine, list[F.Finding]]:
    """Give a value to every formula cell saved without one; findings say what was computed."""
    engine = Engine(grids, names)
    pending = {g.name: sorted(g.uncached) for g in grids.values() if g.uncached}
    if not pending:
        return engine, []
    failed: dict[tuple[str, int, int], str] = {}
    for sheet, cells in pending.items():
        grid = grids[sheet]
        # column by column, left to right: a plan's formulas read the columns before them, and
        # whatever they read that is still without a value is evaluated first by Engine.value()
        for col in sorted({c for _, c in cells}):
            column = [rc for rc in cells if rc[1] == col and rc in grid.uncached]
            for rc, value in engine.evaluate_column(sheet, column, store=True).items():
                if isinstance(value, CannotEvaluate) and rc in grid.uncached:
                    failed[(sheet, *rc)] = str(value)
    how = ""
    if failed:
        rescued = _libreoffice_values(path, list(failed))
        for (sheet, r, c), value in rescued.items():
            grids[sheet].set_value(r, c, value)
            grids[sheet].uncached.discard((r, c))
            engine.computed.add((sheet, r, c))
            failed.pop((sheet, r, c), None)
        how = " (con LibreOffice)" if rescued else ""
    found = []
    by_sheet: dict[str, list[tuple[int, int]]] = {}
    for sheet, r, c in sorted(engine.computed):  # dependencies on other sheets included
        by_sheet.setdefault(sheet, []).append((r, c))
    for sheet, cells in by_sheet.items():
        where = _ranges(cells)
        found.append(F.make("formula-calcolata", sheet=sheet, cell=where, where=f"{sheet}!{where}", how=how))
    for (sheet, r, c), reason in failed.items():
        formula = grids[sheet].formula(r, c)
        found.append(F.make("formula-non-calcolabile", sheet=sheet, cell=Grid.a1(r, c), found=formula,
                            expected="il valore calcolato da Excel", reason=reason, formula=formula))
    return engine, found


def _libreoffice_values(path: Path, cells: list[tuple[str, int, int]]) -> dict:
    """Values of `cells` from a copy of the file recalculated by LibreOffice ({} if it is not installed)."""
    import tempfile

    from chiari_xl import libreoffice

    if not cells or libreoffice.soffice() is None:
        return {}
    from chiari_xl.reading.files import _load_calamine

    try:
        with tempfile.TemporaryDirectory(prefix="chiari-recalc-") as tmp:
            recalculated = libreoffice.recalculate(Path(path), Path(tmp) / "out")
            again = _load_calamine(recalculated, "xlsx")
    except Exception:  # noqa: BLE001 - LibreOffice is a best effort here: the finding says what to do
        return {}
    out = {}
    for sheet, r, c in cells:
        grid = again.get(sheet)
        value = grid.value(r, c) if grid is not None else None
        if value is not None:
            out[(sheet, r, c)] = value
    return out


def _ranges(cells: list[tuple[int, int]]) -> str:
    """'N6:N32, O6:O32': the cells given, as one range per column run."""
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).append(r)
    parts = []
    for c in sorted(by_col):
        rows = sorted(by_col[c])
        start = prev = rows[0]
        for r in rows[1:] + [None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            parts.append(Grid.a1(start, c) if start == prev else f"{Grid.a1(start, c)}:{Grid.a1(prev, c)}")
            if r is not None:
                start = prev = r
    return ", ".join(parts)
