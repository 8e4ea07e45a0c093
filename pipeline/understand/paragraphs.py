"""Lines -> paragraphs, from the geometry of a page (or blank lines of a text page).

A new paragraph starts where the gap to the previous line is clearly larger than
the page's usual line pitch, where a line is indented against a flush-left one, or where
a line opens a list item ("II.", "3.", "2.1.", "a)", "-", "+", "•"): single-spaced Word
exports and scans show no gap at all between a heading, a numbered agency and its items.
Plain text without blank lines also breaks after a line that ends a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extractors.model import BBox, Document, Line, Page, union
from pipeline.settings import SETTINGS


ITEM_START = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-–+•])\s+\S")


@dataclass
class Paragraph:
    page: int
    lines: list[Line]
    index: int = 0          # a Word paragraph's or sheet row's place on its page, from 1

    @property
    def locator(self) -> str:
        return f"paragraph {self.index}" if self.index else ""

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def bbox(self) -> BBox:
        return union([line.bbox for line in self.lines])


def _sentence_ends(prev: Line, line: Line) -> bool:
    """In text without blank lines or geometry, a line that ends a sentence ("...
    thực hiện.", "Nơi nhận:") followed by one that opens with a capital starts anew."""
    return prev.text.rstrip()[-1:] in ".:;!?" and line.text[:1].isupper()


def _centre(line: Line) -> float:
    return (line.bbox[1] + line.bbox[3]) / 2


def page_paragraphs(page: Page) -> list[Paragraph]:
    if page.kind in ("docx", "xlsx"):   # a Word paragraph, a sheet's row: a line of the page
        return [Paragraph(page.number, [line], i) for i, line in enumerate(page.lines, 1)
                if line.words]
    if page.kind == "text":
        paras, cur = [], []
        for line in page.lines:
            if line.words and cur and (ITEM_START.match(line.text) or _sentence_ends(cur[-1], line)):
                paras.append(Paragraph(page.number, cur))
                cur = [line]
            elif line.words:
                cur.append(line)
            elif cur:
                paras.append(Paragraph(page.number, cur))
                cur = []
        if cur:
            paras.append(Paragraph(page.number, cur))
        return paras
    lines = [ln for ln in page.lines if ln.words]
    if not lines:
        return []
    pitches = [_centre(b) - _centre(a) for a, b in zip(lines, lines[1:]) if _centre(b) > _centre(a)]
    pitch = median(pitches) if pitches else 0.0
    left = min(ln.bbox[0] for ln in lines)
    paras = [Paragraph(page.number, [lines[0]])]
    for prev, line in zip(lines, lines[1:]):
        gap = _centre(line) - _centre(prev)
        indented = line.bbox[0] - left > SETTINGS.paragraph_indent and prev.bbox[0] - left < 4
        if gap > SETTINGS.paragraph_gap * pitch or gap < 0 or indented \
                or ITEM_START.match(line.text):
            paras.append(Paragraph(page.number, [line]))
        else:
            paras[-1].lines.append(line)
    return paras


def document_paragraphs(doc: Document) -> list[Paragraph]:
    return [p for page in doc.pages for p in page_paragraphs(page)]
