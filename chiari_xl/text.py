"""Text helpers for matching labels people type: case, accents, stray spaces and punctuation."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def norm(value) -> str:
    """'  COEFF. Multiplic.\\nDIP. ' -> 'coeff multiplic dip'; 'Strategicità' -> 'strategicita'."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def squash(value) -> str:
    """Letters and digits only: for comparing two spellings of the same label."""
    return norm(value).replace(" ", "")


def clean(value) -> str:
    """Cell text as shown, with runs of white space (line breaks included) folded to one space."""
    if value is None:
        return ""
    return " ".join(str(value).split())
