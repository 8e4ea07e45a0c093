"""String helpers shared by the normalisers: Unicode form, whitespace, folding keys."""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACE = re.compile(r"\s+")
# A year standing alone ("Năm 2025", "2021-2025", "KH2025"): not part of a longer number
# ("12.000", "20256"), nor the year of a written date ("08/5/2024", "20-7-2024").
YEAR = re.compile(r"(?<![\d/.,])(?<!\b\d-)(?<!\b\d\d-)(?:19|20)\d\d(?![\d/]|[.,]\d)")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def squash(s: str) -> str:
    """NFC, one space between words, no leading or trailing space."""
    return _SPACE.sub(" ", nfc(s)).strip()


def fold(s: str) -> str:
    """Accent- and case-insensitive key: 'Ủy ban Nhân dân' -> 'uy ban nhan dan'."""
    return squash(unidecode(nfc(s).replace("Đ", "D").replace("đ", "d"))).lower()


def fold_chars(s: str) -> str:
    """fold() that keeps every character at its offset (for finding spans in text):
    one lower-case ASCII letter per letter; what unidecode would widen stays as it is."""
    out = []
    for c in nfc(s):
        u = "d" if c in "đĐ" else unidecode(c)
        out.append(u.lower() if len(u) == 1 else c)
    return "".join(out)

