"""Pipeline speed benchmark: the ratios issue 8 sets, on the bundled samples.

- scanned samples, whole pipeline with one worker ÷ plain `tesseract -l vie` over the
  same pages rendered at the same resolution, one after the other, one thread each
  (OMP_THREAD_LIMIT=1 for both, so the ratio measures the pipeline's own overhead);
- two workers ÷ one worker on the same scans;
- born-digital pages per second, end to end (text layer, tables, every stage, output);
- a second run on unchanged inputs ÷ the first (the cache);
- peak memory of one worker, with its Tesseract processes;
- how long `python -m pipeline extract --help` takes (a command line that answers at once),
  and `python -m pipeline restore` on a 9-line text.

    python -m bench.pipeline_speed [--pages N]   (N: first N pages of each scan)
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from extractors.sources import pdf
from pipeline.runtime.run import extract

ROOT = Path(__file__).resolve().parent.parent
SCANS = [ROOT / "data" / "raw" / "000_scanned.pdf", ROOT / "data" / "raw" / "003_scanned.pdf"]
BORN_DIGITAL = ROOT / "data" / "raw" / "000_born_digital.pdf"


def first_pages(src: Path, n: int, dest: Path) -> int:
    """Copy the first n pages (all when n is 0) of src to dest; returns the page count."""
    doc = pdfium.PdfDocument(str(src))
    keep = len(doc) if not n else min(n, len(doc))
    out = pdfium.PdfDocument.new()
    out.import_pages(doc, list(range(keep)))
    out.save(str(dest))
    return keep


def plain_tesseract(pdfs: list[Path], work: Path, dpi: int = 0) -> float:
    """Seconds `tesseract IMAGE - -l vie` takes over every page, rendered as the pipeline
    renders them, or at `dpi` (rendering itself not counted)."""
    images = []
    for path in pdfs:
        for i in range(len(pdfium.PdfDocument(str(path)))):
            image, _ = pdf.render_page(path, i, dpi) if dpi else pdf.render_scan(path, i)
            images.append(work / f"{path.stem}-{i:03}.png")
            image.convert("L").save(images[-1])      # a scan's page image, as pdfimages gives it
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    for image in images:
        subprocess.run(["tesseract", str(image), "-", "-l", "vie", "--oem", "1", "--psm", "3"],
                       check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def help_seconds(tries: int = 5) -> float:
    """The fastest of `tries` runs of `python -m pipeline extract --help`, in seconds."""
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "extract", "--help"], cwd=ROOT,
                       check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def restore_seconds(lines: int = 9) -> float:
    """Seconds `python -m pipeline restore` takes on the first lines of the Bắc Sơn text."""
    text = "\n".join((ROOT / "data/raw/004_bac_son_ocr.txt").read_text("utf-8")
                     .splitlines()[:lines])
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "restore", "-"], cwd=ROOT, input=text,
                   text=True, check=True, capture_output=True)
    return time.perf_counter() - start


def timed_run(inputs: list[Path], out: Path, workers: int, cache: Path | None = None):
    start = time.perf_counter()
    summary = extract(inputs, out, workers=workers, cache_dir=cache, progress=False)
    assert not summary.failed, summary.errors
    return time.perf_counter() - start, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages of each scan")
    args = ap.parse_args()
    helped, restored = help_seconds(), restore_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "scans").mkdir()
        pages = sum(first_pages(s, args.pages, work / "scans" / s.name) for s in SCANS)
        scans = sorted((work / "scans").iterdir())
        tess = plain_tesseract(scans, work)
        tess_300 = plain_tesseract(scans, work, 300)
        one, s1 = timed_run(scans, work / "o1", 1)
        two, s2 = timed_run(scans, work / "o2", 2)
        bd_pages = len(pdfium.PdfDocument(str(BORN_DIGITAL)))
        bd_one, b1 = timed_run([BORN_DIGITAL], work / "b1", 1)
        bd_two, b2 = timed_run([BORN_DIGITAL], work / "b2", 2)
        samples = [ROOT / "data" / "raw"]
        first, f1 = timed_run(samples, work / "c1", 2, work / "cache")
        second, f2 = timed_run(samples, work / "c2", 2, work / "cache")
    rows = [
        (f"scanned, {pages} pages: plain tesseract -l vie, 1 thread", f"{tess:.1f} s",
         f"{tess / pages:.2f} s/page"),
        ("scanned: plain tesseract on the pages rendered at 300 dpi", f"{tess_300:.1f} s",
         f"{tess_300 / pages:.2f} s/page"),
        ("scanned: pipeline, 1 worker", f"{one:.1f} s",
         f"{one / tess:.3f} × tesseract (target ≤ 1.15), "
         f"{one / tess_300:.3f} × at 300 dpi (target ≤ 0.9)"),
        ("scanned: pipeline, 2 workers", f"{two:.1f} s", f"{two / one:.3f} × 1 worker "
                                                          "(target ≤ 0.6)"),
        (f"born-digital, {bd_pages} pages: 1 worker", f"{bd_one:.2f} s",
         f"{bd_pages / bd_one:.1f} pages/s"),
        ("born-digital: 2 workers", f"{bd_two:.2f} s",
         f"{bd_pages / bd_two:.1f} pages/s (target ≥ 20)"),
        ("all samples: first run, 2 workers, empty cache", f"{first:.1f} s", ""),
        ("all samples: second run, unchanged inputs", f"{second:.2f} s",
         f"{second / first:.1%} of the first (target ≤ 5%)"),
        ("peak memory of one worker", f"{max(s.peak_worker_mb for s in (s1, s2, b1, b2, f1, f2)):.0f} MB",
         "target ≤ 1.5 GB"),
        ("python -m pipeline extract --help", f"{helped:.2f} s", "target < 1 s"),
        ("python -m pipeline restore, a 9-line text", f"{restored:.2f} s", "target ~1 s"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>9}  {ratio}")


if __name__ == "__main__":
    main()
