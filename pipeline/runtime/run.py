"""One extraction run: collect inputs, process each document, write the dataset."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline import __version__
from pipeline.output.dataset import write_dataset
from pipeline.output.writer import publish, staging_folder, write_manifest
from pipeline.runtime.cache import Cache
from pipeline.runtime.executor import DaskPool, Job, ProcessPool
from pipeline.runtime.storage import Location, is_url, list_files
from pipeline.defaults import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, PAGES_PER_JOB
from pipeline.recipe import (DocResult, JobPlan, PageBatch, error_row, finish_document,
                             read_pages, sniff)
from pipeline.output.schema import Row
from pipeline.settings import SETTINGS


SKIP_NAMES = ("readme",)


def collect_inputs(paths: list[str | Path]) -> tuple[list[tuple[Location, str]], list[Row]]:
    """Files to process as (location: an absolute path or a URL, source name relative
    to its input folder), and error rows for arguments that name nothing."""
    found: list[tuple[Location, str]] = []
    errors: list[Row] = []
    for arg in map(str, paths):
        listed = list_files(arg)
        if listed is None:
            errors.append(error_row(arg, "input", "no such file or folder; check the path"
                                    + (" or URL" if is_url(arg) else "")))
            continue
        files, folder = listed
        for location, rel in files:
            parts = rel.split("/")
            if folder and (any(p.startswith(".") for p in parts)
                           or parts[-1].lower().startswith(SKIP_NAMES)):
                continue
            found.append((location, rel))
    return found, errors


class NothingExtracted(Exception):
    """No input gave a document: the output folder is left as it was (a mistyped path
    must never replace a dataset with empty tables)."""


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    cached: int = 0
    errors: list[Row] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)
    peak_worker_mb: float = 0.0


@dataclass
class _Open:
    """A document whose page batches are still being read."""
    plan: JobPlan
    ranges: dict[int, range]                    # its batches, by first page
    batches: dict[int, PageBatch] = field(default_factory=dict)


def schedule(pool, inputs: list[tuple[Location, str]], cache_dir: Location | None, lang: str,
             on_pages: Callable[[int, int], None],
             pages_per_job: int = PAGES_PER_JOB) -> Iterator[DocResult]:
    """Plan every file, read its page batches in parallel, then finish it: one DocResult
    per input, in the order they complete. on_pages(done, new_total) drives progress."""
    open_docs: dict[str, _Open] = {}
    shipped = {source: pool.ship(location) for location, source in inputs}
    order = {source: i for i, (_, source) in enumerate(inputs)}
    for location, source in inputs:
        pool.submit(Job(("plan", source), sniff, (location, source, shipped[source]),
                        _rank("plan", order[source])))
    for out in pool.as_completed():
        step, source = out.key[0], out.key[1]
        if step == "plan":
            plan = out.value
            if out.error or plan.error:
                shipped.pop(source, None)
                yield DocResult(source, errors=[plan.error if plan else
                                                error_row(source, "ingest", out.error)])
                continue
            open_docs[source] = _Open(plan, {pages.start: pages
                                             for pages in plan.batches(pages_per_job)})
            on_pages(0, plan.pages)
            for pages in open_docs[source].ranges.values():
                pool.submit(Job(("pages", source, pages.start), read_pages,
                                (plan, pages, cache_dir, lang, shipped[source]),
                                _rank("pages", order[source], pages.start)))
        elif step == "pages":
            doc, first = open_docs[source], out.key[2]
            pages = doc.ranges[first]
            doc.batches[first] = out.value if not out.error else PageBatch(errors=[error_row(
                source, "ocr", f"pages {first}-{pages[-1]} {out.error}", first)])
            on_pages(len(pages), 0)
            if len(doc.batches) == len(doc.ranges):
                pool.submit(Job(("finish", source), finish_document,
                                (doc.plan, [doc.batches[k] for k in sorted(doc.batches)],
                                 cache_dir, lang, shipped[source]),
                                _rank("finish", order[source])))
        else:
            del open_docs[source]
            shipped.pop(source, None)
            yield out.value if not out.error else DocResult(
                source, errors=[error_row(source, "structure", f"document {out.error}")])


def _rank(step: str, doc: int, page: int = 0) -> int:
    """Which job runs first: every file planned (cheap), then a document whose pages
    are all read is finished before more pages are read, and pages go document by
    document, so documents come out from the first minutes on and few are held open."""
    return ("plan", "finish", "pages").index(step) * 10**12 + doc * 10**6 + page


def make_pool(kind: str, workers: int, scheduler: str | None, timeout_s: float | None,
              memory_mb: float | None, quiet: bool = False, ship_inputs: str = "auto"):
    if kind == "dask":
        return DaskPool(workers, scheduler, memory_mb, quiet, ship_inputs)
    return ProcessPool(workers, timeout_s, memory_mb, preload=shared_model if workers > 1 else None)


def shared_model() -> None:
    """The restorer, loaded once for the pool's workers to share (most runs restore
    something: every scan's doubtful marks are re-read with it). Its language model is
    memory-mapped, so any processes share it; its candidate tables, built in memory,
    are shared by forking."""
    from normalizers.restorer.restore import ModelMissing, default_restorer

    try:
        default_restorer()
    except ModelMissing:
        pass                # each worker reports it where a page needs restoring


def extract(paths: list[str | Path], out: Path, workers: int = 1, cache_dir: Location | None = None,
            lang: str = "vie", excel: bool = False, progress: bool = True,
            corrections_dir: Path | None = None, executor: str = "local",
            scheduler: str | None = None, timeout_s: float | None = DEFAULT_TIMEOUT_S,
            memory_mb: float | None = DEFAULT_MEMORY_MB,
            pages_per_job: int = PAGES_PER_JOB, ship_inputs: str = "auto") -> RunSummary:
    inputs, errors = collect_inputs(paths)
    if cache_dir is not None and not is_url(cache_dir):
        cache_dir = Path(cache_dir).resolve()   # a worker elsewhere has another working folder
    for err in errors:
        print(f"error: {err.source_file}: {err.error}", file=sys.stderr)
    if not inputs:
        raise NothingExtracted(f"no input files found in {', '.join(map(str, paths))}; "
                               f"nothing was written to {out}")
    if corrections_dir is not None and not corrections_dir.is_dir():
        raise NothingExtracted(f"corrections folder {corrections_dir} does not exist; check "
                               "the path (nothing was extracted or written)")
    summary = RunSummary(errors=errors)
    results: list[DocResult] = []
    bars = progress and sys.stderr.isatty()     # a log file gets one plain line a document
    doc_bar = tqdm(total=len(inputs), desc="documents", unit="doc", disable=not bars,
                   position=0, file=sys.stderr)
    page_bar = tqdm(total=0, desc="pages", unit="page", disable=not bars, position=1,
                    file=sys.stderr)

    def on_pages(done: int, new: int) -> None:
        if new:
            page_bar.total += new
            page_bar.refresh()
        page_bar.update(done)

    with make_pool(executor, workers, scheduler, timeout_s, memory_mb, not progress,
                   ship_inputs) as pool:
        for res in schedule(pool, inputs, cache_dir, lang, on_pages, pages_per_job):
            results.append(res)
            doc_bar.set_postfix_str(res.source[-30:])
            doc_bar.update(1)
            if progress and not bars:
                print(f"[{len(results)}/{len(inputs)}] {res.source}: "
                      + ("extracted" if res.document else "failed")
                      + (" (from cache)" if res.cached else ""), file=sys.stderr, flush=True)
            for err in res.errors:
                where = f" page {err.page}" if err.page else ""
                tqdm.write(f"error: {err.source_file}{where}: {err.error}", file=sys.stderr)
        summary.peak_worker_mb = pool.peak_mb
    page_bar.close()
    doc_bar.close()

    results.sort(key=lambda r: r.source)
    if not any(r.document for r in results):
        raise NothingExtracted(f"none of the {len(inputs)} input file(s) gave a document (see "
                               f"the errors above); the dataset in {out} was left as it was")
    staging = staging_folder(out)
    try:
        report = write_dataset(staging, results, errors, excel, corrections_dir)
        write_manifest(staging, run_manifest(paths, inputs, results, corrections_dir))
        publish(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    for r in report:
        if r["status"] not in ("applied", "superseded"):
            print(f"correction {r['corrections_file']}:{r['line']} {r['status']}: {r['detail']}",
                  file=sys.stderr)
    summary.documents = sum(1 for r in results if r.document)
    summary.failed = [r.source for r in results if not r.document] + [e.source_file
                                                                        for e in errors]
    summary.cached = sum(r.cached for r in results if r.document)
    summary.errors = errors + [e for r in results for e in r.errors]
    summary.corrections = report
    return summary


def run_manifest(paths: list[str | Path], inputs: list[tuple[Location, str]],
                 results: list[DocResult],
                 corrections_dir: Path | None) -> dict:
    """What a dataset was made from: the files and folders named (a re-run names them
    again, so every source keeps its name), each input (absolute path, source name,
    doc_id or null when it failed), the pipeline's version and code fingerprint, the
    settings, the time."""
    done = {r.source: r for r in results}
    return {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pipeline_version": __version__, "code": Cache(None).code,
        "settings": dataclasses.asdict(SETTINGS),
        "corrections": str(corrections_dir.resolve()) if corrections_dir else None,
        "arguments": [p if is_url(p) else str(Path(p).resolve()) for p in map(str, paths)],
        "inputs": [{"path": str(location), "source_file": source,
                    "doc_id": done[source].doc_id if source in done and done[source].document
                    else None} for location, source in inputs],
    }
