"""The recipe: one document from its file to its rows, step by step.

    sniff          what the file is and how many pages it has      (a job per file)
    read_pages     words and table geometry of a batch of pages:   (jobs, in parallel;
                   text layer or OCR, ruled and borderless tables   cached per batch)
    assemble       the batches back into one document, in page order
    repair         legacy encodings and lost diacritics, over the whole document,
                   lines and table cells alike (pipeline/repair.py; cached per document)
    text_tables    tables of plain-text pages, read from the repaired lines
    check          some text, and Vietnamese
    signatures     the digital signatures a PDF carries: who signed, when
    understand     metadata, references, indicators, targets, tasks, budget lines,
                   duties (pipeline/understand/structure.py and the modules it names)
    (write)        every document's rows, corrected, to the dataset (pipeline/runtime/run.py)

Each step is a plain function over plain objects (extractors/model.py), so the
scheduler (pipeline/runtime/run.py) and the executor (pipeline/runtime/executor.py) can change without
touching what is computed. Repair runs once on all the pages of a document: what comes
out does not depend on how its pages were batched for reading.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import InputError, NotVietnamese
from extractors.sources.ingest import (WHOLE_FILE_KINDS, count_pages, ingest, require_text,
                                       sha256_file)
from extractors.sources.pdf import digital_signatures
from extractors.model import Document, Page
from extractors.tables.text import text_tables

from normalizers.language import is_vietnamese, vietnamese_share
from normalizers.periods import heading_years, plan_years

from pipeline.runtime.cache import Cache
from pipeline.runtime.storage import Location, local_file
from pipeline.defaults import PAGES_PER_JOB
from pipeline.understand.duties import duty_rows
from pipeline.understand.grids import tables_text
from pipeline.understand.metadata import Metadata, extract_metadata
from pipeline.understand.references import document_references
from pipeline.repair import repair_document
from pipeline.output.schema import Row
from pipeline.understand.structure import document_structure

@dataclass
class JobPlan:
    """What a file is, decided before any page is read: its pages split into batches."""
    path: Location      # a path, or a URL
    source: str
    sha256: str = ""
    kind: str = ""
    pages: int = 0
    error: Row | None = None

    def batches(self, size: int = PAGES_PER_JOB) -> list[range]:
        if self.kind in WHOLE_FILE_KINDS:          # read whole, in one job
            return [range(1, 2)]
        return [range(a, min(a + size, self.pages + 1)) for a in range(1, self.pages + 1, size)]


@dataclass
class PageBatch:
    pages: list[Page] = field(default_factory=list)
    errors: list[Row] = field(default_factory=list)
    cached: bool = False


@dataclass
class DocResult:
    """Everything one document gives: its rows per output table, and its text."""
    source: str
    doc_id: str = ""
    document: Row | None = None
    rows: dict[str, list[Row]] = field(default_factory=dict)
    text: str = ""
    errors: list[Row] = field(default_factory=list)
    cached: bool = False


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def error_row(source: str, stage: str, message: str, page: int | None = None) -> Row:
    return Row.of("errors", source_file=source, page=page, stage=stage,
                  error=" ".join(str(message).split()))


# -- the steps, in order -------------------------------------------------------------

def sniff(location: Location, source: str, shipped: bytes | None = None) -> JobPlan:
    """Kind and page count, or the one-line error of a file that cannot be opened.
    `location` is a path or a URL; `shipped`, the file's bytes where the worker cannot
    see the path (pipeline/runtime/storage.py)."""
    plan = JobPlan(location, source)
    try:
        path = local_file(location, shipped, source)
        plan.kind, plan.pages = count_pages(path)
        plan.sha256 = sha256_file(path)
    except InputError as exc:
        plan.error = error_row(source, exc.stage, exc.message)
    except OSError as exc:
        plan.error = error_row(source, "input", f"cannot read {location} ({exc}); check that "
                               "every worker can reach it, or give a local file")
    return plan


def read_pages(plan: JobPlan, pages: range, cache_dir: Location | None, lang: str,
               shipped: bytes | None = None) -> PageBatch:
    """Words and table geometry of a batch of pages: text layer or OCR (cached)."""
    cache = Cache(cache_dir)
    key = cache.key(plan.sha256, lang, f"pages {pages.start}-{pages.stop - 1}")
    cached = cache.get(key)
    if cached is not None:
        return PageBatch(cached.pages, cached=True)
    batch = PageBatch()
    try:
        result = ingest(local_file(plan.path, shipped, plan.source), plan.source, lang=lang,
                        pages=pages, sha256=plan.sha256)
    except InputError as exc:
        batch.errors.append(error_row(plan.source, exc.stage, exc.message))
        return batch
    batch.pages = result.document.pages
    batch.errors = [error_row(plan.source, e.stage, e.message, e.page) for e in result.page_errors]
    if not batch.errors:
        cache.put(key, result.document)
    return batch


def assemble(plan: JobPlan, batches: list[PageBatch]) -> Document:
    return Document(source=plan.source, sha256=plan.sha256,
                    pages=sorted((p for b in batches for p in b.pages), key=lambda p: p.number))


def repair(doc: Document, cache_dir: Location | None, lang: str) -> Document:
    """Encodings and diacritics over the whole document, then the tables of text pages,
    which are read from repaired words (cached per document)."""
    cache = Cache(cache_dir)
    key = cache.key(doc.sha256, lang, f"repaired {len(doc.pages)} pages")
    cached = cache.get(key)
    if cached is not None:
        return Document(doc.source, doc.sha256, cached.pages)
    repair_document(doc)
    for page in doc.pages:
        if page.kind == "text":
            page.tables = text_tables(page)
    cache.put(key, doc)
    return doc


def check(doc: Document) -> None:
    """Raise the InputError of a document with no text, or not in Vietnamese."""
    require_text(doc)
    share, words = vietnamese_share(doc.text)
    if not is_vietnamese(share, words):
        raise NotVietnamese(f"text is not Vietnamese (only {share:.0%} of its {words} words are "
                            "Vietnamese syllables); this pipeline reads Vietnamese plans: remove "
                            "the file, or re-OCR it if the scan was read with the wrong language")


def signatures(plan: JobPlan, shipped: bytes | None = None) -> list[tuple[str, str]]:
    """(signer, time) of each digital signature of a PDF; none for other files."""
    if plan.kind != "pdf":
        return []
    return digital_signatures(local_file(plan.path, shipped, plan.source))


def document_row(doc: Document, doc_id: str, meta: Metadata,
                 signed: list[tuple[str, str]] = ()) -> Row:
    confs = [p.mean_conf for p in doc.pages if p.mean_conf is not None]
    times = sorted(t for _, t in signed if t)
    return Row.of(
        "documents", doc_id=doc_id, source_file=doc.source, doc_number=meta.doc_number,
        doc_type=meta.doc_type, issuer=meta.issuer, place=meta.place, province=meta.province,
        issue_date=meta.issue_date, issue_date_precision=meta.issue_date_precision,
        title=meta.title, signer=meta.signer,
        signer_title=meta.signer_title, page_count=len(doc.pages), input_kind=doc.kind,
        restored=doc.restored,
        ocr_confidence=round(sum(confs) / len(confs) / 100, 4) if confs else None,
        sha256=doc.sha256, pages_reread=sum(1 for p in doc.pages if p.layer_dropped),
        signed_by=";".join(dict.fromkeys(s for s, _ in signed if s)),
        signed_at=times[0] if times else "", header_flags=meta.header_flags)


def understand(doc: Document, res: DocResult, signed: list[tuple[str, str]] = ()) -> None:
    """Metadata, references, indicators, targets, tasks, budget lines and duties."""
    meta = extract_metadata(doc)
    res.document = document_row(doc, res.doc_id, meta, signed)
    res.rows["references"] = [Row.of("references", doc_id=res.doc_id, **r)
                              for r in document_references(doc, meta.doc_number)]
    years = plan_years(meta.title, meta.issue_date) or heading_years(doc)
    res.rows.update(document_structure(doc, res.doc_id, years))
    res.rows["duties"] = duty_rows(doc, res.doc_id)
    tables = tables_text(doc)       # cells in reading order, nothing lost
    res.text = f"{doc.text}\n\n{tables}" if tables else doc.text


def finish_document(plan: JobPlan, batches: list[PageBatch], cache_dir: Location | None = None,
                    lang: str = "vie", shipped: bytes | None = None) -> DocResult:
    """The steps after reading, over the pages of every batch; failures become error rows
    (a bug costs one document, never the run)."""
    res = DocResult(plan.source, doc_id=doc_id_for(plan.sha256),
                    errors=_unique([e for b in batches for e in b.errors]),
                    cached=bool(batches) and all(b.cached for b in batches))
    if any(e.page is None for e in res.errors):
        return res          # the file itself failed; its error row says why
    stage = "repair"
    try:
        doc = repair(assemble(plan, batches), cache_dir, lang)
        stage = "language"
        check(doc)
        stage = "structure"
        understand(doc, res, signatures(plan, shipped))
    except InputError as exc:
        res.errors.append(error_row(plan.source, exc.stage, exc.message))
    except MemoryError:
        res.errors.append(error_row(plan.source, stage, "out of memory; split the file or "
                                    "raise --max-memory"))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        res.errors.append(error_row(plan.source, stage, f"internal error {type(exc).__name__}: "
                                    f"{exc} (at {Path(where.filename).name}:{where.lineno}); "
                                    "please report it with the file"))
    return res


def _unique(rows: list[Row]) -> list[Row]:
    """The same failure reported by several page batches is one error row."""
    return list({tuple(r.as_dict().items()): r for r in rows}.values())
