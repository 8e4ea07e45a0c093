"""How Tesseract's English model damages Vietnamese syllables, learned from real pairs.

`data/ocr_channel.tsv` holds (garbled, true syllable, count) triples made by
scripts/make_ocr_pairs.py: it renders accented text, OCRs it with `-l eng` and aligns
the output to the source. P(garbled | true) comes from those counts. Forms never seen
are read through character rewrites learned from the same pairs ("6" -> "o", "w" -> "u",
"1" -> "l"...) and a short list of shape confusions (data/ocr_visual_confusions.tsv);
every accented form of the resulting letters is then a candidate.
"""
from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from normalizers.restorer.syllable_lm import canonical
from normalizers.restorer.vietnamese import WORD, decompose

DATA = Path(__file__).parent / "data" / "ocr_channel.tsv"
REWRITES = Path(__file__).parent / "data" / "ocr_rewrites.tsv"
# Shape confusions a worse scan adds to what clean renders taught (e->c, ii->u, rn->m).
VISUAL = Path(__file__).parent / "data" / "ocr_visual_confusions.tsv"

_FOREIGN = re.compile(r"[wfjz]", re.I)
_SYMBOLS = re.compile(r"[¢€£©®°§ﬁﬂ|@$&]")
# Symbols English-model OCR reads for Vietnamese letters (¢ for ê or c, € for ê, § for ĩ,
# & for ở): part of the word they stand in, never punctuation around it.
LETTER_SYMBOLS = re.compile(r"[¢€§&$©£]")
_DIGIT_IN_WORD = re.compile(r"[^\W\d_][0-9]|[0-9][^\W\d_]")


# Training pairs and their benchmark compare words without the punctuation around them.
EDGE = ".,;:()\"'“”!?"


def token_core(token: str) -> str:
    """A token without its leading and trailing punctuation: "(Nhà," -> "Nhà"."""
    return token.strip(EDGE)


def looks_garbled(token: str) -> bool:
    """A token no Vietnamese text would contain: digits inside letters, w/f/j/z, ¢ € ﬁ...;
    or a short one of no letters where a letter was read as a symbol ('1€' lệ, '¢6' có,
    '&' ở, '$0' số)."""
    if not token:
        return False
    if not any(c.isalpha() for c in token):
        return len(token) <= 3 and bool(LETTER_SYMBOLS.search(token))
    return bool(_DIGIT_IN_WORD.search(token) or _SYMBOLS.search(token)
                or (_FOREIGN.search(token) and len(token) <= 7))


class OcrChannel:
    def __init__(self, pairs: dict[str, dict[str, int]], rewrites: list[tuple[str, str, float]],
                 true_totals: dict[str, int], true_types: dict[str, int]):
        self.pairs = pairs
        self.rewrites = tuple(rewrites)  # hashed by rewrite_readings' cache: build it once
        self.true_totals = true_totals
        self.true_types = true_types

    @classmethod
    def load(cls, path: Path = DATA, rewrites_path: Path = REWRITES) -> "OcrChannel":
        pairs: dict[str, dict[str, int]] = defaultdict(dict)
        totals: dict[str, int] = defaultdict(int)
        types: dict[str, int] = defaultdict(int)
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for garbled, true, count in csv.reader(f, delimiter="\t"):
                    true = canonical(true)          # as the LM counts it: 'hoá' as 'hóa'
                    types[true] += true not in pairs[garbled]
                    pairs[garbled][true] = pairs[garbled].get(true, 0) + int(count)
                    totals[true] += int(count)
        rewrites = []
        for table in (rewrites_path, VISUAL):
            if table.exists():
                with table.open(encoding="utf-8") as f:
                    for src, dst, p in csv.reader(f, delimiter="\t"):
                        rewrites.append((src, dst, math.log(float(p))))
        return cls(dict(pairs), rewrites, dict(totals), dict(types))

    def seen(self, token: str) -> dict[str, int]:
        """True syllables this garbled form was seen for, with counts."""
        return self.pairs.get(token.lower(), {})

    def total(self, syllable: str) -> int:
        return self.true_totals.get(syllable, 0)

    def types(self, syllable: str) -> int:
        """Distinct garbled forms seen for the syllable: how often it is garbled anew."""
        return self.true_types.get(syllable, 0)

    @property
    def plain_rate(self) -> float:
        """How often a syllable comes out as its bare letters ("người" -> "nguoi")."""
        plain = sum(c for g, seen in self.pairs.items() for t, c in seen.items()
                    if g == decompose(t)[0])
        return plain / max(sum(self.true_totals.values()), 1) or 0.5

    def readings(self, low: str) -> list[tuple[str, float]]:
        """Plain-letter readings of an unseen garbled token, with rewrite costs."""
        return rewrite_readings(low, self.rewrites)


@lru_cache(maxsize=100_000)
def rewrite_readings(low: str, rewrites: tuple[tuple[str, str, float], ...]
                     ) -> list[tuple[str, float]]:
    """Plain-letter readings of `low` through up to two rewrites, with their costs."""
    results = {low: 0.0}
    frontier = [(low, 0.0)]
    for _ in range(2):
        nxt = []
        for s, cost in frontier:
            for src, dst, lp in rewrites:
                i = s.find(src)
                while i >= 0:
                    t = s[:i] + dst + s[i + len(src):]
                    c = cost + lp
                    if c > results.get(t, -1e9):
                        results[t] = c
                        nxt.append((t, c))
                    i = s.find(src, i + 1)
        frontier = nxt
    out = []
    for s, c in results.items():
        if WORD.fullmatch(s) and s.isascii():
            out.append((decompose(s)[0], c))
    return out
