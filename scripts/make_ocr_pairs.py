"""Learn how `tesseract -l eng` garbles Vietnamese: render, OCR, align (`make model`).

Training text lines are drawn on 300 dpi pages in DejaVu fonts, read back with the
English model, and aligned line by line and token by token to the source. Writes
  normalizers/restorer/data/ocr_channel.tsv   garbled token, true syllable, count
  normalizers/restorer/data/ocr_rewrites.tsv  garbled substring, letters, probability
and, from held-out text, bench/ocr_eng_heldout.tsv (OCR line, true line) for the bench.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import random
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytesseract
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.restorer import training as corpus  # noqa: E402
from normalizers.restorer.ocr_channel import DATA, REWRITES, token_core  # noqa: E402
from normalizers.restorer.vietnamese import WORD, decompose  # noqa: E402

FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
DPI, LINES_PER_PAGE, MAX_CHARS = 300, 36, 70
HELD_OUT_TSV = ROOT / "bench" / "ocr_eng_heldout.tsv"


def pages_of(lines: list[str], rng: random.Random) -> list[list[str]]:
    short = []
    for line in lines:
        words, cur = line.split(), []
        for w in words:
            if sum(len(x) + 1 for x in cur) + len(w) > MAX_CHARS:
                short.append(" ".join(cur))
                cur = []
            cur.append(w)
        if cur:
            short.append(" ".join(cur))
    return [short[i:i + LINES_PER_PAGE] for i in range(0, len(short), LINES_PER_PAGE)]


def ocr_page(job: tuple[list[str], int]) -> list[tuple[str, str]]:
    """(true line, OCR line) pairs for one rendered page."""
    lines, seed = job
    rng = random.Random(seed)
    size = rng.choice([40, 46, 50])  # 10-12 pt at 300 dpi
    font = ImageFont.truetype(rng.choice(FONTS), size)
    step = int(size * 1.9)
    img = Image.new("L", (2480, step * len(lines) + 300), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((150, 150 + i * step), line, font=font, fill=0)
    text = pytesseract.image_to_string(img, lang="eng", config="--psm 6")
    got = [x for x in text.splitlines() if x.strip()]
    if len(got) != len(lines):
        return []
    return list(zip(lines, got))


def learn(pairs: list[tuple[str, str]]) -> tuple[Counter, Counter, Counter]:
    tokens: Counter = Counter()
    rewrites: Counter = Counter()
    sources: Counter = Counter()
    for true, ocr in pairs:
        a, b = true.split(), ocr.split()
        if len(a) != len(b):
            continue
        for t, g in zip(a, b):
            t, g = token_core(t).lower(), token_core(g).lower()
            if not t or not g or not WORD.fullmatch(t):
                continue
            tokens[(g, t)] += 1
            letters = decompose(t)[0]
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, g, letters).get_opcodes():
                if op != "equal" and i2 > i1:
                    rewrites[(g[i1:i2], letters[j1:j2])] += 1
            for i in range(len(g)):
                for n in (1, 2):
                    if i + n <= len(g):
                        sources[g[i:i + n]] += 1
    return tokens, rewrites, sources


def write_tsv(path: Path, rows) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter="\t", lineterminator="\n").writerows(rows)
    tmp.replace(path)


def run_ocr(lines: list[str], seed: int, workers: int, limit: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pages = pages_of(lines, rng)[:limit]
    jobs = [(p, seed * 100_000 + i) for i, p in enumerate(pages)]
    out = []
    with ProcessPoolExecutor(workers) as pool:
        for k, pairs in enumerate(pool.map(ocr_page, jobs), 1):
            out.extend(pairs)
            print(f"\rOCR pages {k}/{len(jobs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=120, help="training pages to render")
    ap.add_argument("--held-out-pages", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rng = random.Random(2024)
    train_lines = corpus.laws(held_out=False) + corpus.seeds(held_out=False)
    rng.shuffle(train_lines)
    pairs = run_ocr(train_lines[:args.pages * 30], 1, args.workers, args.pages)
    tokens, rewrites, sources = learn(pairs)
    write_tsv(DATA, sorted((g, t, c) for (g, t), c in tokens.items() if c >= 1))
    rows = []
    for (src, dst), c in rewrites.items():
        p = c / max(sources.get(src, c), c)
        if c >= 3 and p >= 0.01 and len(src) <= 3:
            rows.append((src, dst, f"{p:.4f}"))
    write_tsv(REWRITES, sorted(rows))
    print(f"{len(pairs):,} aligned lines -> {len(tokens):,} token pairs, {len(rows)} rewrites")
    held = corpus.seeds(held_out=True) + corpus.laws(held_out=True)
    write_tsv(HELD_OUT_TSV, [(o, t) for t, o in run_ocr(held, 2, args.workers,
                                                       args.held_out_pages)])


if __name__ == "__main__":
    main()
