"""Roman numerals as plans number their parts ("II. NHIỆM VỤ", "Quý IV/2025") and as
OCR draws their strokes ("H" for II, "l" or "1" for I)."""
from __future__ import annotations

import re

# A Roman numeral up to 39 ("IV", "XII"): list numbering, quarters, group headings.
NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
# What OCR makes of one: bars read as l, L, i, 1 or |, two close bars as H.
LOOKALIKE = re.compile(r"[IVXHlLi1|Ì]{1,5}")
_STROKES = str.maketrans({"H": "II", "l": "I", "L": "I", "i": "I", "1": "I", "|": "I",
                          "Ì": "I"})
_VALUES = {"I": 1, "V": 5, "X": 10}


def from_strokes(text: str) -> str | None:
    """The numeral OCR's look-alike strokes stand for ("IH" -> "III"), or None."""
    mended = text.translate(_STROKES)
    return mended if NUMERAL.fullmatch(mended) else None


def value(numeral: str) -> int:
    """'XIV' -> 14; look-alike strokes read as I ('1V' -> 4)."""
    digits = [_VALUES.get(c, 1) for c in numeral.upper().translate(_STROKES)]
    return sum(-d if d < nxt else d for d, nxt in zip(digits, digits[1:] + [0]))


def to_roman(n: int) -> str:
    out = ""
    for step, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= step:
            out += numeral
            n -= step
    return out
