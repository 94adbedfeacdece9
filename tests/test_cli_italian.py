"""Every command speaks Italian: its help, its usage line, click's own errors; option names are
Italian, the English names of earlier versions still work (not shown)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from chiari_xl.cli import main

COMMANDS = ["controlla", "elabora", "sorveglia", "fogli-monitoraggio", "raccogli", "mese", "parametri",
            "modello-personale", "liquidazione"]
EARLIER = ["check", "batch", "watch", "progress-sheets", "collect", "month", "personale-template"]
# what click says in English when it is not translated
ENGLISH = ["Usage", "Options", "Commands", "Arguments", "Show this message", "Show the version", "default:",
           "required", "Error:", "Missing", "No such", "Try '", "Invalid value", "is not", "does not",
           "Got unexpected", "requires an argument", "Did you mean", "[OPTIONS]", "COMMAND", "[ARGS]", "env var",
           "<=x<=", "Aborted"]
ENGLISH_METAVARS = re.compile(r"\b(TEXT|PATH|DIRECTORY|INTEGER|FLOAT|FILENAME|BOOLEAN)\b")


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text] + ENGLISH_METAVARS.findall(text)


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="chiari-xl")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_is_italian(command):
    res = run(*([command] if command else []), "--help")
    assert res.exit_code == 0, res.output
    assert english_in(res.output) == [], res.output
    assert "Uso: chiari-xl" in res.output and "[OPZIONI]" in res.output and "Opzioni:" in res.output


def test_old_english_names_are_not_shown_but_still_work(tmp_path):
    listed = run("--help").output
    assert all(re.search(rf"^  {c} ", listed, re.M) for c in COMMANDS), listed
    assert not any(re.search(rf"^  {c} ", listed, re.M) for c in EARLIER), listed
    for old in EARLIER:  # a script written for an earlier version still runs
        assert run(old, "--help").exit_code == 0, old
    helps = " ".join(run(c, "--help").output for c in COMMANDS)
    for old in ("--month", "--final", "--office-dir", "--output-dir", "--output", "--quiet"):
        assert re.search(rf"{old}\b", helps) is None, old
    for new in ("--mese", "--finale", "--cartella-ufficio", "--cartella-uscita", "--uscita", "--silenzioso"):
        assert new in helps, new
    missing = tmp_path / "manca.xlsx"
    for args in (["check", str(missing), "--output", str(tmp_path / "x.xlsx"), "--quiet"],
                 ["collect", str(missing), str(tmp_path), "--month", "2025-06", "--final",
                  "--office-dir", str(tmp_path)],
                 ["progress-sheets", str(missing), "--month", "2025-06", "--output-dir", str(tmp_path)],
                 ["liquidazione", str(missing), "--personale", str(missing), "--month", "2025-12", "--quiet"]):
        res = run(*args)
        assert res.exit_code == 2 and "manca.xlsx" in res.output, (args, res.output)  # the plan, not the option


@pytest.mark.parametrize("args, said", [
    (["controlla"], "ERRORE: Manca l'argomento «PIANO»."),
    (["controla"], "ERRORE: Il comando «controla» non esiste. Forse si intendeva «controlla»?"),
    (["controlla", "x.xlsx", "--pfd"], "ERRORE: L'opzione «--pfd» non esiste. Forse si intendeva «--pdf»?"),
    (["controlla", "a.xlsx", "b.xlsx"], "ERRORE: Argomento in più, non previsto (b.xlsx)"),
    (["raccogli", "p.xlsx", "r"], "ERRORE: Manca l'opzione «--mese»."),
    (["raccogli", "p.xlsx", "r", "--mese"], "ERRORE: L'opzione «--mese» richiede un valore."),
    (["elabora", "--attesa", "due"], "ERRORE: Valore non valido per «--attesa»: «due» non è un numero di secondi."),
    (["sorveglia", "--intervallo", "700"],
     "ERRORE: Valore non valido per «--intervallo»: 700 secondi: deve essere tra 0,2 e 600."),
])
def test_click_errors_are_italian(args, said):
    res = run(*args)
    assert res.exit_code == 2
    assert said in res.output, res.output
    assert english_in(res.output) == [], res.output
    if "Manca" in said or "non esiste" in said:
        assert "Per l'aiuto: «chiari-xl" in res.output


def test_seconds_take_the_italian_decimal_comma(tmp_path):
    res = run("elabora", str(tmp_path / "scambio"), "--attesa", "0,5")
    assert res.exit_code == 0, res.output
    assert "Cartella di scambio:" in res.output and "Cartella di lavoro" not in res.output


def test_a_folder_given_as_the_plan_is_said_plainly(tmp_path, sample_plan):
    res = run("controlla", str(sample_plan.parent))
    assert res.exit_code == 2
    assert "è una cartella, non il file di un piano" in res.output
    assert f"«{sample_plan}»" in res.output            # the plan inside it, to give instead
    res = run("controlla", ".")
    assert "«»" not in res.output and "è una cartella" in res.output
