"""Vietnamese syllables as letters plus marks: what the diacritics restorer reasons about.

A syllable's diacritics are of two kinds: shape marks that make a different vowel
(â ê ô ă ơ ư, and đ) and one tone mark (huyền, sắc, hỏi, ngã, nặng). Restoration asks,
for an input syllable, which accented syllables it could be a stripped or partly
stripped copy of; `compatible` answers that and counts the marks the input lost.
Tone placement ("hoà" / "hòa") is irrelevant here: tones are compared per syllable.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
SHAPE_MARKS = {"\u0302": 1, "\u0306": 2, "\u031b": 3}
STROKE = 4  # the shape "mark" of đ
VOWELS = set("aeiouy")

# A word token: letters only (Latin with Vietnamese diacritics).
WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=200_000)
def decompose(syllable: str) -> tuple[str, tuple[int, ...], int]:
    """'người' -> ('nguoi', shapes per letter, tone): base letters, shape mark per letter, tone."""
    base, shapes, tone = [], [], 0
    for ch in syllable:
        if ch in "đĐ":
            base.append("d" if ch == "đ" else "D")
            shapes.append(STROKE)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base.append(parts[0])
        shape = 0
        for mark in parts[1:]:
            if mark in TONE_MARKS:
                tone = TONE_MARKS[mark]
            elif mark in SHAPE_MARKS:
                shape = SHAPE_MARKS[mark]
        shapes.append(shape)
    return "".join(base), tuple(shapes), tone


@lru_cache(maxsize=100_000)
def is_vietnamese(word: str) -> bool:
    """Written with Vietnamese letters only: Latin letters, đ, and vowels carrying
    Vietnamese marks; 'hō', 'nǎm' (a caron for the breve), 'ñ' are not."""
    for ch in word:
        if ch.isascii() or ch in "đĐ":
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        if base.lower() not in VOWELS or any(
                m not in TONE_MARKS and m not in SHAPE_MARKS for m in marks):
            return False
    return True


def strip_marks(text: str) -> str:
    """Remove every Vietnamese diacritic, keeping case and everything else."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
        else:
            parts = unicodedata.normalize("NFD", ch)
            out.append(parts[0] if len(parts) > 1 and parts[0].isascii() else ch)
    return "".join(out)


def key(syllable: str) -> str:
    """Lower-case, mark-free key: all accented forms of a syllable share it."""
    return decompose(syllable.lower())[0]


@lru_cache(maxsize=200_000)
def mark_count(syllable: str) -> int:
    _, shapes, tone = decompose(syllable)
    return sum(1 for s in shapes if s) + (1 if tone else 0)


@lru_cache(maxsize=500_000)
def compatible(observed: str, candidate: str) -> int:
    """Marks the candidate has that the observed syllable lacks; -1 if incompatible.

    Both lower case. Compatible means: same letters, and every mark the observed
    syllable carries is also on the candidate at that letter (the tone anywhere).
    """
    b1, s1, t1 = decompose(observed)
    b2, s2, t2 = decompose(candidate)
    if b1 != b2 or (t1 and t1 != t2):
        return -1
    missing = 0 if t1 or not t2 else 1
    for a, b in zip(s1, s2):
        if a and a != b:
            return -1
        if b and not a:
            missing += 1
    return missing


def mark_distance(a: str, b: str) -> int:
    """Marks two syllables of the same letters differ by (shape marks per letter, and the
    tone): 'bạn' / 'ban' 1, 'thượng' / 'thương' 1, 'để' / 'đề' 1; -1 for other letters."""
    b1, s1, t1 = decompose(a)
    b2, s2, t2 = decompose(b)
    if b1 != b2:
        return -1
    return sum(1 for x, y in zip(s1, s2) if x != y) + (t1 != t2)


def diacritic_share(text: str) -> float:
    """Share of word tokens that carry any Vietnamese mark (about 0.5 in normal text)."""
    words = WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if mark_count(w)) / len(words)


def apply_case(template: str, word: str) -> str:
    """Give `word` the case pattern of `template`: UPPER, Title or lower."""
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and sum(c.isupper() for c in letters) * 2 > len(letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


# Open syllables ending in these vowel pairs carry their tone on either vowel, by
# convention: 'hóa', 'khỏe', 'thủy' (the newer style) or 'hoá', 'khoẻ', 'thuỷ' (the older).
_GLIDES = ("oa", "oe", "uy")
_TONE_OF = {v: k for k, v in TONE_MARKS.items()}
_SHAPE_OF = {v: k for k, v in SHAPE_MARKS.items()}


def _glide_at(syllable: str) -> int:
    """Index of the first vowel of a final 'oa'/'oe'/'uy' whose placement varies, or -1
    ('quý' is qu + y: its tone has one place)."""
    base, shapes, _ = decompose(syllable)
    low = base.lower()
    if len(low) < 2 or not low.endswith(_GLIDES) or any(shapes[-2:]) or low.endswith("quy"):
        return -1
    return len(low) - 2


@lru_cache(maxsize=100_000)
def tone_style(syllable: str) -> str | None:
    """'new' for 'hóa', 'old' for 'hoá', None where the placement cannot differ."""
    at = _glide_at(syllable)
    if at < 0 or not decompose(syllable)[2]:
        return None
    marks = unicodedata.normalize("NFD", syllable[at])[1:]
    return "new" if any(m in TONE_MARKS for m in marks) else "old"


def retone(syllable: str, style: str) -> str:
    """The syllable with its tone where `style` puts it: retone('hoá', 'new') == 'hóa'."""
    at = _glide_at(syllable)
    base, shapes, tone = decompose(syllable)
    if at < 0 or not tone or tone_style(syllable) == style:
        return syllable
    where = at if style == "new" else at + 1
    out = []
    for i, (ch, shape) in enumerate(zip(base, shapes)):
        if shape == STROKE:
            out.append("Đ" if ch == "D" else "đ")
            continue
        marks = (_SHAPE_OF.get(shape, "")) + (_TONE_OF[tone] if i == where else "")
        out.append(unicodedata.normalize("NFC", ch + marks))
    return "".join(out)
