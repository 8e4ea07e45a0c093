"""Corpus-scale runs: a few hundred documents through `make extract`'s command, with 1
and 2 workers.

  python -m bench.corpus [--docs 50 300] [--workers 1 2] [--executor local|dask]  (~25 min)

The corpus cycles through the bundled samples and the born-digital, Word and scanned
documents of ../shared/real/ (the long scans left out, so the run is the corpus's and
not one scan's), each copy made unique (bytes after a PDF's %%EOF, a ZIP comment, a
text's trailing newlines) so that neither the cache nor the doc_id can answer for
another. Each run has a cache of its own, empty: pages per minute are OCR's, layers',
restoration's and understanding's together. Every worker count runs the smallest corpus,
the most workers the larger ones. Printed per corpus size and worker count:
documents and pages per minute, the time to the first document out, the peak memory
of one worker (its proportional share: the restorer's memory-mapped model counts once
among the workers of the machine, forked or not), and a cached re-run of the largest
corpus.
"""
from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
TEMPLATES = [ROOT / "data" / "raw" / "000_born_digital.pdf",
             ROOT / "data" / "raw" / "004_bac_son_ocr.txt",
             ROOT / "tests" / "fixtures" / "003_scanned_head.pdf",
             REAL / "daknong-stc-bc-99-2019.pdf", REAL / "daknong-stc-kh-3125-2018.pdf",
             REAL / "daknong-kn-qd-3021-scan.pdf", REAL / "lamdong-kh-pcmt-2030.docx",
             REAL / "lamdong-kh-kiem-tra-cchc-2026.docx",
             REAL / "lamdong-bc-cchc-2025-appendix.docx"]
_PEAK = re.compile(r"peak worker memory (\d+) MB")


def unique_copy(src: Path, dst: Path, n: int) -> None:
    """A copy of src whose bytes no other copy has, read the same by the pipeline."""
    if src.suffix == ".docx":
        shutil.copy(src, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.comment = f"bench copy {n}".encode()
    elif src.suffix == ".txt":
        dst.write_bytes(src.read_bytes().rstrip(b"\n") + b"\n" * (n + 1))
    else:
        dst.write_bytes(src.read_bytes() + f"\n%bench copy {n}\n".encode())


def make_corpus(folder: Path, size: int) -> None:
    templates = [t for t in TEMPLATES if t.exists()]
    folder.mkdir(parents=True)
    for n in range(size):
        src = templates[n % len(templates)]
        unique_copy(src, folder / f"{n:04d}_{src.name}", n)


def run(corpus: Path, out: Path, cache: Path, workers: int, executor: str = "local") -> dict:
    """One `python -m pipeline extract` run, timed from outside as a user sees it."""
    cmd = [sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out),
           "--cache-dir", str(cache), "--workers", str(workers), "--executor", executor]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)
    first, last = None, ""
    for line in proc.stderr:            # not a tty: one line a document
        if first is None and line.startswith("[1/"):
            first = time.perf_counter() - start
        last = line
    proc.wait()
    took = time.perf_counter() - start
    with open(out / "documents.csv", encoding="utf-8") as f:
        docs = list(csv.DictReader(f))
    peak = _PEAK.search(last)
    return {"docs": len(docs), "pages": sum(int(d["page_count"] or 0) for d in docs),
            "seconds": took, "first_s": first or took,
            "peak_mb": float(peak.group(1)) if peak else 0.0}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[50, 300])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="dask: a LocalCluster of separately started worker processes")
    args = ap.parse_args(argv)
    rates: dict[tuple[int, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.docs:
            corpus = Path(tmp) / f"corpus{size}"
            make_corpus(corpus, size)
            # every worker count on the smallest corpus; the larger ones (memory as the
            # corpus grows, the cached re-run) on the most workers only
            for workers in args.workers if size == min(args.docs) else [max(args.workers)]:
                cache = Path(tmp) / f"cache{size}_{workers}"
                r = rates[size, workers] = run(corpus, Path(tmp) / f"out{size}_{workers}",
                                               cache, workers, args.executor)
                print(f"{size:4d} documents, {workers} worker(s): {r['docs']} extracted, "
                      f"{r['pages']} pages in {r['seconds']:.0f} s: "
                      f"{60 * r['docs'] / r['seconds']:.1f} documents/min, "
                      f"{60 * r['pages'] / r['seconds']:.1f} pages/min; first out after "
                      f"{r['first_s']:.1f} s; peak memory per worker {r['peak_mb']:.0f} MB",
                      flush=True)
        size, workers = max(args.docs), max(args.workers)
        again = run(Path(tmp) / f"corpus{size}", Path(tmp) / "again",
                    Path(tmp) / f"cache{size}_{workers}", workers, args.executor)
        print(f"{size:4d} documents again, cached, {workers} worker(s): {again['seconds']:.0f} s "
              f"({again['seconds'] / rates[size, workers]['seconds']:.0%} of the first run)")
    one, two = min(args.workers), max(args.workers)
    if one != two:
        small = min(args.docs)
        speedup = rates[small, one]["seconds"] / rates[small, two]["seconds"]
        print(f"{two} workers against {one}: {speedup:.2f}x (target >= 1.8x for 2 against 1)")
    peaks = [rates[s, two]["peak_mb"] for s in args.docs]
    print(f"peak memory per worker from {min(args.docs)} to {max(args.docs)} documents: "
          f"{peaks[0]:.0f} -> {peaks[-1]:.0f} MB (target <= 1000 MB, flat)")
    per_min = rates[size, two]["docs"] / rates[size, two]["seconds"] * 60 / two
    print(f"10,000 documents like these: {10_000 / per_min / 60:.1f} worker-hours "
          f"({per_min:.1f} documents/min per worker), e.g. {10_000 / per_min / 60 / 8:.1f} "
          f"hours on 8 workers")


if __name__ == "__main__":
    main()
