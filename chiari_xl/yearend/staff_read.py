"""Read the Personale workbook back, whatever wrote it: Excel, LibreOffice, an older copy.

The file is opened like a plan (reading/files.load_grids: sniffed kind, .xlsx/.xls/.ods,
merged cells filled) and each table is found by its headings (reading/plan.find_table), so
title rows, moved columns and retyped headings are fine. Values are returned as written, with
the cell they came from: turning them into numbers, dates and findings is checks.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from chiari_xl.errors import PlanReadError
from chiari_xl.reading.files import load_grids, sha256
from chiari_xl.reading.grid import Grid
from chiari_xl.reading.numbers import is_blank
from chiari_xl.reading.plan import find_table
from chiari_xl.text import norm
from chiari_xl.yearend import staff_layout as L

Cell = tuple[object, str]  # (value as read, "Sheet!A1")


@dataclass
class RawRow:
    sheet: str
    row: int                                   # 1-based, as the user sees it
    cells: dict[str, Cell] = field(default_factory=dict)
    objectives: dict[int, Cell] = field(default_factory=dict)

    def value(self, key: str):
        return self.cells.get(key, (None, ""))[0]

    def where(self, key: str) -> str:
        return self.cells.get(key, (None, f"{self.sheet}!A{self.row}"))[1]


@dataclass
class RawStaff:
    path: Path
    sha256: str
    staff_sheet: str
    staff: list[RawRow]
    objective_columns: dict[int, str]          # objective n -> "Personale!F5" (its heading)
    events_sheet: str | None = None
    events: list[RawRow] = field(default_factory=list)
    achievement_sheet: str | None = None
    achievements: list[RawRow] = field(default_factory=list)


def _pick(grids: dict[str, Grid], classify, required: set[str], min_fields: int, name: str):
    best = None
    for grid in grids.values():
        hit = find_table(grid, classify, required, min_fields)
        if hit is None:
            continue
        score = len(hit[2]) + (10 if norm(grid.name) == norm(name) else 0)
        if best is None or score > best[0]:
            best = (score, grid, hit)
    return (best[1], best[2]) if best else (None, None)


def _rows(grid: Grid, header_end: int, cols: dict[int, str]) -> list[RawRow]:
    out = []
    for r in range(header_end + 1, grid.n_rows):
        row = RawRow(sheet=grid.name, row=r + 1)
        for c, key in cols.items():
            v = grid.value(r, c)
            if is_blank(v):
                continue
            cell = (v, f"{grid.name}!{Grid.a1(r, c)}")
            if key.startswith("obj:"):
                row.objectives[int(key[4:])] = cell
            else:
                row.cells[key] = cell
        if row.cells or row.objectives:
            out.append(row)
    return out


def read_staff(path) -> RawStaff:
    """Raises PlanReadError when the file cannot be read or has no staff table."""
    path = Path(path)
    grids = load_grids(path)
    grid, hit = _pick(grids, L.classify_staff, {"matricola"}, 3, L.SHEET_STAFF)
    if grid is None:
        raise PlanReadError(path, "non trovo il foglio del personale.",
                            "Servono le intestazioni Matricola, Cognome e nome, Area e le colonne «Ob. n» "
                            "(il modello si crea con: chiari-xl modello-personale PIANO).")
    h0, h1, cols = hit
    # the table ends where the staff columns do: rows of only a "Totale" label are not people
    staff = [r for r in _rows(grid, h1, cols)
             if r.value("matricola") is not None or r.value("name") is not None or r.objectives]
    staff = [r for r in staff if not (r.value("matricola") is None and norm(r.value("name")).startswith("total"))]
    out = RawStaff(path=path, sha256=sha256(path), staff_sheet=grid.name, staff=staff,
                   objective_columns={int(k[4:]): f"{grid.name}!{Grid.a1(h0, c)}"
                                      for c, k in cols.items() if k.startswith("obj:")})
    ev_grid, ev_hit = _pick({k: g for k, g in grids.items() if g is not grid}, L.classify_events,
                            {"matricola", "hours"}, 3, L.SHEET_EVENTS)
    if ev_grid is not None:
        out.events_sheet = ev_grid.name
        out.events = [r for r in _rows(ev_grid, ev_hit[1], ev_hit[2])
                      if any(k in r.cells for k in ("matricola", "hours", "date", "event"))]
    ach_grid, ach_hit = _pick({k: g for k, g in grids.items() if g is not grid and g is not ev_grid},
                              L.classify_achievement, {"n", "achievement"}, 2, L.SHEET_ACHIEVEMENT)
    if ach_grid is not None:
        out.achievement_sheet = ach_grid.name
        out.achievements = _rows(ach_grid, ach_hit[1], ach_hit[2])
    return out
