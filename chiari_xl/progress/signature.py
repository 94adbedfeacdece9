"""The keyed signature (HMAC-SHA256) of a progress sheet.

Sheet protection only stops honest mistakes: anyone can remove it. What makes a returned sheet
tamper-evident is a signature over the sheet's metadata (area, month, plan year, its rows) and
every locked cell of the sheet — what the sheet shows — computed with the office key
(progress/office.py), which is never written into a workbook. The plan *file* is not signed:
a plan saved again without changes keeps every sheet valid; whether a sheet still matches the
plan in force is decided by comparing what it shows (progress/collect.py). An area's sheet shows
no amount, so no fund figure is bound to it: the payout reads them from the plan in force.

The signed text is canonical so that a copy re-saved by Excel or LibreOffice signs the same:
numbers as normalised decimals (35 == 35.0), text with white space folded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal

from chiari_xl.text import clean

VERSION = "chiari-xl-monitoraggio/2"
# /1: sheets signed with the plan file's sha256 in their metadata (same layout): still verifiable
KNOWN_VERSIONS = ("chiari-xl-monitoraggio/1", VERSION)


def canonical(value) -> str:
    """One text for a cell value, whatever program saved the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not d.is_finite():
            return str(d)
        d = d.normalize()
        return format(d, "f") if d != d.to_integral_value() else str(int(d))
    return clean(value)


def payload(meta: dict, locked: list[tuple[str, object]], version: str = VERSION) -> bytes:
    """meta: area_key, month, rows...; locked: [(cell, value)] of every locked cell."""
    body = {"v": version, "meta": {k: meta[k] for k in sorted(meta)},
            "locked": [[cell, canonical(v)] for cell, v in locked]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(key: bytes, meta: dict, locked: list[tuple[str, object]], version: str = VERSION) -> str:
    return hmac.new(key, payload(meta, locked, version), hashlib.sha256).hexdigest()


def verify(key: bytes, meta: dict, locked: list[tuple[str, object]], signature: str, version: str) -> bool:
    if version not in KNOWN_VERSIONS:
        return False
    return hmac.compare_digest(sign(key, meta, locked, version), str(signature or ""))
