"""The staff text of the table ("n.1 resp. + n.6 dipendenti") against N. dip.

Soft evidence (free text), so these are warnings. The euro effect is what the objective
would get if N. dip. followed the text (the admissible count nearest to the one written).
"""

from __future__ import annotations

from collections import defaultdict

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.text import num
from chiari_xl.model.params import FIXED_POOL
from chiari_xl.model.staff import parse_staff
from chiari_xl.text import squash
from chiari_xl.checks.context import Context, column_range

KINDS = [
    Kind("personale-diverso-da-n-dip", Severity.WARNING, "Personale descritto diverso da N. dip.",
         "Il testo «{text}» indica {found}, ma N. dip. è {expected}.",
         todo="Verificare quanti dipendenti partecipano e correggere N. dip. o il testo del personale."),
    Kind("personale-contato-diversamente", Severity.WARNING, "Stesso personale contato in modo diverso",
         "Lo stesso testo del personale «{text}» è contato {found} qui e {expected} "
         "nell'obiettivo {other}.",
         todo="Contare nello stesso modo lo stesso personale nei due obiettivi."),
    Kind("responsabili-contati-in-modo-diverso", Severity.WARNING, "Responsabili contati in modo non uniforme",
         "Il responsabile d'area è contato in N. dip. negli obiettivi {found} ma non "
         "negli obiettivi {expected}.",
         todo="Decidere se il responsabile d'area conta in N. dip. e fare lo stesso in tutti gli obiettivi."),
]


def check(ctx: Context):
    by_text = defaultdict(list)
    counted_managers, not_counted = [], []
    for _, row in ctx.objectives():
        n_dip, text = row["n_dip"], row["personale"]
        if n_dip is None or not text or n_dip != n_dip.to_integral_value():
            continue
        count = parse_staff(text)
        n_int = int(n_dip)
        by_text[squash(text)].append((row, n_int))
        if not count.agrees_with(n_int):
            yield F.make("personale-diverso-da-n-dip", objective=row["n"], sheet=ctx.sheet,
                         cell=row["cell_personale"], found=count.describe(), expected=num(n_dip),
                         text=text, euro_effect=_effect(ctx, row, count.nearest(n_int)))
        elif count.managers and not count.open_ended and count.staff != count.staff + count.managers:
            if n_int == count.staff + count.managers:
                counted_managers.append(row["n"])
            elif n_int == count.staff:
                not_counted.append(row["n"])
    for rows in by_text.values():
        distinct = {n for _, n in rows}
        if len(distinct) < 2:
            continue
        first_row, first_n = rows[0]
        for row, n_int in rows[1:]:
            if n_int != first_n:
                yield F.make("personale-contato-diversamente", objective=row["n"], sheet=ctx.sheet,
                             cell=row["cell_n_dip"], found=n_int, expected=first_n, text=row["personale"],
                             other=first_row["n"])
    if counted_managers and not_counted:
        fmt = lambda ns: ", ".join(str(n) for n in ns)  # noqa: E731
        yield F.make("responsabili-contati-in-modo-diverso", sheet=ctx.sheet,
                     cell=column_range(ctx.df["cell_n_dip"]), found=fmt(counted_managers), expected=fmt(not_counted))


def _effect(ctx: Context, row, n_dip: int):
    if row["pool"] in (None, FIXED_POOL) or row["peso_rule"] is None:
        return None
    coeff, _ = ctx.params.coefficient(n_dip)
    if coeff is None:
        return None
    return ctx.effect_of_total(row, row["peso_rule"] * coeff)

