"""What a person sees on a printed page, measured in the PDF LibreOffice prints (PyMuPDF).

A workbook rendered by chiari_xl.libreoffice.to_pdf (Italian locale, the print setup we wrote:
paper, orientation, fit to pages) is read back as text spans, each with its font size and box
on the page. The size is the effective one: a sheet fitted to the page width is printed scaled
down, and the PDF's text matrices carry that scale.

  small_text(pdf)   spans printed under MIN_PT (8 pt): unreadable on paper
  overlaps(pdf)     pairs of spans printed over each other (text spilling out of a row too
                    short for it, a heading wider than its column drawn over the next one)
  smallest(pdf)     the smallest effective size on any page
  page_titles(pdf)  the title in each page's header (the centre of the first line: which sheet)

(No tests here: helpers for the tests of every written workbook, checked plan included.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MIN_PT = 8.0


@dataclass(frozen=True)
class Span:
    page: int          # 1-based
    text: str
    size: float        # effective font size in points
    x0: float
    x1: float
    base: float        # baseline y (points from the top of the page)

    @property
    def top(self) -> float:
        """Top of the glyphs' core (cap height): lines of one wrapped cell never meet there."""
        return self.base - 0.72 * self.size

    @property
    def bottom(self) -> float:
        return self.base + 0.12 * self.size

    def __str__(self) -> str:
        return f"p. {self.page}, {self.size:.1f} pt: «{self.text[:60]}»"


def spans(pdf: Path) -> list[Span]:
    """Every non-blank text span of the PDF."""
    import pymupdf

    out = []
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc, start=1):
            out += spans_of_page(page, number)
    return out


def smallest(pdf: Path) -> float | None:
    sizes = [s.size for s in spans(pdf)]
    return min(sizes) if sizes else None


def small_text(pdf: Path, minimum: float = MIN_PT) -> list[Span]:
    """Spans printed smaller than `minimum` points (0.05 pt of rounding allowed)."""
    return [s for s in spans(pdf) if s.size < minimum - 0.05]


def overlaps(pdf: Path, tolerance: float = 0.6) -> list[tuple[Span, Span]]:
    """Pairs of spans whose glyph cores intersect by more than `tolerance` points both ways.

    The core of a span runs from its cap height to just under its baseline, so two lines of one
    wrapped cell (baselines at least a line apart) or two cells side by side never count; a
    line spilling from a row into the next, or a heading drawn across its neighbour, does.
    """
    found = []
    by_page: dict[int, list[Span]] = {}
    for s in spans(pdf):
        by_page.setdefault(s.page, []).append(s)
    for items in by_page.values():
        items.sort(key=lambda s: s.top)
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.top >= a.bottom - tolerance:
                    break
                wide = min(a.x1, b.x1) - max(a.x0, b.x0)
                high = min(a.bottom, b.bottom) - max(a.top, b.top)
                if wide > tolerance and high > tolerance:
                    found.append((a, b))
    return found


def page_titles(pdf: Path, top: float = 45.0) -> dict[int, str]:
    """{page: the text of the page header's centre}: the sheet's print title, set by print_setup."""
    import pymupdf

    out = {}
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc, start=1):
            middle = page.rect.width / 2
            heads = [s for s in spans_of_page(page, number) if s.base < top]
            if heads:
                out[number] = min(heads, key=lambda s: abs((s.x0 + s.x1) / 2 - middle)).text
    return out


def spans_of_page(page, number: int) -> list[Span]:
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for s in line["spans"]:
                if s["text"].strip():
                    out.append(Span(number, s["text"].strip(), round(s["size"], 2), s["bbox"][0], s["bbox"][2],
                                    s["origin"][1]))
    return out
