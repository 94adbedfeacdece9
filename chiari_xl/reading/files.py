"""Open a workbook file safely and turn every sheet into a Grid.

The file kind is told from its first bytes, not from its name, because the office renames
files: a .xls or .ods saved as .xlsx, a CSV called .xlsx, an encrypted copy. Zip members are
sized before anything is inflated (zip bombs), and XML is parsed by openpyxl with defusedxml
installed (entity-expansion attacks are refused); on top of that any XML part declaring a
DOCTYPE is refused before a parser sees it, so the message says what is wrong.

Cell values come from python-calamine for every format: it reads a 10,000-row sheet about ten
times faster than openpyxl and with a fraction of the memory. Its values are normalised to what
openpyxl gives (whole numbers as int, dates as datetime), and the two things it loses are put
back from the file itself: cached formula errors of .xlsx (#REF!, #DIV/0!: calamine returns '')
and the merged ranges of .ods. openpyxl stays as the fallback for an .xlsx calamine rejects.
The formulas of an .xlsx (and which of them were saved without a value) are read beside the
values by formula_cells.py, only from the sheets that have any.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import zipfile
from pathlib import Path

from xlsxwriter.utility import xl_cell_to_rowcol

from chiari_xl.errors import PlanReadError
from chiari_xl.reading.grid import Grid

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # inflated/compressed size of one member; real sheets are < 30

# Rows per sheet. A plan has tens of objectives (a few thousand would already be extraordinary);
# a sheet with more is a paste gone wrong, and checking it would take minutes and gigabytes.
MAX_SHEET_ROWS = 50_000
MAX_PROLOG_BYTES = 1024 * 1024  # what may precede the root element of an XML part
XML_PARTS = (".xml", ".rels", ".vml")

PLAN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: Path) -> str:
    """'xlsx', 'ods', 'xls', 'encrypted' or raise PlanReadError."""
    path = Path(path)
    if not path.exists():
        raise PlanReadError(path, "il file non esiste.")
    if path.is_dir():
        raise PlanReadError(path, "è una cartella, non il file di un piano.", _plans_in(path))
    size = path.stat().st_size
    if size == 0:
        raise PlanReadError(path, "il file è vuoto (0 byte).", "Forse la copia non è terminata.")
    if size > MAX_FILE_BYTES:
        raise PlanReadError(path, f"il file è troppo grande ({size // (1024 * 1024)} MB).")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path)
    if head == OLE_MAGIC:
        return _ole_kind(path)
    raise PlanReadError(path, "non è un file Excel (.xlsx, .xlsm, .xls) né un foglio OpenDocument (.ods).",
                        "Se è un CSV o un testo, aprirlo con Excel e salvarlo come cartella di lavoro Excel.")


def _plans_in(folder: Path) -> str:
    """What to give instead of a folder: its plan files, when it has any."""
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() in PLAN_SUFFIXES and p.is_file()
                       and not p.name.startswith(("~$", ".")))
    except OSError:
        found = []
    what = "Indicare il file del piano (.xlsx, .xlsm, .xls, .ods)"
    if not found:
        return what + "."
    names = ", ".join(f"«{p}»" for p in found[:3]) + (" …" if len(found) > 3 else "")
    return f"{what}; nella cartella ci sono: {names}."


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO:
                    raise PlanReadError(path, "il file contiene dati compressi in modo anomalo "
                                              "(possibile «zip bomb»): non viene aperto.")
            if total > MAX_UNZIPPED_BYTES:
                raise PlanReadError(path, "il contenuto decompresso del file è troppo grande.")
            is_ods = "mimetype" in names and b"opendocument.spreadsheet" in _head(zf, "mimetype")
            if not is_ods and ("[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names)):
                raise PlanReadError(path, "è un archivio zip ma non una cartella di lavoro Excel.")
            bad = zf.testzip()
            if bad is not None:
                raise PlanReadError(path, f"il file è danneggiato (parte «{bad}» illeggibile).")
            for info in infos:
                if info.filename.lower().endswith(XML_PARTS) and _declares_doctype(zf, info):
                    raise PlanReadError(path, "il file contiene dichiarazioni XML non ammesse (DOCTYPE, "
                                              "entità XML): potrebbe essere stato manipolato e non viene aperto.",
                                        "Aprirlo in Excel e salvarlo di nuovo come cartella di lavoro .xlsx.")
            if is_ods:
                return "ods"
            sheet_parts(zf, path)  # every sheet listed in workbook.xml must be in the archive
    except PlanReadError:
        raise
    except zipfile.BadZipFile:
        raise PlanReadError(path, "il file è danneggiato o incompleto (archivio zip non valido).",
                            "Forse la copia non è terminata: riprovare con il file originale.") from None
    except (EOFError, OSError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise PlanReadError(path, f"il file è danneggiato ({exc.__class__.__name__}).") from None
    return "xlsx"


def _head(zf: zipfile.ZipFile, name: str, n: int = 200) -> bytes:
    with zf.open(name) as fh:
        return fh.read(n)


_ROOT_START = re.compile(rb"<[A-Za-z_:]")


def _declares_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True if the XML prolog (everything before the root element) holds a DOCTYPE or ENTITY.

    Office never writes one; a DOCTYPE is how billion-laughs and external-entity attacks
    start. Only the prolog is read, so this costs one small read per part.
    """
    buf = b""
    with zf.open(info) as fh:
        while len(buf) < MAX_PROLOG_BYTES:
            chunk = fh.read(16384)
            if not chunk:
                break
            buf += chunk
            text = _ascii_view(buf)
            m = _ROOT_START.search(text)
            if m:
                return b"<!DOCTYPE" in text[:m.start()].upper() or b"<!ENTITY" in text[:m.start()].upper()
        else:
            return True  # a megabyte of prolog: no real Office part looks like that
    text = _ascii_view(buf).upper()
    return b"<!DOCTYPE" in text or b"<!ENTITY" in text


def _ascii_view(buf: bytes) -> bytes:
    """UTF-16 parts (BOM) as 8-bit text, so the markup can be searched the same way."""
    if buf[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-le" if buf[:2] == b"\xff\xfe" else "utf-16-be"
        return buf[2:len(buf) - (len(buf) % 2)].decode(enc, "replace").encode("ascii", "replace")
    return buf


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_parts(zf: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """{sheet name: part name} from workbook.xml and its relationships; raises if a part is missing."""
    from defusedxml.ElementTree import fromstring

    names = set(zf.namelist())
    wb_part = next((n for n in ("xl/workbook.xml", "xl/workbook.bin") if n in names), None)
    if wb_part is None or wb_part.endswith(".bin"):
        return {}  # .xlsb or an unusual layout: leave the judgement to the reader
    rels_part = "xl/_rels/workbook.xml.rels"
    try:
        book = fromstring(zf.read(wb_part))
        rels = fromstring(zf.read(rels_part)) if rels_part in names else None
    except Exception:
        raise PlanReadError(path, "il file è danneggiato (elenco dei fogli illeggibile).") from None
    targets = {}
    for rel in (rels if rels is not None else []):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    out = {}
    for el in book.iter():
        if not el.tag.endswith("}sheet"):
            continue
        name, rid = el.get("name", ""), el.get(_NS_REL)
        part = targets.get(rid)
        if part is None or part not in names:
            raise PlanReadError(path, f"il file è danneggiato: manca il contenuto del foglio «{name}».",
                                "Forse la copia non è terminata: riprovare con il file originale.")
        out[name] = part
    return out


def _ole_kind(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except OSError:
        pass
    raise PlanReadError(path, "è un file Office in formato binario ma non un foglio Excel leggibile.")


def load_grids(path) -> dict[str, Grid]:
    """Every sheet of the workbook as a Grid (merged cells filled), in workbook order."""
    path = Path(path)
    kind = sniff(path)
    if kind == "encrypted":
        raise PlanReadError(path, "il file è protetto da password.",
                            "Aprirlo in Excel, togliere la password (File > Informazioni > "
                            "Proteggi cartella di lavoro) e salvarlo di nuovo.")
    if kind == "xlsx":
        try:
            grids = _load_calamine(path, kind)
        except TooManyRows:
            raise
        except PlanReadError:
            grids, restore = _load_openpyxl(path), False  # slower but more lenient with odd writers
        else:
            restore = True
        _read_sheet_xml(path, grids, restore)
        return grids
    grids = _load_calamine(path, kind)
    if kind == "ods":
        _restore_ods_merges(path, grids)
    return grids


def _load_openpyxl(path: Path) -> dict[str, Grid]:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension not supported" and such
            wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except PlanReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken XML
        raise PlanReadError(path, f"il contenuto del file non è valido ({_why(exc)}).") from None
    grids: dict[str, Grid] = {}
    try:
        for ws in wb.worksheets:
            _check_rows(path, ws.title, ws.max_row)
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                      for m in ws.merged_cells.ranges]
            grid = Grid(ws.title, rows, merged)
            grid.fill_merged()
            grids[ws.title] = grid
    finally:
        wb.close()
    return grids


def _read_sheet_xml(path: Path, grids: dict[str, Grid], restore_errors: bool) -> None:
    """What the value readers leave out, from each sheet's XML: cached errors, and formulas."""
    from chiari_xl.reading.formula_cells import has_formulas, scan

    with zipfile.ZipFile(path) as zf:
        for name, part in sheet_parts(zf, path).items():
            grid = grids.get(name)
            if grid is None:
                continue
            data = zf.read(part)
            if restore_errors:
                _restore_xlsx_errors(grid, data)
            if not has_formulas(data):
                continue
            try:
                scan(data, grid)
            except Exception as exc:  # malformed sheet XML that the value reader tolerated
                raise PlanReadError(path, f"le formule del foglio «{name}» non sono leggibili "
                                          f"({_why(exc)}).") from None


class TooManyRows(PlanReadError):
    """A sheet too long to be a plan: final, no other reader is tried."""


def _check_rows(path: Path, sheet: str, n_rows: int) -> None:
    if n_rows > MAX_SHEET_ROWS:
        raise TooManyRows(path, f"il foglio «{sheet}» ha {n_rows:,} righe: troppe per un piano degli "
                                  f"obiettivi (al massimo {MAX_SHEET_ROWS:,}).".replace(",", "."),
                            "Forse sono state incollate righe per errore: toglierle e riprovare.")


def _value(v):
    """A calamine value as openpyxl would give it, so every format reads alike."""
    if v == "":
        return None
    if type(v) is float:
        return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v
    if type(v) is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    return v


def _load_calamine(path: Path, kind: str) -> dict[str, Grid]:
    from python_calamine import CalamineWorkbook

    try:
        # from the bytes, not the path: calamine picks the format from the file name, and an
        # .ods or .xls renamed to .xlsx must still be read as what it is
        with open(path, "rb") as fh:
            wb = CalamineWorkbook.from_filelike(fh)
        grids = {}
        kinds = {m.name: str(m.typ) for m in (getattr(wb, "sheets_metadata", None) or [])}
        for name in wb.sheet_names:
            if kinds and not kinds.get(name, "WorkSheet").endswith("WorkSheet"):
                continue  # chart sheets and macro sheets hold no table
            sheet = wb.get_sheet_by_name(name)
            _check_rows(path, name, max(sheet.height, sheet.total_height))
            rows = [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = []
            for rng in (getattr(sheet, "merged_cell_ranges", None) or []):
                (r1, c1), (r2, c2) = rng
                merged.append((r1, c1, r2, c2))
            grid = Grid(name, rows, merged)
            grid.fill_merged()
            grids[name] = grid
        return grids
    except PlanReadError:
        raise
    except Exception as exc:
        label = {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)", "xlsx": "Excel (.xlsx)"}[kind]
        raise PlanReadError(path, f"il file {label} non è leggibile ({_why(exc)}).") from None


_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*\bt=\"e\"[^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_V = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)


def _restore_xlsx_errors(grid: Grid, data: bytes) -> None:
    """Put back the cached error values (t="e" cells) that calamine reads as empty.

    A plain search of the sheet XML: the parts were size-checked and DOCTYPE-checked by
    sniff(), and error cells are rare, so this is cheap next to parsing.
    """
    if b't="e"' not in data:
        return
    for m in _ERROR_CELL.finditer(data):
        ref, v = _REF.search(m.group(1)), _V.search(m.group(2))
        if ref is None or v is None:
            continue
        r, c = xl_cell_to_rowcol((ref.group(1) + ref.group(2)).decode())
        if grid.value(r, c) is None:
            grid.set_value(r, c, v.group(1).decode("utf-8", "replace").strip())
    # a merged block whose top-left holds an error shows the error all across
    grid.fill_merged()


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _restore_ods_merges(path: Path, grids: dict[str, Grid]) -> None:
    """Merged ranges of an .ods (calamine does not report them), from content.xml."""
    from defusedxml.ElementTree import iterparse

    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            sheet, r, c, merged = None, 0, 0, []
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _T + "table":
                        sheet, r, merged = el.get(_T + "name"), 0, []
                    elif tag == _T + "table-row":
                        c = 0
                    elif tag in (_T + "table-cell", _T + "covered-table-cell") and sheet is not None:
                        rows = int(el.get(_T + "number-rows-spanned", "1"))
                        cols = int(el.get(_T + "number-columns-spanned", "1"))
                        if tag == _T + "table-cell" and (rows > 1 or cols > 1):
                            merged.append((r, c, r + rows - 1, c + cols - 1))
                    continue
                if tag in (_T + "table-cell", _T + "covered-table-cell"):
                    c += int(el.get(_T + "number-columns-repeated", "1"))
                    el.clear()
                elif tag == _T + "table-row":
                    r += int(el.get(_T + "number-rows-repeated", "1"))
                    el.clear()
                elif tag == _T + "table":
                    grid = grids.get(sheet)
                    if grid is not None and merged and not grid.merged:
                        grid.merged = merged
                        grid.fill_merged()
                    sheet = None
                    el.clear()
    except (KeyError, zipfile.BadZipFile):
        return  # no content.xml: calamine already read what there is
    except Exception as exc:
        raise PlanReadError(path, f"il file OpenDocument (.ods) non è leggibile ({_why(exc)}).") from None


def _why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]
