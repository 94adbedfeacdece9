"""Every cell format of the checked workbook, defined once."""

from __future__ import annotations

import math
from functools import lru_cache

EURO = '#,##0.00 "€"'
EURO4 = '#,##0.0000 "€"'
COEFF = "#,##0.0#"
INT = "0"
# By meaning, in the checked workbook: a number that is whole by meaning but typed by a person
# (N. dip., weights, points, years, bracket bounds) shows as it is, 40 and not 40,0 (a wrong 37,5
# still shows its decimals); a headcount coefficient with the regulation's two decimals (0,50 1,00).
NUMBER = "General"
FACTOR = "0.00"
COMUNE = "Comune di Chiari"

# text that came from people (plan, notes) is never turned into a formula, link or number
SAFE_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

RED, YELLOW, BLUE = "#F8CBAD", "#FFE699", "#DDEBF7"
HEAD_BG, TITLE_FG = "#1F4E78", "#1F4E78"


class Formats:
    def __init__(self, wb):
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.wb = wb
        add = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        self.title = add(bold=True, font_size=15, font_color=TITLE_FG, valign="vcenter")
        self.title_wrap = add(bold=True, font_size=15, font_color=TITLE_FG, text_wrap=True)
        self.subtitle = add(italic=True, font_color="#595959")
        self.section = add(bold=True, font_size=12, font_color=TITLE_FG, bottom=1)
        self.section_plain = add(bold=True, font_size=12, font_color=TITLE_FG)
        self.header = add(bold=True, font_color="white", bg_color=HEAD_BG, text_wrap=True,
                          valign="vcenter", align="center", border=1)
        self.header_rule = add(bold=True, font_color="white", bg_color="#2E75B6", text_wrap=True,
                               valign="vcenter", align="center", border=1)
        self.text = add(text_wrap=True, border=1, border_color="#BFBFBF")
        self.text_right = add(text_wrap=True, border=1, border_color="#BFBFBF", align="right")
        self.text_bold = add(bold=True, text_wrap=True, border=1, border_color="#BFBFBF")
        self.int = add(num_format=INT, border=1, border_color="#BFBFBF", align="center")
        self.coeff = add(num_format=COEFF, border=1, border_color="#BFBFBF", align="center")
        self.euro = add(num_format=EURO, border=1, border_color="#BFBFBF")
        self.euro4 = add(num_format=EURO4, border=1, border_color="#BFBFBF")
        self.pct = add(num_format='0"%"', border=1, border_color="#BFBFBF", align="center")
        self.rule_coeff = add(num_format=COEFF, border=1, border_color="#BFBFBF", align="center",
                              bg_color=BLUE)
        self.rule_euro = add(num_format=EURO, border=1, border_color="#BFBFBF", bg_color=BLUE)
        self.number = add(num_format=NUMBER, border=1, border_color="#BFBFBF", align="center")
        self.rule_number = add(num_format=NUMBER, border=1, border_color="#BFBFBF", align="center",
                               bg_color=BLUE)
        self.factor = add(num_format=FACTOR, border=1, border_color="#BFBFBF", align="center")
        self.rule_factor = add(num_format=FACTOR, border=1, border_color="#BFBFBF", align="center",
                               bg_color=BLUE)
        self.total_number = add(bold=True, num_format=NUMBER, top=2, align="center")
        self.input_number = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF", num_format=NUMBER)
        self.input_factor = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF", num_format=FACTOR)
        self.blank_box = add(border=1, border_color="#7F7F7F")  # a cell to fill in by hand (approval)
        self.sentence = add(text_wrap=True)  # a plain sentence across a merged range
        self.total_label = add(bold=True, top=2)
        self.total_euro = add(bold=True, num_format=EURO, top=2)
        self.total_euro4 = add(bold=True, num_format=EURO4, top=2)
        self.total_int = add(bold=True, num_format=INT, top=2, align="center")
        self.total_coeff = add(bold=True, num_format=COEFF, top=2, align="center")
        self.label = add(bold=True)
        self.label_box = add(bold=True, text_wrap=True, border=1, border_color="#BFBFBF")
        self.note = add(italic=True, font_color="#595959", text_wrap=True)
        self.note_box = add(italic=True, font_color="#595959", text_wrap=True, border=1, border_color="#BFBFBF")
        self.link = add(font_color="#0563C1", underline=1, border=1, border_color="#BFBFBF")
        self.input = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF")
        self.input_text = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF", text_wrap=True)
        self.input_euro = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF", num_format=EURO)
        self.input_coeff = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF", num_format=COEFF)
        # highlights for flagged cells and live differences (conditional formats)
        self.flag_error = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.flag_warning = wb.add_format({"bg_color": YELLOW, "font_color": "#7F6000"})
        self.ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.severity = {
            "error": add(bold=True, bg_color=RED, border=1, border_color="#BFBFBF"),
            "warning": add(bold=True, bg_color=YELLOW, border=1, border_color="#BFBFBF"),
            "info": add(bg_color=BLUE, border=1, border_color="#BFBFBF"),
        }
        self._cache: dict = {}

    def flagged(self, fmt_name: str, severity: str):
        """The cell format `fmt_name` with the background of a finding's severity."""
        key = (fmt_name, severity)
        if key not in self._cache:
            props = {"font_name": "Calibri", "font_size": 10, "valign": "top", "border": 1,
                     "border_color": "#BFBFBF", "bg_color": RED if severity == "error" else YELLOW,
                     "text_wrap": True}
            num = {"euro": EURO, "coeff": COEFF, "int": INT, "rule_coeff": COEFF, "rule_euro": EURO,
                   "number": NUMBER, "rule_number": NUMBER, "factor": FACTOR, "rule_factor": FACTOR}.get(fmt_name)
            if num:
                props["num_format"] = num
            if fmt_name in ("int", "coeff", "rule_coeff", "number", "rule_number", "factor", "rule_factor"):
                props["align"] = "center"
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


HEADER_PT = 10  # page header and footer when fitted to the width (≥ 8 pt down to a scale of 80 %)


def print_setup(ws, header_rows: tuple[int, int] | None, title: str, landscape: bool = True,
                scale: int | None = None, confidential: str = ""):
    """A4, header rows repeated, page numbers in the footer; fitted to the page width, or printed
    at `scale` % (print_scale), with the page header's text never under 8 points on paper.

    A sheet fitted to the width is laid out so that it scales to 80 % or more: its 10-point text
    then prints at 8 points or more (tests/pdf_check.py measures it in LibreOffice's PDF).
    confidential: a mark for the left of the page header ("RISERVATO - dati personali").
    """
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    if scale is None:
        ws.fit_to_pages(1, 0)
        size = HEADER_PT
    else:
        ws.set_print_scale(scale)
        size = max(8, math.ceil(8 * 100 / scale))  # the header shrinks with the page
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.6)
    if header_rows:
        ws.repeat_rows(*header_rows)
    safe = title.replace("&", "&&")
    who = COMUNE + (f" - {confidential}" if confidential else "")
    ws.set_header(f"&L&{size}{who}&C&{size}{safe}&R&{size}&D")
    ws.set_footer(f"&C&{size}Pagina &P di &N")


MARGIN_IN = 0.4  # left and right margins, inches
_PAGE_IN = {True: 11.69, False: 8.27}  # A4 width, landscape / portrait


def column_px(width: float, digit_px: float = 7) -> int:
    """A column `width` characters wide, in pixels: Excel's rule for its default font, Calibri 11,
    whose digits are 7 pixels wide. LibreOffice draws the same column wider (digit_px=LO_DIGIT_PX):
    text wraps in fewer lines there, and a page holds fewer columns."""
    return int(width * digit_px + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)


LO_DIGIT_PX = 7.43  # measured in LibreOffice's PDF of a written workbook (Carlito 11 for Calibri 11)


def print_scale(widths, landscape: bool = True, most: int = 100) -> int:
    """The print scale (%) at which columns of these widths fill the printable width of A4, in
    Excel and in LibreOffice (which draws them wider)."""
    page_px = (_PAGE_IN[landscape] - 2 * MARGIN_IN) * 96 - 4
    need = sum(column_px(w, LO_DIGIT_PX) for w in widths)
    return max(10, min(most, math.floor(page_px / need * 100)))


LINE_PT = 13.0  # height of one line of 10-point wrapped text

# Width in pixels of each printable ASCII character in 10-point Calibri (Carlito has the same
# metrics), space to tilde; other characters count as _OTHER_PX. Measured with PyMuPDF.
_ASCII_PX = (
    3.0, 4.3, 5.3, 6.6, 6.8, 9.5, 9.1, 2.9, 4.0, 4.0, 6.6, 6.6, 3.3, 4.1, 3.4, 5.1, 6.8, 6.8, 6.8, 6.8,
    6.8, 6.8, 6.8, 6.8, 6.8, 6.8, 3.6, 3.6, 6.6, 6.6, 6.6, 6.2, 11.9, 7.7, 7.3, 7.1, 8.2, 6.5, 6.1, 8.4,
    8.3, 3.4, 4.3, 6.9, 5.6, 11.4, 8.6, 8.8, 6.9, 9.0, 7.2, 6.1, 6.5, 8.6, 7.6, 11.9, 6.9, 6.5, 6.2, 4.1,
    5.1, 4.1, 6.6, 6.6, 3.9, 6.4, 7.0, 5.6, 7.0, 6.6, 4.1, 6.3, 7.0, 3.1, 3.2, 6.1, 3.1, 10.7, 7.0, 7.0,
    7.0, 7.0, 4.6, 5.2, 4.5, 7.0, 6.0, 9.5, 5.8, 6.0, 5.3, 4.2, 6.1, 4.2, 6.6)
_OTHER_PX = 7.0  # accented letters, «», €, dashes
_BOLD = 1.03  # bold Calibri is about 3% wider
_CELL_PAD_PX = 6  # the cell's own margins, left and right


class _Tenths(dict):
    """str.translate table: each character -> the character whose code is its width in tenths of
    a pixel, so that sum(map(ord, text.translate(_TENTHS))) / 10 is the text's width, in C."""

    def __missing__(self, code):
        return chr(int(_OTHER_PX * 10))


_TENTHS = _Tenths({32 + i: chr(int(round(w * 10))) for i, w in enumerate(_ASCII_PX)})


def _px(s: str) -> float:
    return sum(map(ord, s.translate(_TENTHS))) / 10


def text_lines(text, width: float, bold: bool = False, font_pt: float = 10) -> int:
    """How many lines `text` takes wrapped (word by word, as a spreadsheet wraps it) in a column
    `width` characters wide, or in merged columns as wide as their widths' sum."""
    if not text:
        return 0
    return _text_lines(str(text), width, bold, font_pt)


@lru_cache(maxsize=65536)  # the same texts come back on every row (what to do, a kind's wording)
def _text_lines(text: str, width: float, bold: bool, font_pt: float) -> int:
    room = (column_px(width) - _CELL_PAD_PX) / (font_pt / 10 * (_BOLD if bold else 1))
    if len(text) * 12 <= room and "\n" not in text:  # short: one line (no letter is wider than 12 px)
        return 1
    return sum(_wrapped(part, room) for part in text.split("\n"))


def _wrapped(line: str, room: float) -> int:
    if _px(line) <= room:
        return 1
    lines, used, space = 1, 0.0, _ASCII_PX[0]
    for word in line.split(" "):
        w = _px(word)
        if used and used + space + w > room:  # the word goes to the next line
            lines += 1
            used = 0.0
        elif used:
            used += space
        while w > room:  # a word longer than the line is broken
            lines += 1
            w -= room
        used += w
    return lines


def fit_row_height(ws, r: int, cells: list[tuple[str, float]], line_pt: float = LINE_PT,
                   max_lines: int = 12) -> float:
    """Set a row tall enough for its wrapped text: spreadsheets don't grow rows that
    xlsxwriter wrote, so without this long text overlaps the next row when printed.
    `cells`: (text, column width in characters). Returns the height set, in points."""
    lines = max([1] + [text_lines(text, width) for text, width in cells])
    height = min(lines, max_lines) * line_pt + 2
    ws.set_row(r, height)
    return height


DEFAULT_ROW_PT = 15.0
TITLE_ROW_PT, SECTION_ROW_PT = 21.0, 17.0  # rows of a 15-point title, of a 12-point section heading
_PAGE_BODY_PT = {True: 8.27 * 72 - 2 * 0.6 * 72, False: 11.69 * 72 - 2 * 0.6 * 72}  # A4 less top and bottom margins


def row_breaks(heights: dict[int, float], first: int, last: int, repeated: float, scale: int,
               landscape: bool = True, keep: int = 2, together: list[tuple[int, int]] = ()) -> list[int]:
    """Where to break the rows first..last into printed pages (the rows repeated on each page take
    `repeated` points), so that the last `keep` rows (a table's last row and its total) and each
    (start, end) range of `together` (a heading and its first row) are never split, as long as they
    fit a page. Rows absent from `heights` are 15 points high. A little room is left, so LibreOffice
    and Excel never need a break of their own before ours. (LibreOffice ignores these breaks in a
    sheet printed across then down with frozen panes.)"""
    room = _PAGE_BODY_PT[landscape] * 0.96 * 100 / scale
    groups = list(together) + ([(last - keep + 1, last)] if keep > 1 else [])
    start_of = {r: gs for gs, ge in groups for r in range(gs + 1, ge + 1)}
    height = lambda r: heights.get(r, DEFAULT_ROW_PT)  # noqa: E731
    breaks: list[int] = []
    used = 0.0
    for r in range(first, last + 1):
        if used + height(r) > room and r > (breaks[-1] if breaks else first):
            start = start_of.get(r, r)
            if start <= (breaks[-1] if breaks else first):
                start = r  # the group is longer than a page: split it
            breaks.append(start)
            used = repeated + sum(height(k) for k in range(start, r))
        used += height(r)
    return breaks if len(breaks) <= MAX_BREAKS else []  # beyond, the spreadsheet paginates alone


MAX_BREAKS = 1023  # Excel's limit of page breaks in a sheet
