""".xls and .ods copies of the bundled plan check exactly like the .xlsx.

The copies are made by LibreOffice in the test (as the office would with "Salva con nome");
they are read by python-calamine, with values normalised and .ods merged ranges restored
by chiari_xl.load, so the reader sees the same grid whatever the format.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chiari_xl.api import check_plan
from conftest import SAMPLE, need_libreoffice

AMOUNTS = ("n", "pool", "n_dip", "peso", "coeff", "total_coeff", "amount", "amount_from_written",
           "amount_recomputed", "peso_rule", "coeff_rule", "total_rule")


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, Path]:
    need_libreoffice()
    from chiari_xl.libreoffice import convert

    base = tmp_path_factory.mktemp("formats")
    src = base / "in" / SAMPLE.name
    src.parent.mkdir()
    shutil.copyfile(SAMPLE, src)
    return {"xlsx": src,
            "xls": convert(src, base / "xls", "xls:MS Excel 97"),
            "ods": convert(src, base / "ods", "ods")}


def _summary(path: Path):
    result = check_plan(path, write=False)
    rows = [tuple(row[k] for k in AMOUNTS) for _, row in result.table.iterrows()]
    findings = sorted((f.code, f.sheet, f.cell, f.objective, f.found, f.expected, f.euro_effect)
                      for f in result.findings)
    return result, rows, findings


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_other_format_checks_like_xlsx(copies, fmt):
    ref, ref_rows, ref_findings = _summary(copies["xlsx"])
    other, rows, findings = _summary(copies[fmt])
    assert copies[fmt].suffix == f".{fmt}"
    assert len(rows) == 27
    assert rows == ref_rows
    assert findings == ref_findings
    assert other.counts == ref.counts
    assert sum(r[AMOUNTS.index("amount_recomputed")] for r in rows) == sum(
        r[AMOUNTS.index("amount_recomputed")] for r in ref_rows)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_other_format_writes_checked_workbook(copies, fmt, tmp_path):
    out = tmp_path / f"controllato_{fmt}.xlsx"
    result = check_plan(copies[fmt], output=out)
    assert result.output == out and out.exists()
    assert result.has_errors  # the bundled plan carries the published coefficient mistake (ob. 10)
    assert any(f.code == "coeff-errato" and f.cell == "M15" for f in result.findings)
