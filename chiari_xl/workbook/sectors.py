"""One sheet per sector (generali, intersettoriali and the Giunta's fixed amounts together):
its objectives, their amounts read live from Obiettivi, and the sector's total."""

from __future__ import annotations

import re

import pandas as pd
from xlsxwriter.utility import xl_range

from chiari_xl.model.params import FIXED_POOL, GENERAL_POOL, PlanParams, category_label
from chiari_xl.model.sectors import sector_label
from chiari_xl.workbook.formats import Formats, fit_row_height, print_setup
from chiari_xl.workbook.names import OBJECTIVES, POOLS
from chiari_xl.workbook.objectives import ObjectivesLayout
from chiari_xl.model.frames import records
from chiari_xl.model.money import to_float
from chiari_xl.model.money import total as money_total
from chiari_xl.workbook.values import blank_or

HEADER = 4
COLUMNS = [("n", "N.", 5), ("obiettivo", "Obiettivo", 60), ("category", "Strategicità", 15),
           ("n_dip", "N. dip.", 8), ("total_rule", "Totale coeff. (regola)", 11),
           ("amount", "Importo pubblicato", 14), ("amount_recomputed", "Importo ricalcolato", 14),
           ("diff", "Differenza", 13)]


def sheet_name(pool: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\']", "-", sector_label(pool))[:31]
    base, i = name, 2
    while name.lower() in taken:
        name = f"{base[:28]} {i}"
        i += 1
    taken.add(name.lower())
    return name


def write_sectors(wb, fmt: Formats, df: pd.DataFrame, params: PlanParams, pools: pd.DataFrame,
                  lay: ObjectivesLayout, taken: set[str]) -> None:
    """`pools`: the model's pool summary (model.rules.pool_summary), for each pool's money."""
    money = {name: exact or 0 for name, exact in zip(pools["pool"], pools["exact"])}
    groups = [(GENERAL_POOL, [FIXED_POOL, GENERAL_POOL])] + [(s, [s]) for s in params.sector_weights]
    for title, pools in groups:
        part = df[df["pool"].isin(pools)]
        ws = wb.add_worksheet(sheet_name(title, taken))
        # a sector whose weights cannot split the fund has no pool: Riepilogo shows it blank
        no_pool = title != GENERAL_POOL and not params.sector_weights_usable
        _write_one(ws, fmt, title, part, pools, lay, money, no_pool)


def _write_one(ws, fmt: Formats, title: str, part: pd.DataFrame, pools, lay: ObjectivesLayout,
               money: dict, no_pool: bool = False):
    ws.write_string(0, 0, f"Obiettivi: {title}", fmt.title)
    ws.write_string(1, 0, "Valori collegati al foglio Obiettivi: si aggiornano con il piano.", fmt.subtitle)
    for c, (_k, h, w) in enumerate(COLUMNS):
        ws.write_string(HEADER, c, h, fmt.header)
        ws.set_column(c, c, w)
    ws.set_row(HEADER, 30)
    r = HEADER
    recs = records(part)  # dicts: iterrows is slow
    for idx, row in zip(part.index, recs):
        r += 1
        k = lay.position[idx]  # the objective's row in ObiettiviTab
        if row["n"] is not None:
            ws.write_number(r, 0, to_float(row["n"]), fmt.int)
        else:
            ws.write_blank(r, 0, None, fmt.int)
        ws.write_string(r, 1, row["obiettivo"] or "", fmt.text)
        fit_row_height(ws, r, [(row["obiettivo"] or "", COLUMNS[1][2])])
        ws.write_string(r, 2, category_label(row["category"]) if row["category"] else (row["category_text"] or ""),
                        fmt.text)
        if row["n_dip"] is not None:
            ws.write_number(r, 3, to_float(row["n_dip"]), fmt.int)
        else:
            ws.write_string(r, 3, "tutto il personale" if row["all_staff"] else "", fmt.int)
        for c, key, f in ((4, "total_rule", fmt.coeff), (5, "amount", fmt.euro),
                          (6, "amount_recomputed", fmt.euro), (7, "diff", fmt.euro)):
            src = OBJECTIVES.at(key, k)
            value = row["amount_change" if key == "diff" else key]
            ws.write_formula(r, c, f'=IF({src}="","",{src})', f, blank_or(value))
    total = r + 1
    ws.write_string(total, 1, "Totale", fmt.total_label)
    for c, key in ((4, "total_rule"), (5, "amount"), (6, "amount_recomputed"), (7, "diff")):
        values = [row["amount_change" if key == "diff" else key] for row in recs]
        f = fmt.total_coeff if c == 4 else fmt.total_euro
        if not recs:  # a sector without objectives: a SUM here would sum its own cell
            ws.write_number(total, c, 0, f)
            continue
        ws.write_formula(total, c, f"=SUM({xl_range(HEADER + 1, c, r, c)})", f, to_float(money_total(values)))
    ws.write_string(total + 2, 1, "Fondo disponibile per questo foglio (da Riepilogo)", fmt.label)
    quoted = [f'"{pool}"' for pool in pools]
    formula = "+".join(f'IFERROR({POOLS.lookup("exact", "pool", q)},0)' for q in quoted)
    ws.write_formula(total + 2, 6, "=" + formula, fmt.euro4,
                     "" if no_pool else sum(to_float(money.get(p, 0)) for p in pools))
    ws.freeze_panes(HEADER + 1, 0)
    print_setup(ws, (HEADER, HEADER), f"Obiettivi: {title}")

