"""An xlsxwriter Worksheet that prepares each distinct formula once.

For every formula written, xlsxwriter searches it for Excel 365 dynamic-array functions twice
(one regex in `_write_formula`, then one `re.sub` per function in `_prepare_formula` to prefix
`_xlfn.`): 30-40 µs a formula, most of the time to write a 10,000-objective plan. Our formulas
use none of those functions, and with structured references most columns repeat one formula on
every row. This class prepares each distinct formula once (one combined search, falling back to
xlsxwriter's own code when a dynamic function, an array formula or future functions are
involved) and reuses the result, so the output is byte-for-byte what xlsxwriter would write.
The fast path is only used with the xlsxwriter version whose code and pattern list were copied.
"""

from __future__ import annotations

import re

import xlsxwriter
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet, re_dynamic_function

_VERIFIED = {"3.3.1"}
_DYNAMIC = [
    "ANCHORARRAY", "BYCOL", "BYROW", "CHOOSECOLS", "CHOOSEROWS", "DROP", "EXPAND", "FILTER", "HSTACK",
    "LAMBDA", "MAKEARRAY", "MAP", "RANDARRAY", "REDUCE", "SCAN", "SEQUENCE", "SORT", "SORTBY", "SWITCH",
    "TAKE", "TEXTSPLIT", "TOCOL", "TOROW", "UNIQUE", "VSTACK", "WRAPCOLS", "WRAPROWS", "XLOOKUP",
]
# the same patterns as xlsxwriter's, in one alternation (its SINGLE pattern is r"\SINGLE\(")
_ANY = re.compile(r"\b(?:" + "|".join(_DYNAMIC) + r")\(|\SINGLE\(")
_FAST = getattr(xlsxwriter, "__version__", "") in _VERIFIED


class FastWorksheet(Worksheet):
    def __init__(self):
        super().__init__()
        self._prepared: dict[str, str | None] = {}  # formula -> stored text (None: xlsxwriter's way)

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        if not _FAST or self.use_future_functions or self.constant_memory or not formula:
            return super()._write_formula(row, col, formula, cell_format, value)
        prepared = self._prepared.get(formula, False)
        if prepared is False:
            plain = not re_dynamic_function.search(formula) and not (
                formula.startswith("{") and formula.endswith("}"))
            prepared = self._prepared[formula] = self._prepare_formula(formula) if plain else None
        if prepared is None:
            return super()._write_formula(row, col, formula, cell_format, value)
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(prepared, cell_format, value)
        return 0

    def _prepare_formula(self, formula, expand_future_functions=False):
        if not _FAST or self.use_future_functions or expand_future_functions:
            return super()._prepare_formula(formula, expand_future_functions)
        stripped = formula
        if stripped.startswith("{"):
            stripped = stripped[1:]
        if stripped.startswith("="):
            stripped = stripped[1:]
        if stripped.endswith("}"):
            stripped = stripped[:-1]
        if "_xlfn." in stripped or not _ANY.search(stripped):
            return stripped  # what every substitution would have left unchanged
        return super()._prepare_formula(formula, expand_future_functions)
