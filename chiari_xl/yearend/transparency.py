"""«Dati relativi ai premi» (art. 20 d.lgs. 33/2013): what the law asks to publish, aggregate only.

The total allocated to performance bonuses and the total actually paid; how the individual
amounts are distributed (by bands of amount and by quartiles, with the share of staff in
each); the degree of differentiation (mean and median, top against bottom quartile,
coefficient of variation, Gini index). Never a name or a matricola: the tables are built
from the list of amounts alone, and a test checks the files against the input's people.
Written next to the payout workbook as a printable sheet (.xlsx) and an open-format CSV,
named Dati_relativi_ai_premi_<anno>.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import xlsxwriter

from chiari_xl.model.money import as_decimal, euro, round_cents, to_float, total
from chiari_xl.safe_files import atomic_output
from chiari_xl.text import num
from chiari_xl.workbook.formats import SAFE_TEXT, Formats, fit_row_height, print_setup
from chiari_xl.yearend.payout import Payout

# upper limits of the bands of individual amount (€); the last band is "oltre"
BANDS = (Decimal(250), Decimal(500), Decimal(1000), Decimal(1500))
EURO, PCT, COUNT, RATIO = "€", "%", "n.", ""


@dataclass(frozen=True)
class Item:
    section: str
    label: str
    value: Decimal | int | None
    unit: str


def _pct(part, whole) -> Decimal | None:
    return as_decimal(Fraction(part) * 100 / Fraction(whole), 2) if whole else None


def _band_label(i: int) -> str:
    if i == 0:
        return f"fino a {euro(BANDS[0])}"
    if i == len(BANDS):
        return f"oltre {euro(BANDS[-1])}"
    return f"da {euro(BANDS[i - 1] + Decimal('0.01'))} a {euro(BANDS[i])}"


def _quartiles(amounts: list[Decimal]) -> list[list[Decimal]]:
    xs = sorted(amounts)
    n = len(xs)
    return [xs[i * n // 4:(i + 1) * n // 4] for i in range(4)]


def _median(xs: list[Decimal]) -> Decimal | None:
    xs = sorted(xs)
    n = len(xs)
    if not n:
        return None
    return xs[n // 2] if n % 2 else round_cents(Fraction(xs[n // 2 - 1] + xs[n // 2]) / 2)


def _gini(xs: list[Decimal]) -> Decimal | None:
    """Σ_i Σ_j |x_i - x_j| / (2 n² mean), exact; computed on the sorted values in O(n)."""
    n = len(xs)
    s = sum(xs, Decimal(0))
    if n == 0 or s == 0:
        return None
    ordered = sorted(Fraction(x) for x in xs)
    weighted = sum(((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered)), Fraction(0))
    return as_decimal(weighted / (n * Fraction(s)), 4)


def items(p: Payout) -> list[Item]:
    t = p.totals
    amounts = [p.total_of(e.matricola) for e in p.staff.employees]
    paid = [a for a in amounts if a > 0]
    staff_n = len(amounts)
    out = [
        Item("Ammontare dei premi", "Premi collegati alla performance organizzativa stanziati", t["allocated"], EURO),
        Item("Ammontare dei premi", "Premi effettivamente distribuiti", t["paid"], EURO),
        Item("Ammontare dei premi", "Economie (stanziato non distribuito)", t["savings"], EURO),
        Item("Ammontare dei premi", "Distribuito sullo stanziato", _pct(t["paid"], t["allocated"]), PCT),
    ]
    if t["fund"] is not None:
        out.insert(0, Item("Ammontare dei premi", "Importo massimo dei premi (fondo)", t["fund"], EURO))
    out += [
        Item("Personale", "Dipendenti considerati", staff_n, COUNT),
        Item("Personale", "Dipendenti con un premio", len(paid), COUNT),
        Item("Personale", "Dipendenti con un premio sul totale", _pct(len(paid), staff_n), PCT),
    ]
    section = "Distribuzione per fasce di importo individuale"
    zero = [a for a in amounts if a <= 0]
    out += [Item(section, "Nessun premio: dipendenti", len(zero), COUNT),
            Item(section, "Nessun premio: quota dei dipendenti", _pct(len(zero), staff_n), PCT)]
    for i in range(len(BANDS) + 1):
        low = BANDS[i - 1] if i else Decimal(0)
        high = BANDS[i] if i < len(BANDS) else None
        inside = [a for a in paid if a > low and (high is None or a <= high)]
        label = _band_label(i)
        out += [Item(section, f"{label}: dipendenti", len(inside), COUNT),
                Item(section, f"{label}: quota dei dipendenti", _pct(len(inside), staff_n), PCT),
                Item(section, f"{label}: importo", total(inside), EURO),
                Item(section, f"{label}: quota dell'importo distribuito", _pct(total(inside), t["paid"]), PCT)]
    section = "Distribuzione per quartili (dipendenti con un premio)"
    quarts = _quartiles(paid)
    for i, q in enumerate(quarts, start=1):
        out += [Item(section, f"{i}° quartile: dipendenti", len(q), COUNT),
                Item(section, f"{i}° quartile: premio medio",
                     round_cents(Fraction(total(q)) / len(q)) if q else None, EURO),
                Item(section, f"{i}° quartile: quota dell'importo distribuito", _pct(total(q), t["paid"]), PCT)]
    section = "Grado di differenziazione"
    mean = round_cents(Fraction(total(paid)) / len(paid)) if paid else None
    out += [Item(section, "Premio medio (dipendenti con un premio)", mean, EURO),
            Item(section, "Premio mediano (dipendenti con un premio)", _median(paid), EURO)]
    if quarts[0] and quarts[3]:
        ratio = (Fraction(total(quarts[3])) / len(quarts[3])) / (Fraction(total(quarts[0])) / len(quarts[0]))
        out.append(Item(section, "Premio medio del quartile più alto / del più basso", as_decimal(ratio, 2), RATIO))
    if paid and mean:
        m = Fraction(total(paid)) / len(paid)
        var = sum(((Fraction(a) - m) ** 2 for a in paid), Fraction(0)) / len(paid)
        cv = as_decimal(var, 12).sqrt() / as_decimal(m, 12)
        out.append(Item(section, "Coefficiente di variazione dei premi", cv.quantize(Decimal("0.0001")), RATIO))
    out.append(Item(section, "Indice di Gini, tutti i dipendenti considerati (0 = premi uguali)", _gini(amounts),
                    RATIO))
    return out


def value_text(item: Item) -> str:
    """Italian text for the CSV: decimal comma, no thousands separator."""
    v = item.value
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    return (f"{v:.2f}" if item.unit == EURO else format(v, "f")).replace(".", ",")


def write_transparency(folder: Path, p: Payout, data: list[Item] | None = None) -> list[Path]:
    year = p.view.year or "piano"
    stem = f"Dati_relativi_ai_premi_{year}"
    data = items(p) if data is None else data
    with atomic_output(Path(folder) / f"{stem}.xlsx") as out:
        _workbook(out.tmp, p, data)
    with atomic_output(Path(folder) / f"{stem}.csv") as csv_out:
        with open(csv_out.tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(("sezione", "voce", "valore", "unita"))
            for it in data:
                w.writerow((it.section, it.label, value_text(it), it.unit))
    return [out.final, csv_out.final]


def _workbook(path: Path, p: Payout, data: list[Item]) -> None:
    year = p.view.year or ""
    wb = xlsxwriter.Workbook(str(path), SAFE_TEXT)
    wb.set_properties({"title": f"Dati relativi ai premi {year}".strip(), "author": "chiari-xl",
                       "subject": "Art. 20 d.lgs. 33/2013 - dati aggregati"})
    fmt = Formats(wb)
    ws = wb.add_worksheet("Dati relativi ai premi")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 4, 16)
    ws.write_string(0, 0, f"Dati relativi ai premi {year}".strip(), fmt.title)
    note = ("Art. 20 d.lgs. 33/2013: ammontare complessivo dei premi collegati alla performance stanziati e "
            "distribuiti, distribuzione dei premi e grado di differenziazione. Dati aggregati: nessun dato "
            "personale.")
    ws.merge_range(1, 0, 1, 4, note, fmt.note)
    fit_row_height(ws, 1, [(note, 108)])
    formats = {EURO: fmt.euro, PCT: wb.add_format({"font_name": "Calibri", "font_size": 10, "border": 1,
                                                   "border_color": "#BFBFBF", "num_format": '0.00"%"'}),
               COUNT: fmt.int, RATIO: wb.add_format({"font_name": "Calibri", "font_size": 10, "border": 1,
                                                     "border_color": "#BFBFBF", "num_format": "0.00##"})}
    r = 2
    sections: dict[str, list[Item]] = {}
    for it in data:
        sections.setdefault(it.section, []).append(it)
    for section, its in sections.items():
        r += 2
        ws.write_string(r, 0, section, fmt.section)
        pivot = all(": " in it.label for it in its)
        if not pivot:
            for it in its:
                r += 1
                ws.write_string(r, 0, it.label, fmt.text)
                _value(ws, r, 1, it, formats, fmt)
            continue
        # "fascia: misura" items as a table: one row per band, one column per measure
        rows: dict[str, dict[str, Item]] = {}
        for it in its:
            head, _, measure = it.label.partition(": ")
            rows.setdefault(head, {})[measure] = it
        measures = list(dict.fromkeys(m for cells in rows.values() for m in cells))
        r += 1
        ws.write_string(r, 0, "", fmt.header)
        for c, m in enumerate(measures, start=1):
            ws.write_string(r, c, m, fmt.header)
        fit_row_height(ws, r, [(m, 16) for m in measures])
        for head, cells in rows.items():
            r += 1
            ws.write_string(r, 0, head, fmt.text)
            for c, m in enumerate(measures, start=1):
                if m in cells:
                    _value(ws, r, c, cells[m], formats, fmt)
                else:
                    ws.write_blank(r, c, None, fmt.text)
    r += 2
    ws_note = ("Quartili: i dipendenti con un premio ordinati per importo e divisi in quattro gruppi di "
               f"{num(len([1 for e in p.staff.employees if p.total_of(e.matricola) > 0]) / 4)} in media. "
               "Indice di Gini: 0 se tutti ricevono lo stesso premio, verso 1 quanto più i premi sono concentrati.")
    ws.merge_range(r, 0, r, 4, ws_note, fmt.note)
    fit_row_height(ws, r, [(ws_note, 108)])
    print_setup(ws, None, f"Dati relativi ai premi {year}", landscape=False)
    wb.close()


def _value(ws, r, c, it: Item, formats, fmt) -> None:
    if it.value is None:
        ws.write_string(r, c, "-", fmt.text)
    else:
        ws.write_number(r, c, to_float(it.value), formats[it.unit])
