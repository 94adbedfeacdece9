"""The office key and the keyed signature (HMAC-SHA256) of a progress sheet.

Sheet protection only stops honest mistakes: anyone can remove it. What makes a returned
sheet tamper-evident is a signature over the plan's sha256, the area, the month and every
locked cell of the sheet, computed with a key that only the office holds. The key lives in
the office folder (`.chiari-xl-chiave`, created once with 0600 permissions) and is never
written into a workbook; the workbook carries only the signature.

The signed text is canonical so that a copy re-saved by Excel or LibreOffice signs the same:
numbers as normalised decimals (35 == 35.0), text with white space folded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from decimal import Decimal
from pathlib import Path

from chiari_xl.errors import ChiariError
from chiari_xl.text import clean

KEY_NAME = ".chiari-xl-chiave"
VERSION = "chiari-xl-monitoraggio/1"


def key_path(office_dir: Path) -> Path:
    return Path(office_dir) / KEY_NAME


def load_or_create_key(office_dir: Path) -> bytes:
    """The office key; created (32 random bytes, hex, mode 0600) the first time."""
    path = key_path(office_dir)
    Path(office_dir).mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        raise ChiariError(f"La chiave dell'ufficio «{path}» non è leggibile: senza di essa "
                          "i fogli restituiti non possono essere verificati.") from None
    if len(key) < 16:
        raise ChiariError(f"La chiave dell'ufficio «{path}» è troppo corta.")
    return key


def canonical(value) -> str:
    """One text for a cell value, whatever program saved the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        d = d.normalize()
        return format(d, "f") if d != d.to_integral_value() else str(int(d))
    return clean(value)


def payload(meta: dict, locked: list[tuple[str, object]]) -> bytes:
    """meta: plan_sha256, area_key, month, rows...; locked: [(cell, value)] of every locked cell."""
    body = {"v": VERSION, "meta": {k: meta[k] for k in sorted(meta)},
            "locked": [[cell, canonical(v)] for cell, v in locked]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(key: bytes, meta: dict, locked: list[tuple[str, object]]) -> str:
    return hmac.new(key, payload(meta, locked), hashlib.sha256).hexdigest()


def verify(key: bytes, meta: dict, locked: list[tuple[str, object]], signature: str) -> bool:
    return hmac.compare_digest(sign(key, meta, locked), str(signature or ""))
