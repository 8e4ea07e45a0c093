"""Detect and convert legacy Vietnamese encodings (TCVN3/ABC, VNI, VISCII) to Unicode.

Old PDFs made with .VnTime or VNI-Times fonts carry text layers whose characters are
the Latin-1 reading of 8-bit codes: "Céng hoµ x· héi" is TCVN3 for "Cộng hoà xã hội".
The tables live in data/legacy_encodings.yaml. Detection converts with each encoding
and keeps the one whose words are valid Vietnamese syllables most often.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from normalizers import lexicon
from normalizers.restorer.vietnamese import WORD

DATA = Path(__file__).parent / "data"
TONE = {"": "", "sắc": "\u0301", "huyền": "\u0300", "hỏi": "\u0309", "ngã": "\u0303",
        "nặng": "\u0323"}
_SUSPECT = re.compile(r"[\x80-\xff\x02\x05\x06\x14\x19\x1e]")


@lru_cache(maxsize=1)
def _tables() -> dict:
    return lexicon.load(DATA / "legacy_encodings.yaml", {"viscii": dict, "tcvn3": dict, "vni": dict})


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Valid Vietnamese syllables (lower case), from data/syllables.txt."""
    text = (DATA / "syllables.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


def _byte_char_map(by_byte: dict[int, str]) -> dict[int, str]:
    """Map both the Latin-1 and the Windows-1252 reading of each byte."""
    out = {}
    for b, uni in by_byte.items():
        out[b] = uni
        try:
            out[ord(bytes([b]).decode("cp1252"))] = uni
        except UnicodeDecodeError:
            pass
    return out


@lru_cache(maxsize=1)
def _viscii() -> dict[int, str]:
    t = _tables()["viscii"]
    by_byte = {0x80 + i: ch for i, ch in enumerate(t["high"])}
    by_byte.update({int(k): v for k, v in t["low"].items()})
    return _byte_char_map(by_byte)


@lru_cache(maxsize=1)
def _tcvn3() -> dict[int, str]:
    t = _tables()["tcvn3"]
    return _byte_char_map({ord(a): b for a, b in zip(t["from"], t["to"])})


def from_vni(text: str) -> str:
    t = _tables()["vni"]
    letters = dict(t["letters"])
    letters.update({k.upper(): v.upper() for k, v in t["letters"].items()})
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        prev = unicodedata.normalize("NFD", out[-1]) if out else ""
        base = prev[:1].lower()
        if base in "aeo" and low in t["circumflex"] and len(prev) == 1:
            out[-1] = unicodedata.normalize("NFC", prev + "\u0302" + TONE[t["circumflex"][low]])
        elif base == "a" and low in t["breve"] and len(prev) == 1:
            out[-1] = unicodedata.normalize("NFC", prev + "\u0306" + TONE[t["breve"][low]])
        elif base in "aeiouy" and low in t["tones"] and out:
            out[-1] = unicodedata.normalize("NFC", prev + TONE[t["tones"][low]])
        else:
            out.append(letters.get(ch, ch))
    return "".join(out)


CONVERTERS = {
    "tcvn3": lambda s: s.translate(_tcvn3()),
    "vni": from_vni,
    "viscii": lambda s: s.translate(_viscii()),
}


def valid_share(text: str) -> float:
    words = WORD.findall(text)
    if not words:
        return 0.0
    known = syllables()
    return sum(1 for w in words if w.lower() in known) / len(words)


def detect_and_convert(text: str) -> tuple[str, str | None]:
    """(Unicode NFC text, encoding name) or (text, None) when it is not legacy-encoded."""
    if not _SUSPECT.search(text):
        return text, None
    base = valid_share(text)
    best, best_name, best_share = text, None, base
    for name, convert in CONVERTERS.items():
        converted = unicodedata.normalize("NFC", convert(text))
        share = valid_share(converted)
        if share > best_share + 0.1:
            best, best_name, best_share = converted, name, share
    return best, best_name
