"""Learn how `tesseract -l eng` garbles Vietnamese: render, OCR, align (`make model`).

Training text lines are set at 12-14 pt in Liberation Serif (Times New Roman's twin)
and DejaVu, scanned at 150-300 dpi with a scan's damage (blur, thin or heavy ink, dust,
JPEG, fax-grade thresholding, table rules), read back with the English model and aligned
line by line and token by token to the source: the channel sees letters destroyed, not
only marks lost (Đ read P, ă read i, ế read €). Writes
  normalizers/restorer/data/ocr_channel.tsv   garbled token, true syllable, count
  normalizers/restorer/data/ocr_rewrites.tsv  garbled substring, letters, probability
and, from held-out text, bench/ocr_eng_heldout.tsv (OCR line, true line) for the bench.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import random
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.restorer import training as corpus  # noqa: E402
from normalizers.restorer.ocr_channel import DATA, REWRITES, token_core  # noqa: E402
from normalizers.restorer.vietnamese import WORD, decompose, strip_marks  # noqa: E402
from pipeline.output.writer import atomic_write  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype")
# Times New Roman's metric twin first: the face plans are set in.
FONTS = [FONT_DIR / "liberation2/LiberationSerif-Regular.ttf"] * 3 + [
    FONT_DIR / "dejavu/DejaVuSerif.ttf", FONT_DIR / "dejavu/DejaVuSans.ttf"]
DPIS = (150, 200, 240, 300)
LINES_PER_PAGE, MAX_CHARS = 30, 70
HELD_OUT_TSV = ROOT / "bench" / "ocr_eng_heldout.tsv"
CACHE = ROOT / "data" / "cache" / "ocr_pairs"


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


def draw_page(lines: list[str], rng: random.Random) -> tuple[Image.Image, int]:
    """The lines set at 12-14 pt, drawn at twice the scan resolution and scaled down as a
    scanner samples the page; some pages ruled like a table (rules glue debris to words)."""
    dpi = rng.choice(DPIS)
    size = round(rng.uniform(12, 14) / 72 * dpi * 2)
    font = ImageFont.truetype(str(rng.choice(FONTS)), size)
    step, margin = int(size * rng.uniform(1.5, 1.9)), size * 3
    width = int(8.27 * dpi * 2)
    img = Image.new("L", (width, step * len(lines) + 2 * margin), 255)
    draw = ImageDraw.Draw(img)
    ruled = rng.random() < 0.25
    rule = max(2, size // 20)
    for i, line in enumerate(lines):
        y = margin + i * step
        draw.text((margin, y), line, font=font, fill=0)
        if ruled:   # a table row: a rule under it and a cell border close after its text
            bottom = y + size + (step - size) // 2
            right = min(margin + draw.textlength(line, font=font) + size // rng.randint(4, 8),
                        width - margin)
            draw.line([(margin - size // 2, bottom), (width - margin, bottom)], fill=0,
                      width=rule)
            draw.line([(right, bottom - step), (right, bottom)], fill=0, width=rule)
    return img.resize((img.width // 2, img.height // 2), Image.LANCZOS), dpi


def worn(img: Image.Image, dpi: int, rng: random.Random) -> Image.Image:
    """A scan's damage, each kind at a random strength: blur, thin or heavy ink, uneven
    light, dust, JPEG; some pages thresholded to black and white as fax-grade scans are,
    which is where marks and thin strokes vanish."""
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 1.0) * dpi / 300))
    ink = rng.random()
    if ink < 0.2:
        img = img.filter(ImageFilter.MaxFilter(3))      # faint ink: strokes thin out
    elif ink < 0.4:
        img = img.filter(ImageFilter.MinFilter(3))      # heavy ink: counters fill in
    arr = np.asarray(img, dtype=np.float32)
    nprng = np.random.default_rng(rng.randrange(1 << 30))
    shade = np.linspace(0, rng.uniform(0, 40), arr.shape[1], dtype=np.float32)[None, :]
    arr = arr * rng.uniform(0.8, 1.0) + 10 - shade * (arr > 128)
    specks = nprng.random(arr.shape) < rng.uniform(0, 0.002)
    arr[specks] = nprng.uniform(0, 140, int(specks.sum()))
    if dpi >= 200 and rng.random() < 0.4:
        arr = np.where(arr > rng.uniform(110, 170), 255, 0)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(25, 80))
    return Image.open(io.BytesIO(buf.getvalue()))


def ocr_page(job: tuple[list[str], int]) -> list[tuple[str, str]]:
    """(true line, OCR line) pairs for one rendered, worn page."""
    lines, seed = job
    rng = random.Random(seed)
    img, dpi = draw_page(lines, rng)
    text = pytesseract.image_to_string(worn(img, dpi, rng), lang="eng",
                                       config=f"--psm 6 --dpi {dpi}")
    got = [x for x in text.splitlines() if sum(c.isalnum() for c in x) >= 3]  # not rules
    return matched_lines(lines, got)


def matched_lines(lines: list[str], got: list[str], least: float = 0.6) -> list[tuple[str, str]]:
    """Each source line with the OCR line nearest its place that reads like it: a line
    the OCR dropped or split shifts the rest, and a line it could not read at all
    teaches the channel nothing."""
    out = []
    for i, line in enumerate(lines):
        plain = strip_marks(line).lower()
        near = got[max(0, i - 2):i + 3] if len(got) != len(lines) else got[i:i + 1]
        scored = [(difflib.SequenceMatcher(None, plain, g.lower()).ratio(), g) for g in near]
        if scored and max(scored)[0] >= least:
            out.append((line, max(scored)[1]))
    return out


_ROUGH = str.maketrans("0146@&$|", "olaoaasl")


def rough(token: str) -> str:
    """A token reduced to comparable letters: true syllables and their garbled copies
    mostly agree on this ('người' and 'ngudi' both give 'ngu.i' after the fold)."""
    letters = decompose(token_core(token).lower().translate(_ROUGH))[0]
    return "".join(c for c in letters if c.isalnum())[:3]


def aligned(true: str, ocr: str) -> list[tuple[str, str]]:
    """Token pairs of a line, matched where a split or merge put the counts apart: runs
    that agree on their rough letters, and equal-length stretches between them."""
    a, b = true.split(), ocr.split()
    if len(a) == len(b):
        return list(zip(a, b))
    out = []
    matcher = difflib.SequenceMatcher(None, [rough(t) for t in a], [rough(g) for g in b],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            out.extend(zip(a[i1:i2], b[j1:j2]))
    return out


def alike(true: str, garbled: str) -> bool:
    """A token pair plausibly one word: half its letters agree ('người'/'ngudi' yes,
    'quy'/'theo' no: an alignment slip, not a confusion to learn)."""
    plain = strip_marks(true).lower()
    return difflib.SequenceMatcher(None, plain, garbled).ratio() >= 0.5


def learn(pairs: list[tuple[str, str]]) -> tuple[Counter, Counter, Counter]:
    tokens: Counter = Counter()
    rewrites: Counter = Counter()
    sources: Counter = Counter()
    for true, ocr in pairs:
        for t, g in aligned(true, ocr):
            t, g = token_core(t).lower(), token_core(g).lower()
            if not t or not g or not WORD.fullmatch(t) or not alike(t, g):
                continue
            tokens[(g, t)] += 1
            letters = decompose(t)[0]
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, g, letters).get_opcodes():
                if op != "equal" and i2 > i1:
                    rewrites[(g[i1:i2], letters[j1:j2])] += 1
            for i in range(len(g)):
                for n in (1, 2, 3):
                    if i + n <= len(g):
                        sources[g[i:i + n]] += 1
    return tokens, rewrites, sources


def write_tsv(path: Path, rows) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows)
    atomic_write(path, buf.getvalue().encode("utf-8"))


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


def ocr_pairs(name: str, lines: list[str], seed: int, args) -> list[tuple[str, str]]:
    """OCR pairs for these lines, from data/cache when --reuse-ocr finds them there."""
    cache = CACHE / f"{name}-{seed}-{len(lines)}.tsv"
    if args.reuse_ocr and cache.exists():
        with cache.open(encoding="utf-8") as f:
            return [tuple(row) for row in csv.reader(f, delimiter="\t")]
    pairs = run_ocr(lines, seed, args.workers, args.pages if name == "train" else
                    args.held_out_pages)
    cache.parent.mkdir(parents=True, exist_ok=True)
    write_tsv(cache, pairs)
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=160, help="training pages to render")
    ap.add_argument("--held-out-pages", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reuse-ocr", action="store_true",
                    help="learn again from the OCR pairs of the last run (data/cache)")
    args = ap.parse_args()
    rng = random.Random(2024)
    train_lines = (corpus.laws(held_out=False) + corpus.vbpl(held_out=False)
                   + corpus.seeds(held_out=False))
    rng.shuffle(train_lines)
    pairs = ocr_pairs("train", train_lines[:args.pages * LINES_PER_PAGE], 1, args)
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
    write_tsv(HELD_OUT_TSV, [(o, t) for t, o in ocr_pairs("held-out", held, 2, args)])


if __name__ == "__main__":
    main()
