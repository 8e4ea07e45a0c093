"""OCR benchmark: character error rate and speed on scans, ours beside plain Tesseract.

Each scan was rasterised from a born-digital PDF, so the text layer of that PDF is the
exact ground truth of every scanned page: the bundled samples (scripts/make_samples.py:
250 and 200 dpi) and, made here, the body pages of sample 000 scanned at 200 and 150 dpi
with blur, speckle and JPEG (bench/table_cells.py's degrade). Pages are compared
line-agnostically as whitespace-normalised text (CER = edit distance / reference
length); body pages (prose) and table pages are reported apart, since the reading order
of table cells differs between a text layer and OCR.

Beside ours: plain `tesseract -l vie` on the page image at its own resolution, and on
the page rendered at 300 dpi (`pdftoppm -r 300` would give the same), one thread each.

    python -m bench.ocr_cer [--pages N] [--no-degraded]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from bench.table_cells import degrade
from extractors.sources import pdf
from extractors.ocr.page import ocr_image_page

ROOT = Path(__file__).resolve().parent.parent
BORN_000 = ROOT / "data" / "raw" / "000_born_digital.pdf"
PAIRS = [(ROOT / "data" / "raw" / "000_scanned.pdf", BORN_000),
         (ROOT / "data" / "raw" / "003_scanned.pdf", ROOT / "bench" / "003_born_digital.pdf")]
DEGRADED_DPI = (200, 150)


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


def body_scans(work: Path) -> list[tuple[Path, Path]]:
    """Sample 000's first three prose pages, and their degraded scans at DEGRADED_DPI."""
    refs = reference_pages(BORN_000)
    body = [i for i, (_, table) in enumerate(refs) if not table][:3]
    src = pdfium.PdfDocument(str(BORN_000))
    truth = pdfium.PdfDocument.new()
    truth.import_pages(src, body)
    truth_path = work / "000_body.pdf"
    truth.save(str(truth_path))
    out = []
    for dpi in DEGRADED_DPI:
        scan = work / f"000_body_{dpi}dpi.pdf"
        degrade(truth_path, scan, dpi=dpi)
        out.append((scan, truth_path))
    return out


def plain_tesseract(image, dpi: int, work: Path) -> str:
    path = work / "page.png"
    image.save(path, dpi=(dpi, dpi))
    return subprocess.run(["tesseract", str(path), "-", "-l", "vie", "--oem", "1", "--psm", "3",
                           "--dpi", str(dpi)], capture_output=True, text=True, check=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages of each scan")
    ap.add_argument("--no-degraded", action="store_true",
                    help="only the bundled samples, not the 200/150 dpi body scans")
    args = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"        # ours and plain Tesseract, one thread each
    readers = ("ours", "plain", "plain 300")
    print(f"{'scan':<24}{'dpi':>4}{'pages':>6}{'kind':>6}{'chars':>7}"
          + "".join(f"{'CER ' + r:>15}" for r in readers)
          + f"{'s/page ours':>12}{'s/p 300':>8}")
    worst = float("-inf")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pairs = PAIRS + ([] if args.no_degraded else body_scans(work))
        for scan, truth in pairs:
            refs = reference_pages(truth)
            n = len(refs) if not args.pages else min(args.pages, len(refs))
            stats: dict[str, dict] = {}
            for i in range(n):
                image, dpi = pdf.render_scan(scan, i)
                at_300, _ = pdf.render_page(scan, i, 300)
                ref, is_table = refs[i]
                kind = stats.setdefault("table" if is_table else "body",
                                        {"pages": 0, "chars": 0, **{r: [0, 0.0] for r in readers}})
                kind["pages"] += 1
                kind["chars"] += len(ref)
                for reader, read in (("ours", lambda: ocr_image_page(image, i + 1, dpi).text),
                                     ("plain", lambda: plain_tesseract(image, dpi, work)),
                                     ("plain 300", lambda: plain_tesseract(at_300, 300, work))):
                    start = time.perf_counter()
                    got = normalise(read())
                    kind[reader][1] += time.perf_counter() - start
                    kind[reader][0] += Levenshtein.distance(got, ref)
            native = round(pdf.scan_dpi(scan, 0) or 0)
            for name, k in stats.items():
                cer = {r: k[r][0] / k["chars"] for r in readers}
                worst = max(worst, cer["ours"] - cer["plain 300"])
                print(f"{scan.name:<24}{native:>4}{k['pages']:>6}{name:>6}{k['chars']:>7}"
                      + "".join(f"{cer[r]:>15.2%}" for r in readers)
                      + f"{k['ours'][1] / k['pages']:>12.2f}{k['plain 300'][1] / k['pages']:>8.2f}")
    print(f"ours minus plain tesseract at 300 dpi, worst scan and kind: {worst:+.2%} "
          "(target ≤ 0)")


if __name__ == "__main__":
    main()
