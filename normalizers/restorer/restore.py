"""Restore Vietnamese diacritics: accent-stripped text and English-model OCR output.

A noisy-channel decoder. For each word token the channel proposes the accented
syllables it could be a damaged copy of, with a log-probability:
  - stripped or partly accented input: any syllable with the same letters that keeps
    every mark the input shows; each mark the input lacks costs log(q), each it kept
    log(1-q), where q is the document's estimated rate of lost marks;
  - English-model OCR ("Thue hién Chwong trinh", "s6", "ciia"): a table of garbled
    forms learned from pairs we made by OCR'ing degraded renders with `-l eng`
    (scripts/make_ocr_pairs.py), backed by character rewrites for unseen forms and by
    letter-level readings (letter_edits.py) where a scan destroyed letters ('ning'
    năng, 'nghi¢p' nghiệp).
A syllable 4-gram language model (normalizers/restorer/syllable_lm.py) scores the sequence and
a beam Viterbi search picks the best one. A document is read twice: words read against
the document's own usage in the same company ('hải quan' forty times, 'hải quân' three)
are read again with that usage as a prior, a cache model (Kuhn & De Mori 1990) that
adapts the LM to the document's topic at no training cost. Lines a paragraph wrapped are
read as one; a capital where names are leans to what text capitalises there ('Sở', not
'Số'). Codes, numbers and dates are never touched; a token with no candidate is left as
it was.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers.restorer.syllable_lm import BOUNDARY, MISS, NUM, PUNCT, UNK, SyllableLM, canonical
from normalizers.restorer.vietnamese import (WORD, apply_case, compatible, decompose, diacritic_share,
                                    is_vietnamese, key, mark_count, mark_distance, retone,
                                    tone_style)
from normalizers.restorer.legacy_encodings import syllables
from normalizers.restorer.letter_edits import VOWELS, EditIndex
from normalizers.restorer.ocr_channel import (LETTER_SYMBOLS, OcrChannel, looks_garbled,
                                              rewrite_readings)
from normalizers import roman

MODEL_DIR = Path(__file__).parent / "models"
LM_PATH = MODEL_DIR / "syllable_lm.npz"
BEAM = 8
GARBLED_BEAM = 16   # English-model OCR: 40 readings a token, and the right one often
                    # scores low until the next word (held-out OCR pages 95.0 -> 95.1%,
                    # the Bắc Sơn body 97.2 -> 97.8%; 24 gains 0.1 more at a sixth slower)
BEAM_WIDTH = 12.0  # a hypothesis this many nats behind the best is dropped
CONTEXTS_KEPT = 200_000  # histories whose back-off chains are kept
CACHE_WEIGHT = 1.5  # the document's own usage against the LM (1-2 alike on held-out laws)
CACHE_ALPHA = 2.0   # pseudo-count of the LM's view in each context
CACHE_MIN = 4       # readings a context needs before the document's usage counts
CACHE_LONE = 2      # a line of at most this many words (a table cell: 'Hộ', 'Số hộ') has
                    # too little company: its words follow the document's usage anywhere,
                    # not that of other lone cells (which would only echo its own reading)
NORMAL_SHARE = 0.62  # share of syllables with a mark in ordinary accented text
NOT_A_SYLLABLE = 0.1  # a garbled token read as itself where it is no Vietnamese syllable
MISREAD_MARK = 0.3  # English OCR turns ệ into é: the marks it shows are weak evidence
FURTHER_MARK = math.log(0.8)  # a syllable typed bare loses all its marks at once
MARK_SLIP = math.log(0.003)  # a mark misread by Vietnamese-model OCR
SURE_SLIP = math.log(3e-5)  # the same where Tesseract was sure of the word: on a real
                            # scan it reads 'tô chức', 'mức chỉ tiếp khách' at 96 too
GUESS_SLIP = math.log(0.05)  # a mark our own first reading guessed without the context
                             # a wrap took away ("rewrap" mode: a table cell read flat)
SMOOTHING = 2.0     # weight of the generic channel against the seen pairs
# A real scan garbles in ways our degraded renders never showed: the generic channel
# weighs at least this many times a syllable's seen pairs (held-out degraded pairs:
# 0.3 -> 94.1%, 1 -> 94.3%, 3 -> 94.5%, 10 -> 94.5%).
NEW_GARBLE = 3.0
UNSEEN_COST = math.log(0.02)  # a character-rewrite reading, before its rewrites' cost
LETTER_EDIT = math.log(0.005)  # a letter changed, lost or added that no rewrite explains
SYMBOL_READ = math.log(0.1)   # a symbol inside a word ('nghi¢p') read as a letter or nothing
DIGIT_READ = math.log(0.3)    # a digit inside a word read as the letter it looks like
CAPITAL_I_READ = math.log(0.3)  # a capital I read for an l
LOST_VOWEL = math.log(0.005)  # a lone consonant read as a syllable with its onset
LONE_SELF = math.log(0.05)    # ... and as itself, where it marks no list item ('b)')
# A token of symbols or digits may be none of its readings ('Til¢' is two syllables
# merged): kept as it is, scored as an unknown word, when no reading fits its context.
KEEP_GARBLED = -6.0
CASE_WEIGHT = 1.0             # the casing cue against the channel and the LM
CASE_PRIOR = 20.0             # occurrences that weigh as much as a syllable's own casing
GARBLED_KEPT = 40             # candidates kept per garbled token (the decoder's cost)
LONE_KEPT = 200               # per one-letter token, which may be any syllable it opens
MERGED_SPACE = math.log(0.01)  # a space OCR lost between two syllables ('Tilé' tỉ lệ)
SPLIT_HALF_FLOOR = -7.0       # the least channel score each half of a split needs
SPLIT_WINDOW = 3              # neighbours a side a split is weighed among
EDIT_BASES = 4                # readings of a token whose one-edit neighbours are proposed

_CHUNK = re.compile(r"\S+")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.S)
# A unit of lower-case words and numbers split by slashes; codes (73-CTr/TU,
# 15/2020/NĐ-CP) open with a digit or carry capitals.
_UNIT_SLASH = re.compile(r"[^\W\d_][^\W_A-ZĐ]*(?:/[^\W_A-ZĐ]+)+|%+(?:/[^\W\d_]+)+")
_CODE = re.compile(r"\d.*[-/]|[-/].*\d|\d[.,:]\d")
# A digit inside a word is a letter misread: its likeliest letter, for letter readings.
_DIGIT_LETTER = str.maketrans("013468", "olaaoa")
_DIGIT_LETTER_ALT = str.maketrans("1", "i")     # 'vé1' với
# A row number at a line's head, as OCR reads a table flat: '12 | ', '6.1 '.
_ROW_LEAD = re.compile(r"^[ \t]*\d{1,2}(?:\.\d{1,2})?[ \t]*\|?[ \t]+(?=[^\W\d_])", re.M)
_LIST_JOINS = {",", "và", "va", "hoặc", "hoac"}   # between the letters of 'điểm a, b và c'
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
    spaced: bool = False    # the second half of a token split in two: a space before it


@dataclass
class Reading:
    """One line as the decoder read it: a candidate list per token (one fixed candidate
    for punctuation, numbers and codes) and the index of the chosen one."""
    line: str
    tokens: list[Token]
    lattice: list[list[tuple[int, float]]]
    words: list[bool]   # a token the restorer may rewrite
    choice: list[int]
    confidence: float
    mode: str = "stripped"
    asides: frozenset[int] = frozenset()   # tokens the LM reads past (decode)

    def chosen(self) -> list[int]:
        return [cands[k][0] for cands, k in zip(self.lattice, self.choice)]


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
        elif garbled:       # 's&' is sở, 'h¢' hệ, '&n' ân: the symbol is a letter
            while lead and LETTER_SYMBOLS.match(lead[-1]):
                core, lead = lead[-1] + core, lead[:-1]
            while trail and LETTER_SYMBOLS.match(trail[0]):
                core, trail = core + trail[0], trail[1:]
        pos = base
        for p in lead:
            out.append(Token(pos, pos + 1, p, False))
            pos += 1
        # A Roman numeral numbering a line ("VI | Giáo dục", "IV.") is not the syllable "vì".
        numbering = roman.NUMERAL.fullmatch(core) and (
            trail[:1] in (".", ")") or not text[text.rfind("\n", 0, base) + 1:base].strip())
        if core:
            if _UNIT_SLASH.fullmatch(core):     # 'buổi/ngày', 'người/1000': words of a unit
                pieces = re.finditer(r"[^/]+|/", core)
            else:
                pieces = [re.match(r".+", core, re.S)]
            for piece in pieces:
                out += _core_tokens(piece.group(), pos + piece.start(), garbled, numbering)
            pos += len(core)
        for p in trail:
            out.append(Token(pos, pos + 1, p, False))
            pos += 1
    return out


def _core_tokens(core: str, pos: int, garbled: bool, numbering: bool) -> list[Token]:
    if (_CODE.search(core) or core.isdigit() or _ABBREVIATION.fullmatch(core)
            or numbering or core == "/"):
        return [Token(pos, pos + len(core), core, False)]
    out = []
    for part in re.finditer(r"[^-–]+|[-–]", core):
        s = part.group()
        is_word = bool(WORD.fullmatch(s)) or (garbled and looks_garbled(s))
        out.append(Token(pos + part.start(), pos + part.end(), s, is_word))
    return out


class Restorer:
    def __init__(self, lm: SyllableLM, channel: OcrChannel | None = None):
        self.lm = lm
        self.channel = channel or OcrChannel.load()
        self.forms: dict[str, list[int]] = {}
        for i, w in enumerate(lm.vocab):     # the forms a restored word may take
            if WORD.fullmatch(w) and is_vietnamese(w):
                self.forms.setdefault(key(w), []).append(i)
        self.hist_len = lm.order - 1
        self.contexts: dict[tuple, tuple] = {}
        self.plain_rate = self.channel.plain_rate
        # Letter-level readings propose real syllables only (Viet74K's), not every
        # string the LM's training text happened to contain.
        lexicon = {canonical(s) for s in syllables()}
        self.syllable_forms = {k: [i for i in ids if self.lm.vocab[i] in lexicon]
                               for k, ids in self.forms.items()}
        self.edits = EditIndex(k for k, ids in self.syllable_forms.items() if ids)
        self.garbled_cache: dict[str, tuple] = {}   # a token's candidates, as it recurs
        self.stripped_cache: dict[tuple, tuple] = {}
        self.keep_id = lm.ids[UNK]                 # "none of these": the token stays
        # marks that end a sentence or a clause where they end a line
        self.closing_ids = frozenset(lm.ids[p] for p in ".;:!?" if p in lm.ids)
        self.abbreviations = _abbreviations()
        self.title_bonus = _title_bonus(self.lm.ids)

    @classmethod
    def load(cls, path: Path = LM_PATH) -> "Restorer":
        if not path.exists():
            raise ModelMissing(f"{path} is missing: run `make model` to build it")
        return cls(SyllableLM.load(path))

    # -- channel -------------------------------------------------------------
    def stripped_candidates(self, token: str, q: float) -> list[tuple[int, float]]:
        """Forms keeping every mark the token shows. Marks are lost a syllable at a time
        (typed bare, q) more than one by one: in partly accented text, 'ho' beside 'hộ'
        is as likely a stripped 'hộ' as a stripped 'họ'."""
        low = token.lower()
        out = []
        lq, lk = math.log(q), math.log(1 - q)
        for i in self.forms.get(key(low), ()):
            missing = compatible(low, self.lm.vocab[i])
            if missing >= 0:
                kept = mark_count(self.lm.vocab[i]) - missing
                cost = (lq + (missing - 1) * FURTHER_MARK) if missing else 0.0
                out.append((i, cost + kept * lk))
        return out

    def misread_candidates(self, token: str, slip: float = MARK_SLIP) -> list[tuple[int, float]]:
        """Vietnamese-model OCR: the marks read are right but for a slip now and then
        ('BẠN HÀNH' for 'BAN HÀNH'); every form of the same letters, each differing mark
        costing `slip`, so only a context the LM is sure of overrules the page."""
        low = token.lower()
        out = []
        for i in self.forms.get(key(low), ()):
            d = mark_distance(low, self.lm.vocab[i])
            if d >= 0:
                out.append((i, d * slip))
        return out

    def garbled_candidates(self, token: str) -> list[tuple[int, float]]:
        """P(token | syllable) = (seen count + a * generic) / (syllable total + a), a the
        distinct garbled forms seen for the syllable (Witten-Bell: a syllable garbled many
        ways in the pairs is likely garbled a new way on the page), at least NEW_GARBLE
        times its total.

        The generic part covers what the pairs never showed: bare letters (marks read
        as weak evidence), a character-rewrite reading of the token, or a letter-level
        reading (letter_readings).
        """
        low = token.lower()
        generic: dict[int, float] = {}
        if WORD.fullmatch(low):
            for i in self.syllable_forms.get(key(low), ()):
                ok = compatible(low, self.lm.vocab[i]) >= 0
                generic[i] = self.plain_rate * (1.0 if ok else MISREAD_MARK)
            own = self.lm.known(low)      # 'logistics', or a garbled 'pay' for 'Đẩy'
            if own is not None and own not in generic:
                generic[own] = self.plain_rate * NOT_A_SYLLABLE
        for letters, logp in self.channel.readings(low):
            p = math.exp(logp + UNSEEN_COST)
            for i in self.forms.get(letters, ()):
                generic[i] = max(generic.get(i, 0.0), p)
        for letters, logp in self.letter_readings(low):
            p = math.exp(logp + UNSEEN_COST)
            for i in self.syllable_forms[letters]:
                generic[i] = max(generic.get(i, 0.0), p)
        seen = self.channel.seen(low)
        for syllable in seen:
            i = self.lm.known(syllable)
            if i is not None:
                generic.setdefault(i, 0.0)
        out = []
        for i, g in generic.items():
            form = self.lm.vocab[i]
            a = max(self.channel.types(form), SMOOTHING, NEW_GARBLE * self.channel.total(form))
            p = (seen.get(form, 0) + a * g) / (self.channel.total(form) + a)
            if p > 0:
                out.append((i, math.log(p)))
        kept = GARBLED_KEPT if len(low) > 1 else LONE_KEPT
        if len(out) > kept:     # the likeliest before context: channel x unigram
            unigram = self.lm.unigram
            out = sorted(out, key=lambda c: c[1] + unigram(c[0]), reverse=True)[:kept]
        return out

    def letter_readings(self, low: str) -> list[tuple[str, float]]:
        """Syllable keys a garbled token may be beyond the channel's rewrites, with log
        costs: symbols read as letters or debris ('nghi¢p', 'vê€'), then one letter
        edit from the best readings ('ning' -> nang, 'Pay' -> day)."""
        return _letter_readings(low, self.channel.rewrites, self.edits)

    # -- decoding ------------------------------------------------------------
    def decode(self, lattice: list[list[tuple[int, float]]], asides: frozenset[int] = frozenset(),
               beam_size: int = BEAM) -> tuple[list[int], float, float]:
        """Best candidate index per position (beam Viterbi), a confidence proxy and the
        best path's log score; the positions in `asides` keep their one candidate and
        are no part of the context."""
        lm, n = self.lm, self.hist_len
        start = (lm.ids[BOUNDARY],)
        beam = [(0.0, start, None)]
        contexts, unk, ceiling = self.contexts, lm.unk_logp, lm.ceiling
        # memory-mapped, an n-gram not looked up yet reads MISS, and is searched for with
        # the position's others; read into memory, every n-gram is known
        table = lm.logp
        get, miss = table.seen.get, (None if table.complete else MISS)
        if len(contexts) > CONTEXTS_KEPT:
            contexts.clear()
        for pos, cands in enumerate(lattice):
            if pos in asides:
                beam = [(score, hist, (0, back)) for score, hist, back in beam]
                continue
            best: dict[tuple, tuple] = {}
            floor = -math.inf   # the best extension so far less the beam's width: an
            pending = beam      # extension below it is dropped at the end, so now
            ranked = sorted(enumerate(cands), key=_channel, reverse=True)
            while pending:
                later = []      # hypotheses meeting an n-gram not looked up yet
                for score, hist, back in pending:
                    ctx = contexts.get(hist)
                    if ctx is None:
                        ctx = contexts[hist] = lm.context(hist)
                    tail = hist[1:] if len(hist) == n else hist
                    for k, (wid, ch) in ranked:
                        if score + ch + ceiling < floor:
                            break       # nor can any candidate after it, channel-ranked
                        for shifted, acc in ctx:     # SyllableLM.score_in, inlined: the hot loop
                            if shifted < 0:
                                lp = acc + unk
                                break
                            lp = get(shifted | wid, miss)
                            if lp is not None:
                                if lp is not MISS:
                                    lp += acc
                                break
                        if lp is MISS:
                            later.append((score, hist, back))
                            break
                        s = score + ch + lp
                        if s < floor:
                            continue
                        if s - BEAM_WIDTH > floor:
                            floor = s - BEAM_WIDTH
                        nh = tail + (wid,)
                        cur = best.get(nh)
                        if cur is None or s > cur[0]:
                            best[nh] = (s, nh, (k, back))
                if later:   # searched together, then extended again (none missing now)
                    table.fetch_many(shifted | wid for _, hist, _ in later
                                     for shifted, _ in contexts[hist] if shifted >= 0
                                     for wid, _ in cands)
                pending = later
            beam = sorted(best.values(), key=_first, reverse=True)[:beam_size]
            floor = beam[0][0] - BEAM_WIDTH
            beam = [b for b in beam if b[0] >= floor]
        # the LM's sentence end only after a mark that ends one ('... khoản 1 Điều này;'):
        # a line without (a table cell, a heading) ends where the layout ends it, and a
        # sentence end there favoured words that end sentences ('Xã hội hóa' read 'xã
        # hội họa', painting)
        closes = lattice[-1][0][0] in self.closing_ids
        end = lm.ids[BOUNDARY]
        finals = sorted(((s + (lm.score(h, end) if closes else 0.0), back) for s, h, back in beam),
                        key=_first, reverse=True)
        choice, back = [], finals[0][1]
        while back is not None:
            choice.append(back[0])
            back = back[1]
        margin = finals[0][0] - finals[1][0] if len(finals) > 1 else 10.0
        return choice[::-1], 1.0 - math.exp(-max(margin, 0.0)), finals[0][0]

    def read(self, line: str, mode: str, q: float,
             doubtful: list[tuple[int, int, float]] | None = None) -> Reading:
        """A line's tokens, candidates and best reading; with `doubtful` (character
        spans, each with what a changed mark costs there) only words inside them may
        change, the others serve as context."""
        garbled = mode == "garbled"
        tokens = tokenize(line, garbled)
        lattice, words = [], []
        for k, t in enumerate(tokens):
            cands = self.token_candidates(tokens, k, mode, q, doubtful)
            words.append(bool(cands))
            if not cands:
                fixed = NUM if t.text[:1].isdigit() else (t.text if t.text in PUNCT else UNK)
                cands = [(self.lm.id(fixed), 0.0)]
            lattice.append(cands)
        asides = _table_marks(line, tokens) | _unseen_marks(tokens)
        choice, confidence, _ = (self.decode(lattice, asides, _beam(mode)) if tokens
                                 else ([], 1.0, 0.0))
        reading = Reading(line, tokens, lattice, words, choice, confidence, mode, asides)
        return self.split_merged(reading) if garbled and doubtful is None else reading

    def token_candidates(self, tokens: list[Token], k: int, mode: str, q: float,
                         doubtful: list[tuple[int, int, float]] | None = None
                         ) -> list[tuple[int, float]]:
        t = tokens[k]
        cands: list[tuple[int, float]] = []
        if not t.word:
            return cands
        low = t.text.lower()
        slip = MARK_SLIP if mode == "misread" else GUESS_SLIP
        if doubtful is not None:
            slip = next((cost for a, b, cost in doubtful if a <= t.start < b), None)
        if slip is None:
            wid = self.lm.known(low)
            cands = [(wid, 0.0)] if wid is not None else []
        elif mode == "garbled":
            cands = _cached(self.garbled_cache, low, self.garbled_candidates, low)
            if "I" in t.text:       # a capital I is an l as OCR reads it ('TiI¢' tỉ lệ)
                ell = "".join("l" if c == "I" else c for c in t.text).lower()
                seen = dict(cands)
                for i, c in _cached(self.garbled_cache, ell, self.garbled_candidates, ell):
                    seen[i] = max(seen.get(i, -1e9), c + CAPITAL_I_READ)
                cands = list(seen.items())
            if cands and not WORD.fullmatch(t.text):
                cands.append((self.keep_id, KEEP_GARBLED))
            if len(low) == 1 and low not in VOWELS and not _list_letter(tokens, k):
                cands = [(i, c + LONE_SELF if self.lm.vocab[i] == low else c) for i, c in cands]
        elif mode in ("misread", "rewrap"):
            cands = self.misread_candidates(t.text, slip)
        else:
            cands = _cached(self.stripped_cache, (low, q), self.stripped_candidates, low, q)
        if cands and mode not in ("misread", "rewrap") and _titled_name(tokens, k):
            cands = [(i, c + self.title_bonus.get(i, 0.0)) for i, c in cands]
        return cands

    def split_merged(self, reading: Reading) -> Reading:
        """Two syllables OCR read as one token, the space lost ('Tilé' tỉ lệ, 'Baodam'
        bảo đảm): a token that is no syllable is tried split at each place whose two
        halves read as syllables, among its neighbours as first read (SPLIT_WINDOW a
        side), and the line takes the split that reads better by more than
        MERGED_SPACE, the cost of a lost space, then is read again whole."""
        tokens, lattice, words = list(reading.tokens), list(reading.lattice), list(reading.words)
        asides, fixed = set(reading.asides), [[c[k]] for c, k in zip(reading.lattice, reading.choice)]
        split = False
        for k in range(len(tokens) - 1, -1, -1):
            t = tokens[k]
            low = t.text.lower()
            if not words[k] or len(low) < 4 or self.syllable_forms.get(key(low)):
                continue
            a, b = max(0, k - SPLIT_WINDOW), k + SPLIT_WINDOW + 1
            here = frozenset(i - a for i in asides if a <= i < b)
            best = self.decode(fixed[a:k] + [lattice[k]] + fixed[k + 1:b], here, GARBLED_BEAM)[2]
            chosen = None
            for j in range(2, len(low) - 1):
                halves = [Token(t.start, t.start + j, t.text[:j], True),
                          Token(t.start + j, t.end, t.text[j:], True, spaced=True)]
                if not all(WORD.fullmatch(h.text) or looks_garbled(h.text) for h in halves):
                    continue
                trial = tokens[:k] + halves + tokens[k + 1:]
                cands = [self.token_candidates(trial, k + i, "garbled", 0.0) for i in (0, 1)]
                if not all(c and max(map(_second, c)) >= SPLIT_HALF_FLOOR for c in cands):
                    continue
                cands[0] = [(i, c + MERGED_SPACE) for i, c in cands[0]]
                window = fixed[a:k] + cands + fixed[k + 1:b]
                picks, _, new = self.decode(window, frozenset(i + (i > k - a) for i in here),
                                            GARBLED_BEAM)
                if new > best:
                    read_as = [[c[picks[k - a + i]]] for i, c in enumerate(cands)]
                    best, chosen = new, (halves, cands, read_as)
            if chosen is not None:
                split = True
                tokens[k:k + 1], lattice[k:k + 1], fixed[k:k + 1] = chosen
                words[k:k + 1] = [True, True]
                asides = {i + (i > k) for i in asides}
        if not split:
            return reading
        asides = frozenset(asides)
        choice, confidence, _ = self.decode(lattice, asides, GARBLED_BEAM)
        return Reading(reading.line, tokens, lattice, words, choice, confidence, reading.mode,
                       asides)

    def reread(self, reading: Reading, prior: list[dict[int, float]]) -> Reading:
        """The line read again with the document's prior on the words it has one for;
        every other word keeps its first reading, so this costs a fraction of `read`."""
        lattice = []
        for cands, k, bonus in zip(reading.lattice, reading.choice, prior):
            if bonus:
                lattice.append([(i, c + bonus.get(i, 0.0)) for i, c in cands])
            else:
                lattice.append([cands[k]])
        choice, confidence, _ = self.decode(lattice, reading.asides, _beam(reading.mode))
        return Reading(reading.line, reading.tokens, lattice, reading.words, choice, confidence,
                       reading.mode, reading.asides)

    def render(self, reading: Reading, style: str | None = None) -> tuple[str, int, int]:
        """The restored line, the words changed and the words seen; restored words take
        the tone placement `style` ('new' hóa, 'old' hoá) where one is given."""
        line = reading.line
        out, pos, changed, words = [], 0, 0, 0
        marked = self.abbreviations if reading.mode not in ("misread", "rewrap") else {}
        for t, word, wid in zip(reading.tokens, reading.words, reading.chosen()):
            if not word:
                if t.text in marked:        # HDND -> HĐND: a capital that lost its mark
                    out += [line[pos:t.start], marked[t.text]]
                    pos = t.end
                    changed += 1
                continue
            words += 1
            form = self.lm.vocab[wid]
            if wid == self.keep_id or decompose(form) == decompose(t.text.lower()):
                if not t.spaced:
                    continue
                form = t.text
            else:
                cased = t.text.replace("I", "l") if "I" in t.text and "l" in form else t.text
                form = apply_case(cased, retone(form, style) if style else form)
            out += [line[pos:t.start], " " * t.spaced, form]
            pos = t.end
            changed += 1
        out.append(line[pos:])
        return "".join(out), changed, words

    def restore_line(self, line: str, mode: str, q: float = 0.98,
                     doubtful: list[tuple[int, int, float]] | None = None
                     ) -> tuple[str, int, int, float]:
        """One line restored on its own (no document around it)."""
        reading = self.read(line, mode, q, doubtful)
        return (*self.render(reading), reading.confidence)

    def mend_marks(self, words: list[str], doubtful: list[bool], mode: str = "misread",
                   sure_too: bool = False) -> list[str]:
        """Vietnamese-model OCR words of one line, the marks of the doubtful ones (low
        OCR confidence) re-read against their context: 'BẠN HÀNH' -> 'BAN HÀNH'; mode
        "rewrap": words restored without the neighbours a wrap took, whose marks are
        weaker evidence. With `sure_too`, the other words' marks too, a change costing
        SURE_SLIP: only a context the model is very sure of overrules them."""
        if not any(doubtful) and not sure_too:
            return words
        slip = MARK_SLIP if mode == "misread" else GUESS_SLIP
        spans, pos = [], 0
        for word, doubt in zip(words, doubtful):
            if doubt or sure_too:
                spans.append((pos, pos + len(word), slip if doubt else SURE_SLIP))
            pos += len(word) + 1
        mended = self.restore_line(" ".join(words), mode, doubtful=spans)[0].split(" ")
        return mended if len(mended) == len(words) else words

    def restore(self, text: str, mode: str = "auto") -> Restoration:
        """Restore a text line by line; mode auto|stripped|garbled|none."""
        if mode == "auto":
            mode = detect_mode(text)
        return self.restore_many([text], mode)[0]

    def restore_many(self, texts: list[str], mode: str) -> list[Restoration]:
        """Restore the pages (or texts) of one document in one mode.

        Read twice: a first reading of every line, then the lines that read a word
        unlike the rest of the document read again with the document's own usage as a
        prior (DocumentCache), then list letters put in sequence."""
        if mode == "none":
            return [Restoration(text, "none", 0, 0, 1.0) for text in texts]
        pages = []
        for text in texts:
            q = lost_mark_rate(text) if mode == "stripped" else 0.0  # garbled mode has no q
            pages.append([self.read(run, mode, q) for run in wrapped_runs(text)])
        cache = DocumentCache([r for readings in pages for r in readings])
        for readings in pages:
            for i, reading in enumerate(readings):
                prior = cache.line_prior(reading)
                if prior is not None:
                    readings[i] = self.reread(reading, prior)
            self.mend_list_letters(readings)
        style = self.tone_convention([r for readings in pages for r in readings])
        return [self._restoration(readings, mode, style) for readings in pages]

    def tone_convention(self, readings: list[Reading]) -> str | None:
        """The document's tone placement ('hóa' new, 'hoá' old), as its own marked words
        place it, so one document keeps one; None (the model's new placement) where no
        word of it shows one."""
        own = Counter(tone_style(t.text) for r in readings
                      for t, word in zip(r.tokens, r.words) if word)
        own.pop(None, None)
        return own.most_common(1)[0][0] if own else None

    def _restoration(self, readings: list[Reading], mode: str, style: str | None) -> Restoration:
        out, changed, words, conf = [], 0, 0, []
        for reading in readings:
            new, c, w = self.render(reading, style)
            out.append(new)
            changed += c
            words += w
            if w:
                conf.append(reading.confidence)
        confidence = sum(conf) / len(conf) if conf else 1.0
        return Restoration("\n".join(out), mode, changed, words, round(confidence, 3))

    def mend_list_letters(self, readings: list[Reading]) -> None:
        """Enumerations run a) b) c) d) đ) e), and so do their citations ('các điểm a,
        c, d và đ'): a 'd' after 'd' is 'đ', one after 'c' is 'd'. Stripped, the two look
        alike and no n-gram tells them apart; the letter before does. Line openers
        ('d) ...') follow the previous line's opener, letters in a list the one before."""
        opener = None
        for r in readings:
            previous = None
            for pos, t in enumerate(r.tokens):
                if len(t.text) != 1 or not t.text.isalpha():
                    if t.text.lower() not in _LIST_JOINS:
                        previous = None
                    continue
                heads = ((t.start == 0 or r.line[t.start - 1] == "\n") and pos + 1 < len(r.tokens)
                         and r.tokens[pos + 1].text == ")")
                before = opener if heads else previous
                want = self.lm.ids.get("d" if before == "c" else "đ")
                if r.words[pos] and t.text.lower() == "d" and before in ("c", "d", "đ") and want:
                    cands = r.lattice[pos]       # after a re-read, maybe the chosen only
                    if all(wid != want for wid, _ in cands):
                        cands.append((want, 0.0))
                    r.choice[pos] = next(k for k, (wid, _) in enumerate(cands) if wid == want)
                letter = self.lm.vocab[r.lattice[pos][r.choice[pos]][0]] if r.words[pos] else t.text
                previous = letter.lower()
                if heads:
                    opener = previous


def _contexts(tokens: list[Token]) -> list[tuple[tuple[str, str, str], tuple[str, str, str]]]:
    """Each token's left and right context, as read: (previous, this, ""), ("", this, next)."""
    texts = ["<s>"] + [t.text.lower() for t in tokens] + ["</s>"]
    return [((texts[i], texts[i + 1], ""), ("", texts[i + 1], texts[i + 2]))
            for i in range(len(tokens))]


class DocumentCache:
    """A cache model of a document's first reading: where the same letters in the same
    company were read one way in most places and another way elsewhere ('hải quan'
    forty times, 'hải quân' three), the usual reading gains and the stray ones lose.

    Keyed by the word with its left or its right neighbour as read, so 'hộ nghèo'
    counts for 'hộ' before 'ngheo' without pushing 'hỗ' of 'hỗ trợ' anywhere. A word
    of a line too short to have company (a table cell 'Ho') is keyed by itself too: the
    original cache model's unigram, where a plan's 'hộ' outnumbers 'hỗ' and 'hồ'."""

    def __init__(self, readings: list[Reading]):
        counts: dict[tuple, Counter] = {}
        for r in readings:
            for (left, right), cands, wid in zip(_contexts(r.tokens), r.lattice, r.chosen()):
                if len(cands) > 1:
                    for ctx in (left, right, ("", left[1], "")):
                        counts.setdefault(ctx, Counter())[wid] += 1
        self.counts = {ctx: c for ctx, c in counts.items()
                       if len(c) > 1 and sum(c.values()) >= CACHE_MIN}
        self.usual = {ctx: c.most_common(1)[0][0] for ctx, c in self.counts.items()}

    def _bonus(self, ctx: tuple, cands: list[tuple[int, float]]) -> dict[int, float]:
        counts = self.counts[ctx]
        total = sum(counts.values())
        base = CACHE_ALPHA / len(cands)
        return {i: CACHE_WEIGHT * math.log((counts.get(i, 0) + base) / (total + CACHE_ALPHA))
                for i, _ in cands}

    def line_prior(self, reading: Reading) -> list[dict[int, float]] | None:
        """Per token, the cache's log-prior of each candidate, for the stray readings
        only; None when the line has none (its usual readings only gain: it stays)."""
        usual = self.usual
        lone = sum(reading.words) <= CACHE_LONE
        prior, stray = [], False
        for (left, right), cands, wid in zip(_contexts(reading.tokens), reading.lattice,
                                             reading.chosen()):
            bonus: dict[int, float] = {}
            keys = (("", left[1], ""),) if lone else (left, right)
            if any(usual.get(ctx, wid) != wid for ctx in keys):
                stray = True
                for ctx in keys:
                    if ctx in usual:
                        for i, v in self._bonus(ctx, cands).items():
                            bonus[i] = bonus.get(i, 0.0) + v
            prior.append(bonus)
        return prior if stray else None


def _cached(cache: dict, key, compute, *args) -> list[tuple[int, float]]:
    """A token's candidates from the per-restorer cache (tokens recur: 'của', 'hội'),
    computed once; a list of their own, since mend_list_letters adds to it."""
    found = cache.get(key)
    if found is None:
        if len(cache) > CONTEXTS_KEPT:
            cache.clear()
        found = cache[key] = tuple(compute(*args))
    return list(found)


def _data_rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a table in data/ (learned by scripts/train_restorer.py),
    none if it was never built."""
    path = Path(__file__).parent / "data" / name
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def _titled_name(tokens: list[Token], k: int) -> bool:
    """A capitalised word where capitals mark names: right after another word ('giao Sở
    Tài chính') or before another capitalised word ('Sở Lao động', 'Sở Y tế' opening a
    line); not a sentence's first word alone, not all caps."""
    def titled(i: int) -> bool:
        w = tokens[i].text
        return tokens[i].word and w[:1].isupper() and not w.isupper()
    after_word = k > 0 and tokens[k - 1].word
    before_name = k + 1 < len(tokens) and titled(k + 1)
    return titled(k) and (after_word or before_name)


def _title_bonus(ids: dict[str, int]) -> dict[int, float]:
    """Per syllable id, CASE_WEIGHT x log of how much likelier than the average syllable
    administrative text capitalises it mid-sentence (scripts/train_restorer.py counts):
    'Sở' +2, 'Số' -2; smoothed toward the average for syllables seen rarely."""
    counts = [(w, int(t), int(n)) for w, t, n in _data_rows("casing.tsv")]
    average = sum(t for _, t, _ in counts) / max(sum(n for _, _, n in counts), 1)
    out = {}
    for w, t, n in counts:
        if w in ids:
            rate = (t + CASE_PRIOR * average) / (n + CASE_PRIOR)
            out[ids[w]] = CASE_WEIGHT * math.log(rate / average)
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Bare capitals and the marked form administrative text writes them in (HDND ->
    HĐND), learned by scripts/train_restorer.py, and those listed by hand (LLLD)."""
    rows = _data_rows("abbreviations.tsv") + _data_rows("abbreviations_known.tsv")
    return {row[0]: row[1] for row in rows if not row[0].startswith("#")}


@lru_cache(maxsize=100_000)
def _letter_readings(low: str, rewrites: tuple, edits: EditIndex) -> list[tuple[str, float]]:
    found: dict[str, float] = {}
    bare = decompose(low)[0]
    skeleton = bare.translate(_DIGIT_LETTER)
    digit_reads = {letters: DIGIT_READ * sum(a != b for a, b in zip(bare, letters))
                   for letters in (skeleton, bare.translate(_DIGIT_LETTER_ALT).translate(_DIGIT_LETTER))
                   if letters != bare}      # 's0' số, 'gi6i' giới, '1y' lý, 'vé1' với
    found.update((k, c) for k, c in digit_reads.items() if k in edits.keys)
    if len(bare) == 1:          # a lone consonant: a syllable whose vowel the scan lost
        found.update((k, LOST_VOWEL) for k in edits.with_onset(bare))
    symbols = "".join({c for c in skeleton if not ("a" <= c <= "z")})
    if symbols:
        spots = sum(skeleton.count(c) for c in symbols)
        for letters in edits.fill_symbols(skeleton, symbols, any_letter=spots == 1):
            found[letters] = SYMBOL_READ * min(spots, 2)
    bases = dict(rewrite_readings(low, rewrites))
    if skeleton.isalpha() and skeleton.isascii():
        bases[skeleton] = 0.0
    bases.update((k, c) for k, c in digit_reads.items() if k not in bases and k.isalpha())
    bases.update(found)
    for base, cost in sorted(bases.items(), key=lambda kv: -kv[1])[:EDIT_BASES]:
        for letters in edits.neighbours(base):
            if cost + LETTER_EDIT > found.get(letters, -1e9):
                found[letters] = cost + LETTER_EDIT
    return [(k, c) for k, c in found.items() if k in edits.keys]


def _list_letter(tokens: list[Token], k: int) -> bool:
    """A letter marking a list item: 'b)', 'đ.'."""
    return k + 1 < len(tokens) and tokens[k + 1].text in (")", ".") and \
        tokens[k + 1].start == tokens[k].end


def _beam(mode: str) -> int:
    return GARBLED_BEAM if mode == "garbled" else BEAM


def _channel(item: tuple[int, tuple[int, float]]) -> float:
    return item[1][1]


def _first(item: tuple) -> float:
    return item[0]


def _second(item: tuple) -> float:
    return item[1]


def _table_marks(run: str, tokens: list[Token]) -> frozenset[int]:
    """Tokens of a table read flat that are no part of its sentences: the rules OCR
    read as '|', and a row number at the head of a line, where a rule follows it or
    the line goes on a name wrapped from the line before ('trên cơ sở' / '12 giới')."""
    out = {k for k, t in enumerate(tokens) if t.text == "|"}
    for m in _ROW_LEAD.finditer(run):
        if m.start() > 0 or "|" in m.group():
            out.update(k for k, t in enumerate(tokens) if m.start() <= t.start < m.end())
    return frozenset(out)


def _unseen_marks(tokens: list[Token]) -> frozenset[int]:
    """Marks the LM never saw: its training text is read without dashes, quotes or
    slashes (syllable_lm.lm_tokens), so 'kinh tế - xã hội' is read past the dash, not
    with an unknown word breaking the company 'xã' keeps."""
    return frozenset(k for k, t in enumerate(tokens)
                     if not t.word and t.text not in PUNCT and not any(c.isalnum() for c in t.text))


def wrapped_runs(text: str) -> list[str]:
    """The text's lines, those a paragraph wrapped joined back ("\n" kept inside a run):
    a line that ends mid-sentence (a letter, digit or comma) and a next line that opens
    in lower case are one sentence, and the words at the break are read in each other's
    company ('phù' at a line's end beside 'hợp' on the next). In a table OCR read flat,
    the row's number may open the name's second line ('12 | giới được'): read past it."""
    runs: list[list[str]] = []
    for line in text.split("\n"):
        prev = runs[-1][-1].rstrip() if runs else ""
        lead = _ROW_LEAD.match(line)
        head = line[lead.end():][:1] if lead else line.lstrip()[:1]
        if prev and (prev[-1].isalnum() or prev[-1] == ",") and head.islower():
            runs[-1].append(line)
        else:
            runs.append([line])
    return ["\n".join(run) for run in runs]


def lost_mark_rate(text: str) -> float:
    """Estimated share of marks lost: 1 for stripped text, about 0 for clean text."""
    return min(max(1.0 - diacritic_share(text) / NORMAL_SHARE, 0.02), 0.98)


def detect_mode(text: str, min_words: int = 5) -> str:
    """none | stripped | garbled, from the share of marked words and OCR garble signs.

    Text that keeps most of its marks (Vietnamese-model OCR of a noisy table page) is
    never garbled text: its stray symbols are OCR noise the restorer would only spread.
    A page of fewer than min_words words decides nothing (a page number, a stamp)."""
    words = _CHUNK.findall(text)
    if len(WORD.findall(text)) < min_words:
        return "none"
    garble = sum(1 for w in words if looks_garbled(w.strip(".,;:()\"'")) and not _CODE.search(w))
    share = diacritic_share(text)
    if share >= 0.4:
        return "none"
    return "garbled" if garble / max(len(words), 1) > 0.03 else "stripped"


_MODEL_IN_MEMORY = [True]      # see keep_model_mapped


def keep_model_mapped() -> None:
    """This process leaves the model memory-mapped: a Dask worker, whose siblings are
    not forked from it, so that the machine holds one copy of the model for them all
    (each decodes a little slower: it searches the tables for what it has not seen)."""
    _MODEL_IN_MEMORY[0] = False


@lru_cache(maxsize=1)
def mapped_restorer() -> Restorer:
    """The restorer with the bundled model memory-mapped: ready in half a second, for a
    phrase or a file (restore_text). default_restorer is this same restorer with its
    tables read into memory."""
    return Restorer.load()


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    """The restorer with the bundled model read into this process's memory (some 3 s)
    for the fastest decoding: a local pool loads it before it forks, so its workers
    share it. Not where keep_model_mapped was called."""
    restorer = mapped_restorer()
    if _MODEL_IN_MEMORY[0]:
        restorer.lm.preload()
    return restorer


def restore_text(text: str, mode: str = "auto") -> Restoration:
    """Restore diacritics in `text` with the bundled model (for notebooks and scripts):
    a phrase is judged by itself, however short ("Thue hién Chwong trinh")."""
    if mode == "auto":
        mode = detect_mode(text, min_words=1)
    return mapped_restorer().restore(text, mode)
