"""One extraction run: collect inputs, process each document, write the dataset."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import corrections, executor
from .output import atomic_write, write_datapackage, write_table
from .schema import TABLES
from normalizers.agencies import agency_row

from .stages import DocResult, error_row, process_document

SKIP_NAMES = ("readme",)


def collect_inputs(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[dict]]:
    """Files to process as (path, source name relative to its input folder), and error
    rows for arguments that do not exist."""
    found: list[tuple[Path, str]] = []
    errors: list[dict] = []
    for arg in paths:
        if arg.is_file():
            found.append((arg, arg.name))
        elif arg.is_dir():
            for f in sorted(arg.rglob("*")):
                rel = f.relative_to(arg)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                if f.stem.lower().startswith(SKIP_NAMES):
                    continue
                found.append((f, rel.as_posix()))
        else:
            errors.append(error_row(str(arg), "input", "no such file or folder; check the path"))
    return found, errors


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    cached: int = 0
    errors: list[dict] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)


def extract(paths: list[Path], out: Path, workers: int = 1, cache_dir: Path | None = None,
            lang: str = "vie", excel: bool = False, progress: bool = True,
            corrections_dir: Path | None = None) -> RunSummary:
    inputs, errors = collect_inputs(paths)
    summary = RunSummary(errors=errors)
    results: list[DocResult] = []
    jobs = [(path, source, cache_dir, lang) for path, source in inputs]
    doc_bar = tqdm(total=len(jobs), desc="documents", unit="doc", disable=not progress,
                   position=0, file=sys.stderr)
    page_bar = tqdm(desc="pages", unit="page", disable=not progress, position=1,
                    file=sys.stderr)
    seen_pages: dict[str, int] = {}

    def on_page(name: str, n: int, total: int) -> None:
        if name not in seen_pages:
            page_bar.total = (page_bar.total or 0) + total
        seen_pages[name] = n
        page_bar.update(1)

    for res in executor.run_all(process_document, jobs, workers, on_page):
        results.append(res)
        doc_bar.set_postfix_str(res.source[-30:])
        doc_bar.update(1)
        for err in res.errors:
            where = f" page {err['page']}" if err["page"] else ""
            tqdm.write(f"error: {err['source_file']}{where}: {err['error']}", file=sys.stderr)
    page_bar.close()
    doc_bar.close()
    for err in errors:
        print(f"error: {err['source_file']}: {err['error']}", file=sys.stderr)

    results.sort(key=lambda r: r.source)
    report = write_dataset(out, results, errors, excel, corrections_dir)
    for r in report:
        if r["status"] not in ("applied", "superseded"):
            print(f"correction {r['corrections_file']}:{r['line']} {r['status']}: {r['detail']}",
                  file=sys.stderr)
    summary.documents = sum(1 for r in results if r.document)
    summary.failed = [r.source for r in results if not r.document] + [e["source_file"]
                                                                        for e in errors]
    summary.cached = sum(r.cached for r in results)
    summary.errors = errors + [e for r in results for e in r.errors]
    summary.corrections = report
    return summary


def named_agencies(tables: dict[str, list[dict]]) -> list[dict]:
    """agencies.csv rows for every agency an issuer, indicator or task names."""
    names = [d.get("issuer") for d in tables["documents"]]
    for r in tables["indicators"] + tables["tasks"]:
        names += [r.get("lead_agency"), *(r.get("coordinating_agencies") or "").split(";")]
    return [agency_row(n) for n in dict.fromkeys(n for n in names if n)]


def write_dataset(out: Path, results: list[DocResult], input_errors: list[dict],
                  excel: bool = False, corrections_dir: Path | None = None) -> list[dict]:
    """Write every table, with reviewer corrections applied; returns the corrections report."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    tables["errors"] = list(input_errors)
    seen: set[str] = set()
    for res in results:
        tables["errors"] += res.errors
        if not res.document or res.doc_id in seen:
            continue
        seen.add(res.doc_id)
        tables["documents"].append(res.document)
        tables["references"] += res.references
        for name in ("indicators", "targets", "tasks"):
            tables[name] += res.structure.get(name, [])
        atomic_write(out / "text" / f"{res.doc_id}.txt", (res.text + "\n").encode("utf-8"))
    found = corrections.load(corrections_dir)
    # Rows first, then the agencies they name (a corrected lead agency joins the registry).
    report = corrections.apply(tables, found, only=set(TABLES) - {"agencies"})
    tables["agencies"] = named_agencies(tables)
    report += corrections.apply(tables, found, only={"agencies"})
    tables["corrections"] = report
    for name, rows in tables.items():
        write_table(out, name, rows, excel)
    write_datapackage(out)
    return report
