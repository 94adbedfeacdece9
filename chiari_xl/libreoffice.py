"""Headless LibreOffice: recalculate a workbook (to prove our formulas) and render it to PDF.

LibreOffice never recalculates OOXML on load by default, and would hand back our own cached
values; a throw-away profile with OOXMLRecalcMode=0 ("always") makes it really compute.
The same profile sets the locale to Italian (it-IT), so a PDF shows numbers and dates as
Italian Excel does (4.137,93 €, 26/11/2026), whatever the machine's own locale is.
One profile per call: parallel runs sharing a profile lose files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>it-IT</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>it-IT</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    pass


# where the installers put it when it is not on the PATH (Windows and macOS never add it)
_INSTALLED = [Path(os.environ.get(v, d)) / "LibreOffice" / "program" / "soffice.exe"
              for v, d in (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)"))]
_INSTALLED.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(p) for p in _INSTALLED if p.is_file()), None)


def convert(src: Path, outdir: Path, target: str, timeout: int = 180) -> Path:
    """Convert `src` into `outdir` with a filter ('xlsx:Calc MS Excel 2007 XML', 'pdf', 'ods', 'xls')."""
    exe = soffice()
    if exe is None:
        raise LibreOfficeError("LibreOffice (soffice) non è installato")
    src, outdir = Path(src).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if outdir == src.parent:
        raise LibreOfficeError("outdir must differ from the source folder")
    ext = target.split(":")[0]
    expected = outdir / f"{src.stem}.{ext}"
    if expected.exists():
        expected.unlink()
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
        env = {**os.environ, "HOME": profile, "LC_ALL": "C.UTF-8", "LANG": "it_IT.UTF-8"}
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LibreOfficeError(f"LibreOffice did not finish within {timeout}s") from None
    if not expected.exists():
        raise LibreOfficeError(f"LibreOffice wrote nothing: {out.decode(errors='replace')} {err.decode(errors='replace')}")
    return expected


def recalculate(src: Path, outdir: Path) -> Path:
    """A copy of `src` in `outdir` whose cached values LibreOffice has computed."""
    return convert(src, outdir, "xlsx:Calc MS Excel 2007 XML")


def to_pdf(src: Path, outdir: Path, timeout: int = 180) -> Path:
    """The PDF of `src` as it prints (its page setup), in `outdir`: Italian numbers and dates."""
    return convert(src, outdir, "pdf", timeout=timeout)
