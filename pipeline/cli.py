"""Command line: `python -m pipeline extract INPUT... --out DIR`."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipeline import __version__
from pipeline.defaults import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, PAGES_PER_JOB, default_workers

# Only what --help needs is imported here: the pipeline itself (OCR, the restorer,
# pandas) is imported by the command that runs it.

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
CORRECTIONS_ENV = "VNPLAN_CORRECTIONS"


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract metadata, references, indicators, targets, tasks and budgets "
                    "from Vietnamese government plans (PDF, scans, images, text).")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    _extract_parser(sub)
    _restore_parser(sub)
    return ap


def _extract_parser(sub) -> None:
    ex = sub.add_parser(
        "extract", help="run the pipeline on files or folders",
        description="Run the pipeline on files or folders and write the dataset "
                    "(CSV files, text/, datapackage.json) to --out. Exit status 0 when every "
                    "input went through, 1 when any failed (the others are still written; "
                    "see errors.csv).")
    ex.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="PDF, PNG, JPEG, TIFF, DOCX, DOC, ODT, XLSX or .txt files, or folders "
                         "searched recursively; paths, or URLs (file://, http(s)://, s3://, "
                         "gs://: fsspec, with s3fs or gcsfs installed for the last two)")
    ex.add_argument("--out", default="data/structured",
                    help="output folder, a path or an s3:// or gs:// URL (default: "
                         "data/structured)")
    ex.add_argument("--workers", type=int, default=default_workers(),
                    help="documents processed in parallel (default: the cores available, "
                         "%(default)s here)")
    ex.add_argument("--executor", choices=["local", "dask"], default="local",
                    help="local: a pool of worker processes on this machine (default); dask: "
                         "a Dask cluster (see --scheduler)")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --executor dask: the scheduler's address, e.g. tcp://host:8786 "
                         "(a SLURM or Kubernetes Dask cluster); default: a local cluster of "
                         "--workers processes")
    ex.add_argument("--ship-inputs", action="store_true",
                    help="with --scheduler: send every input file's bytes to the workers "
                         "(default: only where a worker cannot open the input's folder)")
    ex.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDS",
                    help="longest one job (a batch of pages, or a document's final stages) "
                         "may run before it is stopped and reported (default: %(default)g; "
                         "0: no limit)")
    ex.add_argument("--max-memory", type=float, default=DEFAULT_MEMORY_MB, metavar="MB",
                    help="memory one worker, with its Tesseract processes, may use before its "
                         "job is stopped and reported (default: %(default)g; 0: no limit)")
    ex.add_argument("--cache-dir", default="data/cache", metavar="DIR_OR_URL",
                    help="where OCR results are kept between runs, keyed by file content: a "
                         "folder, or a URL every worker can reach (s3://bucket/cache, "
                         "gs://...) (default: data/cache)")
    ex.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    ex.add_argument("--corrections", type=Path, metavar="DIR",
                    help="reviewer corrections re-applied to the output (default: "
                         f"${CORRECTIONS_ENV}, else data/corrections when it exists; a folder "
                         "named here must exist; see notebooks/review.ipynb)")
    ex.add_argument("--lang", default="vie",
                    help="Tesseract language(s) for scanned pages (default: vie)")
    ex.add_argument("--excel", action="store_true",
                    help="also write excel/*.csv: UTF-8 with BOM, which Excel opens with "
                         "Vietnamese shown correctly")
    ex.add_argument("--pages-per-job", type=int, default=PAGES_PER_JOB, metavar="N",
                    help="pages one job reads (default: %(default)s); balances the load of "
                         "long scans over the workers, and never changes the output")
    ex.add_argument("--settings", type=Path, metavar="FILE",
                    help="a YAML file of thresholds to override (name: value; the names and "
                         "defaults are in pipeline/settings.py)")
    ex.add_argument("--quiet", action="store_true", help="no progress bars")


def _restore_parser(sub) -> None:
    rs = sub.add_parser(
        "restore", help="restore Vietnamese diacritics in text",
        description="Restore diacritics in accent-stripped text or English-model OCR output "
                    "and convert legacy encodings (TCVN3, VNI, VISCII); prints the result.")
    rs.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - for stdin")
    rs.add_argument("--mode", choices=["auto", "stripped", "garbled", "none"], default="auto",
                    help="what damage to repair (default: detected from the text)")


def corrections_folder(named: Path | None) -> Path | None:
    """The folder named on the command line (it must exist), else the one the
    environment names, else data/corrections when there is one."""
    if named is not None:
        return named
    if os.environ.get(CORRECTIONS_ENV):
        return Path(os.environ[CORRECTIONS_ENV])
    default = Path("data/corrections")
    return default if default.is_dir() else None


def restore_command(args: argparse.Namespace) -> int:
    from normalizers.restorer.legacy_encodings import detect_and_convert
    from normalizers.restorer.restore import ModelMissing, restore_text

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text, encoding = detect_and_convert(text)
    try:
        result = restore_text(text, args.mode)
    except ModelMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    print(f"restore: encoding {encoding or 'unicode'}, mode {result.mode}, "
          f"{result.changed}/{result.words} words changed, confidence {result.confidence}",
          file=sys.stderr)
    return EXIT_OK


def run_extract(args: argparse.Namespace, out: Path):
    from pipeline.runtime.run import extract

    return extract(args.inputs, out, workers=args.workers,
                   cache_dir=None if args.no_cache else args.cache_dir, lang=args.lang,
                   excel=args.excel, progress=not args.quiet,
                   corrections_dir=corrections_folder(args.corrections),
                   executor=args.executor,
                   scheduler=args.scheduler, timeout_s=args.timeout or None,
                   memory_mb=args.max_memory or None,
                   pages_per_job=args.pages_per_job,
                   ship_inputs="always" if args.ship_inputs else "auto")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "restore":
        return restore_command(args)
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.pages_per_job < 1:
        print("error: --pages-per-job must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.scheduler and args.executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_USAGE
    if args.ship_inputs and args.executor != "dask":
        print("error: --ship-inputs needs --executor dask", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.runtime.run import NothingExtracted
    from pipeline.runtime.storage import output_folder
    from pipeline.settings import configure

    try:
        configure(args.settings)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    start = time.perf_counter()
    try:
        with output_folder(args.out) as out:
            try:
                summary = run_extract(args, out)
            except NothingExtracted as exc:    # named as the user named it, not its copy
                raise NothingExtracted(str(exc).replace(str(out), args.out)) from None
    except NothingExtracted as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\ninterrupted: nothing in the output folder was changed; pages already read are "
              "cached, so the same command resumes where this run stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    took = time.perf_counter() - start
    applied = sum(r["status"] == "applied" for r in summary.corrections)
    unused = len(summary.corrections) - applied
    print(f"{summary.documents} document(s) extracted to {args.out} in {took:.1f} s "
          f"({summary.cached} from cache); {len(summary.failed)} failed"
          + (" — see errors.csv" if summary.failed else "")
          + (f"; {applied} correction(s) applied" if applied else "")
          + (f", {unused} not applied — see corrections.csv" if unused else "")
          + (f"; peak worker memory {summary.peak_worker_mb:.0f} MB"
             if summary.peak_worker_mb else ""), file=sys.stderr)
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK
