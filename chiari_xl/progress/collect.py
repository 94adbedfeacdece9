"""Read returned progress workbooks safely.

A file is refused whole when it cannot be trusted: not a readable .xlsx, no signature,
signature not matching its locked cells (a protected cell changed, even after removing the
protection), another plan, another month, an area unknown to the plan, a name that claims
another area, the same file twice in one collection. Otherwise only the input cells are
read; a bad input cell (formula, unknown state, number out of range, note too long) is
refused alone and a value written outside the input cells is ignored, each with its reason.
Every outcome — accepted values and refusals — goes to the history before anything else.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl

from chiari_xl.reading.files import sha256
from chiari_xl.reading.numbers import NotANumber, to_decimal
from chiari_xl.text import clean, norm
from chiari_xl.progress import history
from chiari_xl.progress import layout as L
from chiari_xl.progress.indicators import STATES, PlanIndicators
from chiari_xl.progress.sheets import file_name, locked_values
from chiari_xl.progress.signature import canonical, load_or_create_key, verify

ACCEPTED, PARTIAL, REJECTED = "accettato", "accettato in parte", "rifiutato"
EXTENSIONS = (".xlsx", ".xlsm")
_NAME = re.compile(r"^Monitoraggio_(\d{4}-\d{2})_(.+?)(?: \(\d+\))?$")


@dataclass
class FileResult:
    path: Path
    sha256: str | None = None
    area_key: str | None = None
    area_name: str | None = None
    month: str | None = None
    status: str = REJECTED
    reason: str = ""          # why the whole file was refused
    values: list[dict] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)  # {cell, value, reason}
    notes: list[str] = field(default_factory=list)
    readable: bool = False
    new: bool = False         # first time this file enters the history


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


def collect(pi: PlanIndicators, paths, month: str, office_dir: Path) -> list[FileResult]:
    key = load_or_create_key(office_dir)
    seen: dict[str, Path] = {}
    results = []
    con = history.connect(office_dir)
    try:
        for path in expand(paths):
            res = _one(pi, path, month, key, seen)
            if res.sha256 and res.sha256 not in seen:
                seen[res.sha256] = path
                res.new = history.record(
                    con, sha=res.sha256, collect_month=month, file_name=path.name,
                    plan_sha=pi.plan.sha256 if res.area_key else None,
                    area_key=res.area_key, area_name=res.area_name, month=res.month, status=res.status,
                    values=res.values,
                    rejections=res.rejections + ([{"cell": "(file)", "reason": res.reason}] if res.reason else []))
                if not res.new:
                    res.notes.append("File già raccolto in precedenza: nessuna modifica allo storico.")
            results.append(res)
    finally:
        con.close()
    _same_area_twice(results)
    return results


def _refuse(res: FileResult, reason: str, cells: list[dict] | None = None) -> FileResult:
    res.status, res.reason, res.values = REJECTED, reason, []
    res.rejections = cells or []
    return res


def _one(pi: PlanIndicators, path: Path, month: str, key: bytes, seen: dict) -> FileResult:
    res = FileResult(path=path)
    if not path.exists() or not path.is_file():
        return _refuse(res, "Il file non esiste.")
    res.sha256 = sha256(path)
    if res.sha256 in seen:
        res.readable = True
        return _refuse(res, f"Stesso file già presente in questa raccolta («{seen[res.sha256].name}»): "
                            "considerato una sola volta.")
    if path.suffix.lower() not in EXTENSIONS:
        return _refuse(res, "Formato non ammesso: salvare il foglio in formato Excel (.xlsx) e rispedirlo.")
    try:
        wb = openpyxl.load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return _refuse(res, f"File illeggibile come cartella Excel ({type(exc).__name__}).")
    res.readable = True
    if L.SIGNATURE not in wb.sheetnames or L.SHEET not in wb.sheetnames:
        return _refuse(res, "Non è un foglio di monitoraggio emesso dall'ufficio (manca la firma o il foglio "
                            f"«{L.SHEET}»).")
    meta, signature = _read_meta(wb[L.SIGNATURE])
    res.area_key, res.area_name, res.month = meta.get("area_key"), meta.get("area_name"), meta.get("month")
    try:
        idents = json.loads(meta.get("rows", ""))
    except ValueError:
        return _refuse(res, "Firma del foglio illeggibile: dati nascosti alterati.")
    ws = wb[L.SHEET]
    cells = L.locked_cells(len(idents))
    locked = [(c, ws[c].value) for c in cells]
    if not verify(key, meta, locked, signature):
        return _refuse(res, *_diagnose(pi, meta, idents, locked))
    # from here the metadata is the office's own
    if meta.get("plan_sha256") != pi.plan.sha256:
        return _refuse(res, f"Foglio emesso per un altro piano («{meta.get('plan_file')}», diverso da "
                            f"«{pi.plan.path.name}»).")
    if res.month != month:
        return _refuse(res, f"Foglio del mese {L.month_label(res.month)} ({res.month}), ma la raccolta è del mese "
                            f"{L.month_label(month)} ({month}): raccoglierlo con --month {res.month}.")
    area = pi.area_map.areas.get(res.area_key)
    if area is None:
        return _refuse(res, f"L'area «{res.area_name}» non è un'area del piano.")
    claimed = _claimed_area(path)
    if claimed is not None and claimed != area.file_part:
        return _refuse(res, f"Il nome del file indica l'area «{claimed}», ma il foglio firmato è dell'area "
                            f"«{area.name}» (nome atteso: «{file_name(res.month, area)}»): file di un'altra area "
                            "rinominato?")
    if not ws.protection.sheet:
        res.notes.append("La protezione del foglio è stata tolta; le celle protette risultano intatte (firma valida).")
    _read_inputs(ws, idents, res)
    res.status = PARTIAL if res.rejections else ACCEPTED
    return res


def _read_meta(ws) -> tuple[dict, str]:
    meta, signature = {}, ""
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        k, v = row
        if k is None:
            continue
        if k == "firma":
            signature = str(v or "")
        elif k not in ("versione", "ultima_riga", "generato"):
            meta[str(k)] = "" if v is None else str(v)
    return meta, signature


def _diagnose(pi: PlanIndicators, meta: dict, idents: list, locked: list) -> tuple[str, list[dict]]:
    """Why a signature does not match: the changed protected cells, when the plan can tell."""
    area = pi.area_map.areas.get(meta.get("area_key"))
    if area is not None and meta.get("plan_sha256") == pi.plan.sha256 and L.MONTH_RE.match(meta.get("month", "")):
        inds = pi.of_area(area.key)
        if [i.ident for i in inds] == idents:
            expected = locked_values(pi, area, meta["month"], inds)
            cells = [{"cell": f"{L.SHEET}!{c}", "value": canonical(v),
                      "reason": f"Cella protetta modificata: atteso «{canonical(expected.get(c))}»."}
                     for c, v in locked if canonical(v) != canonical(expected.get(c))]
            if cells:
                return (f"Celle protette modificate ({len(cells)}): il foglio non è più quello emesso "
                        "dall'ufficio e viene rifiutato per intero.", cells)
    return ("Firma non valida: i dati nascosti del foglio (area, mese, piano) sono stati alterati "
            "o il foglio non è stato emesso da questo ufficio.", [])


def _claimed_area(path: Path) -> str | None:
    m = _NAME.match(path.stem)
    return m.group(2) if m else None


def _read_inputs(ws, idents: list[str], res: FileResult):
    expected = set(L.locked_cells(len(idents))) | {"A4"}
    last = L.FIRST_ROW + len(idents) - 1
    for r in range(L.FIRST_ROW, last + 1):
        expected |= {f"{c}{r}" for c in (*L.INPUT_FIELDS, "L", "M")}
    for i, ident in enumerate(idents):
        r = L.FIRST_ROW + i
        n, k = (int(x) for x in ident.split("."))
        values = {}
        for letter, fld in L.INPUT_FIELDS.items():
            raw = ws[f"{letter}{r}"].value
            try:
                value = _parse(fld, raw)
            except ValueError as exc:
                res.rejections.append({"cell": f"{L.SHEET}!{letter}{r}", "value": canonical(raw),
                                       "reason": f"{L.FIELD_IT[fld]} dell'indicatore {ident}: {exc}"})
                continue
            if value is not None:
                values[fld] = value
        if values:
            res.values.append({"n": n, "k": k, **{f: values.get(f) for f in L.INPUT_FIELDS.values()}})
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and c.coordinate not in expected and clean(c.value) != "":
                res.rejections.append({"cell": f"{L.SHEET}!{c.coordinate}", "value": canonical(c.value),
                                       "reason": "Valore fuori dalle celle da compilare: ignorato."})


def _parse(fld: str, raw):
    """An input cell as a value, None when blank; ValueError (Italian) when not acceptable."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, str) and raw.strip().startswith("="):
        raise ValueError("formula non ammessa, scrivere solo il valore.")
    if fld == "stato":
        for s in STATES:
            if norm(raw) == norm(s):
                return s
        raise ValueError(f"«{clean(raw)}» non è uno stato ammesso ({', '.join(STATES)}).")
    if fld == "nota":
        text = clean(raw)
        if len(text) > L.NOTE_MAX:
            raise ValueError(f"nota di {len(text)} caratteri, al massimo {L.NOTE_MAX}.")
        return text
    try:
        value = to_decimal(raw)
    except NotANumber:
        raise ValueError(f"«{clean(raw)}» non è un numero.") from None
    if value is None:
        return None
    if value < 0:
        raise ValueError(f"{canonical(value)} è negativo: serve un numero maggiore o uguale a 0.")
    if fld == "percentuale" and value > 100:
        raise ValueError(f"{canonical(value)} è oltre 100: serve un numero da 0 a 100.")
    return Decimal(canonical(value))


def _same_area_twice(results: list[FileResult]):
    by_area: dict[tuple, list[FileResult]] = {}
    for r in results:
        if r.status != REJECTED:
            by_area.setdefault((r.area_key, r.month), []).append(r)
    for group in by_area.values():
        if len(group) > 1:
            names = ", ".join(f"«{g.path.name}»" for g in group)
            for g in group[:-1]:
                g.notes.append(f"Più file per la stessa area e mese ({names}): vale l'ultimo raccolto.")


def exit_code(results: list[FileResult]) -> int:
    """0 every file accepted whole, 1 something refused, 2 nothing readable."""
    if not results or not any(r.readable for r in results):
        return 2
    return 0 if all(r.status == ACCEPTED for r in results) else 1
