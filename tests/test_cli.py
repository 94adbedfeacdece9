"""`chiari-xl controlla` as the office runs it."""

from __future__ import annotations

import hashlib
import json

from click.testing import CliRunner
from scenarios import plan

from chiari_xl.cli import main


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_bundled_plan_writes_workbook_and_json(sample_plan, tmp_path):
    before = sha(sample_plan)
    res = CliRunner().invoke(main, ["controlla", str(sample_plan), "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 1  # the published table breaks a rule (objective 10)
    # 22 warnings on the table and the cards against it, 6 on cards that contradict themselves
    assert "27 obiettivi controllati: 1 errore, 24 avvisi" in res.output
    out = sample_plan.with_name("obiettivi_2025_controllato.xlsx")
    assert out.exists() and f"Scritto: {out}" in res.output
    assert sha(sample_plan) == before  # the input is never touched
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["output"] == str(out) and len(data["objectives"]) == 27


def test_consistent_plan_exits_0(make_plan, tmp_path):
    rows, cards, params = plan()
    path = make_plan("coerente.xlsx", rows, cards, params)
    res = CliRunner().invoke(main, ["controlla", str(path), "-o", str(tmp_path / "esito.xlsx")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "esito.xlsx").exists()


def test_existing_output_is_never_overwritten(sample_plan):
    runner = CliRunner()
    runner.invoke(main, ["controlla", str(sample_plan)])
    first = sample_plan.with_name("obiettivi_2025_controllato.xlsx")
    digest = sha(first)
    res = runner.invoke(main, ["controlla", str(sample_plan)])
    second = sample_plan.with_name("obiettivi_2025_controllato (2).xlsx")
    assert second.exists() and f"Scritto: {second}" in res.output
    assert sha(first) == digest


def test_unreadable_input_exit_2_message_and_no_output(tmp_path):
    bad = tmp_path / "piano.xlsx"
    bad.write_text("non sono un foglio excel", encoding="utf-8")
    res = CliRunner().invoke(main, ["controlla", str(bad), "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 2
    assert "piano.xlsx" in res.output and "non è un file Excel" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["piano.xlsx"]


def test_missing_file(tmp_path):
    res = CliRunner().invoke(main, ["controlla", str(tmp_path / "manca.xlsx")])
    assert res.exit_code == 2 and "manca.xlsx" in res.output and "non esiste" in res.output


def test_missing_output_folder_is_a_clear_error(sample_plan, tmp_path):
    res = CliRunner().invoke(main, ["controlla", str(sample_plan), "-o", str(tmp_path / "no" / "x.xlsx")])
    assert res.exit_code == 2 and "non esiste" in res.output


def test_help_is_italian():
    res = CliRunner().invoke(main, ["controlla", "--help"])
    text = " ".join(res.output.split())
    assert "Controlla PIANO" in text and "non viene mai sovrascritto" in text
    assert "Opzioni:" in text and "Mostra questo aiuto ed esce." in text
    res = CliRunner().invoke(main, ["controlla"])
    assert res.exit_code == 2 and "ERRORE: Manca l'argomento «PIANO»" in res.output


def test_a_messy_plan_prints_the_first_50_findings_and_says_where_the_rest_is(make_plan, tmp_path):
    """70 objectives each with a wrong coefficient (and so a wrong total and amount): the console
    lists 50 findings and points at the workbook and JSON, which hold every one of them."""
    import openpyxl
    from conftest import obj

    rows = [obj(n, coeff=1.5, total=20, personale="n.3 dipendenti") for n in range(1, 71)]
    path = make_plan("disordinato.xlsx", rows, None)
    out, report = tmp_path / "esito.xlsx", tmp_path / "esito.json"
    res = CliRunner().invoke(main, ["controlla", str(path), "-o", str(out), "--json", str(report)])
    assert res.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    serious = [f for f in data["findings"] if f["severity"] != "info"]
    assert len(serious) > 70
    lines = res.output.splitlines()
    listed = [line for line in lines if line.startswith(("Errore ", "Avviso "))]
    assert len(listed) == 50
    assert (f"… e {len(serious) - 50} altri rilievi (errori e avvisi) non mostrati qui: l'elenco completo "
            f"è nel foglio «Rilievi» di {out} e nel resoconto {report}.") in lines
    rilievi = openpyxl.load_workbook(out, read_only=True)["Rilievi"]
    heading = [c.value for c in next(rilievi.iter_rows(min_row=3, max_row=3))]
    codes = [r[heading.index("Codice")] for r in rilievi.iter_rows(min_row=4, values_only=True)
             if r[heading.index("Codice")]]
    assert len(codes) == len(data["findings"])
