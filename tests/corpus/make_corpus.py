#!/usr/bin/env python3
"""Generate the corpus of hostile and awkward input workbooks into a folder.

    python tests/corpus/make_corpus.py OUTDIR [--only NAME ...]

Every case is built from scratch (or from a private copy of the bundled plan), so nothing
binary is committed and nothing under workbooks/ is ever touched. `CASES` also says what
the CLI must do with each file; tests/test_corpus.py runs them all.

The zip bombs are crafted by hand: a deflate stream of zeros is made of one block repeated
(after a full flush the compressor output for the same input is identical), so a member
that inflates to ~3.9 GB costs a few MB on disk and well under a second to build.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "workbooks" / "obiettivi_2025.xlsx"
SRC = ROOT / "workbooks" / "src"
D = Decimal

# What a case must end with. exit: allowed exit codes; message: Italian fragments that the
# stderr message must contain (exit 2); codes: finding codes the JSON report must contain.


@dataclass
class Case:
    build: Callable[[Path], None]
    exit: tuple[int, ...]
    message: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    needs_libreoffice: bool = False
    timeout: float = 60.0
    formula_text: tuple[str, ...] = ()  # texts that must come out as strings, not formulas
    notes: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------- helpers

def _params():
    from chiari_xl.model.params import PlanParams

    return PlanParams(
        year=2025, fund_total=D("91223.09"), fund_assigned=D("69223.09"), fund_reserve=D("4000.00"),
        fund_welfare=D("18000.00"), general_pool=D("10000.00"), fixed={3: D("18000.00")},
        sector_weights={"AMMINISTRATIVO-FINANZIARIO": D(34), "SOCIALE-EDUCATIVO": D(17),
                        "TERRITORIO": D(13), "SICUREZZA": D(13)})


def _table():
    from chiari_xl.dev.make_plan import read_table_csv

    return read_table_csv(SRC / "obiettivi_2025_tabella.csv")


def _cards():
    from chiari_xl.dev.make_plan import read_cards_csv

    return read_cards_csv(SRC / "schede_2025.csv")


def _plan(path: Path, table=None, cards="default", params="default", **style) -> Path:
    from chiari_xl.dev.make_plan import Style, write_plan

    return write_plan(path, _table() if table is None else table,
                      _cards() if cards == "default" else cards,
                      _params() if params == "default" else params, Style(**style))


def _rewrite_zip(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None]) -> None:
    """Copy a zip member by member; `edit(name, data)` returns new data, or None to drop it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def _raw_zip(dst: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """Write a zip from pre-deflated members: (name, raw deflate bytes, crc32, declared size).

    zipfile cannot store an already-compressed stream, and the bombs need exactly that
    (and, for the lying one, a declared size that is not the real one).
    """
    local, central, offset = [], [], 0
    for name, data, crc, size in members:
        fname = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                             len(fname), 0) + fname
        local.append(header + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                   len(data), size, len(fname), 0, 0, 0, 0, 0, offset) + fname)
        offset += len(header) + len(data)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), offset, 0)
    dst.write_bytes(b"".join(local) + cd + end)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zero_stream(total: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """Raw deflate stream of `total` zero bytes (a multiple of `chunk`) and its crc32."""
    assert total % chunk == 0
    zeros = bytes(chunk)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "deflate output not periodic: cannot build the bomb cheaply"
    n = total // chunk
    stream = first + block * (n - 2) + c.compress(zeros) + c.flush()
    crc = 0
    for _ in range(n):  # zlib.crc32 runs at GB/s: ~1 s for 3.9 GB, and no memory
        crc = zlib.crc32(zeros, crc)
    return stream, crc


def _sample_members() -> list[tuple[str, bytes, int, int]]:
    out = []
    with zipfile.ZipFile(SAMPLE) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            out.append((info.filename, _deflate(data), zlib.crc32(data), len(data)))
    return out


# ---------------------------------------------------------------------------- builders

def not_a_zip(p: Path):
    p.write_bytes(b"Questo file non e' un foglio di calcolo.\n" * 200)


def zero_bytes(p: Path):
    p.write_bytes(b"")


def truncated_zip(p: Path):
    data = SAMPLE.read_bytes()
    p.write_bytes(data[: len(data) // 2])  # a copy interrupted half way


def truncated_tail(p: Path):
    data = SAMPLE.read_bytes()
    p.write_bytes(data[:-30])  # only the end-of-central-directory record is missing


def zip_bomb(p: Path):
    """A plan whose first sheet inflates to ~3.9 GB of zeros; a few MB on disk."""
    stream, crc = _zero_stream(3900 << 20)
    members = [m if m[0] != "xl/worksheets/sheet1.xml" else (m[0], stream, crc, 3900 << 20)
               for m in _sample_members()]
    _raw_zip(p, members)


def zip_bomb_lying(p: Path):
    """The same bomb, but the headers declare 64 KB: a reader trusting the stream inflates GBs."""
    stream, _ = _zero_stream(3900 << 20)
    small = 64 << 10
    members = [m if m[0] != "xl/worksheets/sheet1.xml" else (m[0], stream, zlib.crc32(bytes(small)), small)
               for m in _sample_members()]
    _raw_zip(p, members)


def zip_many_members(p: Path):
    """Thousands of highly compressible members: each small, together ~1.2 GB inflated."""
    members = _sample_members()
    body = bytes(300_000)
    raw, crc = _deflate(body), zlib.crc32(body)
    members += [(f"xl/media/pad{i}.bin", raw, crc, len(body)) for i in range(4000)]
    _raw_zip(p, members)


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10)) + "]>")


def _inject(p: Path, doctype: str, ref: str):
    def edit(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode("utf-8")
        text = text.replace("<worksheet", doctype + "<worksheet", 1)
        return text.replace("COMUNE DI CHIARI", ref + " COMUNE DI CHIARI", 1).encode("utf-8")

    _rewrite_zip(SAMPLE, p, edit)


def billion_laughs(p: Path):
    _inject(p, '<?xml version="1.0" encoding="UTF-8"?>' + _LAUGHS, "&lol9;")


def external_entity(p: Path):
    _inject(p, '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            "&xxe;")


def encrypted(p: Path):
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(SAMPLE, "rb") as src, open(p, "wb") as out:
        OOXMLFile(src).encrypt("chiari2025", out)


def _lo_copy(p: Path, target: str):
    from chiari_xl.libreoffice import convert

    with tempfile.TemporaryDirectory(prefix="corpus-lo-") as tmp:
        src = Path(tmp) / "in" / SAMPLE.name
        src.parent.mkdir()
        shutil.copyfile(SAMPLE, src)
        made = convert(src, Path(tmp) / "out", target)
        shutil.copyfile(made, p)


def xls_renamed(p: Path):
    _lo_copy(p, "xls:MS Excel 97")


def ods_renamed(p: Path):
    _lo_copy(p, "ods")


def csv_renamed(p: Path):
    shutil.copyfile(SRC / "obiettivi_2025_tabella.csv", p)


def empty_workbook(p: Path):
    from openpyxl import Workbook

    Workbook().save(p)


def only_table(p: Path):
    """Missing sheets: no Schede, no Parametri."""
    _plan(p, cards=None, params=None)


def sheet_part_missing(p: Path):
    """workbook.xml lists a sheet whose part is not in the archive."""
    _rewrite_zip(SAMPLE, p, lambda name, data: None if name == "xl/worksheets/sheet2.xml" else data)


def headers_no_rows(p: Path):
    _plan(p, table=[], cards=None, merge_sectors=False)


def rows_100k(p: Path):
    """100,000 objectives (a paste gone wrong), written with xlsxwriter: openpyxl takes minutes."""
    import xlsxwriter

    from chiari_xl.dev.make_plan import TABLE_COLUMNS
    from chiari_xl.reading.params_sheet import layout

    sectors = ["SETTORE AMMINISTRATIVO-FINANZIARIO", "SETTORE SOCIALE-EDUCATIVO", "SETTORE TERRITORIO",
               "SETTORE SICUREZZA"]
    cats = [("1. strategico", 40), ("2. innovativo", 25), ("3. miglioramento", 20), ("4. mantenimento", 10)]
    brackets = [(1, 0.5), (3, 1), (5, 1.5), (7, 2), (9, 2.5), (12, 3)]
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("Obiettivi")
    for c, (_, h) in enumerate(TABLE_COLUMNS):
        ws.write_string(0, c, h)
    for i in range(100_000):
        cat, peso = cats[i % 4]
        n_dip, coeff = brackets[i % 6]
        ws.write_row(i + 1, 0, [i + 1, sectors[(i // 7) % 4], f"Obiettivo {i + 1}", "2025",
                                f"n.{n_dip} dipendenti", cat, n_dip, peso, coeff, peso * coeff, 0])
    ps = wb.add_worksheet("Parametri")
    for r, (_, values) in enumerate(layout(_params())):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, str):
                ps.write_string(r, c, v)
            else:
                ps.write_number(r, c, float(v))
    wb.close()


def _set_cells(p: Path, sheet: str, values: dict[str, object], strings: bool = False):
    import openpyxl

    wb = openpyxl.load_workbook(p)
    ws = wb[sheet]
    for ref, v in values.items():
        ws[ref] = v
        if strings:
            ws[ref].data_type = "s"  # openpyxl would store '=...' as a formula
    wb.save(p)


def formula_errors(p: Path):
    """Cached formula errors, as Excel saves them: <c t="e"><f>…</f><v>#REF!</v></c>."""
    tmp = p.with_suffix(".tmp.xlsx")
    _plan(tmp)
    # row 6 = objective 1; K = N. dip., N = TOTALE COEFF., O = IMPORTO; L = PESO (obj. 2)
    _set_cells(tmp, "Obiettivi", {"N6": "#REF!", "O8": "#DIV/0!", "L7": "#N/A"})
    _set_cells(tmp, "Obiettivi", {"M9": "#RIF!"}, strings=True)  # typed by hand, Italian Excel text

    def edit(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode("utf-8")
        for ref, formula in (("N6", "L6*#REF!"), ("O8", "O7/0"), ("L7", "VLOOKUP(1,Z1:Z2,2,0)")):
            head = f'<c r="{ref}"'
            i = text.index(head)
            j = text.index("<v>", i)
            text = text[:j] + f"<f>{formula}</f>" + text[j:]
        return text.encode("utf-8")

    _rewrite_zip(tmp, p, edit)
    tmp.unlink()


def wrong_types(p: Path):
    """A date in N. dip., words in PESO, a time in COEFF., an Italian-text amount."""
    import datetime as dt

    _plan(p)
    _set_cells(p, "Obiettivi", {"K10": dt.datetime(2025, 3, 1), "L11": "venti", "M12": dt.time(1, 30),
                                "O13": "12.500,00 €", "K14": True})


def bad_ndip(p: Path):
    _plan(p)
    _set_cells(p, "Obiettivi", {"K10": -2, "K11": 2.5, "K12": 0})


def merged_header(p: Path):
    """PESO merged with COEFF. in the header: the COEFF. column loses its heading."""
    import openpyxl

    _plan(p)
    wb = openpyxl.load_workbook(p)
    ws = wb["Obiettivi"]
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row == 4 and rng.min_col in (12, 13):
            ws.unmerge_cells(str(rng))
    ws.merge_cells("L4:M5")
    wb.save(p)


def merged_over_header(p: Path):
    """A note merged across the whole header block: no table heading is readable."""
    import openpyxl

    _plan(p, cards=None)
    wb = openpyxl.load_workbook(p)
    ws = wb["Obiettivi"]
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row <= 5:
            ws.unmerge_cells(str(rng))
    ws["A4"] = "Tabella riassuntiva (vedi allegato)"
    ws.merge_cells("A4:O5")
    wb.save(p)


FORMULA_TEXT = ('=HYPERLINK("http://example.invalid/x","clic")', "+39 030 7008 1",
                "-2025 (anticipato)", "@SUM(1,2)", "=1+1")


def formula_like_text(p: Path):
    """Text cells that a careless writer would turn into formulas."""
    _plan(p)
    f = FORMULA_TEXT
    _set_cells(p, "Obiettivi", {"C6": f[0], "E7": f[1], "D8": f[2], "C9": f[3]}, strings=True)
    _set_cells(p, "Schede", {"G4": f[4], "E5": f[0]}, strings=True)


CASES: dict[str, Case] = {
    "not_a_zip.xlsx": Case(not_a_zip, (2,), ("non è un file Excel",)),
    "zero_bytes.xlsx": Case(zero_bytes, (2,), ("vuoto",)),
    "truncated_zip.xlsx": Case(truncated_zip, (2,), ("danneggiato",)),
    "truncated_tail.xlsx": Case(truncated_tail, (2,), ("danneggiato",)),
    "zip_bomb.xlsx": Case(zip_bomb, (2,), ("zip bomb",)),
    "zip_bomb_lying.xlsx": Case(zip_bomb_lying, (2,), ("non è valido",)),
    "zip_many_members.xlsx": Case(zip_many_members, (2,), ("troppo grande",)),
    "billion_laughs.xlsx": Case(billion_laughs, (2,), ("entità XML",)),
    "external_entity.xlsx": Case(external_entity, (2,), ("entità XML",)),
    "encrypted.xlsx": Case(encrypted, (2,), ("protetto da password",)),
    "xls_renamed.xlsx": Case(xls_renamed, (1,), codes=("coeff-errato",), needs_libreoffice=True),
    "ods_renamed.xlsx": Case(ods_renamed, (1,), codes=("coeff-errato",), needs_libreoffice=True),
    "csv_renamed.xlsx": Case(csv_renamed, (2,), ("non è un file Excel",)),
    "empty_workbook.xlsx": Case(empty_workbook, (2,), ("non trovo la tabella",)),
    "only_table.xlsx": Case(only_table, (0, 1), codes=("schede-assenti",)),
    "sheet_part_missing.xlsx": Case(sheet_part_missing, (2,), ("manca il contenuto del foglio «Schede»",)),
    "headers_no_rows.xlsx": Case(headers_no_rows, (2,), ("nessuna riga di dati",)),
    "rows_100k.xlsx": Case(rows_100k, (2,), ("100.001 righe", "troppe")),
    "formula_errors.xlsx": Case(formula_errors, (1,), codes=("errore-formula",),
                                extra={"cells": {"N6": "#REF!", "O8": "#DIV/0!", "L7": "#N/A", "M9": "#RIF!"}}),
    "wrong_types.xlsx": Case(wrong_types, (1,), codes=("valore-non-numerico",),
                             extra={"cells": ["K10", "L11", "M12", "K14"]}),
    "bad_ndip.xlsx": Case(bad_ndip, (1,), codes=("n-dip-non-valido",), extra={"cells": ["K10", "K11", "K12"]}),
    # PESO merged over COEFF.: the reader no longer sees a COEFF. column and checks without it
    # (exit 0 with warnings); see the note in docs/bench.md about reporting a lost column.
    "merged_header.xlsx": Case(merged_header, (0, 1), codes=("residuo-arrotondamento",)),
    "merged_over_header.xlsx": Case(merged_over_header, (2,), ("non trovo la tabella",)),
    "formula_like_text.xlsx": Case(formula_like_text, (1,), formula_text=FORMULA_TEXT),
}


def build(outdir: Path, only: list[str] | None = None, skip_libreoffice: bool = False) -> dict[str, Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, case in CASES.items():
        if only and name not in only:
            continue
        if case.needs_libreoffice and skip_libreoffice:
            continue
        path = outdir / name
        case.build(path)
        made[name] = path
    return made


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--skip-libreoffice", action="store_true")
    args = ap.parse_args(argv)
    for name, path in build(args.outdir, args.only, args.skip_libreoffice).items():
        print(f"{path.stat().st_size:>12,} {name}")


if __name__ == "__main__":
    main()
