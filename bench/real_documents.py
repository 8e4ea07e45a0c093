"""Real-documents benchmark: every file of ../shared/real through the pipeline, and what
came out of each (kind, pages, pages re-read, metadata fields found, tables, rows), then
the score against the hand-made golds of tests/golden/real (rows read off the documents
by a person; F1 as evaluate.score_listed_rows gives it).

    python -m bench.real_documents [--real ../shared/real]
"""
from __future__ import annotations

import argparse
import csv
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from pipeline.cli import main as pipeline_main
import yaml

from pipeline.evaluate import document_rows, score_listed_rows

ROOT = Path(__file__).resolve().parent.parent
GOLDS = ROOT / "tests" / "golden" / "real"
METADATA = ("doc_number", "doc_type", "issuer", "issue_date", "title", "signer", "signed_by")


def _read(folder: Path, table: str) -> list[dict]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.real.iterdir() if p.suffix.lower() in
                   (".pdf", ".docx", ".doc", ".xlsx")) if args.real.is_dir() else []
    if not files:
        print(f"no real documents at {args.real}")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        raw.mkdir()
        for f in files:
            shutil.copy(f, raw)
        started = time.perf_counter()
        pipeline_main(["extract", str(raw), "--out", str(out), "--no-cache", "--quiet"])
        print(f"{len(files)} real documents extracted in {time.perf_counter() - started:.0f} s")
        docs = _read(out, "documents")
        counts = {t: Counter(r["doc_id"] for r in _read(out, t))
                  for t in ("indicators", "tasks", "budget", "duties", "references")}
        tables = Counter()
        for d in docs:
            text = (out / "text" / f"{d['doc_id']}.txt").read_text("utf-8")
            tables[d["doc_id"]] = text.count("\n| --- |")
        print(f"\n{'file':40} {'kind':12} {'pages':>5} {'re-read':>7} {'meta':>5} {'tables':>6} "
              f"{'indic.':>6} {'tasks':>5} {'budget':>6} {'duties':>6} {'refs':>4}")
        for d in sorted(docs, key=lambda d: d["source_file"]):
            meta = sum(1 for k in METADATA if d[k])
            print(f"{d['source_file'][:40]:40} {d['input_kind']:12} {d['page_count']:>5} "
                  f"{d['pages_reread']:>7} {meta:>3}/{len(METADATA)} {tables[d['doc_id']]:>6} "
                  + " ".join(f"{counts[t][d['doc_id']]:>{w}}" for t, w in
                             (("indicators", 6), ("tasks", 5), ("budget", 6), ("duties", 6),
                              ("references", 4))))
        for e in _read(out, "errors"):
            print(f"error: {e['source_file']}: {e['error']}")
        print(f"\n{'hand-made gold':52} {'rows':>5} {'P':>6} {'R':>6} {'F1':>6}")
        by_source = {d["source_file"]: d["doc_id"] for d in docs}
        specs = yaml.safe_load((GOLDS / "keys.yaml").read_text("utf-8"))
        for gold, spec in sorted(specs.items()):
            stem, table = gold.split(".")[:2]
            source = next((s for s in by_source if s.startswith(stem + ".")), None)
            if source is None:
                continue
            with open(GOLDS / gold, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            s = score_listed_rows(table, document_rows(out, source, table), rows, spec["keys"])
            print(f"{gold:52} {len(rows):>5} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
