"""OCR benchmark: character error rate and speed on the bundled scanned samples.

Each scan was rasterised from a born-digital PDF (scripts/make_samples.py), so the
text layer of that PDF is the exact ground truth of every scanned page. Pages are
compared line-agnostically as whitespace-normalised text (CER = edit distance /
reference length); body pages (prose) and table pages are reported apart, since the
reading order of table cells differs between a text layer and OCR.

    python -m bench.ocr_cer [--pages N]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from extractors.sources import pdf
from extractors.ocr.page import ocr_image_page

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [(ROOT / "data" / "raw" / "000_scanned.pdf", ROOT / "data" / "raw" / "000_born_digital.pdf"),
         (ROOT / "data" / "raw" / "003_scanned.pdf", ROOT / "bench" / "003_born_digital.pdf")]


def normalise(text: str) -> str:
    return " ".join(text.split())


def reference_pages(path: Path) -> list[tuple[str, bool]]:
    """(text, is_table_page) per page of the ground-truth PDF."""
    out = []
    with pdf.open_pdf(path) as handle:
        for page in handle.pages:
            lines = pdf.text_layer_lines(page)
            out.append((normalise(" ".join(line.text for line in lines)),
                        bool(page.find_tables())))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages of each scan")
    args = ap.parse_args()
    print(f"{'document':<20}{'pages':>6}{'kind':>7}{'CER':>8}{'chars':>9}{'s/page':>8}")
    totals = {"body": [0, 0], "table": [0, 0]}
    for scan, truth in PAIRS:
        refs = reference_pages(truth)
        n = len(refs) if not args.pages else min(args.pages, len(refs))
        stats = {"body": [0, 0, 0], "table": [0, 0, 0]}
        start = time.perf_counter()
        for i in range(n):
            image, dpi = pdf.render_scan(scan, i)
            got = normalise(ocr_image_page(image, i + 1, dpi).text)
            ref, is_table = refs[i]
            kind = "table" if is_table else "body"
            stats[kind][0] += Levenshtein.distance(got, ref)
            stats[kind][1] += len(ref)
            stats[kind][2] += 1
        per_page = (time.perf_counter() - start) / max(n, 1)
        for kind, (dist, length, pages) in stats.items():
            if pages:
                print(f"{scan.name:<20}{pages:>6}{kind:>7}{dist / length:>8.2%}{length:>9}"
                      f"{per_page:>8.2f}")
                totals[kind][0] += dist
                totals[kind][1] += length
    for kind, (dist, length) in totals.items():
        if length:
            print(f"{'all scans':<20}{'':>6}{kind:>7}{dist / length:>8.2%}{length:>9}")


if __name__ == "__main__":
    main()
