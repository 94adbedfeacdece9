"""Open a workbook file safely and turn every sheet into a Grid.

The file kind is told from its first bytes, not from its name, because the office renames
files: a .xls or .ods saved as .xlsx, a CSV called .xlsx, an encrypted copy. Zip members are
sized before anything is inflated (zip bombs), and XML is parsed by openpyxl with defusedxml
installed (entity-expansion attacks are refused).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .errors import PlanReadError
from .grid import Grid

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # inflated/compressed size of one member; real sheets are < 30

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
        raise PlanReadError(path, "è una cartella, non un file.")
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
            if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                return "ods"
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise PlanReadError(path, "è un archivio zip ma non una cartella di lavoro Excel.")
            bad = zf.testzip()
            if bad is not None:
                raise PlanReadError(path, f"il file è danneggiato (parte «{bad}» illeggibile).")
    except zipfile.BadZipFile:
        raise PlanReadError(path, "il file è danneggiato o incompleto (archivio zip non valido).",
                            "Forse la copia non è terminata: riprovare con il file originale.") from None
    except (EOFError, OSError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise PlanReadError(path, f"il file è danneggiato ({exc.__class__.__name__}).") from None
    return "xlsx"


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
        return _load_openpyxl(path)
    return _load_calamine(path, kind)


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
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                      for m in ws.merged_cells.ranges]
            grid = Grid(ws.title, rows, merged)
            grid.fill_merged()
            grids[ws.title] = grid
    finally:
        wb.close()
    return grids


def _load_calamine(path: Path, kind: str) -> dict[str, Grid]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        grids = {}
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            rows = [[None if v == "" else v for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = []
            for rng in (getattr(sheet, "merged_cell_ranges", None) or []):
                (r1, c1), (r2, c2) = rng
                merged.append((r1, c1, r2, c2))
            grid = Grid(name, rows, merged)
            grid.fill_merged()
            grids[name] = grid
        return grids
    except Exception as exc:
        label = {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)"}[kind]
        raise PlanReadError(path, f"il file {label} non è leggibile ({_why(exc)}).") from None


def _why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]
