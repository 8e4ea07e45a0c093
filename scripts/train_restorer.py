"""Train the diacritics restorer's syllable language model (`make model`).

Administrative text (laws, the recent legal documents of vbpl.txt.xz, accented seeds)
is weighted above Wikipedia: plans speak the register of laws and decisions, and pooled
counts let Wikipedia's topics outvote it; vbpl brings the vocabulary of plans the laws
lack ('hộ nghèo đa chiều', 'chuyển đổi số'). The held-out
text of normalizers/restorer/training.py is never read here.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from normalizers.restorer import legacy_encodings  # noqa: E402
from pipeline.output.writer import atomic_write  # noqa: E402
from normalizers.restorer import training as corpus  # noqa: E402
from normalizers.restorer.restore import LM_PATH  # noqa: E402
from normalizers.restorer.syllable_lm import canonical, perplexity, train  # noqa: E402
from normalizers.restorer.vietnamese import WORD, strip_marks  # noqa: E402

ABBREVIATION = re.compile(r"\b[A-ZĐ][A-ZĐ]+\b")
CASING_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]|\d+")


def write_lines(name: str, lines: list[str]) -> None:
    """A table of the restorer's data folder, one entry a line, written atomically."""
    atomic_write(legacy_encodings.DATA / name, ("\n".join(lines) + "\n").encode("utf-8"))


def write_syllables(entries: list[str]) -> None:
    """Syllables of at least two Viet74K entries: the legacy-encoding detector's lexicon."""
    counts = Counter(s for e in entries for s in e.lower().split() if WORD.fullmatch(s))
    write_lines("syllables.txt", sorted(s for s, c in counts.items() if c >= 2))


def write_abbreviations(lines: list[str], least: int = 5, share: float = 0.9) -> int:
    """Capitals that carry a mark in administrative text (HĐND, ĐBQH, GDĐT), keyed by
    their bare letters, where that form makes up `share` of the spellings seen: a text
    that lost its marks lost them there too, and no syllable model restores them. Two
    letters are too ambiguous (QD is a code's 'QĐ' and a name's initials)."""
    words = {strip_marks(w).upper() for w in legacy_encodings.syllables()}  # ĐẢNG, not an abbreviation
    spellings: dict[str, Counter] = {}
    for line in lines:
        for tok in ABBREVIATION.findall(line):
            if 3 <= len(tok) <= 8 and strip_marks(tok) not in words:
                spellings.setdefault(strip_marks(tok), Counter())[tok] += 1
    rows = []
    for bare, seen in spellings.items():
        form, n = seen.most_common(1)[0]
        if form != bare and n >= least and n >= share * sum(seen.values()):
            rows.append(f"{bare}\t{form}")
    write_lines("abbreviations.tsv", sorted(rows))
    return len(rows)


def write_casing(lines: list[str], least: int = 5) -> int:
    """Per syllable, how often administrative text writes it capitalised right after a
    word (mid-sentence: 'giao Sở Tài chính', never 'số') and how often at all: the cue a
    stripped 'So' needs, which a lower-case language model cannot give."""
    title: Counter = Counter()
    total: Counter = Counter()
    for line in lines:
        prev_word = False
        for tok in CASING_TOKEN.findall(line):
            if not WORD.fullmatch(tok):
                prev_word = False
                continue
            low = canonical(tok.lower())
            total[low] += 1
            if prev_word and tok[:1].isupper() and not tok.isupper():
                title[low] += 1
            prev_word = True
    rows = [f"{w}\t{title[w]}\t{n}" for w, n in sorted(total.items()) if n >= least]
    write_lines("casing.tsv", rows)
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--admin-weight", type=float, default=3.0)
    ap.add_argument("--prune", type=float, default=6.0,
                    help="least weighted count of a kept 4-gram or longer")
    ap.add_argument("--prune-trigrams", type=float, default=3.0,
                    help="least weighted count of a kept 3-gram: 3 keeps one seen once in "
                         "administrative text (held-out seed 003 99.35 -> 99.46%%, laws "
                         "99.67 -> 99.70%%, 190 MB more in memory)")
    ap.add_argument("--out", type=Path, default=LM_PATH)
    args = ap.parse_args()
    t = time.perf_counter()
    admin = corpus.laws(held_out=False) + corpus.vbpl(held_out=False) + corpus.seeds(held_out=False)
    general = corpus.wikipedia()
    words = corpus.word_list()
    print(f"training text: {len(admin):,} administrative lines, {len(general):,} Wikipedia "
          f"lines, {len(words):,} word-list entries", flush=True)
    prune = {3: args.prune_trigrams, **{n: args.prune for n in range(4, args.order + 1)}}
    lm = train([(admin, args.admin_weight), (general, 1.0), (words, 1.0)],
               order=args.order, prune=prune)
    lm.save(args.out)
    write_syllables(words)
    print(f"{write_abbreviations(admin):,} accented abbreviations, casing of "
          f"{write_casing(admin):,} syllables", flush=True)
    size = args.out.stat().st_size / 1e6
    print(f"{len(lm.logp):,} n-grams, {len(lm.vocab):,} syllables -> {args.out} "
          f"({size:.1f} MB) in {time.perf_counter() - t:.0f} s")
    print(f"perplexity, held-out laws: {perplexity(lm, corpus.laws(held_out=True)[:3000]):.1f}; "
          f"held-out vbpl: {perplexity(lm, corpus.vbpl(held_out=True)[:3000]):.1f}; "
          f"seed 003: {perplexity(lm, corpus.seeds(held_out=True)):.1f}")


if __name__ == "__main__":
    main()
