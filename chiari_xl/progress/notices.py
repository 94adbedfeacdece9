"""A finding of the monthly progress, with the area and the returned file it concerns.

Progress findings are ordinary registry findings (chiari_xl/findings.py: stable code, severity,
sheet, cell, found, expected, Italian message); a Notice only adds where they come from, which a
plan's findings do not need: the area and the file name.
"""

from __future__ import annotations

from dataclasses import dataclass

from chiari_xl.findings import Finding


@dataclass(frozen=True)
class Notice:
    finding: Finding
    area: str = ""
    file: str = ""

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def where(self) -> str:
        f = self.finding
        return f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or "")

    def as_dict(self) -> dict:
        return {**self.finding.as_dict(), "area": self.area, "file": self.file}
