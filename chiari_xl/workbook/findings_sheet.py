"""The Rilievi sheet: one row per finding, linked to the cell it is about."""

from __future__ import annotations

from decimal import Decimal

from chiari_xl.findings import Finding
from chiari_xl.workbook.formats import Formats, fit_row_height, print_setup
from chiari_xl.workbook.names import FINDINGS

SHEET = "Rilievi"
HEADER = 2
WIDTHS = {"severity": 12, "code": 24, "objective": 9, "link": 16, "original": 18, "found": 28,
          "expected": 28, "euro_effect": 13, "message": 70}  # the columns of names.FINDINGS


def described(f: Finding) -> str:
    """The finding's message, quoting the input cell's formula when it has one."""
    if f.formula and f.formula not in f.message:
        return f"{f.message}\nFormula nel file: {f.formula}"
    return f.message


INTRO = ("Ogni riga è un problema trovato nel piano: «Vai alla cella» porta alla cella "
         "in questa cartella; la colonna accanto dice dove si trova nel file originale. "
         "Effetto in €: quanto cambierebbe l'importo correggendo il dato.")


def write_findings(wb, fmt: Formats, findings: list[Finding], locate, intro: str = INTRO,
                   print_title: str = "Rilievi del controllo") -> None:
    """`locate(finding)` -> internal link target ("'Obiettivi'!J7") or None."""
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, "Rilievi del controllo", fmt.title)
    ws.write_string(1, 0, intro, fmt.subtitle)
    FINDINGS.add(ws, HEADER, HEADER + len(findings), {key: fmt.header for key in FINDINGS.headings})
    for c, key in enumerate(FINDINGS.headings):
        ws.set_column(c, c, WIDTHS[key])
    r = HEADER
    for f in findings:
        r += 1
        ws.write_string(r, 0, f.severity.label, fmt.severity[f.severity])
        ws.write_string(r, 1, f.code, fmt.text)
        if f.objective is not None:
            ws.write_number(r, 2, f.objective, fmt.int)
        else:
            ws.write_string(r, 2, "piano", fmt.int)
        target = locate(f)
        original = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        if target:
            ws.write_url(r, 3, f"internal:{target}", fmt.link, string=target.replace("'", ""))
        else:
            ws.write_string(r, 3, "", fmt.text)
        ws.write_string(r, 4, original, fmt.text)
        ws.write_string(r, 5, f.found, fmt.text)
        ws.write_string(r, 6, f.expected, fmt.text)
        if f.euro_effect is not None:
            # rounding residuals are fractions of a cent: show them, not "0,00 €"
            cents_only = f.euro_effect == f.euro_effect.quantize(Decimal("0.01"))
            ws.write_number(r, 7, float(f.euro_effect), fmt.euro if cents_only else fmt.euro4)
        else:
            ws.write_blank(r, 7, None, fmt.text)
        ws.write_string(r, 8, described(f), fmt.text)
        fit_row_height(ws, r, [(described(f), WIDTHS["message"]), (f.found, WIDTHS["found"]),
                               (f.expected, WIDTHS["expected"])])
    if not findings:
        ws.write_string(HEADER + 1, 0, "Nessun rilievo: il piano rispetta tutte le regole controllate.", fmt.label)
    ws.freeze_panes(HEADER + 1, 0)
    print_setup(ws, (HEADER, HEADER), print_title)
