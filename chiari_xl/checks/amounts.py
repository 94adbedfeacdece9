"""Rule 4: every amount against the split of its pool, the pools against the fund.

Sign of euro_effect: expected minus found, i.e. what the objective (or the fund) would
gain with the figure the rules give.
"""

from __future__ import annotations

from decimal import Decimal

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.money import as_decimal, euro, euro4, round_cents, total
from chiari_xl.text import num
from chiari_xl.model.params import FIXED_POOL
from chiari_xl.checks.context import Context, column_range

KINDS = [
    Kind("importo-errato", Severity.ERROR, "Importo diverso dal calcolo sui totali scritti",
         "Applicando la ripartizione ai totali scritti l'importo è {expected}, ma è "
         "scritto {found}.",
         todo="Correggere l'importo nel piano con quello calcolato."),
    Kind("importo-da-ricalcolo", Severity.INFO, "Importo che cambia correggendo il piano",
         "Ricalcolando pesi e coefficienti secondo le regole l'importo diventa {expected} "
         "(scritto {found}).",
         todo="Nessuna azione su questo importo: si aggiorna da solo correggendo gli errori del piano."),
    Kind("importo-fisso-diverso", Severity.ERROR, "Importo diverso da quello fissato dalla Giunta",
         "La Giunta ha assegnato {expected}, ma è scritto {found}.",
         todo="Scrivere l'importo deciso dalla Giunta, verificandolo con la delibera."),
    Kind("residuo-arrotondamento", Severity.INFO, "Residuo di arrotondamento",
         "Gli importi di «{pool}» arrotondati al centesimo sommano {found} invece di "
         "{expected}.",
         todo="Nessuna azione: sono frazioni di centesimo che si perdono arrotondando gli importi."),
    Kind("somma-diversa-dal-fondo", Severity.ERROR, "Somma degli importi diversa dal fondo",
         "Gli importi scritti sommano {found}, ma il fondo attribuito è {expected}.",
         todo="Verificare gli importi e il fondo attribuito: la somma degli importi deve essere uguale al fondo."),
    Kind("somma-fondo-arrotondamento", Severity.WARNING, "Il piano non quadra con il fondo per arrotondamenti",
         "Gli importi sommano {found} invece di {expected}: {diff} si perdono negli "
         "arrotondamenti.",
         todo=("Decidere a quali obiettivi assegnare i centesimi che mancano, oppure scegliere nel foglio "
               "Parametri l'arrotondamento con il metodo dei resti maggiori.")),
    Kind("totale-tabella-errato", Severity.ERROR, "Riga di totale errata",
         "Il totale scritto è {found}, ma la somma delle righe è {expected}.",
         todo="Correggere la riga di totale (o la sua formula) perché sommi tutte le righe."),
    Kind("fondo-non-quadra", Severity.ERROR, "Ripartizione del fondo che non quadra",
         "{detail}: {found} invece di {expected}.",
         todo="Verificare con la delibera le cifre del fondo nel foglio Parametri."),
    Kind("pesi-settori-non-validi", Severity.ERROR, "Pesi dei settori che non ripartiscono il fondo",
         "I pesi dei settori ({found}) devono essere non negativi e con somma maggiore di zero: "
         "il fondo dei settori non è ripartito e i loro importi non sono controllati.",
         todo="Correggere i pesi dei settori nel foglio Parametri (numeri positivi, come da delibera)."),
    Kind("fondo-senza-punti", Severity.ERROR, "Fondo da ripartire senza punti",
         "I totali coeff. degli obiettivi di «{pool}» sommano {found}: i suoi {money} non si possono "
         "ripartire in proporzione e i loro importi non sono controllati.",
         todo="Scrivere peso, coefficiente e totale coeff. degli obiettivi di questo fondo."),
    Kind("fondo-senza-obiettivi", Severity.WARNING, "Fondo senza obiettivi",
         "Il fondo «{pool}» vale {found} ma nessun obiettivo vi appartiene: nessuno lo riceve.",
         todo="Assegnare al settore i suoi obiettivi, o togliere il settore (e il suo peso) dal foglio Parametri."),
]


def check(ctx: Context):
    params = ctx.params
    yield from _fund(ctx)
    if not params.amounts_ready:
        return
    for _, row in ctx.objectives():
        n, cell = row["n"], row["cell_amount"]
        written, from_written, recomputed = row["amount"], row["amount_from_written"], row["amount_recomputed"]
        if written is None:
            if row["pool"] is not None:
                yield F.make("valore-mancante", objective=n, sheet=ctx.sheet, cell=cell,
                             field="l'importo stanziato")
            continue
        if row["pool"] == FIXED_POOL:
            if written != from_written:
                yield F.make("importo-fisso-diverso", objective=n, sheet=ctx.sheet, cell=cell,
                             found=euro(written), expected=euro(from_written),
                             euro_effect=from_written - written)
            continue
        if from_written is not None and written != from_written:
            yield F.make("importo-errato", objective=n, sheet=ctx.sheet, cell=cell,
                         found=euro(written), expected=euro(from_written), euro_effect=from_written - written)
        if row["amount_change"]:  # recomputed and different
            yield F.make("importo-da-ricalcolo", objective=n, sheet=ctx.sheet, cell=cell,
                         found=euro(written), expected=euro(recomputed), euro_effect=row["amount_change"])
    yield from _pools(ctx)
    yield from _total_row(ctx)


def _fund(ctx: Context):
    p = ctx.params
    where = lambda attr: p.source.get(attr, "").split("!")[-1]  # noqa: E731
    sheet = "Parametri"
    parts = [p.fund_assigned, p.fund_reserve, p.fund_welfare]
    absent = [label for label, value in (("l'importo massimo dei premi", p.fund_total),
                                         ("la riserva", p.fund_reserve), ("il welfare", p.fund_welfare))
              if value is None]
    if absent:
        yield F.make("controllo-non-eseguito", sheet=sheet, check="attribuito + riserva + welfare = "
                     "importo massimo dei premi", why=f"mancano {', '.join(absent)} (sono nel testo "
                     "della delibera: scriverli nel foglio Parametri)")
    elif p.fund_assigned is not None and sum(parts) != p.fund_total:
        yield F.make("fondo-non-quadra", sheet=sheet, cell=where("fund_total"), found=euro(sum(parts)),
                     expected=euro(p.fund_total), euro_effect=p.fund_total - sum(parts),
                     detail="Attribuito + riserva + welfare")
    if p.sector_weights and not p.sector_weights_usable:
        yield F.make("pesi-settori-non-validi", sheet=sheet, cell=where("sector_weights"),
                     found=", ".join(f"{name} {num(w)}" for name, w in p.sector_weights.items()))
    if p.amounts_ready and p.sector_fund < 0:
        yield F.make("fondo-non-quadra", sheet=sheet, cell=where("general_pool"),
                     found=euro(p.fixed_total + p.general_pool),
                     expected=f"al massimo {euro(p.fund_assigned)}", euro_effect=p.sector_fund,
                     detail="Importi fissati + fondo generali superano il fondo attribuito")


def _pools(ctx: Context):
    summary = ctx.pools
    amount_col = column_range(ctx.df["cell_amount"])
    points_col = column_range(ctx.df["cell_total_coeff"])
    for _, pool in summary.iterrows():
        if pool["pool"] == FIXED_POOL or pool["exact"] is None:
            continue
        exact = as_decimal(pool["exact"])
        if pool["n_objectives"] == 0:
            if exact > 0:  # a negative pool is the fund's mistake (fondo-non-quadra), not an empty pool
                yield F.make("fondo-senza-obiettivi", sheet=ctx.sheet, cell=amount_col, pool=pool["pool"],
                             found=euro(exact), euro_effect=round_cents(exact))
            continue
        if pool["points_written"] <= 0:
            yield F.make("fondo-senza-punti", sheet=ctx.sheet, cell=points_col, pool=pool["pool"],
                         found=num(pool["points_written"]), money=euro(exact))
            continue
        rounded = pool["amount_from_written"]
        if rounded != exact:
            yield F.make("residuo-arrotondamento", sheet=ctx.sheet, cell=amount_col, pool=pool["pool"],
                         found=euro(rounded), expected=euro4(exact),
                         euro_effect=as_decimal(exact - rounded, 4))
    written_total = total(ctx.df["amount"])
    assigned = ctx.params.fund_assigned
    if written_total != assigned:
        n_split = int((ctx.df["pool"] != FIXED_POOL).sum())
        diff = assigned - written_total
        explained = abs(diff) <= Decimal("0.005") * n_split and total(ctx.df["amount_from_written"]) == written_total
        code = "somma-fondo-arrotondamento" if explained else "somma-diversa-dal-fondo"
        yield F.make(code, sheet=ctx.sheet, cell=amount_col, found=euro(written_total), expected=euro(assigned),
                     diff=euro(diff), euro_effect=diff)


def _total_row(ctx: Context):
    tr = ctx.plan.total_row
    if not tr:
        return
    for field, fmt in (("amount", euro), ("total_coeff", str)):
        written = tr.get(field)
        if written is None:
            continue
        actual = total(ctx.df[field])
        if actual != written:
            yield F.make("totale-tabella-errato", sheet=ctx.sheet, cell=tr["cells"][field],
                         found=fmt(written), expected=fmt(actual),
                         euro_effect=(actual - written) if field == "amount" else None)

