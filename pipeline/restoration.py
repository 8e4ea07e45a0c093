"""Stage: legacy encodings to Unicode, then diacritics restored where a page lost them.

Decided per page, so a PDF whose appendix was pasted from an English-model OCR is
repaired there and nowhere else. Words keep their boxes: restoration rewrites word
tokens in place and never merges or splits them.
"""
from __future__ import annotations

from extractors.model import Document, Line, Page, Word
from normalizers.legacy_encodings import detect_and_convert
from normalizers.restore import default_restorer, detect_mode


def _rewrite_page(page: Page, new_text: str) -> None:
    page.lines = [_rewrite_line(ln, new) for ln, new in zip(page.lines, new_text.split("\n"))]


def _rewrite_line(line: Line, new_text: str) -> Line:
    parts = new_text.split(" ")
    if len(parts) != len(line.words):
        return line
    return Line([Word(t, w.bbox, w.conf) for t, w in zip(parts, line.words)])


def convert_encoding(page: Page) -> None:
    """A text layer in TCVN3, VNI or VISCII rewritten in Unicode, in place."""
    if page.kind == "scanned":
        return
    converted, encoding = detect_and_convert(page.text)
    if encoding:
        page.encoding = encoding
        _rewrite_page(page, converted)


def restore_document(doc: Document) -> Document:
    """Legacy encodings converted, then the pages that lost their marks restored
    together (those of one batch), one call per kind of damage, so the restorer learns
    the document's own usage from all of them (a plan says 'hộ nghèo' on every page)."""
    by_mode: dict[str, list[Page]] = {}
    for page in doc.pages:
        convert_encoding(page)
        mode = detect_mode(page.text)
        if mode != "none":
            by_mode.setdefault(mode, []).append(page)
    for mode, pages in by_mode.items():
        results = default_restorer().restore_many([p.text for p in pages], mode)
        for page, result in zip(pages, results):
            _rewrite_page(page, result.text)
            page.restored = mode
            page.restore_confidence = result.confidence
    return doc
