"""Every cell format of the checked workbook, defined once."""

from __future__ import annotations

import math

EURO = '#,##0.00 "€"'
EURO4 = '#,##0.0000 "€"'
COEFF = "#,##0.0#"
INT = "0"

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
        self.subtitle = add(italic=True, font_color="#595959")
        self.section = add(bold=True, font_size=12, font_color=TITLE_FG, bottom=1)
        self.header = add(bold=True, font_color="white", bg_color=HEAD_BG, text_wrap=True,
                          valign="vcenter", align="center", border=1)
        self.header_rule = add(bold=True, font_color="white", bg_color="#2E75B6", text_wrap=True,
                               valign="vcenter", align="center", border=1)
        self.text = add(text_wrap=True, border=1, border_color="#BFBFBF")
        self.text_bold = add(bold=True, text_wrap=True, border=1, border_color="#BFBFBF")
        self.int = add(num_format=INT, border=1, border_color="#BFBFBF", align="center")
        self.coeff = add(num_format=COEFF, border=1, border_color="#BFBFBF", align="center")
        self.euro = add(num_format=EURO, border=1, border_color="#BFBFBF")
        self.euro4 = add(num_format=EURO4, border=1, border_color="#BFBFBF")
        self.pct = add(num_format='0"%"', border=1, border_color="#BFBFBF", align="center")
        self.rule_coeff = add(num_format=COEFF, border=1, border_color="#BFBFBF", align="center",
                              bg_color=BLUE)
        self.rule_euro = add(num_format=EURO, border=1, border_color="#BFBFBF", bg_color=BLUE)
        self.total_label = add(bold=True, top=2)
        self.total_euro = add(bold=True, num_format=EURO, top=2)
        self.total_euro4 = add(bold=True, num_format=EURO4, top=2)
        self.total_int = add(bold=True, num_format=INT, top=2, align="center")
        self.total_coeff = add(bold=True, num_format=COEFF, top=2, align="center")
        self.label = add(bold=True)
        self.note = add(italic=True, font_color="#595959", text_wrap=True)
        self.link = add(font_color="#0563C1", underline=1, border=1, border_color="#BFBFBF")
        self.input = add(bg_color="#FFF2CC", border=1, border_color="#BFBFBF")
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
            num = {"euro": EURO, "coeff": COEFF, "int": INT, "rule_coeff": COEFF, "rule_euro": EURO}.get(fmt_name)
            if num:
                props["num_format"] = num
            if fmt_name in ("int", "coeff", "rule_coeff"):
                props["align"] = "center"
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


HEADER_PT = 10  # page header and footer: printed at ≥ 8 pt down to a fit-to-width scale of 80 %


def print_setup(ws, header_rows: tuple[int, int] | None, title: str, landscape: bool = True,
                confidential: str = ""):
    """A4, fitted to the page width, header rows repeated, page numbers in the footer.

    A sheet is laid out so that fitting it to the width scales it to 80 % or more: its 10-point
    text then prints at 8 points or more (tests/pdf_check.py measures it in LibreOffice's PDF).
    confidential: a mark for the left of the page header ("RISERVATO - dati personali").
    """
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_rows:
        ws.repeat_rows(*header_rows)
    safe = title.replace("&", "&&")
    who = "Comune di Chiari" + (f" - {confidential}" if confidential else "")
    ws.set_header(f"&L&{HEADER_PT}{who}&C&{HEADER_PT}{safe}&R&{HEADER_PT}&D")
    ws.set_footer(f"&C&{HEADER_PT}Pagina &P di &N")


LINE_PT = 13.0  # height of one line of 10-point wrapped text


def text_lines(text, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide (an estimate).

    Wrapped as a spreadsheet does, at spaces: a word that does not fit on the line goes to the
    next one whole; a word longer than the line is broken across lines. Calibri (Carlito) at 10
    points fits about 1,15 characters per unit of column width."""
    if not text:
        return 0
    text = str(text)
    per_line = max(width * 1.15, 1)
    if "\n" not in text and len(text) <= per_line:  # the common case, once per row of a 30,000-row sheet
        return 1
    lines = 0
    for part in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in part.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                lines += 1
                used, need = 0.0, len(word)
            if need > per_line:  # broken across lines, where it can be (at - and _): count 3/4 of a line each
                lines += math.ceil(need / (per_line * 0.75)) - 1
                need = need % per_line or per_line
            used += need
    return lines


def fit_row_height(ws, r: int, cells: list[tuple[str, float]], line_pt: float = LINE_PT, max_lines: int = 12):
    """Set a row tall enough for its wrapped text: spreadsheets don't grow rows that
    xlsxwriter wrote, so without this long text overlaps the next row when printed.
    `cells`: (text, column width in characters)."""
    lines = max([1] + [text_lines(text, width) for text, width in cells])
    ws.set_row(r, min(lines, max_lines) * line_pt + 2)
