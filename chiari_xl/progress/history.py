"""History of the progress reports: an SQLite file in the office folder.

Every accepted value is recorded with its area, month, file name, file sha256 and the time
it was collected; every refusal too. Re-collecting a file already recorded for the same
collection month adds nothing (unique keys on the file's sha256 and that month): a sheet
refused in June as "May's" can still be collected for May. Values are kept per month: the value of an indicator
"as of" a month is the one of the latest month not after it (and, within that month, the
latest collected file), so a late sheet for an earlier month never replaces a later one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

DB_NAME = "chiari-xl-monitoraggio.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT NOT NULL, collect_month TEXT NOT NULL, file_name TEXT NOT NULL, plan_sha256 TEXT,
    area_key TEXT, area_name TEXT, month TEXT, collected_at TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (sha256, collect_month));
CREATE TABLE IF NOT EXISTS accepted (
    id INTEGER PRIMARY KEY AUTOINCREMENT, file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
    plan_sha256 TEXT NOT NULL, area_key TEXT NOT NULL, month TEXT NOT NULL, n INTEGER NOT NULL,
    k INTEGER NOT NULL, stato TEXT, quantita TEXT, percentuale TEXT, nota TEXT,
    collected_at TEXT NOT NULL, UNIQUE (file_sha256, area_key, month, n, k));
CREATE TABLE IF NOT EXISTS rejected (
    id INTEGER PRIMARY KEY AUTOINCREMENT, file_sha256 TEXT NOT NULL, collect_month TEXT NOT NULL,
    file_name TEXT NOT NULL, area_key TEXT, month TEXT, cell TEXT NOT NULL, value TEXT, reason TEXT NOT NULL,
    collected_at TEXT NOT NULL, UNIQUE (file_sha256, collect_month, cell, reason));
CREATE INDEX IF NOT EXISTS accepted_by_area ON accepted (plan_sha256, area_key, month);
"""
FIELDS = ("stato", "quantita", "percentuale", "nota")


def db_path(office_dir: Path) -> Path:
    return Path(office_dir) / DB_NAME


def connect(office_dir: Path) -> sqlite3.Connection:
    Path(office_dir).mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db_path(office_dir))
    con.row_factory = sqlite3.Row
    con.executescript(_SCHEMA)
    return con


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def record(con, *, sha: str, collect_month: str, file_name: str, plan_sha: str | None, area_key: str | None,
           area_name: str | None, month: str | None, status: str, values: list[dict],
           rejections: list[dict]) -> bool:
    """Record one file's outcome in one transaction; False when the file was already recorded."""
    when = now()
    with con:
        cur = con.execute("INSERT OR IGNORE INTO files VALUES (?,?,?,?,?,?,?,?,?)",
                          (sha, collect_month, file_name, plan_sha, area_key, area_name, month, when, status))
        if cur.rowcount == 0:
            return False
        for v in values:
            con.execute("INSERT OR IGNORE INTO accepted (file_sha256, file_name, plan_sha256, area_key, month, n, k,"
                        " stato, quantita, percentuale, nota, collected_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (sha, file_name, plan_sha, area_key, month, v["n"], v["k"], v.get("stato"),
                         _text(v.get("quantita")), _text(v.get("percentuale")), v.get("nota"), when))
        for r in rejections:
            con.execute("INSERT OR IGNORE INTO rejected (file_sha256, collect_month, file_name, area_key, month, cell,"
                        " value, reason, collected_at) VALUES (?,?,?,?,?,?,?,?,?)",
                        (sha, collect_month, file_name, area_key, month, r.get("cell") or "(file)",
                         _text(r.get("value")), r["reason"], when))
    return True


def _text(v):
    return None if v is None else str(v)


def _row_values(row) -> dict:
    return {"stato": row["stato"], "nota": row["nota"],
            "quantita": Decimal(row["quantita"]) if row["quantita"] is not None else None,
            "percentuale": Decimal(row["percentuale"]) if row["percentuale"] is not None else None}


def as_of(con, plan_sha: str, month: str, before: bool = False) -> dict[str, dict[tuple[int, int], dict]]:
    """area key -> {(n, k): values + month + file} of the latest month <= month (< with before)."""
    op = "<" if before else "<="
    rows = con.execute(
        f"SELECT * FROM accepted WHERE plan_sha256 = ? AND month {op} ? ORDER BY month, collected_at, id",
        (plan_sha, month)).fetchall()
    out: dict[str, dict] = {}
    for row in rows:  # later rows replace earlier ones: later month, then later collection
        out.setdefault(row["area_key"], {})[(row["n"], row["k"])] = {
            **_row_values(row), "month": row["month"], "file": row["file_name"]}
    return out


def months(con, plan_sha: str, upto: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT month FROM accepted WHERE plan_sha256 = ? AND month <= ? ORDER BY month",
        (plan_sha, upto))]


def areas_answered(con, plan_sha: str, month: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT DISTINCT area_key FROM files WHERE plan_sha256 = ? AND month = ? AND status != 'rifiutato'",
        (plan_sha, month))}


def accepted_rows(con, area_key: str | None = None, month: str | None = None) -> list[dict]:
    """What was accepted, when, from which file: the history's answer for the office."""
    sql, args = "SELECT * FROM accepted WHERE 1=1", []
    if area_key:
        sql += " AND area_key = ?"
        args.append(area_key)
    if month:
        sql += " AND month = ?"
        args.append(month)
    return [dict(r) for r in con.execute(sql + " ORDER BY month, collected_at, id", args)]


def rejected_rows(con, collect_month: str | None = None) -> list[dict]:
    sql, args = "SELECT * FROM rejected", []
    if collect_month:
        sql += " WHERE collect_month = ?"
        args.append(collect_month)
    return [dict(r) for r in con.execute(sql + " ORDER BY collected_at, id", args)]


def counts(office_dir: Path) -> dict[str, int]:
    with closing(connect(office_dir)) as con:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("files", "accepted", "rejected")}
