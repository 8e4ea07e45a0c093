"""Diacritics restoration benchmark: syllable accuracy on held-out text, and speed.

  python -m bench.restore_accuracy [--limit N] [--model PATH]

Held-out administrative text (seed 003, every 25th law, every 25th recent legal
document of vbpl) and general text (VLSP2013 test) are stripped of marks and restored, a document at a time as the pipeline does (a
law, the seed, 50 VLSP sentences: the restorer adapts to each); a syllable counts as
right when its letters, vowel marks and tone equal the original's (tone placement
"hoà"/"hòa" is free).
Syllables inside codes (1362/QĐ-UBND) are left out: the restorer never edits codes.
Held-out pages rendered and read by `tesseract -l eng` (bench/ocr_eng_heldout.tsv, made
by scripts/make_ocr_pairs.py) are restored too. The model is read into memory, as the
pipeline's own workers hold it; the administrative sets are read again with it
memory-mapped, as a Dask worker holds it (shared with the machine's other workers).
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import time
from pathlib import Path

from normalizers.restorer import training as corpus
from normalizers.restorer.ocr_channel import token_core
from normalizers.restorer.restore import LM_PATH, Restorer, tokenize
from normalizers.restorer.vietnamese import WORD, decompose, strip_marks

OCR_PAIRS = Path(__file__).parent / "ocr_eng_heldout.tsv"
VLSP_TEXT = 50  # sentences of the VLSP test corpus restored as one text


def same(a: str, b: str) -> bool:
    return decompose(a.lower()) == decompose(b.lower())


def stripped_accuracy(restorer: Restorer, texts: list[list[str]]) -> tuple[float, int, float]:
    """Each text (a document's lines) stripped and restored as one document; speed is
    syllables per second of CPU time spent restoring (other load on the machine and
    the scoring here do not count)."""
    right = total = 0
    busy = 0.0
    for lines in texts:
        stripped = [strip_marks(line) for line in lines]
        start = time.process_time()
        restored = restorer.restore_many(["\n".join(stripped)], "stripped")[0].text
        busy += time.process_time() - start
        for line, damaged, out in zip(lines, stripped, restored.split("\n")):
            for tok in tokenize(damaged, garbled=False):
                if tok.word:
                    total += 1
                    right += same(line[tok.start:tok.end], out[tok.start:tok.end])
    return right / max(total, 1), total, total / busy


def first_lines(texts: list[list[str]], limit: int) -> list[list[str]]:
    """Whole texts while they fit in `limit` lines, then the first part of the next."""
    out, left = [], limit
    for lines in texts:
        if left <= 0:
            break
        out.append(lines[:left])
        left -= len(out[-1])
    return out


def partly_accented(lines: list[str], share: float, seed: int = 7) -> list[str]:
    """Strip marks from a random `share` of syllables, as in hand-typed files."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        parts = line.split(" ")
        out.append(" ".join(strip_marks(p) if rng.random() < share else p for p in parts))
    return out


def partial_accuracy(restorer: Restorer, lines: list[str], share: float) -> float:
    right = total = 0
    for line, damaged in zip(lines, partly_accented(lines, share)):
        out = restorer.restore(damaged, "stripped").text
        for tok in tokenize(damaged, garbled=False):
            if tok.word:
                total += 1
                right += same(line[tok.start:tok.end], out[tok.start:tok.end])
    return right / max(total, 1)


def ocr_accuracy(restorer: Restorer, pairs: list[tuple[str, str]]) -> tuple[float, float, int]:
    """Syllable accuracy of raw and restored English-model OCR, on lines whose token
    count matches the source (a split or merged token has no syllable to compare)."""
    text = "\n".join(o for o, _ in pairs)
    restored = restorer.restore(text, "garbled").text.split("\n")
    raw = fixed = total = 0
    for (ocr, true), out in zip(pairs, restored):
        a, b, c = true.split(), ocr.split(), out.split()
        if not (len(a) == len(b) == len(c)):
            continue
        for t, g, r in zip(a, b, c):
            t = token_core(t)
            if WORD.fullmatch(t):
                total += 1
                raw += same(t, token_core(g))
                fixed += same(t, token_core(r))
    return raw / max(total, 1), fixed / max(total, 1), total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=4000, help="lines per test set")
    ap.add_argument("--model", type=Path, default=LM_PATH)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    mapped = Restorer.load(args.model)
    print(f"model memory-mapped in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    restorer = Restorer.load(args.model)
    restorer.lm.preload()
    print(f"model read into memory in {time.perf_counter() - t:.1f} s (as the pipeline does)")
    vlsp = corpus.vlsp_sentences()
    sets = {
        "admin: seed 003 (held out)": [corpus.seeds(held_out=True)],
        "admin: held-out laws": corpus.law_texts(held_out=True),
        "admin: held-out vbpl documents": corpus.vbpl_texts(held_out=True),
        "general: VLSP2013 test": [vlsp[i:i + VLSP_TEXT] for i in range(0, len(vlsp), VLSP_TEXT)],
    }
    print(f"{'accent-stripped input':32} {'syllables':>10} {'accuracy':>9} {'syll/s':>8}")
    for name, texts in sets.items():
        acc, n, rate = stripped_accuracy(restorer, first_lines(texts, args.limit))
        print(f"{name:32} {n:>10,} {acc:>9.2%} {rate:>8,.0f}")
    for name in ("admin: seed 003 (held out)", "admin: held-out laws"):
        acc, n, rate = stripped_accuracy(mapped, first_lines(sets[name], args.limit))
        print(f"{name + ', memory-mapped':32} {n:>10,} {acc:>9.2%} {rate:>8,.0f}  (as a Dask worker)")
    admin = corpus.seeds(held_out=True) + corpus.laws(held_out=True)[:1000]
    for share in (0.3, 0.7):
        print(f"partly accented ({share:.0%} of syllables stripped), admin: "
              f"{partial_accuracy(restorer, admin, share):.2%}")
    pairs = [tuple(row) for row in csv.reader(OCR_PAIRS.open(encoding="utf-8"), delimiter="\t")]
    raw, fixed, n = ocr_accuracy(restorer, pairs)
    print(f"English-model OCR of held-out pages ({n:,} syllables): raw {raw:.2%} -> "
          f"restored {fixed:.2%}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB (the model memory-mapped and read into memory, in one process)")


if __name__ == "__main__":
    main()
