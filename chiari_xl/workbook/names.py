"""What the checked workbook's formulas read: its Excel tables, each column by its heading.

A formula that reads another writer's cells names the table and the heading
(`FondiTab[Importo del fondo]`, `ObiettiviTab[[#This Row],[N. dip.]]`), or a defined name of
the Parametri sheet, never a column letter or a row number: a writer can move its columns or
rows without silently breaking a formula another writer wrote. A table also grows with the rows
a person inserts in it, and so do the sums and lookups that read it.

Verified with LibreOffice 7.4 on xlsx written by xlsxwriter: it recalculates whole-column
(`T[Col]`), this-row (`T[[#This Row],[Col]]`) and whole-table references, INDEX/MATCH, SUMIF,
COUNTIF and SUMPRODUCT over them. It does not compute the totals row xlsxwriter writes for a
table (`SUBTOTAL(109,[Col])`, without the table's name: #VALUE!), so totals go under a table
as plain `SUM(T[Col])` formulas.

The tables are declared here, apart from the writers, because they read each other (the amounts
of ObiettiviTab read FondiTab, FondiTab sums ObiettiviTab). The Parametri sheet's defined names
(PesiValore, FasceDa, FissiImporto, FondoAttribuito, ...) are declared by workbook/parameters.py.
"""

from __future__ import annotations

from dataclasses import dataclass

_SPECIAL = str.maketrans({"'": "''", "[": "'[", "]": "']", "#": "'#"})


def _escape(heading: str) -> str:
    """A heading inside a structured reference: ' [ ] # are escaped with a quote."""
    return heading.translate(_SPECIAL)


@dataclass(frozen=True)
class Table:
    """An Excel table: its name and its columns in sheet order (key -> heading)."""

    name: str
    headings: dict[str, str]

    def col(self, key: str) -> str:
        """The whole data column: ObiettiviTab[N. dip.]."""
        return f"{self.name}[{_escape(self.headings[key])}]"

    def this(self, key: str) -> str:
        """The cell of this row (for a formula inside the table)."""
        return f"{self.name}[[#This Row],[{_escape(self.headings[key])}]]"

    def lookup(self, key: str, by: str, value: str) -> str:
        """Column `key` of the row whose column `by` equals `value` (exact match)."""
        return f"INDEX({self.col(key)},MATCH({value},{self.col(by)},0))"

    def at(self, key: str, position: int) -> str:
        """Column `key` of the data row at `position` (1 = first)."""
        return f"INDEX({self.col(key)},{position})"

    def add(self, ws, header_row: int, last_row: int, header_formats: dict, formulas: dict | None = None,
            autofilter: bool = True) -> None:
        """Declare the table on `ws` (first column A). `formulas`: key -> the column's formula,
        which Excel copies into rows a person adds; cells written afterwards keep their own
        cached values. Call before writing the cells: xlsxwriter writes the column formulas."""
        formulas = formulas or {}
        columns = []
        for key, heading in self.headings.items():
            column = {"header": heading, "header_format": header_formats.get(key)}
            if key in formulas:
                column["formula"] = formulas[key]
            columns.append(column)
        ws.add_table(header_row, 0, max(last_row, header_row + 1), len(columns) - 1,
                     {"name": self.name, "style": None, "autofilter": autofilter, "columns": columns})


# The Obiettivi sheet, in column order.
# N. and Obiettivo first: printed on every page of the sheet (objectives.py, print layout).
OBJECTIVES = Table("ObiettiviTab", {
    "n": "N.",
    "obiettivo": "Obiettivo",
    "tipologia": "Tipologia / settore",
    "pool": "Fondo di ripartizione",
    "personale": "Personale coinvolto",
    "category": "Strategicità",
    "n_dip": "N. dip.",
    "peso": "Peso (scritto)",
    "peso_rule": "Peso (regola)",
    "coeff": "Coeff. dip. (scritto)",
    "coeff_rule": "Coeff. dip. (regola)",
    "total_coeff": "Totale coeff. (scritto)",
    "total_rule": "Totale coeff. (regola)",
    "amount": "Importo pubblicato",
    "amount_from_written": "Importo dai totali scritti",
    "amount_recomputed": "Importo ricalcolato",
    "diff": "Differenza (ricalcolato − pubblicato)",
    "flags": "Rilievi",
})
# Hidden helper columns appended to ObiettiviTab with largest-remainder rounding (remainders.py).
REMAINDER_HELPERS = {
    "floor_written": "Quota troncata (scritti)", "rest_written": "Resto in cent. (scritti)",
    "floor_recomputed": "Quota troncata (regola)", "rest_recomputed": "Resto in cent. (regola)",
}
OBJECTIVES_WITH_REMAINDERS = Table(OBJECTIVES.name, {**OBJECTIVES.headings, **REMAINDER_HELPERS})

# The pool table of the Riepilogo sheet: one row per pool (model.rules.pool_summary).
POOLS = Table("FondiTab", {
    "pool": "Fondo",
    "weight": "Peso del settore",
    "exact": "Importo del fondo",
    "n_objectives": "N. obiettivi",
    "points_written": "Totale coeff. (scritto)",
    "points_rule": "Totale coeff. (regola)",
    "amount_written": "Importi pubblicati",
    "amount_from_written": "Importi dai totali scritti",
    "amount_recomputed": "Importi ricalcolati",
    "exact4": "Importo esatto del fondo (4 decimali)",
    "residual": "Residuo di arrotondamento (4 decimali)",
})

# The Rilievi sheet: one row per finding; what a reader needs first (printed), then the link
# and the stable code (on screen only).
FINDINGS = Table("RilieviTab", {
    "severity": "Gravità", "objective": "Obiettivo", "original": "Cella nel file originale",
    "found": "Trovato", "expected": "Atteso", "euro_effect": "Effetto in €", "message": "Descrizione",
    "todo": "Cosa fare", "link": "Vai alla cella", "code": "Codice",
})
