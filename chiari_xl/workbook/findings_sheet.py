"""The Rilievi sheet: one row per finding, linked to the cell it is about, with what to do."""

from __future__ import annotations

from decimal import Decimal

from chiari_xl.findings import Finding, kind_of
from chiari_xl.workbook.formats import (TITLE_ROW_PT, Formats, fit_row_height, print_scale, print_setup,
                                       text_lines)
from chiari_xl.workbook.names import FINDINGS

SHEET = "Rilievi"
HEADER = 2
WIDTHS = {"severity": 11, "objective": 9, "original": 12, "found": 13, "expected": 13, "euro_effect": 10,
          "message": 38, "todo": 28, "link": 16, "code": 24}  # the columns of names.FINDINGS
PRINTED = list(FINDINGS.headings)[:list(FINDINGS.headings).index("todo") + 1]  # on paper a link is no use
COL = {key: c for c, key in enumerate(FINDINGS.headings)}
MAX_LINES = 31  # the tallest row a spreadsheet allows (409 points)
SUB_CENT = "< 0,01 €"  # a rounding residual: its exact figure is in the description


def described(f: Finding) -> str:
    """The finding's message, quoting the input cell's formula when it has one."""
    if f.formula and f.formula not in f.message:
        return f"{f.message}\nFormula nel file: {f.formula}"
    return f.message


INTRO = ("Ogni riga è un problema trovato nel piano, con cosa fare. «Cella nel file originale» dice dove "
         "correggerlo nel piano; «Vai alla cella» porta alla cella in questa cartella. Effetto in €: quanto "
         "cambierebbe l'importo correggendo il dato.")


def write_findings(wb, fmt: Formats, findings: list[Finding], locate, intro: str = INTRO,
                   print_title: str = "Rilievi del controllo", title: str = "Rilievi del controllo") -> None:
    """`locate(finding)` -> internal link target ("'Obiettivi'!J7") or None."""
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, title, fmt.title)
    ws.set_row(0, TITLE_ROW_PT)
    printed_width = sum(WIDTHS[k] for k in PRINTED) + len(PRINTED) - 1
    ws.merge_range(1, 0, 1, len(PRINTED) - 1, intro, fmt.note)
    ws.set_row(1, text_lines(intro, printed_width) * 13 + 3)
    FINDINGS.add(ws, HEADER, HEADER + len(findings), {key: fmt.header for key in FINDINGS.headings})
    ws.set_row(HEADER, max(text_lines(h, WIDTHS[k], bold=True) for k, h in FINDINGS.headings.items()) * 13 + 4)
    for key, c in COL.items():
        ws.set_column(c, c, WIDTHS[key])
    r = HEADER
    for f in findings:
        r += 1
        ws.write_string(r, COL["severity"], f.severity.label, fmt.severity[f.severity])
        if f.objective is not None:
            ws.write_number(r, COL["objective"], f.objective, fmt.int)
        else:
            ws.write_string(r, COL["objective"], "piano", fmt.int)
        ws.write_string(r, COL["original"], original(f), fmt.text)
        ws.write_string(r, COL["found"], f.found, fmt.text)
        ws.write_string(r, COL["expected"], f.expected, fmt.text)
        if f.euro_effect is None:
            ws.write_blank(r, COL["euro_effect"], None, fmt.text)
        elif f.euro_effect and abs(f.euro_effect) < Decimal("0.005"):  # would read 0,00 €
            ws.write_string(r, COL["euro_effect"], SUB_CENT, fmt.text_right)
        else:
            ws.write_number(r, COL["euro_effect"], float(f.euro_effect), fmt.euro)
        message, todo = described(f), kind_of(f.code).todo
        ws.write_string(r, COL["message"], message, fmt.text)
        ws.write_string(r, COL["todo"], todo, fmt.text)
        target = locate(f)
        if target:
            ws.write_url(r, COL["link"], f"internal:{target}", fmt.link, string=target.replace("'", ""))
        else:
            ws.write_string(r, COL["link"], "", fmt.text)
        ws.write_string(r, COL["code"], f.code, fmt.text)
        fit_row_height(ws, r, [(message, WIDTHS["message"]), (todo, WIDTHS["todo"]), (f.found, WIDTHS["found"]),
                               (f.expected, WIDTHS["expected"]), (original(f), WIDTHS["original"])],
                       max_lines=MAX_LINES)
    if not findings:
        ws.write_string(HEADER + 1, 0, "Nessun rilievo: il piano rispetta tutte le regole controllate.", fmt.label)
    ws.freeze_panes(HEADER + 1, 0)
    widths = [WIDTHS[k] for k in PRINTED]
    print_setup(ws, (HEADER, HEADER), print_title, scale=print_scale(widths))
    ws.print_area(0, 0, max(r, HEADER + 1), len(PRINTED) - 1)


def original(f: Finding) -> str:
    """Where the finding is in the input file: 'Obiettivi!M15', or the sheet alone."""
    return f"{f.sheet}!{f.cell}" if f.cell else f.sheet
