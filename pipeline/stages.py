"""The per-document stages as plain functions: ingest and restoration (cached), metadata,
references."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import InputError
from extractors.ingest import PageCallback, ingest, sha256_file, sniff
from extractors.model import Document

from .cache import Cache
from .metadata import extract_metadata
from .references import document_references
from .restoration import restore_document
from .structure import document_structure


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


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def error_row(source: str, stage: str, message: str, page: int | None = None) -> dict:
    return {"source_file": source, "page": page, "stage": stage,
            "error": " ".join(str(message).split())}


def load_document(path: Path, source: str, cache: Cache, lang: str,
                  on_page: PageCallback | None) -> tuple[Document, list[dict], bool]:
    sniff(path)    # fail fast with a clear message before hashing a bad file
    key = cache.key(sha256_file(path), lang)
    doc = cache.get(key)
    if doc is not None:
        doc.source = source
        return doc, [], True
    result = ingest(path, source, on_page=on_page, lang=lang)
    restore_document(result.document)
    page_errors = [error_row(source, e.stage, e.message, e.page) for e in result.page_errors]
    if not page_errors:
        cache.put(key, result.document)
    return result.document, page_errors, False


def document_row(doc: Document, doc_id: str) -> tuple[dict, str]:
    meta = extract_metadata(doc)
    confs = [p.mean_conf for p in doc.pages if p.mean_conf is not None]
    return {
        "doc_id": doc_id, "source_file": doc.source, "doc_number": meta.doc_number,
        "doc_type": meta.doc_type, "issuer": meta.issuer, "place": meta.place,
        "issue_date": meta.issue_date, "title": meta.title, "signer": meta.signer,
        "signer_title": meta.signer_title, "page_count": len(doc.pages),
        "input_kind": doc.kind, "restored": doc.restored,
        "ocr_confidence": round(sum(confs) / len(confs) / 100, 4) if confs else None,
        "sha256": doc.sha256,
    }, meta.doc_number


def process_document(path: Path, source: str, cache_dir: Path | None, lang: str = "vie",
                     on_page: PageCallback | None = None) -> DocResult:
    """All stages for one file; failures become error rows, never exceptions."""
    res = DocResult(source)
    stage = "ingest"
    try:
        doc, res.errors, res.cached = load_document(path, source, Cache(cache_dir), lang, on_page)
        res.doc_id = doc_id_for(doc.sha256)
        stage = "metadata"
        res.document, number = document_row(doc, res.doc_id)
        stage = "references"
        res.references = [{"doc_id": res.doc_id, **r} for r in document_references(doc, number)]
        stage = "structure"
        res.structure = document_structure(doc, res.doc_id)
        res.text = doc.text
    except InputError as exc:
        res.errors.append(error_row(source, exc.stage, exc.message))
    except MemoryError:
        res.errors.append(error_row(source, stage, "out of memory; split the file or raise the "
                                    "memory limit"))
    except Exception as exc:  # a bug must cost one document, not the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        res.errors.append(error_row(source, stage, f"internal error {type(exc).__name__}: {exc} "
                                    f"(at {Path(where.filename).name}:{where.lineno}); "
                                    "please report it with the file"))
    return res
