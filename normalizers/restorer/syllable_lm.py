"""A syllable n-gram language model (interpolated Kneser-Ney), trained with numpy.

Why this and not a neural model: it trains in minutes on two cores from the text we
have, loads in a fraction of a second, scores a syllable in microseconds, and is exactly
the prior the diacritics restorer's Viterbi search needs. N-grams are packed into ints,
16 bits per syllable id; ids start at 1, so codes of different orders never collide and
one sorted table holds every order (ARPA-style probabilities; a second one the back-off
weights). The tables are memory-mapped from flat files: the worker processes of one
machine, forked or not (a pool, Dask workers), share one copy of them; a process that
decodes much reads them into memory (`preload`), another keeps only the n-grams its
decoder asked for.
A syllable is counted with its tone where the new convention places it ('hoá' as
'hóa'): texts write both, and two types would split one word's counts between them
('xã hội hoá' and 'xã hội hóa' each lost to 'xã hội họa' before; the restorer writes
the document's own placement back).
"""
from __future__ import annotations

import hashlib
import math
import mmap
import os
import re
import shutil
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from normalizers.restorer.vietnamese import retone

BITS = 16
MASK = (1 << BITS) - 1
BOUNDARY, UNK, NUM = "<s>", "<unk>", "<num>"
PUNCT = ",.;:()"
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|[,.;:()]")


def lm_tokens(line: str) -> list[str]:
    """Training/scoring tokens of a line: lower-case syllables, <num>, punctuation."""
    out = []
    for tok in _TOKEN.findall(line):
        if tok[0].isdigit():
            out.append(NUM)
        else:
            out.append(canonical(tok.lower()))
    return out


@lru_cache(maxsize=200_000)
def canonical(syllable: str) -> str:
    """The form the model counts a lower-case syllable under: its tone placed new-style."""
    return retone(syllable, "new")


class SyllableLM:
    """Back-off lookups over two code tables: probabilities and back-off weights."""

    # The most a word's score adds to a hypothesis: its log-probability and the back-off
    # weights on its way are logs of numbers below 1 (tested of the committed model), so
    # the decoder drops unscored a candidate whose channel score alone falls behind.
    ceiling = 0.0

    def __init__(self, vocab: list[str], logp: "MappedTable", bow: "MappedTable", order: int):
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.order = order
        self.logp = logp
        self.bow = bow
        self.unk_logp = self.logp.get(self.ids[UNK], -12.0)

    def id(self, token: str) -> int:
        return self.ids.get(canonical(token), self.ids[UNK])

    def known(self, token: str) -> int | None:
        """The id of a lower-case syllable, whatever its tone placement; None if unseen."""
        return self.ids.get(canonical(token))

    def context(self, history: tuple[int, ...]) -> tuple[tuple[int, float], ...]:
        """Shifted history codes, longest first, each with the back-off cost to reach it.

        A history without a back-off weight was never followed by a kept n-gram (every
        kept n-gram's history is kept, and weighted): it is left out, as every longer
        one then is, so a lookup is not spent on n-grams that cannot be there (out of
        domain text meets such histories at most words)."""
        out, acc = [], 0.0
        for start in range(len(history) + 1):
            code = 0
            for h in history[start:]:
                code = (code << BITS) | h
            weight = self.bow.get(code) if start < len(history) else 0.0
            if weight is None:
                continue
            out.append((code << BITS, acc))
            acc += weight
        out.append((-1, acc))
        return tuple(out)

    def score_in(self, context: tuple[tuple[int, float], ...], word: int) -> float:
        """ln P(word | history) given `context(history)`."""
        get = self.logp.get
        for shifted, acc in context:
            if shifted < 0:
                return acc + self.unk_logp
            p = get(shifted | word)
            if p is not None:
                return acc + p
        return self.unk_logp

    def preload(self) -> None:
        """Both tables into this process's memory: the fastest decoding."""
        self.logp.preload()
        self.bow.preload()

    def unigram(self, word: int) -> float:
        """ln P(word) with no history."""
        return self.logp.get(word, self.unk_logp)

    def score(self, history: tuple[int, ...], word: int) -> float:
        """ln P(word | history); history holds at most order-1 ids, oldest first."""
        return self.score_in(self.context(history), word)

    def save(self, path: Path) -> None:
        """Sorted codes stored as deltas: the file compresses to a third."""
        arrays = {}
        for name, table in (("", self.logp), ("bow_", self.bow)):
            arrays[name + "delta"] = np.diff(table.codes, prepend=np.uint64(0))
            arrays[name + "val"] = table.values
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, vocab=np.array(self.vocab), order=np.array(self.order), **arrays)
        tmp.replace(path)

    @classmethod
    def from_arrays(cls, vocab: list[str], codes: np.ndarray, logp: np.ndarray,
                    bow_codes: np.ndarray, bow: np.ndarray, order: int) -> "SyllableLM":
        """A model held in memory (training): the tables sorted, values as float16."""
        return cls(vocab, MappedTable.sorted(codes, logp), MappedTable.sorted(bow_codes, bow), order)

    @classmethod
    def load(cls, path: Path) -> "SyllableLM":
        """The model with its tables memory-mapped from flat copies (`flat_arrays`): every
        process of a machine shares their pages, and loading takes a fraction of a second."""
        folder = flat_arrays(path)
        vocab = (folder / "vocab.txt").read_text("utf-8").split("\n")
        order = int((folder / "order.txt").read_text())

        def mapped(name: str) -> MappedTable:      # as plain arrays: a memmap's indexing
            return MappedTable(*(np.load(folder / f"{name}{part}.npy", mmap_mode="r")
                                 .view(np.ndarray) for part in ("codes", "val")))   # is slow
        return cls(vocab, mapped(""), mapped("bow_"), order)


MAPPED = "vnplan-model"     # the flat copies' folder, in the machine's temp folder


def flat_arrays(path: Path) -> Path:
    """The folder holding the model's tables uncompressed (np.save), made once per machine
    and model file (its digest names it) and replaced whole: memory-mapping needs them flat,
    and the committed file stays compressed."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    folder = Path(tempfile.gettempdir()) / MAPPED / digest
    if (folder / "order.txt").exists():
        return folder
    tmp = folder.with_name(f".{digest}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with np.load(path) as z:
        for name in ("", "bow_"):
            np.save(tmp / f"{name}codes.npy", np.cumsum(z[name + "delta"]))
            np.save(tmp / f"{name}val.npy", z[name + "val"].astype(np.float16))
        (tmp / "vocab.txt").write_text("\n".join(z["vocab"].tolist()), "utf-8")
        (tmp / "order.txt").write_text(str(int(z["order"])))
    try:
        tmp.rename(folder)
    except OSError:             # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


MISS = object()
SEEN_KEPT = 1_000_000       # n-grams a process remembers (~80 MB) before it starts afresh
_FLOAT16 = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float64).tolist()


class MappedTable:
    """code -> value by binary search over sorted codes (memory-mapped or in memory), with
    dict's get(). The codes this process asked for are kept in `seen` (absent ones as None):
    the decoder asks for the same n-grams over and over, so it looks them up in `seen`
    first and has the rest searched together (`fetch_many`). `preload` puts every code in
    `seen`, for the fastest decoding. Values are float16, read as shared floats (a
    float16 has 65,536 values)."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self.codes = codes
        self.values = values
        self._bits = values.view(np.uint16)
        self._size = len(codes)
        self.seen: dict[int, float | None] = {}
        self.complete = False           # `seen` holds every code: an absent one is absent

    @classmethod
    def sorted(cls, codes: np.ndarray, values: np.ndarray) -> "MappedTable":
        order = np.argsort(codes)
        return cls(codes[order].astype(np.uint64), values[order].astype(np.float16))

    def preload(self, chunk: int = 500_000) -> None:
        """Every code into `seen`, for a process that decodes much: no search is left, at
        the cost of the table in its memory (some 700 MB for both; a pool shares them by
        loading them before it forks)."""
        seen = self.seen
        seen.clear()
        for start in range(0, self._size, chunk):
            bits = self._bits[start:start + chunk].tolist()
            seen.update(zip(self.codes[start:start + chunk].tolist(),
                            [_FLOAT16[b] for b in bits]))
        self.complete = True
        for array in (self.codes, self.values):     # the pages read to fill it, handed back
            mapping = getattr(array.base, "_mmap", None)
            if mapping is not None:
                mapping.madvise(mmap.MADV_DONTNEED)

    def fetch_many(self, codes: Iterable[int]) -> None:
        """Codes into `seen` in one vectorised search: the decoder's misses at a position,
        together (a search per code from Python would cost more than the decoding)."""
        seen, codes = self.seen, set(codes)
        wanted = [c for c in codes if c not in seen]
        if not wanted:
            return
        if len(seen) + len(wanted) > SEEN_KEPT:
            seen.clear()            # and every code asked for comes back, not just the new
            wanted = list(codes)
        query = np.array(wanted, dtype=np.uint64)
        order = query.argsort()
        at = np.empty_like(order)
        at[order] = self.codes.searchsorted(query[order])      # sorted needles: faster
        np.minimum(at, self._size - 1, out=at)
        found = (self.codes[at] == query).tolist()
        seen.update(zip(wanted, [_FLOAT16[b] if f else None
                                 for b, f in zip(self._bits[at].tolist(), found)]))

    def fetch(self, code: int) -> float | None:
        seen = self.seen
        if len(seen) >= SEEN_KEPT:
            seen.clear()
        i = int(self.codes.searchsorted(np.uint64(code)))
        value = (_FLOAT16[self._bits[i]] if i < self._size and int(self.codes[i]) == code
                 else None)
        seen[code] = value
        return value

    def get(self, code: int, default: float | None = None) -> float | None:
        value = self.seen.get(code, MISS)
        if value is MISS:
            value = None if self.complete else self.fetch(code)
        return default if value is None else value

    def __len__(self) -> int:
        return self._size


def _ngram_codes(arr: np.ndarray, n: int, boundary: int) -> np.ndarray:
    """Codes of every n-gram in arr with no sentence boundary inside it."""
    m = len(arr) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    code = np.zeros(m, dtype=np.uint64)
    ok = np.ones(m, dtype=bool)
    for j in range(n):
        col = arr[j:j + m]
        if 0 < j < n - 1:
            ok &= col != boundary
        code = (code << np.uint64(BITS)) | col.astype(np.uint64)
    return code[ok]


def _merge_counts(parts: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.concatenate([c for c, _ in parts])
    weights = np.concatenate([np.full(len(c), w) for c, w in parts])
    uniq, inv = np.unique(codes, return_inverse=True)
    return uniq, np.bincount(inv, weights=weights)


def train(domains: list[tuple[Iterable[str], float]], order: int = 4,
          min_vocab_count: int = 2, prune: dict[int, float] | None = None,
          discount: float = 0.75, max_vocab: int = 60_000) -> SyllableLM:
    """Train from (lines, weight) per domain; weights scale that domain's counts.

    prune maps an order to the least weighted count an n-gram of that order needs to
    be kept (probabilities are computed before pruning).
    """
    tokenised = [([lm_tokens(line) for line in lines], w) for lines, w in domains]
    vocab = _vocabulary(tokenised, min_vocab_count, max_vocab)
    ids = {t: i for i, t in enumerate(vocab)}
    b, unk = ids[BOUNDARY], ids[UNK]
    arrays = []
    for sents, w in tokenised:
        flat = [b]
        for s in sents:
            if s:
                flat.extend(ids.get(t, unk) for t in s)
                flat.append(b)
        arrays.append((np.array(flat, dtype=np.int64), w))
    counts = {n: _merge_counts([(_ngram_codes(a, n, b), w) for a, w in arrays])
              for n in range(1, order + 1)}
    kn = _continuation_counts(counts, order, b)
    return _estimate(vocab, counts, kn, order, discount, prune or {})


def _vocabulary(tokenised, min_vocab_count: int, max_vocab: int) -> list[str]:
    """"" (id 0), the special tokens, then the commonest tokens seen often enough."""
    freq: Counter = Counter()
    for sents, _ in tokenised:
        for s in sents:
            freq.update(s)
    vocab = [None, BOUNDARY, UNK, NUM] + [t for t in PUNCT]
    fixed = set(vocab)
    vocab += [t for t, c in freq.most_common(max_vocab - len(vocab))
              if c >= min_vocab_count and t not in fixed]
    vocab[0] = ""
    return vocab


def _continuation_counts(counts: dict, order: int, b: int) -> dict:
    """Kneser-Ney: lower orders count distinct left contexts, except after <s>."""
    kn = {order: counts[order]}
    for n in range(order - 1, 0, -1):
        codes, raw = counts[n]
        upper = counts[n + 1][0]
        suffix = upper & np.uint64((1 << (BITS * n)) - 1)
        sfx, left_types = np.unique(suffix, return_counts=True)
        pos = np.searchsorted(sfx, codes)
        pos[pos >= len(sfx)] = 0
        cont = np.where(sfx[pos] == codes, left_types[pos], 0).astype(np.float64)
        first = codes >> np.uint64(BITS * (n - 1))
        cont = np.where(first == b, raw, cont) if n > 1 else cont
        kn[n] = (codes, np.maximum(cont, 0))
    return kn


def _estimate(vocab: list[str], counts: dict, kn: dict, order: int, discount: float,
              prune: dict[int, float]) -> SyllableLM:
    """Interpolated absolute-discount probabilities and back-off weights, pruned."""
    vsize = len(vocab) - 1
    all_codes, all_logp, bow_codes, bows = [], [], [], []
    lower_codes, lower_p = None, None
    for n in range(1, order + 1):
        codes, c = kn[n]
        keep = c > 0
        codes, c = codes[keep], c[keep]
        hist = codes >> np.uint64(BITS)
        uh, inv = np.unique(hist, return_inverse=True)
        ch = np.bincount(inv, weights=c)
        types = np.bincount(inv).astype(np.float64)
        d = min(discount, 0.99)
        gamma = d * types / ch
        if n == 1:
            p_low = np.full(len(codes), 1.0 / vsize)
        else:
            sfx = codes & np.uint64((1 << (BITS * (n - 1))) - 1)
            p_low = lower_p[np.searchsorted(lower_codes, sfx)]
        p = np.maximum(c - d, 0) / ch[inv] + gamma[inv] * p_low
        lower_codes, lower_p = codes, p
        if n > 1:
            bow_codes.append(uh)
            bows.append(np.log(gamma))
        floor = prune.get(n)
        if floor:
            raw_codes, raw_counts = counts[n]
            pos = np.searchsorted(raw_codes, codes)
            kept = raw_counts[pos] >= floor
            codes, p = codes[kept], p[kept]
        all_codes.append(codes)
        all_logp.append(np.log(p))
    kept = np.concatenate(all_codes)
    bcodes, bvals = np.concatenate(bow_codes), np.concatenate(bows)
    useful = np.isin(bcodes, kept)  # a history that is not kept backs off for free
    return SyllableLM.from_arrays(vocab, kept, np.concatenate(all_logp).astype(np.float32),
                                  bcodes[useful], bvals[useful].astype(np.float32), order)


def perplexity(lm: SyllableLM, lines: Iterable[str]) -> float:
    total, n = 0.0, 0
    b = lm.ids[BOUNDARY]
    for line in lines:
        hist: tuple[int, ...] = (b,)
        for tok in lm_tokens(line) + [BOUNDARY]:
            w = lm.id(tok)
            total += lm.score(hist[-(lm.order - 1):], w)
            hist = hist + (w,)
            n += 1
    return math.exp(-total / max(n, 1))
