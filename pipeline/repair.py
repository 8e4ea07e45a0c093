"""Step: repair the words of a whole document: legacy encodings to Unicode, then
diacritics restored where a page lost them.

Runs once per document on all its pages together, so the restorer learns the
document's own usage from every page (a plan says 'hộ nghèo' on each of them) and the
result is the same however the pages were batched for reading. Table cells are
repaired with the words of their page, so a table read from a TCVN3 text layer or an
English-model OCR layer gets the same Unicode, accented text as the lines around it.

Decided per page, so a PDF whose appendix was pasted from an English-model OCR is
repaired there and nowhere else. Words keep their boxes: repair rewrites word tokens
in place and never merges them; a token the restorer split in two ('Tilé' -> 'Tỉ lệ',
a space OCR lost) stays one word with the two syllables, under its box.
"""
from __future__ import annotations

from rapidfuzz import fuzz

from extractors.model import Document, Line, Page, Word
from normalizers.text import fold
from normalizers.restorer.legacy_encodings import detect_and_convert
from normalizers.restorer.restore import default_restorer, detect_mode


def _cells(page: Page) -> list[tuple[int, int, int]]:
    """(table, row, column) of every cell of the page's tables that holds text."""
    return [(t, i, j) for t, table in enumerate(page.tables)
            for i, row in enumerate(table.rows) for j, cell in enumerate(row) if cell]


def page_units(page: Page) -> str:
    """The page's lines, then its table cells, one per line: the text a repair reads."""
    cells = [page.tables[t].rows[i][j].replace("\n", " ") for t, i, j in _cells(page)]
    return "\n".join([line.text for line in page.lines] + cells)


def rewrite_page(page: Page, repaired: str) -> None:
    """Put back what page_units gave, repaired: lines word by word, cells whole. A unit
    whose words cannot be lined up with the old ones keeps its old text."""
    units, cells = repaired.split("\n"), _cells(page)
    n = len(page.lines)
    if len(units) != n + len(cells):
        return
    page.lines = [_rewrite_line(ln, new) for ln, new in zip(page.lines, units[:n])]
    for (t, i, j), new in zip(cells, units[n:]):
        row = page.tables[t].rows[i]
        if word_for_word(row[j].split(" "), new) is not None:
            row[j] = new


def word_for_word(old: list[str], new_text: str) -> list[str] | None:
    """The repaired text of each old word: one part each, or the parts a word was split
    into joined ('Tilé' -> 'Tỉ lệ'), chosen so each old word's letters are most like
    its parts'; None where the repair has fewer words than there were."""
    parts = new_text.split(" ")
    n, m = len(old), len(parts)
    if m == n:
        return parts
    if m < n:
        return None
    # best[i][j]: the best line-up of old[:i] with parts[:j]; each word takes 1-3 parts
    best = [[-1.0] * (m + 1) for _ in range(n + 1)]
    take = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(1, n + 1):
        word = fold(old[i - 1])
        for j in range(i, m + 1):
            for t in range(1, min(3, j - i + 1) + 1):
                if best[i - 1][j - t] < 0:
                    continue
                s = best[i - 1][j - t] + fuzz.ratio(word, fold("".join(parts[j - t:j])))
                if s > best[i][j]:
                    best[i][j], take[i][j] = s, t
    if best[n][m] < 0:
        return None
    out, j = [], m
    for i in range(n, 0, -1):
        t = take[i][j]
        out.append(" ".join(parts[j - t:j]))
        j -= t
    return out[::-1]


def _rewrite_line(line: Line, new_text: str) -> Line:
    parts = word_for_word([w.text for w in line.words], new_text)
    if parts is None:
        return line
    return Line([Word(t, w.bbox, w.conf) for t, w in zip(parts, line.words)])


def convert_encoding(page: Page) -> None:
    """A text layer in TCVN3, VNI or VISCII rewritten in Unicode, tables included."""
    if page.kind == "scanned":
        return
    converted, encoding = detect_and_convert(page_units(page))
    if encoding:
        page.encoding = encoding
        rewrite_page(page, converted)


def repair_document(doc: Document) -> Document:
    """Legacy encodings converted, then the pages that lost their marks restored
    together, one call per kind of damage (stripped, garbled), in place."""
    by_mode: dict[str, list[Page]] = {}
    for page in doc.pages:
        convert_encoding(page)
        mode = detect_mode(page.text)
        if mode != "none":
            by_mode.setdefault(mode, []).append(page)
    for mode, pages in by_mode.items():
        results = default_restorer().restore_many([page_units(p) for p in pages], mode)
        for page, result in zip(pages, results):
            rewrite_page(page, result.text)
            page.restored = mode
            page.restore_confidence = result.confidence
    return doc
