"""Read returned progress workbooks safely, cell by cell, and record what was accepted.

A file is refused whole when it cannot be trusted: not a readable .xlsx (the reasons `check`
gives), no signature, a signature not matching its locked cells (a protected cell changed, even
after removing the protection), another month, an area the plan in force does not have, a name
that claims another area, the same file twice in one collection, or a sheet issued before a
revision of the plan that changed this area's indicators (the reason says what changed).
The plan *file* does not matter: a sheet is valid as long as what it shows is what the plan in
force says for its area (indicators, targets, weights, soglie); a corrected objective title is
only noted.

Otherwise only the input cells are read, each judged on its own: a formula, an unknown state, a
number that is not finite, absurd, negative, over 100 % or an ambiguous percentage, a note too
long — refused for that cell with an Italian reason; its indicator row is not taken (the value
accepted before stands) and the rest of the file is. A value outside the input cells is ignored
and said. No error ends a collection: a file that fails unexpectedly is refused whole with its
reason and the others are collected. Every outcome goes to the history (progress/history.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from chiari_xl import findings as F
from chiari_xl.errors import PlanReadError
from chiari_xl.findings import Kind, Severity
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.completion import STATE_LABELS, Ambiguous, State, points_of_cell
from chiari_xl.progress.history import Outcome
from chiari_xl.progress.indicators import PlanIndicators
from chiari_xl.progress.names import area_key
from chiari_xl.progress.notices import Notice
from chiari_xl.progress.office import load_or_create_key
from chiari_xl.progress.revisions import Ref, match_indicators
from chiari_xl.progress.sheets import PREFIX, file_name, locked_values
from chiari_xl.progress.signature import canonical, verify
from chiari_xl.reading.files import sha256, sniff
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.text import clean

EXTENSIONS = (".xlsx", ".xlsm")
MAX_QUANTITY = Decimal(1_000_000_000)
_NAME = re.compile(rf"^{PREFIX}_(\d{{4}}-\d{{2}})_(.+?)(?: \(\d+\))?$")
_SAVE_AS = "Aprirlo in Excel o LibreOffice e salvarlo come cartella di lavoro Excel (.xlsx), poi rispedirlo."

KINDS = [
    Kind("file-illeggibile", Severity.ERROR, "File illeggibile",
         "Il file non è leggibile: {reason}",
         todo="Farsi rimandare il file dall'area, salvato come cartella di lavoro Excel (.xlsx)."),
    Kind("foglio-non-firmato", Severity.ERROR, "Non è un foglio di monitoraggio",
         "Non è un foglio di monitoraggio emesso dall'ufficio (manca la firma o il foglio «{sheet_name}»).",
         todo="Mandare all'area il foglio emesso dall'ufficio e farle compilare quello."),
    Kind("firma-non-valida", Severity.ERROR, "Firma non valida",
         "Firma non valida: i dati nascosti del foglio (area, mese, righe) sono stati alterati o il foglio "
         "non è stato firmato con la chiave di questo ufficio (chiave rigenerata? vedere il README).",
         todo="Mandare all'area un foglio nuovo emesso dall'ufficio e farlo ricompilare."),
    Kind("celle-protette-modificate", Severity.ERROR, "Celle protette modificate",
         "Celle protette modificate ({count}): il foglio non è più quello emesso dall'ufficio e viene "
         "rifiutato per intero.",
         todo="Mandare all'area un foglio nuovo e chiedere di scrivere solo nelle celle gialle."),
    Kind("cella-protetta-modificata", Severity.ERROR, "Cella protetta modificata",
         "Cella protetta modificata: atteso «{expected}», trovato «{found}».",
         todo="Chiedere all'area di scrivere solo nelle celle gialle."),
    Kind("foglio-altro-mese", Severity.ERROR, "Foglio di un altro mese",
         "Foglio del mese {sheet_month} ({found}), ma la raccolta è del mese {month} ({expected}): "
         "raccoglierlo con --mese {found}.",
         todo="Raccogliere il foglio con il mese indicato nel foglio stesso."),
    Kind("area-sconosciuta", Severity.ERROR, "Area non prevista dal piano",
         "L'area «{area}» non rileva indicatori nel piano in vigore: foglio non raccolto.",
         todo="Verificare che nella cartella «piano» ci sia il piano in vigore; altrimenti il foglio non serve."),
    Kind("nome-altra-area", Severity.ERROR, "Nome di un'altra area",
         "Il nome del file indica l'area «{found}», ma il foglio firmato è dell'area «{area}» (nome atteso: "
         "«{expected}»): file di un'altra area rinominato?",
         todo="Verificare con l'area quale foglio ha mandato e farlo rimandare con il nome giusto."),
    Kind("file-duplicato", Severity.WARNING, "Stesso file due volte",
         "Stesso file già presente in questa raccolta («{found}»): considerato una sola volta.",
         todo="Nessuna azione; la copia si può eliminare."),
    Kind("foglio-superato", Severity.ERROR, "Foglio emesso prima di una revisione del piano",
         "Il piano è cambiato per quest'area dopo l'emissione del foglio ({changes}): i valori non si "
         "possono attribuire. Mandare all'area il foglio aggiornato.",
         todo="Mandare all'area il foglio aggiornato e farlo ricompilare."),
    Kind("errore-imprevisto", Severity.ERROR, "Errore imprevisto nella lettura",
         "Errore imprevisto durante la lettura ({found}): file rifiutato, gli altri sono raccolti. "
         "Inviare il file a chi gestisce il programma.",
         todo="Mandare il file a chi gestisce il programma."),
    Kind("cella-rifiutata", Severity.WARNING, "Valore rifiutato",
         "{field} dell'indicatore {ident}: {reason} La riga non è stata presa: resta il valore accettato prima.",
         todo="Chiedere all'area di correggere il valore nel foglio del mese successivo."),
    Kind("percentuale-ambigua", Severity.WARNING, "Percentuale ambigua",
         "% completamento dell'indicatore {ident}: {reason} La riga non è stata presa: resta il valore "
         "accettato prima.",
         todo="Chiedere all'area di scrivere 50 (o 50%) per metà; 0,5% solo se intende proprio lo 0,5%."),
    Kind("valore-fuori-celle", Severity.INFO, "Valore fuori dalle celle da compilare",
         "Valore «{found}» scritto fuori dalle celle da compilare: ignorato.",
         todo="Nessuna azione; se il valore serviva, farlo scrivere nella cella da compilare."),
    Kind("protezione-tolta", Severity.INFO, "Protezione tolta",
         "La protezione del foglio è stata tolta; le celle protette risultano intatte (firma valida).",
         todo="Nessuna azione: i dati sono validi."),
    Kind("file-gia-raccolto", Severity.INFO, "File già raccolto",
         "File già raccolto in precedenza per {area}, {month}: nessuna modifica allo storico.",
         todo="Nessuna azione."),
    Kind("titolo-corretto", Severity.INFO, "Titolo dell'obiettivo corretto nel piano",
         "Il piano in vigore scrive il titolo dell'obiettivo {objective} in modo diverso da questo foglio "
         "(«{found}» → «{expected}»): gli indicatori sono gli stessi, i valori sono validi.",
         todo="Nessuna azione: i valori sono validi."),
    Kind("piu-file-stessa-area", Severity.INFO, "Più file per la stessa area e mese",
         "Più file per {area}, {month} ({found}): vale l'ultimo raccolto.",
         todo="Verificare che l'ultimo file raccolto sia quello giusto."),
]


@dataclass
class FileResult:
    path: Path
    sha256: str | None = None
    area_key: str | None = None
    area_name: str | None = None
    month: str | None = None
    status: Outcome = Outcome.REFUSED
    reason: str = ""           # why the whole file was refused (Italian)
    rows: list[dict] = field(default_factory=list)   # indicator rows taken, blank ones included
    notices: list[Notice] = field(default_factory=list)
    readable: bool = False
    new: bool = False          # something of it entered the history now

    @property
    def values(self) -> list[dict]:
        return [r for r in self.rows if not history.is_blank(r)]

    @property
    def cell_notices(self) -> list[Notice]:
        return [n for n in self.notices if n.finding.cell]

    def note(self, finding: F.Finding) -> None:
        self.notices.append(Notice(finding, area=self.area_name or "", file=self.path.name))


class _Refused(Exception):
    def __init__(self, finding: F.Finding, cells: list[F.Finding] | None = None):
        self.finding, self.cells = finding, cells or []


def expand(paths) -> list[Path]:
    """Files as given; folders give their .xlsx/.xlsm files (no Office lock files), sorted."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                          and not f.name.startswith(("~$", ".~")))
        else:
            out.append(p)
    return out


def collect(pi: PlanIndicators, paths, month: str | None, office_dir: Path) -> list[FileResult]:
    """Collect `paths` for `month` (None: each file for the month it was issued for)."""
    key = load_or_create_key(office_dir)
    seen: dict[str, Path] = {}
    results = []
    con = history.connect(office_dir)
    try:
        for path in expand(paths):
            res = FileResult(path=Path(path))
            try:
                _one(pi, res, month, key, seen)
            except _Refused as refused:
                _refuse(res, refused.finding, refused.cells)
            except Exception as exc:  # a bug or a file nobody foresaw: refuse it, collect the others
                _refuse(res, F.make("errore-imprevisto", sheet=L.SHEET, found=f"{type(exc).__name__}: {exc}"[:200]))
            if res.sha256 and res.sha256 not in seen:
                seen[res.sha256] = res.path
                res.new = history.record(con, _submission(res, month))
                if not res.new and res.status != Outcome.REFUSED:
                    res.note(F.make("file-gia-raccolto", sheet=L.SHEET, area=res.area_name,
                                    month=L.month_label(res.month)))
            results.append(res)
    finally:
        con.close()
    _same_area_twice(results)
    return results


def _submission(res: FileResult, month: str | None) -> history.Submission:
    refusals = [{"cell": f"{n.finding.sheet}!{n.finding.cell}", "value": n.finding.found, "reason": n.finding.message,
                 "code": n.finding.code} for n in res.cell_notices]
    return history.Submission(sha256=res.sha256, file_name=res.path.name, collect_month=month,
                              area_key=res.area_key, area_name=res.area_name, month=res.month, status=res.status,
                              reason=res.reason, rows=res.rows if res.status != Outcome.REFUSED else [],
                              refusals=refusals)


def _refuse(res: FileResult, finding: F.Finding, cells: list[F.Finding] = ()) -> None:
    res.status, res.reason, res.rows = Outcome.REFUSED, finding.message, []
    res.notices = [n for n in res.notices if n.finding.severity == Severity.INFO and not n.finding.cell]
    res.note(finding)
    for c in cells:
        res.note(c)


def _one(pi: PlanIndicators, res: FileResult, month: str | None, key: bytes, seen: dict) -> None:
    path = res.path
    if not path.is_file():
        raise _Refused(F.make("file-illeggibile", reason="il file non esiste."))
    res.sha256 = sha256(path)
    if res.sha256 in seen:
        res.readable = True
        raise _Refused(F.make("file-duplicato", found=seen[res.sha256].name))
    wb = _open(path)
    res.readable = True
    if L.SIGNATURE not in wb.sheetnames or L.SHEET not in wb.sheetnames:
        raise _Refused(F.make("foglio-non-firmato", sheet_name=L.SHEET))
    meta, signature, version = _read_meta(wb[L.SIGNATURE])
    res.area_key, res.area_name, res.month = meta.get("area_key"), meta.get("area_name"), meta.get("month")
    try:
        idents = [tuple(int(x) for x in i.split(".")) for i in json.loads(meta.get("rows", ""))]
    except (ValueError, AttributeError, TypeError):
        raise _Refused(F.make("firma-non-valida")) from None
    ws = wb[L.SHEET]
    locked = [(c, ws[c].value) for c in L.locked_cells(len(idents))]
    if not verify(key, meta, locked, signature, version):
        raise _Refused(*_diagnose(pi, meta, idents, locked))
    # from here the metadata is the office's own
    if month is not None and res.month != month:
        raise _Refused(F.make("foglio-altro-mese", found=res.month, expected=month,
                              sheet_month=L.month_label(res.month), month=L.month_label(month)))
    area = pi.areas.get(res.area_key)
    if area is None:
        raise _Refused(F.make("area-sconosciuta", area=res.area_name))
    res.area_name = area.name
    claimed = _claimed_area(path)
    if claimed is not None and area_key(claimed) != area_key(area.file_part):  # case aside: names change, keys not
        raise _Refused(F.make("nome-altra-area", found=claimed, area=area.name, expected=file_name(res.month, area)))
    rows = _sheet_rows(ws, idents)
    _compare_with_plan(pi, res, rows)
    if not ws.protection.sheet:
        res.note(F.make("protezione-tolta", sheet=L.SHEET))
    _read_inputs(ws, rows, res)
    res.status = Outcome.PARTIAL if any(n.finding.severity == Severity.WARNING for n in res.cell_notices) \
        else Outcome.ACCEPTED


def _open(path: Path):
    """The workbook, or the reason it cannot be read: the same reasons `check` gives."""
    import openpyxl

    try:
        kind = sniff(path)
    except PlanReadError as exc:
        raise _Refused(F.make("file-illeggibile", reason=f"{exc.reason} {exc.hint}".strip())) from None
    if kind == "encrypted":
        raise _Refused(F.make("file-illeggibile", reason="il file è protetto da password. Togliere la password "
                                                         "(File > Informazioni) e rispedirlo."))
    if kind != "xlsx" or path.suffix.lower() not in EXTENSIONS:
        shown = {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)"}.get(kind, f"«{path.suffix}»")
        raise _Refused(F.make("file-illeggibile", reason=f"il foglio è stato salvato in formato {shown}. {_SAVE_AS}"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise _Refused(F.make("file-illeggibile", reason=f"il contenuto del file non è valido "
                                                         f"({type(exc).__name__}). {_SAVE_AS}")) from None


def _read_meta(ws) -> tuple[dict, str, str]:
    meta, signature, version = {}, "", ""
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        k, v = row
        if k is None:
            continue
        if k == "firma":
            signature = str(v or "")
        elif k == "versione":
            version = str(v or "")
        elif k not in ("ultima_riga", "generato"):
            meta[str(k)] = "" if v is None else str(v)
    return meta, signature, version


def _diagnose(pi: PlanIndicators, meta: dict, idents: list, locked: list) -> tuple[F.Finding, list[F.Finding]]:
    """Why a signature does not match: the changed protected cells, when the plan can tell."""
    area = pi.areas.get(meta.get("area_key"))
    if area is not None and L.MONTH_RE.match(meta.get("month", "")):
        inds = pi.of_area(area.key)
        if [(i.n, i.k) for i in inds] == idents:
            expected = locked_values(pi, area, meta["month"], inds)
            cells = [F.make("cella-protetta-modificata", sheet=L.SHEET, cell=c, found=_shown(v),
                            expected=_shown(expected.get(c)))
                     for c, v in locked if canonical(v) != canonical(expected.get(c))]
            if cells:
                return F.make("celle-protette-modificate", count=len(cells)), cells
    return F.make("firma-non-valida"), []


def _sheet_rows(ws, idents: list[tuple[int, int]]) -> list[dict]:
    """The signed content of each indicator row, as the sheet shows it."""
    rows = []
    for i, (n, k) in enumerate(idents):
        r = L.row_of(i)
        get = lambda key: ws[L.cell(r, key)].value  # noqa: E731
        rows.append({"row": r, "n": n, "k": k, "obiettivo": clean(get("obiettivo")),
                     "indicatore": clean(get("indicatore")), "quantita_testo": clean(get("quantita_testo")),
                     "target": canonical(get("target")), "peso": canonical(get("peso")),
                     "soglia": canonical(get("soglia"))})
    return rows


def _compare_with_plan(pi: PlanIndicators, res: FileResult, rows: list[dict]) -> None:
    """Refuse a sheet whose indicators the plan in force no longer has as shown; note a new title."""
    current = {(i.n, i.k): i for i in pi.of_area(res.area_key)}
    refs = {Ref(r["n"], r["k"], r["indicatore"]): r for r in rows}
    matched = match_indicators(list(refs), [Ref(n, k, i.indicatore) for (n, k), i in current.items()])
    changes: list[str] = []
    titles: dict[int, tuple[str, str]] = {}
    for ref, hit in matched.items():
        row = refs[ref]
        if hit is None:
            changes.append(f"indicatore {ref.n}.{ref.k} «{_clip(row['indicatore'])}» tolto o non più rilevato "
                           "da quest'area")
            continue
        ind = current[(hit.n, hit.k)]
        row["k_now"] = hit.k
        for what, was, now in (("testo", row["indicatore"], ind.indicatore),
                               ("target", row["quantita_testo"], ind.quantita),
                               ("target numerico", row["target"], canonical(ind.target)),
                               ("peso", row["peso"], canonical(ind.peso)),
                               ("soglia", row["soglia"], canonical(ind.soglia))):
            if was != now:
                changes.append(f"indicatore {hit.n}.{hit.k}: {what} «{_clip(was)}» → «{_clip(now)}»")
        if row["obiettivo"] != ind.obiettivo:
            titles[ind.n] = (row["obiettivo"], ind.obiettivo)
    taken = {(h.n, h.k) for h in matched.values() if h is not None}
    for (n, k), ind in current.items():
        if (n, k) not in taken:
            changes.append(f"nuovo indicatore {n}.{k} «{_clip(ind.indicatore)}»")
    if changes:
        shown = "; ".join(changes[:6]) + (f"; e altre {len(changes) - 6} modifiche" if len(changes) > 6 else "")
        raise _Refused(F.make("foglio-superato", changes=shown))
    for n, (was, now) in sorted(titles.items()):
        res.note(F.make("titolo-corretto", objective=n, sheet=L.SHEET, found=_clip(was), expected=_clip(now)))


def _claimed_area(path: Path) -> str | None:
    m = _NAME.match(path.stem)
    return m.group(2) if m else None


def _read_inputs(ws, rows: list[dict], res: FileResult) -> None:
    expected = set(L.locked_cells(len(rows))) | L.input_cells(len(rows)) | {f"A{L.NOTE_ROW}"}
    for row in rows:
        expected |= {L.cell(row["row"], k) for k in ("completamento", "punti")}
    for row in rows:
        values, refused = {}, False
        for col in L.INPUTS:
            at = L.cell(row["row"], col.key)
            c = ws[at]
            try:
                values[col.key] = _parse(col.key, c.value, c.number_format, c.data_type)
            except Ambiguous as exc:
                refused = True
                res.note(F.make("percentuale-ambigua", objective=row["n"], sheet=L.SHEET, cell=at,
                                found=_shown(c.value), ident=f"{row['n']}.{row['k']}", reason=str(exc)))
            except ValueError as exc:
                refused = True
                res.note(F.make("cella-rifiutata", objective=row["n"], sheet=L.SHEET, cell=at, found=_shown(c.value),
                                field=L.FIELD_IT[col.key], ident=f"{row['n']}.{row['k']}", reason=str(exc)))
        if not refused:
            res.rows.append({"n": row["n"], "k": row["k"], "indicatore": row["indicatore"], **values})
    for line in ws.iter_rows():
        for c in line:
            if c.value is not None and c.coordinate not in expected and clean(c.value) != "":
                res.note(F.make("valore-fuori-celle", sheet=L.SHEET, cell=c.coordinate, found=_shown(c.value)))


def _parse(fld: str, raw, number_format: str | None, data_type: str | None):
    """An input cell as a value, None when blank; ValueError (Italian reason) when not acceptable."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if data_type == "f" or (isinstance(raw, str) and raw.strip().startswith("=")) or not isinstance(
            raw, (str, int, float, Decimal, bool, dt.datetime, dt.date, dt.time)):
        raise ValueError("formula non ammessa, scrivere solo il valore.")
    if data_type == "e":
        raise ValueError(f"la cella contiene l'errore {raw}.")
    if fld == "stato":
        state = State.from_text(raw)
        if state is None:
            raise ValueError(f"«{_shown(raw)}» non è uno stato ammesso ({', '.join(STATE_LABELS)}).")
        return state
    if fld == "nota":
        text = clean(raw)
        if len(text) > L.NOTE_MAX:
            raise ValueError(f"nota di {len(text)} caratteri, al massimo {L.NOTE_MAX}.")
        return text
    return _number(fld, raw, number_format)


def _number(fld: str, raw, number_format: str | None) -> Decimal:
    if isinstance(raw, bool) or isinstance(raw, (dt.datetime, dt.date, dt.time)):
        raise ValueError(f"«{_shown(raw)}» non è un numero.")
    try:
        value = to_decimal(raw)
    except NotANumber:
        raise ValueError(f"«{_shown(raw)}» non è un numero.") from None
    if value is None or not value.is_finite():
        raise ValueError(f"«{_shown(raw)}» non è un numero.")
    if abs(value) > MAX_QUANTITY:
        raise ValueError(f"«{_shown(raw)}» è un numero fuori misura (al massimo 1.000.000.000).")
    if value < 0:
        raise ValueError(f"{_shown(raw)} è negativo: serve un numero maggiore o uguale a 0.")
    if fld == "percentuale":
        value = points_of_cell(value, number_format, raw if isinstance(raw, str) else None)
        if value > 100:
            raise ValueError(f"{canonical(value).replace('.', ',')} % è oltre 100: serve un numero da 0 a 100.")
    return Decimal(canonical(value))


def _clip(text, n: int = 60) -> str:
    text = clean(text)
    return text if len(text) <= n else text[:n - 1] + "…"


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clip(value, 40)


def _same_area_twice(results: list[FileResult]) -> None:
    by_area: dict[tuple, list[FileResult]] = {}
    for r in results:
        if r.status != Outcome.REFUSED:
            by_area.setdefault((r.area_key, r.month), []).append(r)
    for group in by_area.values():
        if len(group) > 1:
            names = ", ".join(f"«{g.path.name}»" for g in group)
            for g in group[:-1]:
                g.note(F.make("piu-file-stessa-area", area=g.area_name, month=L.month_label(g.month), found=names))
