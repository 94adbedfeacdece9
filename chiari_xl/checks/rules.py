"""Rules 1-3 on each row: numbering, category and weight, headcount and coefficient, total."""

from __future__ import annotations

from collections import defaultdict

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.text import coeff as coeff_text
from chiari_xl.text import num
from chiari_xl.model.params import CATEGORIES, FIXED_POOL, category_label
from chiari_xl.checks.context import Context

KINDS = [
    Kind("peso-errato", Severity.ERROR, "Peso diverso dalla strategicità",
         "La strategicità «{category}» vale peso {expected}, ma è scritto {found}.",
         todo="Correggere il peso secondo la tabella della regola 1 (o la strategicità, se è quella sbagliata)."),
    Kind("coeff-errato", Severity.ERROR, "Coefficiente diverso dal numero di dipendenti",
         "Con {staff} il coefficiente è {expected}, ma è scritto {found}.",
         todo="Correggere il coefficiente secondo la tabella della regola 2 (o N. dip., se è quello sbagliato)."),
    Kind("totale-coeff-errato", Severity.ERROR, "Totale coeff. diverso da peso × coefficiente",
         "Peso {peso} × coefficiente {coeff} = {expected}, ma il totale scritto è {found}.",
         todo="Scrivere come totale coeff. il prodotto peso × coefficiente."),
    Kind("coeff-regola-estesa", Severity.WARNING, "Numero di dipendenti non previsto dal regolamento",
         "{n_dip} dipendenti non rientrano in nessuna fascia del regolamento: il piano "
         "applica per estensione il coefficiente {expected}. Va confermato.",
         todo=("Far confermare il coefficiente applicato (il regolamento non prevede questo numero) o "
               "correggere N. dip.")),
    Kind("n-dip-fuori-tabella", Severity.ERROR, "Numero di dipendenti fuori dalle fasce",
         "{n_dip} dipendenti non rientrano in nessuna fascia della tabella dei coefficienti.",
         todo="Correggere N. dip., o aggiungere la fascia mancante nel foglio Parametri."),
    Kind("n-dip-non-valido", Severity.ERROR, "Numero di dipendenti non valido",
         "Il numero di dipendenti deve essere un intero positivo: trovato {found}.",
         todo="Scrivere in N. dip. un numero intero di dipendenti (o «tutto il personale»)."),
    Kind("categoria-mancante", Severity.ERROR, "Strategicità mancante",
         "Nessuna categoria di strategicità indicata per l'obiettivo.",
         todo="Indicare la strategicità dell'obiettivo."),
    Kind("categoria-multipla", Severity.ERROR, "Più categorie di strategicità",
         "Indicate più categorie di strategicità ({found}): ne serve una sola.",
         todo="Lasciare una sola strategicità per l'obiettivo."),
    Kind("categoria-sconosciuta", Severity.ERROR, "Strategicità non riconosciuta",
         "La strategicità «{found}» non è tra quelle dei parametri ({expected}).",
         todo="Scrivere una delle strategicità del foglio Parametri (es. «3. miglioramento»)."),
    Kind("numero-duplicato", Severity.ERROR, "Numero dell'obiettivo ripetuto",
         "Il numero {found} compare in più righe ({expected}).",
         todo="Dare a ogni obiettivo un numero diverso."),
    Kind("settore-sconosciuto", Severity.ERROR, "Settore non riconosciuto",
         "La tipologia «{found}» non corrisponde a nessun settore dei parametri "
         "({expected}).",
         todo="Scrivere nella tipologia un settore del foglio Parametri, o aggiungere il settore ai parametri."),
]


def check(ctx: Context):
    yield from _numbering(ctx)
    sectors = ", ".join(ctx.params.sector_weights) or "nessuno"
    for _, row in ctx.objectives():
        n, sheet = row["n"], ctx.sheet
        at = lambda f: row.get(f"cell_{f}", "")  # noqa: E731
        if row["pool"] is None and ctx.params.sector_weights:
            yield F.make("settore-sconosciuto", objective=n, sheet=sheet, cell=at("tipologia"),
                         found=row["tipologia"] or "(vuoto)", expected=f"GENERALE, INTERSETTORIALE, {sectors}")
        fixed = row["pool"] == FIXED_POOL
        yield from _category(ctx, row, n, sheet, at, fixed)
        yield from _headcount(ctx, row, n, sheet, at, fixed)
        if fixed:
            continue
        peso, coeff, total = row["peso"], row["coeff"], row["total_coeff"]
        if peso is not None and coeff is not None and total is not None and peso * coeff != total:
            yield F.make("totale-coeff-errato", objective=n, sheet=sheet, cell=at("total_coeff"),
                         found=num(total), expected=num(peso * coeff), peso=num(peso), coeff=coeff_text(coeff),
                         euro_effect=ctx.effect_of_total(row, peso * coeff))
        for field, label in (("peso", "il peso"), ("coeff", "il coefficiente"),
                             ("total_coeff", "il totale coeff.")):
            if row[field] is None and f"cell_{field}" in row and row[f"cell_{field}"]:
                yield F.make("valore-mancante", objective=n, sheet=sheet, cell=at(field), field=label)


def _numbering(ctx: Context):
    rows_by_n = defaultdict(list)
    for _, row in ctx.objectives():
        if row["n"] is None:
            yield F.make("numero-mancante", sheet=ctx.sheet, cell=row["cell_n"] or f"A{row['row']}")
        else:
            rows_by_n[row["n"]].append(row)
    for n, rows in rows_by_n.items():
        if len(rows) > 1:
            where = ", ".join(str(r["row"]) for r in rows)
            for r in rows[1:]:
                yield F.make("numero-duplicato", objective=n, sheet=ctx.sheet, cell=r["cell_n"],
                             found=n, expected=f"righe {where}")


def _category(ctx, row, n, sheet, at, fixed):
    marks = [m for m in (row["category_marks"] or "").split(";") if m]
    text = row["category_text"]
    if row["category"] is None:
        if len(marks) > 1:
            yield F.make("categoria-multipla", objective=n, sheet=sheet, cell=at("category"), found=text)
        elif text:
            yield F.make("categoria-sconosciuta", objective=n, sheet=sheet, cell=at("category"), found=text,
                         expected=", ".join(category_label(c) for c in CATEGORIES))
        elif not fixed:
            yield F.make("categoria-mancante", objective=n, sheet=sheet, cell=at("category"))
        return
    expected, written = row["peso_rule"], row["peso"]
    if fixed or written is None or expected is None or expected == written:
        return
    new_total = expected * row["coeff"] if row["coeff"] is not None else None
    yield F.make("peso-errato", objective=n, sheet=sheet, cell=at("peso"), found=num(written),
                 expected=num(expected), category=category_label(row["category"]),
                 euro_effect=ctx.effect_of_total(row, new_total))


def _headcount(ctx, row, n, sheet, at, fixed):
    n_dip = row["n_dip"]
    if row["all_staff"]:
        # "tutto il personale" is a row of the regulation's table: its coefficient is checked too
        expected, written = row["coeff_rule"], row["coeff"]
        if not fixed and written is not None and written != expected:
            new_total = row["peso"] * expected if row["peso"] is not None else None
            yield F.make("coeff-errato", objective=n, sheet=sheet, cell=at("coeff"), found=coeff_text(written),
                         expected=coeff_text(expected), staff="tutto il personale dipendente",
                         euro_effect=ctx.effect_of_total(row, new_total))
        return
    if n_dip is None:
        if not fixed:
            yield F.make("valore-mancante", objective=n, sheet=sheet, cell=at("n_dip"), field="N. dip.")
        return
    if n_dip < 1 or n_dip != n_dip.to_integral_value():
        yield F.make("n-dip-non-valido", objective=n, sheet=sheet, cell=at("n_dip"), found=num(n_dip))
        return
    if fixed:
        return
    expected, written = row["coeff_rule"], row["coeff"]
    if expected is None:
        yield F.make("n-dip-fuori-tabella", objective=n, sheet=sheet, cell=at("n_dip"), found=num(n_dip),
                     n_dip=num(n_dip))
        return
    if row["coeff_extension"]:
        yield F.make("coeff-regola-estesa", objective=n, sheet=sheet, cell=at("n_dip"), found=num(n_dip),
                     expected=coeff_text(expected), n_dip=num(n_dip))
    if written is not None and written != expected:
        new_total = row["peso"] * expected if row["peso"] is not None else None
        yield F.make("coeff-errato", objective=n, sheet=sheet, cell=at("coeff"), found=coeff_text(written),
                     expected=coeff_text(expected), staff=f"{num(n_dip)} dipendenti",
                     euro_effect=ctx.effect_of_total(row, new_total))
