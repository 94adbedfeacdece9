"""History of the progress reports: an SQLite file in the office folder (schema 2).

What is kept, and why:
- submissions: every returned file collected, with its outcome (accepted, partial, refused), its
  reason, area, month and time. A refusal is only a line of the log: it never blocks a later
  acceptance of the same file in a valid context. What identifies an acceptance is the file's
  sha256 *with* its area and month, among accepted files only (a partial unique index), so
  collecting an accepted file again adds nothing.
- reported: the indicator rows taken from accepted files — area, month, objective, position and
  text of the indicator as the sheet showed it, and the values. Blank rows are kept too
  (clearing a value is a report); a row with a refused cell is not taken, the earlier value stands.
- refusals: every refused cell or file, with its reason.
- issued: every sheet written for an area and month, with a digest of what it says and holds.
- plan_versions, plan_switches: the plan's snapshots by fingerprint, and when the plan in force changed.

Which value counts as of a month: per area and indicator, the row of the latest month not after
it, and within that month the latest collected file (a late sheet for an earlier month never
replaces a later one). Stored rows are matched to the indicators of the plan in force by
revisions.match_indicators, so a value stays with its indicator across plan revisions.

Schema 1 (tables files/accepted/rejected keyed by file sha256 and collection month, where a
refused file stayed refused for good) is migrated on first connection, after a copy of the old
database is saved beside it (chiari-xl-monitoraggio.schema1.sqlite).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from chiari_xl.progress.completion import State
from chiari_xl.progress.layout import when_text
from chiari_xl.progress.office import db_path, prepare
from chiari_xl.progress.revisions import Ref, match_indicators
from chiari_xl.safe_files import atomic_output

SCHEMA_VERSION = 2
BACKUP_V1 = "chiari-xl-monitoraggio.schema1.sqlite"
FIELDS = ("stato", "quantita", "percentuale", "nota")


class Outcome(StrEnum):
    """What happened to a returned file. Value: stable code (history, JSON); label: Italian."""

    ACCEPTED = "accepted"
    PARTIAL = "partial"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {Outcome.ACCEPTED: "accettato", Outcome.PARTIAL: "accettato in parte",
                Outcome.REFUSED: "rifiutato"}[self]


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
    collect_month TEXT, area_key TEXT, area_name TEXT, month TEXT, status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', collected_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS one_acceptance ON submissions (sha256, area_key, month)
    WHERE status != '{Outcome.REFUSED.value}';
CREATE TABLE IF NOT EXISTS reported (
    submission_id INTEGER NOT NULL REFERENCES submissions (id), area_key TEXT NOT NULL, month TEXT NOT NULL,
    n INTEGER NOT NULL, k INTEGER NOT NULL, indicatore TEXT, stato TEXT, quantita TEXT, percentuale TEXT,
    nota TEXT, PRIMARY KEY (submission_id, n, k));
CREATE INDEX IF NOT EXISTS reported_by_month ON reported (month, area_key);
CREATE TABLE IF NOT EXISTS refusals (
    id INTEGER PRIMARY KEY AUTOINCREMENT, submission_id INTEGER NOT NULL REFERENCES submissions (id),
    cell TEXT NOT NULL, value TEXT, reason TEXT NOT NULL, code TEXT);
CREATE TABLE IF NOT EXISTS issued (
    id INTEGER PRIMARY KEY AUTOINCREMENT, area_key TEXT NOT NULL, month TEXT NOT NULL, file_name TEXT NOT NULL,
    digest TEXT NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_versions (
    fingerprint TEXT PRIMARY KEY, year INTEGER, file_name TEXT NOT NULL, first_seen TEXT NOT NULL,
    snapshot TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_switches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL REFERENCES plan_versions (fingerprint),
    file_name TEXT NOT NULL, switched_at TEXT NOT NULL);
"""


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@contextmanager
def _tx(con: sqlite3.Connection):
    """One write transaction, taken at once (BEGIN IMMEDIATE) so two collections never interleave."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def connect(office_dir: Path) -> sqlite3.Connection:
    path = db_path(prepare(office_dir))
    con = sqlite3.connect(path, isolation_level=None, timeout=60)
    con.row_factory = sqlite3.Row
    if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        _upgrade(con, path)
    return con


def _upgrade(con: sqlite3.Connection, path: Path) -> None:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "files" in tables and "accepted" in tables:
        _backup(con, path)
    with _tx(con):
        if con.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return  # another process upgraded it meanwhile
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                con.execute(statement)
        if "files" in tables and "accepted" in tables:
            _migrate_schema_1(con)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _backup(con: sqlite3.Connection, path: Path) -> None:
    with atomic_output(path.with_name(BACKUP_V1)) as out:
        with closing(sqlite3.connect(out.tmp)) as copy:
            con.backup(copy)


_V1_STATUS = {"accettato": Outcome.ACCEPTED, "accettato in parte": Outcome.PARTIAL, "rifiutato": Outcome.REFUSED}


def _migrate_schema_1(con: sqlite3.Connection) -> None:
    """Schema 1 -> 2: every file becomes a submission (a refusal no longer blocks the file), every
    accepted value a reported row (its indicator text unknown: matched by position)."""
    file_reason = {(r["file_sha256"], r["collect_month"]): r["reason"] for r in con.execute(
        "SELECT file_sha256, collect_month, reason FROM rejected WHERE cell = '(file)'")}
    ids: dict[tuple, int] = {}
    for f in con.execute("SELECT * FROM files ORDER BY collected_at").fetchall():
        status = _V1_STATUS.get(f["status"], Outcome.REFUSED)
        cur = con.execute(
            "INSERT OR IGNORE INTO submissions (sha256, file_name, collect_month, area_key, area_name, month, status,"
            " reason, collected_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (f["sha256"], f["file_name"], f["collect_month"], f["area_key"], f["area_name"], f["month"], status.value,
             file_reason.get((f["sha256"], f["collect_month"]), ""), f["collected_at"]))
        ids[(f["sha256"], f["collect_month"])] = cur.lastrowid
        if status != Outcome.REFUSED:
            ids[("accepted", f["sha256"], f["area_key"], f["month"])] = cur.lastrowid
    for a in con.execute("SELECT * FROM accepted ORDER BY id").fetchall():
        sub = ids.get(("accepted", a["file_sha256"], a["area_key"], a["month"]))
        if sub is None:
            continue
        state = State.from_text(a["stato"]) if a["stato"] else None
        con.execute("INSERT OR IGNORE INTO reported VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (sub, a["area_key"], a["month"], a["n"], a["k"], None, state.value if state else None,
                     a["quantita"], a["percentuale"], a["nota"]))
    for r in con.execute("SELECT * FROM rejected WHERE cell != '(file)' ORDER BY id").fetchall():
        sub = ids.get((r["file_sha256"], r["collect_month"]))
        if sub is not None:
            con.execute("INSERT INTO refusals (submission_id, cell, value, reason) VALUES (?,?,?,?)",
                        (sub, r["cell"], r["value"], r["reason"]))
    for table in ("accepted", "rejected", "files"):
        con.execute(f"DROP TABLE {table}")


# --------------------------------------------------------------------------- recording

@dataclass
class Submission:
    sha256: str
    file_name: str
    collect_month: str | None
    area_key: str | None
    area_name: str | None
    month: str | None
    status: Outcome
    reason: str
    rows: list[dict]        # {n, k, indicatore, stato, quantita, percentuale, nota}
    refusals: list[dict]    # {cell, value, reason, code}


def record(con: sqlite3.Connection, s: Submission) -> bool:
    """Record one file's outcome in one transaction. False when nothing was new: an accepted
    file already accepted for the same area and month, or the very same refusal again."""
    when = now()
    with _tx(con):
        if s.status == Outcome.REFUSED:
            same = con.execute("SELECT 1 FROM submissions WHERE sha256 = ? AND status = ? AND reason = ?"
                               " AND IFNULL(collect_month, '') = IFNULL(?, '')",
                               (s.sha256, Outcome.REFUSED.value, s.reason, s.collect_month)).fetchone()
            if same:
                return False
        try:
            cur = con.execute(
                "INSERT INTO submissions (sha256, file_name, collect_month, area_key, area_name, month, status, reason,"
                " collected_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (s.sha256, s.file_name, s.collect_month, s.area_key, s.area_name, s.month, s.status.value, s.reason,
                 when))
        except sqlite3.IntegrityError:
            return False  # this file was already accepted for this area and month
        sub = cur.lastrowid
        for v in s.rows:
            con.execute("INSERT OR IGNORE INTO reported VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (sub, s.area_key, s.month, v["n"], v["k"], v.get("indicatore"),
                         v["stato"].value if v.get("stato") else None, _text(v.get("quantita")),
                         _text(v.get("percentuale")), v.get("nota")))
        for r in s.refusals:
            con.execute("INSERT INTO refusals (submission_id, cell, value, reason, code) VALUES (?,?,?,?,?)",
                        (sub, r.get("cell") or "(file)", _text(r.get("value")), r["reason"], r.get("code")))
    return True


def _text(v):
    return None if v is None else str(v)


# --------------------------------------------------------------------------- reading

def _values(row) -> dict:
    return {"stato": State(row["stato"]) if row["stato"] else None, "nota": row["nota"],
            "quantita": Decimal(row["quantita"]) if row["quantita"] is not None else None,
            "percentuale": Decimal(row["percentuale"]) if row["percentuale"] is not None else None}


def is_blank(values: dict) -> bool:
    return all(values.get(f) is None for f in FIELDS)


@dataclass
class Standing:
    """What counts as of a month: values per area and current indicator, and the stored
    indicators the plan in force no longer has (their values do not count)."""

    current: dict[str, dict[tuple[int, int], dict]]
    orphans: list[dict]


def as_of(con: sqlite3.Connection, month: str, indicators: list, before: bool = False) -> Standing:
    """area key -> {(n, k) of the plan in force: values + month + file} of the latest month <= month
    (< with before). `indicators`: the plan in force's indicators (progress.indicators.Indicator)."""
    op = "<" if before else "<="
    rows = con.execute(
        "SELECT r.*, s.file_name, s.collected_at FROM reported r JOIN submissions s ON s.id = r.submission_id"
        f" WHERE r.month {op} ? ORDER BY r.month, s.collected_at, s.id", (month,)).fetchall()
    new = [Ref(i.n, i.k, i.indicatore) for i in indicators]
    matched = match_indicators(list({Ref(r["n"], r["k"], r["indicatore"]) for r in rows}), new)
    latest: dict[tuple, dict] = {}
    orphans: dict[tuple, dict] = {}
    for row in rows:  # later rows replace earlier ones: later month, then later collection
        hit = matched.get(Ref(row["n"], row["k"], row["indicatore"]))
        values = {**_values(row), "month": row["month"], "file": row["file_name"], "collected_at": row["collected_at"]}
        if hit is None:
            orphans[(row["area_key"], row["n"], row["k"], row["indicatore"])] = {
                "area_key": row["area_key"], "n": row["n"], "k": row["k"], "indicatore": row["indicatore"], **values}
        else:
            latest[(row["area_key"], hit.n, hit.k)] = values
    current: dict[str, dict] = {}
    for (area, n, k), values in latest.items():
        if not is_blank(values):
            current.setdefault(area, {})[(n, k)] = values
    return Standing(current, [o for o in orphans.values() if not is_blank(o)])


def months(con: sqlite3.Connection, upto: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT month FROM reported WHERE month <= ? ORDER BY month", (upto,))]


def latest_month(con: sqlite3.Connection) -> str | None:
    row = con.execute("SELECT MAX(month) FROM submissions WHERE status != ?", (Outcome.REFUSED.value,)).fetchone()
    return row[0]


def returned(con: sqlite3.Connection, month: str) -> dict[str, dict]:
    """area key -> the file that counts for `month` (the latest accepted), with when and how."""
    out: dict[str, dict] = {}
    for r in con.execute("SELECT * FROM submissions WHERE month = ? AND status != ? ORDER BY collected_at, id",
                         (month, Outcome.REFUSED.value)):
        out[r["area_key"]] = dict(r)
    return out


def month_files(con: sqlite3.Connection, upto: str) -> list[dict]:
    """Every accepted file per area and month up to `upto`, and whether its values count and why."""
    rows = [dict(r) for r in con.execute(
        "SELECT * FROM submissions WHERE status != ? AND month <= ? ORDER BY area_key, month, collected_at, id",
        (Outcome.REFUSED.value, upto))]
    for i, r in enumerate(rows):
        later = next((x for x in rows[i + 1:] if x["area_key"] == r["area_key"] and x["month"] == r["month"]), None)
        if later is None:
            r["counts"] = True
            r["why"] = "ultimo file accettato per l'area e il mese"
        else:
            r["counts"] = False
            r["why"] = (f"sostituito da «{later['file_name']}» raccolto il {when_text(later['collected_at'])} "
                        "(le righe rifiutate di quel file restano da questo)")
    return rows


def accepted_rows(con: sqlite3.Connection, area_key: str | None = None, month: str | None = None) -> list[dict]:
    """What was accepted, when, from which file: the history's answer for the office."""
    sql = ("SELECT r.*, s.file_name, s.sha256 AS file_sha256, s.collected_at FROM reported r"
           " JOIN submissions s ON s.id = r.submission_id WHERE 1=1")
    args: list = []
    if area_key:
        sql += " AND r.area_key = ?"
        args.append(area_key)
    if month:
        sql += " AND r.month = ?"
        args.append(month)
    return [dict(r) for r in con.execute(sql + " ORDER BY r.month, s.collected_at, s.id, r.n, r.k", args)]


def refusal_rows(con: sqlite3.Connection, month: str | None = None) -> list[dict]:
    sql = ("SELECT f.*, s.file_name, s.area_key, s.month, s.collect_month, s.status FROM refusals f"
           " JOIN submissions s ON s.id = f.submission_id")
    args: list = []
    if month:
        sql += " WHERE IFNULL(s.month, s.collect_month) = ?"
        args.append(month)
    return [dict(r) for r in con.execute(sql + " ORDER BY s.collected_at, f.id", args)]


def submissions(con: sqlite3.Connection) -> list[dict]:
    return [dict(r) for r in con.execute("SELECT * FROM submissions ORDER BY collected_at, id")]


def counts(office_dir: Path) -> dict[str, int]:
    with closing(connect(office_dir)) as con:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("submissions", "reported", "refusals")}


# --------------------------------------------------------------------------- sheets issued

def record_issue(con: sqlite3.Connection, area_key: str, month: str, file_name: str, digest: str) -> None:
    with _tx(con):
        con.execute("INSERT INTO issued (area_key, month, file_name, digest, issued_at) VALUES (?,?,?,?,?)",
                    (area_key, month, file_name, digest, now()))


def last_issue(con: sqlite3.Connection, area_key: str, month: str) -> dict | None:
    row = con.execute("SELECT * FROM issued WHERE area_key = ? AND month = ? ORDER BY id DESC LIMIT 1",
                      (area_key, month)).fetchone()
    return dict(row) if row else None


# --------------------------------------------------------------------------- plan versions

def register_plan(con: sqlite3.Connection, fingerprint: str, year, file_name: str, snapshot: dict) -> dict | None:
    """Record the plan in force; when it differs from the last one used, the previous switch
    (fingerprint, file_name, switched_at, snapshot) is returned: the plan was revised."""
    with _tx(con):
        con.execute("INSERT OR IGNORE INTO plan_versions VALUES (?,?,?,?,?)",
                    (fingerprint, year, file_name, now(), json.dumps(snapshot, ensure_ascii=False, sort_keys=True)))
        last = con.execute("SELECT * FROM plan_switches ORDER BY id DESC LIMIT 1").fetchone()
        if last is not None and last["fingerprint"] == fingerprint:
            return None
        con.execute("INSERT INTO plan_switches (fingerprint, file_name, switched_at) VALUES (?,?,?)",
                    (fingerprint, file_name, now()))
    return _switch(con, last) if last is not None else None


def _switch(con, row) -> dict:
    snap = con.execute("SELECT snapshot FROM plan_versions WHERE fingerprint = ?", (row["fingerprint"],)).fetchone()
    return {**dict(row), "snapshot": json.loads(snap[0])}


def plan_history(con: sqlite3.Connection) -> list[dict]:
    """Every switch of the plan in force, oldest first, with its snapshot."""
    return [_switch(con, r) for r in con.execute("SELECT * FROM plan_switches ORDER BY id").fetchall()]

