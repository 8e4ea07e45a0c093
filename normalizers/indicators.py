"""Indicator names snapped to a registry of canonical indicators
(normalizers/data/indicators.yaml): the same measure worded by two plans ("Số bác sỹ/vạn
dân", "Số bác sĩ trên 10.000 dân") gets one id, so data teams can set one indicator's
targets side by side across plans and provinces.

Names are compared as accent-folded syllables, on the name's first sentence (plans go
on with how the target is reached) and without the verb that opens a target ("Duy
trì", "Phấn đấu", "Giảm"): the score is the F1 of the syllables two wordings share,
or their character similarity where OCR damaged the letters, whichever is higher. A
short canonical name inside a longer one scores low ("Tỷ lệ hộ nghèo" in "Tỷ lệ trẻ em
thuộc hộ nghèo được hỗ trợ"), so it is not taken for it.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from normalizers import lexicon
from normalizers.text import fold

DATA = Path(__file__).with_name("data") / "indicators.yaml"
_OPENING_VERBS = re.compile(r"^(?:duy tri|phan dau|dat|giam|nang|tang|bao dam|dam bao)\s+")
_SENTENCE_END = re.compile(r"[.;:](?:\s|$)")
_NOT_SYLLABLE = re.compile(r"[^\w%/]+")


def _key(name: str) -> str:
    """Folded syllables of the first sentence, less an opening verb and brackets' asides."""
    text = fold(_SENTENCE_END.split(name, 1)[0])
    text = re.sub(r"\([^)]*\)", " ", text)
    return _OPENING_VERBS.sub("", " ".join(_NOT_SYLLABLE.sub(" ", text).split()))


@lru_cache(maxsize=1)
def _wordings() -> list[tuple[str, str, Counter]]:
    """(id, folded wording, its syllables) of every canonical name and alias."""
    entries = lexicon.load(DATA, {"indicators": (list, ("id", "name"))})["indicators"]
    out = []
    for e in entries:
        for wording in [e["name"], *e.get("aka", [])]:
            key = _key(wording)
            out.append((e["id"], key, Counter(key.split())))
    return out


def _score(key: str, syllables: Counter, wording: str, theirs: Counter) -> float:
    shared = sum((syllables & theirs).values())
    f1 = 2 * shared / (sum(syllables.values()) + sum(theirs.values())) if shared else 0.0
    return max(f1, fuzz.ratio(key, wording) / 100)


def best_match(name: str) -> tuple[str, float]:
    """(id, score 0..1) of the canonical indicator the name is closest to; ("", 0.0) for
    a name with nothing to compare."""
    key = _key(name or "")
    if not key:
        return "", 0.0
    syllables = Counter(key.split())
    best = max(((_score(key, syllables, w, c), -len(w), i) for i, w, c in _wordings()),
               default=(0.0, 0, ""))
    return best[2], round(best[0], 3)
