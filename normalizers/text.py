"""String helpers shared by the normalisers: Unicode form, whitespace, folding keys."""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACE = re.compile(r"\s+")
# A four-digit year of these centuries, standing alone ("2021", "2021-2025", "năm 2030").
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A Roman numeral up to 39 ("IV", "XII"): list numbering, quarters, group headings.
ROMAN_NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")


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


def sentence_case(s: str) -> str:
    """'CHỦ TỊCH' -> 'Chủ tịch' (first letter upper, the rest lower)."""
    s = squash(s).lower()
    return s[:1].upper() + s[1:]
