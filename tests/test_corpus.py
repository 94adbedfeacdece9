"""Every hostile or awkward input of the corpus through the real CLI, in a child process.

Each case must end with the exit code of the contract (2 + an Italian message naming the file
for what cannot be read; 0/1 + findings otherwise), within a time limit and a memory limit
(RLIMIT_AS), with the input byte-identical and no partial or temporary output left behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import need_libreoffice

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of the child: a bomb would hit it, not the machine


def _load_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tests" / "corpus" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


corpus = _load_corpus()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """The corpus without the LibreOffice-made cases (those are built by their own test)."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus.build(folder, skip_libreoffice=True)
    return folder


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(plan: Path, out_dir: Path, timeout: float):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "chiari_xl", "controlla", str(plan),
           "-o", str(out_dir / "controllato.xlsx"), "--json", str(out_dir / "resoconto.json")]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory,
                          cwd=out_dir, env=env)
    return proc, time.monotonic() - start


def _all_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def check_case(name: str, source: Path, tmp_path: Path):
    case = corpus.CASES[name]
    in_dir, out_dir = tmp_path / "in", tmp_path / "out"
    in_dir.mkdir()
    out_dir.mkdir()
    plan = in_dir / name
    shutil.copyfile(source, plan)
    before = _sha(plan)

    proc, elapsed = run_cli(plan, out_dir, case.timeout)

    assert proc.returncode in case.exit, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert elapsed < case.timeout
    # the input is untouched and nothing was written next to it
    assert _sha(plan) == before
    assert _all_files(in_dir) == {name}
    produced = _all_files(out_dir)
    assert not any(".~chiari-" in f for f in produced), produced
    if proc.returncode == 2:
        assert produced == set(), f"nothing may be written for an unreadable file: {produced}"
        assert f"«{name}»" in proc.stderr, proc.stderr
        assert proc.stderr.startswith("ERRORE: Impossibile leggere"), proc.stderr
        for fragment in case.message:
            assert fragment in proc.stderr, (fragment, proc.stderr)
        return None
    assert produced == {"controllato.xlsx", "resoconto.json"}, produced
    report = json.loads((out_dir / "resoconto.json").read_text(encoding="utf-8"))
    codes = {f["code"] for f in report["findings"]}
    assert set(case.codes) <= codes, (case.codes, sorted(codes))
    assert (proc.returncode == 1) == (report["counts"]["error"] > 0)
    return report, out_dir / "controllato.xlsx"


FAST = [n for n, c in corpus.CASES.items() if not c.needs_libreoffice]
LIBREOFFICE = [n for n, c in corpus.CASES.items() if c.needs_libreoffice]


@pytest.mark.parametrize("name", FAST)
def test_corpus_case(name, corpus_dir, tmp_path):
    result = check_case(name, corpus_dir / name, tmp_path)
    case = corpus.CASES[name]
    if result is None:
        return
    report, out = result
    at = {(f["code"], f["cell"]): f for f in report["findings"]}
    if name == "formula_errors.xlsx":
        for cell, error in case.extra["cells"].items():
            assert at[("errore-formula", cell)]["found"] == error
    if name == "wrong_types.xlsx":
        for cell in case.extra["cells"]:
            assert ("valore-non-numerico", cell) in at, cell
    if name == "bad_ndip.xlsx":
        for cell in case.extra["cells"]:
            assert ("n-dip-non-valido", cell) in at, cell
    if case.formula_text:
        _assert_text_not_formula(out, case.formula_text)


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_corpus_renamed_by_libreoffice(name, tmp_path):
    need_libreoffice()
    src = tmp_path / "made" / name
    src.parent.mkdir()
    corpus.CASES[name].build(src)
    report, _out = check_case(name, src, tmp_path)
    assert len(report["objectives"]) == 27


def _assert_text_not_formula(out: Path, texts):
    """Text that starts with = + - @ in the input is a string in the output, never a formula."""
    import openpyxl

    wb = openpyxl.load_workbook(out)  # formulas as formulas, not cached values
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if not isinstance(v, str):
                    continue
                for t in texts:
                    if v == t or (cell.data_type == "f" and t.lstrip("=") in v):
                        assert cell.data_type == "s", (ws.title, cell.coordinate, v, cell.data_type)
                        seen.add(t)
    assert seen == set(texts), set(texts) - seen


def test_missing_file_and_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for target, fragment in ((tmp_path / "non_esiste.xlsx", "non esiste"), (tmp_path, "cartella")):
        proc, _ = run_cli(target, out, 30)
        assert proc.returncode == 2, proc.stderr
        assert fragment in proc.stderr and f"«{target.name}»" in proc.stderr
        assert _all_files(out) == set()


def test_corpus_files_stay_small(corpus_dir):
    """The bombs are crafted: the corpus must stay cheap to build and to keep in CI."""
    for path in corpus_dir.iterdir():
        assert path.stat().st_size < 8 * 1024 * 1024, path.name
