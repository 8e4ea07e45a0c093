"""Train the diacritics restorer's syllable language model (`make model`).

Administrative text (laws, accented seeds) is weighted above Wikipedia: plans speak
the register of laws, and pooled counts let Wikipedia's topics outvote it. The held-out
text of normalizers/restorer/training.py is never read here.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from normalizers.restorer import legacy_encodings  # noqa: E402
from normalizers.restorer import training as corpus  # noqa: E402
from normalizers.restorer.restore import LM_PATH  # noqa: E402
from normalizers.restorer.syllable_lm import perplexity, train  # noqa: E402
from normalizers.restorer.vietnamese import WORD  # noqa: E402


def write_syllables(entries: list[str]) -> None:
    """Syllables of at least two Viet74K entries: the legacy-encoding detector's lexicon."""
    counts = Counter(s for e in entries for s in e.lower().split() if WORD.fullmatch(s))
    path = Path(legacy_encodings.DATA / "syllables.txt")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(sorted(s for s, c in counts.items() if c >= 2)) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--admin-weight", type=float, default=3.0)
    ap.add_argument("--prune", type=float, default=3.0,
                    help="least weighted count of a kept 3-gram or longer")
    ap.add_argument("--out", type=Path, default=LM_PATH)
    args = ap.parse_args()
    t = time.perf_counter()
    admin = corpus.laws(held_out=False) + corpus.seeds(held_out=False)
    general = corpus.wikipedia()
    words = corpus.word_list()
    print(f"training text: {len(admin):,} administrative lines, {len(general):,} Wikipedia "
          f"lines, {len(words):,} word-list entries", flush=True)
    prune = {n: args.prune for n in range(3, args.order + 1)}
    lm = train([(admin, args.admin_weight), (general, 1.0), (words, 1.0)],
               order=args.order, prune=prune)
    lm.save(args.out)
    write_syllables(words)
    size = args.out.stat().st_size / 1e6
    print(f"{len(lm.logp):,} n-grams, {len(lm.vocab):,} syllables -> {args.out} "
          f"({size:.1f} MB) in {time.perf_counter() - t:.0f} s")
    print(f"perplexity, held-out laws: {perplexity(lm, corpus.laws(held_out=True)[:3000]):.1f}; "
          f"seed 003: {perplexity(lm, corpus.seeds(held_out=True)):.1f}")


if __name__ == "__main__":
    main()
