"""Restore Vietnamese diacritics: accent-stripped text and English-model OCR output.

A noisy-channel decoder. For each word token the channel proposes the accented
syllables it could be a damaged copy of, with a log-probability:
  - stripped or partly accented input: any syllable with the same letters that keeps
    every mark the input shows; each mark the input lacks costs log(q), each it kept
    log(1-q), where q is the document's estimated rate of lost marks;
  - English-model OCR ("Thue hién Chwong trinh", "s6", "ciia"): a table of garbled
    forms learned from pairs we made by OCR'ing rendered text with `-l eng`
    (scripts/make_ocr_pairs.py), backed by character rewrites for unseen forms.
A syllable 4-gram language model (normalizers/syllable_lm.py) scores the sequence and
a beam Viterbi search picks the best one. Codes, numbers and dates are never touched;
a token with no candidate is left as it was.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers.syllable_lm import BOUNDARY, NUM, UNK, SyllableLM
from normalizers.vietnamese import (WORD, apply_case, compatible, decompose, diacritic_share,
                                    key, mark_count, mark_distance)
from normalizers.ocr_channel import OcrChannel, looks_garbled
from normalizers.text import ROMAN_NUMERAL

MODEL_DIR = Path(__file__).parent / "models"
LM_PATH = MODEL_DIR / "syllable_lm.npz"
BEAM = 8
NORMAL_SHARE = 0.62
MISREAD_MARK = 0.3  # English OCR turns ệ into é: the marks it shows are weak evidence
MARK_SLIP = math.log(0.003)  # a mark misread by Vietnamese-model OCR
SMOOTHING = 2.0     # weight of the generic channel against the seen pairs
UNSEEN_COST = math.log(0.02)  # a character-rewrite reading, before its rewrites' cost  # share of syllables with a mark in ordinary accented text

_CHUNK = re.compile(r"\S+")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.S)
_CODE = re.compile(r"\d.*[-/]|[-/].*\d|\d[.,:]\d")
# Capitals without a vowel are abbreviations (BHXH, THCS), never syllables to restore.
_ABBREVIATION = re.compile(r"[B-DF-HJ-NP-TV-Z]{2,}")


class ModelMissing(RuntimeError):
    """The restorer's model file is absent: it is built by `make model`."""


@dataclass
class Token:
    start: int
    end: int
    text: str
    word: bool  # a candidate for restoration


@dataclass
class Restoration:
    text: str
    mode: str           # "none", "stripped", "garbled"
    changed: int        # tokens rewritten
    words: int          # word tokens seen
    confidence: float   # mean posterior-margin proxy in [0, 1]


def tokenize(text: str, garbled: bool) -> list[Token]:
    """Word tokens and the fixed tokens around them, with character offsets."""
    out: list[Token] = []
    for m in _CHUNK.finditer(text):
        chunk, base = m.group(), m.start()
        lead, core, trail = _EDGE.match(chunk).groups()
        if garbled and not core and chunk:
            core, lead, trail = chunk, "", ""
        pos = base
        for p in lead:
            out.append(Token(pos, pos + 1, p, False))
            pos += 1
        # A Roman numeral numbering a line ("VI | Giáo dục", "IV.") is not the syllable "vì".
        numbering = ROMAN_NUMERAL.fullmatch(core) and (
            trail[:1] in (".", ")") or not text[text.rfind("\n", 0, base) + 1:base].strip())
        if core:
            if (_CODE.search(core) or core.isdigit() or _ABBREVIATION.fullmatch(core)
                    or numbering):
                out.append(Token(pos, pos + len(core), core, False))
            else:
                for part in re.finditer(r"[^-–]+|[-–]", core):
                    s = part.group()
                    is_word = bool(WORD.fullmatch(s)) or (garbled and looks_garbled(s))
                    out.append(Token(pos + part.start(), pos + part.end(), s, is_word))
            pos += len(core)
        for p in trail:
            out.append(Token(pos, pos + 1, p, False))
            pos += 1
    return out


class Restorer:
    def __init__(self, lm: SyllableLM, channel: OcrChannel | None = None):
        self.lm = lm
        self.channel = channel or OcrChannel.load()
        self.forms: dict[str, list[int]] = {}
        for i, w in enumerate(lm.vocab):
            if WORD.fullmatch(w):
                self.forms.setdefault(key(w), []).append(i)
        self.hist_len = lm.order - 1
        self.contexts: dict[tuple, tuple] = {}
        self.plain_rate = self.channel.plain_rate

    @classmethod
    def load(cls, path: Path = LM_PATH) -> "Restorer":
        if not path.exists():
            raise ModelMissing(f"{path} is missing: run `make model` to build it")
        return cls(SyllableLM.load(path))

    # -- channel -------------------------------------------------------------
    def stripped_candidates(self, token: str, q: float) -> list[tuple[int, float]]:
        low = token.lower()
        out = []
        lq, lk = math.log(q), math.log(1 - q)
        for i in self.forms.get(key(low), ()):
            missing = compatible(low, self.lm.vocab[i])
            if missing >= 0:
                kept = mark_count(self.lm.vocab[i]) - missing
                out.append((i, missing * lq + kept * lk))
        return out

    def misread_candidates(self, token: str) -> list[tuple[int, float]]:
        """Vietnamese-model OCR: the marks read are right but for a slip now and then
        ('BẠN HÀNH' for 'BAN HÀNH'); every form of the same letters, each differing mark
        costing MARK_SLIP, so only a context the LM is sure of overrules the page."""
        low = token.lower()
        out = []
        for i in self.forms.get(key(low), ()):
            d = mark_distance(low, self.lm.vocab[i])
            if d >= 0:
                out.append((i, d * MARK_SLIP))
        return out

    def garbled_candidates(self, token: str) -> list[tuple[int, float]]:
        """P(token | syllable) = (seen count + a * generic) / (syllable total + a).

        The generic part covers what the pairs never showed: bare letters (marks read
        as weak evidence) or a character-rewrite reading of the token.
        """
        low = token.lower()
        generic: dict[int, float] = {}
        if WORD.fullmatch(low):
            for i in self.forms.get(key(low), ()):
                ok = compatible(low, self.lm.vocab[i]) >= 0
                generic[i] = self.plain_rate * (1.0 if ok else MISREAD_MARK)
        for letters, logp in self.channel.readings(low):
            p = math.exp(logp + UNSEEN_COST)
            for i in self.forms.get(letters, ()):
                generic[i] = max(generic.get(i, 0.0), p)
        seen = self.channel.seen(low)
        for syllable in seen:
            i = self.lm.ids.get(syllable)
            if i is not None:
                generic.setdefault(i, 0.0)
        out = []
        for i, g in generic.items():
            form = self.lm.vocab[i]
            p = (seen.get(form, 0) + SMOOTHING * g) / (self.channel.total(form) + SMOOTHING)
            if p > 0:
                out.append((i, math.log(p)))
        return out

    # -- decoding ------------------------------------------------------------
    def decode(self, lattice: list[list[tuple[int, float]]]) -> tuple[list[int], float]:
        """Best candidate index per position (beam Viterbi) and a confidence proxy."""
        lm, n = self.lm, self.hist_len
        start = (lm.ids[BOUNDARY],)
        beam = [(0.0, start, None)]
        contexts = self.contexts
        if len(contexts) > 200_000:
            contexts.clear()
        for cands in lattice:
            best: dict[tuple, tuple] = {}
            for score, hist, back in beam:
                ctx = contexts.get(hist)
                if ctx is None:
                    ctx = contexts[hist] = lm.context(hist)
                for k, (wid, ch) in enumerate(cands):
                    s = score + ch + lm.score_in(ctx, wid)
                    nh = (hist + (wid,))[-n:]
                    cur = best.get(nh)
                    if cur is None or s > cur[0]:
                        best[nh] = (s, nh, (k, back))
            beam = sorted(best.values(), key=lambda x: -x[0])[:BEAM]
        end = lm.ids[BOUNDARY]
        finals = sorted(((s + lm.score(h, end), back) for s, h, back in beam), key=lambda x: -x[0])
        choice, back = [], finals[0][1]
        while back is not None:
            choice.append(back[0])
            back = back[1]
        margin = finals[0][0] - finals[1][0] if len(finals) > 1 else 10.0
        return choice[::-1], 1.0 - math.exp(-max(margin, 0.0))

    def restore_line(self, line: str, mode: str, q: float = 0.98,
                     doubtful: list[tuple[int, int]] | None = None) -> tuple[str, int, int, float]:
        """One line restored; with `doubtful` (character spans), only words inside them
        may change, the others stay and serve as context."""
        garbled = mode == "garbled"
        tokens = tokenize(line, garbled)
        lattice, surfaces = [], []
        for t in tokens:
            cands: list[tuple[int, float]] = []
            if t.word and doubtful is not None and not any(a <= t.start < b for a, b in doubtful):
                wid = self.lm.ids.get(t.text.lower())
                cands = [(wid, 0.0)] if wid is not None else []
            elif t.word:
                cands = (self.garbled_candidates(t.text) if garbled
                         else self.misread_candidates(t.text) if mode == "misread"
                         else self.stripped_candidates(t.text, q))
            if not cands:
                fixed = NUM if t.text[:1].isdigit() else (t.text if t.text in ",.;:()" else UNK)
                cands = [(self.lm.id(fixed), 0.0)]
                surfaces.append(None)
            else:
                surfaces.append(cands)
            lattice.append(cands)
        if not tokens:
            return line, 0, 0, 1.0
        choice, confidence = self.decode(lattice)
        out, pos, changed, words = [], 0, 0, 0
        for t, k, cands in zip(tokens, choice, surfaces):
            if cands is None:
                continue
            words += 1
            form = self.lm.vocab[cands[k][0]]
            same = decompose(form) == decompose(t.text.lower())
            if same:
                continue
            out.append(line[pos:t.start])
            out.append(apply_case(t.text, form))
            pos = t.end
            changed += 1
        out.append(line[pos:])
        return "".join(out), changed, words, confidence

    def mend_marks(self, words: list[str], doubtful: list[bool]) -> list[str]:
        """Vietnamese-model OCR words of one line, the marks of the doubtful ones (low
        OCR confidence) re-read against their context: 'BẠN HÀNH' -> 'BAN HÀNH'."""
        if not any(doubtful):
            return words
        spans, pos = [], 0
        for word, doubt in zip(words, doubtful):
            if doubt:
                spans.append((pos, pos + len(word)))
            pos += len(word) + 1
        mended = self.restore_line(" ".join(words), "misread", doubtful=spans)[0].split(" ")
        return mended if len(mended) == len(words) else words

    def restore(self, text: str, mode: str = "auto") -> Restoration:
        """Restore a text line by line; mode auto|stripped|garbled|none."""
        if mode == "auto":
            mode = detect_mode(text)
        if mode == "none":
            return Restoration(text, "none", 0, 0, 1.0)
        q = lost_mark_rate(text) if mode == "stripped" else 0.0   # garbled mode has no q
        lines, changed, words, conf = [], 0, 0, []
        for line in text.split("\n"):
            new, c, w, cf = self.restore_line(line, mode, q)
            lines.append(new)
            changed += c
            words += w
            if w:
                conf.append(cf)
        confidence = sum(conf) / len(conf) if conf else 1.0
        return Restoration("\n".join(lines), mode, changed, words, round(confidence, 3))


def lost_mark_rate(text: str) -> float:
    """Estimated share of marks lost: 1 for stripped text, about 0 for clean text."""
    return min(max(1.0 - diacritic_share(text) / NORMAL_SHARE, 0.02), 0.98)


def detect_mode(text: str) -> str:
    """none | stripped | garbled, from the share of marked words and OCR garble signs.

    Text that keeps most of its marks (Vietnamese-model OCR of a noisy table page) is
    never garbled text: its stray symbols are OCR noise the restorer would only spread."""
    words = _CHUNK.findall(text)
    if len(WORD.findall(text)) < 5:
        return "none"
    garble = sum(1 for w in words if looks_garbled(w.strip(".,;:()\"'")) and not _CODE.search(w))
    share = diacritic_share(text)
    if share >= 0.4:
        return "none"
    return "garbled" if garble / max(len(words), 1) > 0.03 else "stripped"


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    return Restorer.load()


def restore_text(text: str, mode: str = "auto") -> Restoration:
    """Restore diacritics in `text` with the bundled model (for notebooks and scripts)."""
    return default_restorer().restore(text, mode)
