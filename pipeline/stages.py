"""The stages as plain functions, in the order a run schedules them as jobs:
plan_document (what the file is, how many pages), read_pages (a batch of pages: text
layer or OCR, tables, encodings, diacritics; cached), finish_document (metadata,
references, indicators, targets, tasks over the whole document)."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import InputError, NotVietnamese
from extractors.ingest import count_pages, ingest, require_text, sha256_file
from extractors.model import Document, Page
from extractors.text_tables import text_tables

from normalizers.language import is_vietnamese, vietnamese_share

from .cache import Cache
from .duties import duty_rows
from .grids import tables_text
from .metadata import extract_metadata
from .references import document_references
from .restoration import restore_document
from .structure import document_structure

# Pages read by one job: small enough that two workers share one long scan evenly.
PAGES_PER_JOB = 2


@dataclass
class DocResult:
    source: str
    doc_id: str = ""
    document: dict | None = None
    references: list[dict] = field(default_factory=list)
    structure: dict[str, list[dict]] = field(default_factory=dict)
    text: str = ""
    errors: list[dict] = field(default_factory=list)
    cached: bool = False


def _unique(rows: list[dict]) -> list[dict]:
    """The same failure reported by several page batches is one error row."""
    return list({tuple(r.items()): r for r in rows}.values())


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def error_row(source: str, stage: str, message: str, page: int | None = None) -> dict:
    return {"source_file": source, "page": page, "stage": stage,
            "error": " ".join(str(message).split())}


@dataclass
class Plan:
    """What a file is, decided before any page is read: the work is split into page batches."""
    path: Path
    source: str
    sha256: str = ""
    kind: str = ""
    pages: int = 0
    error: dict | None = None

    def batches(self, size: int = PAGES_PER_JOB) -> list[range]:
        if self.kind == "text":
            return [range(1, 2)]
        return [range(a, min(a + size, self.pages + 1)) for a in range(1, self.pages + 1, size)]


@dataclass
class PageBatch:
    pages: list[Page] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    cached: bool = False


def plan_document(path: Path, source: str) -> Plan:
    plan = Plan(path, source)
    try:
        plan.kind, plan.pages = count_pages(path)
        plan.sha256 = sha256_file(path)
    except InputError as exc:
        plan.error = error_row(source, exc.stage, exc.message)
    return plan


def read_pages(plan: Plan, pages: range, cache_dir: Path | None, lang: str) -> PageBatch:
    """OCR or text layer, tables, encodings and diacritics for a batch of pages (cached)."""
    cache = Cache(cache_dir)
    key = cache.key(plan.sha256, lang, f"{pages.start}-{pages.stop - 1}")
    cached = cache.get(key)
    if cached is not None:
        return PageBatch(cached.pages, cached=True)
    batch = PageBatch()
    try:
        result = ingest(plan.path, plan.source, lang=lang, pages=pages,
                        sha256=plan.sha256)
    except InputError as exc:
        batch.errors.append(error_row(plan.source, exc.stage, exc.message))
        return batch
    restore_document(result.document)
    for page in result.document.pages:
        if page.kind == "text":         # tables are read once the words are Vietnamese
            page.tables = text_tables(page)
    batch.pages = result.document.pages
    batch.errors = [error_row(plan.source, e.stage, e.message, e.page) for e in result.page_errors]
    if not batch.errors:
        cache.put(key, result.document)
    return batch


def document_row(doc: Document, doc_id: str) -> tuple[dict, str]:
    meta = extract_metadata(doc)
    confs = [p.mean_conf for p in doc.pages if p.mean_conf is not None]
    return {
        "doc_id": doc_id, "source_file": doc.source, "doc_number": meta.doc_number,
        "doc_type": meta.doc_type, "issuer": meta.issuer, "place": meta.place,
        "province": meta.province,
        "issue_date": meta.issue_date, "title": meta.title, "signer": meta.signer,
        "signer_title": meta.signer_title, "page_count": len(doc.pages),
        "input_kind": doc.kind, "restored": doc.restored,
        "ocr_confidence": round(sum(confs) / len(confs) / 100, 4) if confs else None,
        "sha256": doc.sha256,
    }, meta.doc_number


def require_vietnamese(doc: Document) -> None:
    share, words = vietnamese_share(doc.text)
    if not is_vietnamese(share, words):
        raise NotVietnamese(f"text is not Vietnamese (only {share:.0%} of its {words} words are "
                            "Vietnamese syllables); this pipeline reads Vietnamese plans: remove "
                            "the file, or re-OCR it if the scan was read with the wrong language")


def finish_document(plan: Plan, batches: list[PageBatch]) -> DocResult:
    """Document-level stages over the pages of every batch; failures become error rows."""
    res = DocResult(plan.source, doc_id=doc_id_for(plan.sha256),
                    errors=_unique([e for b in batches for e in b.errors]),
                    cached=bool(batches) and all(b.cached for b in batches))
    doc = Document(source=plan.source, sha256=plan.sha256,
                   pages=sorted((p for b in batches for p in b.pages), key=lambda p: p.number))
    stage = "ocr"
    try:
        if any(e["page"] is None for e in res.errors):
            return res          # the file itself failed; its error row says why
        require_text(doc)
        stage = "language"
        require_vietnamese(doc)
        stage = "metadata"
        res.document, number = document_row(doc, res.doc_id)
        stage = "references"
        res.references = [{"doc_id": res.doc_id, **r} for r in document_references(doc, number)]
        stage = "structure"
        res.structure = document_structure(doc, res.doc_id)
        res.structure["duties"] = duty_rows(doc, res.doc_id)
        tables = tables_text(doc)       # cells in reading order, nothing lost
        res.text = f"{doc.text}\n\n{tables}" if tables else doc.text
    except InputError as exc:
        res.errors.append(error_row(plan.source, exc.stage, exc.message))
    except MemoryError:
        res.errors.append(error_row(plan.source, stage, "out of memory; split the file or "
                                    "raise --max-memory"))
    except Exception as exc:  # a bug must cost one document, not the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        res.errors.append(error_row(plan.source, stage, f"internal error {type(exc).__name__}: "
                                    f"{exc} (at {Path(where.filename).name}:{where.lineno}); "
                                    "please report it with the file"))
    return res
