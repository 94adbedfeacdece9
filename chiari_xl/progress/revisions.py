"""Plan identity by content, and what a revision of the plan changes.

A plan is identified by what it says, not by its file's bytes: the *snapshot* holds the year,
the fund figures, every objective (number, title, type, amount, soglia) and every indicator
(number, position, text, target, weight, who reports it); its *fingerprint* is the sha256 of
that snapshot in canonical form. Opening the plan in Excel or LibreOffice and saving it again
keeps the fingerprint; changing a figure or a text gives a new one.

Indicators are followed across versions by `match_indicators`, the same rule for the history
and for the revision report:
1. same objective and same text (case, accents, punctuation aside): the same indicator;
2. else same objective and same position, with a text at least TEXT_MATCH similar (a corrected
   wording) or unknown (values kept from schema 1 of the history): the same indicator;
3. else it is gone from the plan (its values stay in the history but no longer count).

`revision_findings(old, new)` says, in Italian, what a revision changed and what happens to the
values already accepted: a new indicator has none yet; a changed weight or target keeps the
values (they count with the new weight, the quantity is measured against the new target); a
removed indicator's values stop counting.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from chiari_xl import findings as F
from chiari_xl.findings import Kind, Severity
from chiari_xl.model.cards import TITLE_MATCH, similarity
from chiari_xl.model.money import euro
from chiari_xl.progress.signature import canonical
from chiari_xl.text import clean, norm, num

TEXT_MATCH = TITLE_MATCH

KINDS = [
    Kind("piano-rivisto", Severity.INFO, "Piano rivisto",
         "Il piano in vigore è cambiato rispetto a quello usato il {since} («{old_file}» → «{new_file}»): "
         "{summary}.",
         todo="Verificare che le modifiche del piano siano quelle approvate."),
    Kind("fondo-modificato", Severity.INFO, "Cifre del fondo cambiate",
         "{what}: {found} → {expected}.",
         todo="Verificare le nuove cifre del fondo con la delibera."),
    Kind("obiettivo-nuovo", Severity.INFO, "Nuovo obiettivo",
         "Nuovo obiettivo {objective} «{title}» ({amount}): i suoi indicatori si compilano dal prossimo foglio.",
         todo="Mandare alle aree interessate il foglio aggiornato."),
    Kind("obiettivo-rimosso", Severity.WARNING, "Obiettivo tolto dal piano",
         "L'obiettivo {objective} «{title}» non è più nel piano: i valori registrati restano nello storico "
         "ma non contano più.",
         todo="Verificare che l'obiettivo sia stato tolto dal piano di proposito."),
    Kind("obiettivo-modificato", Severity.INFO, "Obiettivo modificato",
         "Obiettivo {objective}: {what} («{found}» → «{expected}»); i valori già accettati restano.",
         todo="Verificare che la modifica sia quella approvata."),
    Kind("indicatore-nuovo", Severity.INFO, "Nuovo indicatore",
         "Nuovo indicatore {ident} «{text}» (peso {weight} %): nessun valore finora, si compila dal prossimo foglio.",
         todo="Mandare alle aree interessate il foglio aggiornato."),
    Kind("indicatore-modificato", Severity.WARNING, "Indicatore modificato",
         "Indicatore {ident} «{text}»: {what} «{found}» → «{expected}»; {effect}",
         todo="Verificare la modifica e, se serve, chiedere all'area di aggiornare il valore."),
    Kind("indicatore-rimosso", Severity.WARNING, "Indicatore tolto dal piano",
         "L'indicatore {ident} «{text}» non è più nel piano: i valori registrati restano nello storico "
         "ma non contano più.",
         todo="Verificare che l'indicatore sia stato tolto dal piano di proposito."),
]

_FUND = (("fund_total", "Importo massimo dei premi"), ("fund_assigned", "Fondo attribuito ai settori"),
         ("fund_reserve", "Riserva per ulteriori progettualità"), ("fund_welfare", "Altre politiche retributive"),
         ("general_pool", "Fondo degli obiettivi generali e intersettoriali"))


def snapshot(pi) -> dict:
    """What the plan says that progress depends on, in canonical (JSON) form."""
    p = pi.plan.params
    return {
        "year": p.year,
        "fund": {name: canonical(getattr(p, name)) for name, _ in _FUND},
        "fixed": {str(n): canonical(v) for n, v in sorted(p.fixed.items())},
        "sector_weights": {s: canonical(w) for s, w in sorted(p.sector_weights.items())},
        "payout": str(p.payout), "rounding": str(p.rounding),
        "objectives": [{"n": n, "obiettivo": clean(r["obiettivo"]), "tipologia": clean(r["tipologia"]),
                        "amount": canonical(r["amount"]), "soglia": canonical(_soglia(pi, n))}
                       for n, r in sorted(pi.objectives.items())],
        "indicators": [{"n": i.n, "k": i.k, "indicatore": i.indicatore, "quantita": i.quantita,
                        "peso": canonical(i.peso), "soglia": canonical(i.soglia), "reporters": list(i.reporters)}
                       for i in pi.indicators],
    }


def _soglia(pi, n: int):
    inds = pi.of_objective(n)
    return inds[0].soglia if inds else None


def fingerprint(snap: dict) -> str:
    text = json.dumps(snap, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Ref:
    """An indicator as the history or an older plan knows it; text None = unknown (schema 1)."""

    n: int
    k: int
    text: str | None


def match_indicators(old: list[Ref], new: list[Ref]) -> dict[Ref, Ref | None]:
    """Each old indicator -> the same indicator in `new`, or None when it is gone (rule above)."""
    out: dict[Ref, Ref | None] = {}
    for n in sorted({r.n for r in old}):
        olds = sorted({r for r in old if r.n == n}, key=lambda r: (r.k, r.text or ""))
        cands = [r for r in new if r.n == n]
        by_text: set[Ref] = set()
        for ref in olds:
            if ref.text is None:
                continue
            hits = [c for c in cands if norm(c.text) == norm(ref.text)]
            if hits:
                best = min(hits, key=lambda c: abs(c.k - ref.k))
                out[ref] = best
                by_text.add(best)
        for ref in olds:
            if ref in out:
                continue
            same_place = next((c for c in cands if c.k == ref.k and c not in by_text), None)
            if same_place and (ref.text is None or similarity(ref.text, same_place.text) >= TEXT_MATCH):
                out[ref] = same_place
            else:
                out[ref] = None
    return out


def revision_findings(old: dict, new: dict, since: str = "", old_file: str = "",
                      new_file: str = "") -> list[F.Finding]:
    """What changed from snapshot `old` to snapshot `new`, and what happens to the values."""
    out: list[F.Finding] = []
    for name, label in _FUND:
        a, b = old["fund"].get(name, ""), new["fund"].get(name, "")
        if a != b:
            out.append(F.make("fondo-modificato", found=_euro(a), expected=_euro(b), what=label))
    old_obj = {o["n"]: o for o in old["objectives"]}
    new_obj = {o["n"]: o for o in new["objectives"]}
    for n in sorted(new_obj.keys() - old_obj.keys()):
        o = new_obj[n]
        out.append(F.make("obiettivo-nuovo", objective=n, title=o["obiettivo"], amount=_euro(o["amount"])))
    for n in sorted(old_obj.keys() - new_obj.keys()):
        out.append(F.make("obiettivo-rimosso", objective=n, title=old_obj[n]["obiettivo"]))
    for n in sorted(old_obj.keys() & new_obj.keys()):
        a, b = old_obj[n], new_obj[n]
        for key, what, show in (("obiettivo", "titolo", str), ("tipologia", "tipologia", str),
                                ("amount", "importo", _euro), ("soglia", "soglia minima", _pct)):
            if a[key] != b[key]:
                out.append(F.make("obiettivo-modificato", objective=n, found=show(a[key]), expected=show(b[key]),
                                  what=what))
    out += _indicator_changes(old["indicators"], new["indicators"])
    if out:
        counts = _summary(out)
        out.insert(0, F.make("piano-rivisto", since=since, old_file=old_file, new_file=new_file, summary=counts))
    return out


def _indicator_changes(old: list[dict], new: list[dict]) -> list[F.Finding]:
    as_ref = lambda d: Ref(d["n"], d["k"], d["indicatore"])  # noqa: E731
    olds = {as_ref(d): d for d in old}
    news = {as_ref(d): d for d in new}
    matched = match_indicators(list(olds), list(news))
    out: list[F.Finding] = []
    for ref, hit in matched.items():
        a = olds[ref]
        ident = f"{ref.n}.{ref.k}"
        if hit is None:
            out.append(F.make("indicatore-rimosso", objective=ref.n, ident=ident, text=a["indicatore"]))
            continue
        b = news[hit]
        ident = f"{hit.n}.{hit.k}"
        for key, what, effect in (
                ("indicatore", "testo", "è lo stesso indicatore: i valori restano."),
                ("peso", "peso (%)", "i valori già accettati restano e contano con il nuovo peso."),
                ("quantita", "target", "la quantità già raggiunta resta e si confronta con il nuovo target."),
                ("reporters", "chi lo rileva", "i valori già accettati restano; i prossimi li manda chi lo rileva ora.")):
            if a[key] != b[key]:
                out.append(F.make("indicatore-modificato", objective=hit.n, ident=ident, text=b["indicatore"],
                                  what=what, found=_show(a[key]), expected=_show(b[key]), effect=effect))
    taken = {hit for hit in matched.values() if hit is not None}
    for ref, d in news.items():
        if ref not in taken:
            out.append(F.make("indicatore-nuovo", objective=ref.n, ident=f"{ref.n}.{ref.k}", text=d["indicatore"],
                              weight=num(Decimal(d["peso"])) if d["peso"] else "?"))
    return sorted(out, key=lambda f: (f.objective or 0, f.code))


def _summary(found: list[F.Finding]) -> str:
    labels = {"obiettivo-nuovo": ("obiettivo nuovo", "obiettivi nuovi"),
              "obiettivo-rimosso": ("obiettivo tolto", "obiettivi tolti"),
              "obiettivo-modificato": ("modifica di obiettivo", "modifiche di obiettivi"),
              "indicatore-nuovo": ("indicatore nuovo", "indicatori nuovi"),
              "indicatore-modificato": ("modifica di indicatore", "modifiche di indicatori"),
              "indicatore-rimosso": ("indicatore tolto", "indicatori tolti"),
              "fondo-modificato": ("cifra del fondo cambiata", "cifre del fondo cambiate")}
    parts = []
    for code, (one, many) in labels.items():
        n = sum(1 for f in found if f.code == code)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _euro(text: str) -> str:
    return euro(Decimal(text)) if text not in ("", None) else "—"


def _pct(text: str) -> str:
    return f"{num(Decimal(text))} %" if text not in ("", None) else "—"


def _show(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)
