"""Stage: legacy encodings to Unicode, then diacritics restored where a page lost them.

Runs per page, so a PDF whose appendix was pasted from an English-model OCR is repaired
there and nowhere else. Words keep their boxes: restoration rewrites word tokens in
place and never merges or splits them.
"""
from __future__ import annotations

from extractors.model import Document, Line, Page, Word
from normalizers.legacy_encodings import detect_and_convert
from normalizers.restore import default_restorer, detect_mode


def _rewrite_line(line: Line, new_text: str) -> Line:
    parts = new_text.split(" ")
    if len(parts) != len(line.words):
        return line
    return Line([Word(t, w.bbox, w.conf) for t, w in zip(parts, line.words)])


def restore_page(page: Page) -> Page:
    """Convert legacy encodings and restore diacritics on one page, in place."""
    if page.kind != "scanned":
        converted, encoding = detect_and_convert(page.text)
        if encoding:
            page.encoding = encoding
            page.lines = [_rewrite_line(ln, new) for ln, new in
                          zip(page.lines, converted.split("\n"))]
    mode = detect_mode(page.text)
    if mode == "none":
        return page
    result = default_restorer().restore(page.text, mode)
    page.lines = [_rewrite_line(ln, new) for ln, new in zip(page.lines, result.text.split("\n"))]
    page.restored = mode
    page.restore_confidence = result.confidence
    return page


def restore_document(doc: Document) -> Document:
    for page in doc.pages:
        restore_page(page)
    return doc
