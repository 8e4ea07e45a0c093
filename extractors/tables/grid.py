"""Cells and words -> a table grid: the one builder behind every table finder.

A finder (pdfplumber's ruling lines for text layers, OpenCV's for page images, column
gutters for tables without rules) finds geometry only: the box of each cell, in PDF
points, with None where a merged cell covers the position (its box then spans the
positions it covers). This module puts the page's words into those cells, each word in
the cell that holds its centre, in reading order, and returns the Table with each
cell's text, OCR confidence and box.
"""
from __future__ import annotations

from collections.abc import Callable

from normalizers.text import squash

from extractors.model import BBox, Line, union
from extractors.tables.model import Table

CellBoxes = list[list[BBox | None]]


def _reading_order(words: list) -> list[tuple[int, float, str, float | None]]:
    """(line, x, text, confidence) of a cell's words, line by line, left to right: a
    word joins the line whose middle its own middle is near, so a dash or a comma that
    OCR boxes lower than the letters ("2026 - 2027") stays where it stands."""
    lines: list[list] = []
    for w in sorted(words, key=lambda w: (w.bbox[1] + w.bbox[3]) / 2):
        cy, h = (w.bbox[1] + w.bbox[3]) / 2, max(w.bbox[3] - w.bbox[1], 1.0)
        if lines and abs(cy - lines[-1][0]) < 0.5 * max(h, lines[-1][1]):
            lines[-1][2].append(w)
        else:
            lines.append([cy, h, [w]])
    return [(k, w.bbox[0], w.text, w.conf) for k, (_, _, ws) in enumerate(lines)
            for w in sorted(ws, key=lambda w: w.bbox[0])]


def build_table(page: int, cells: CellBoxes, lines: list[Line],
                row_bboxes: list[BBox] | None = None,
                clean: Callable[[str], str] = squash) -> Table:
    """The table whose cells are `cells`, filled with the words of `lines` (a word
    outside every cell is no part of the table). clean: what a finder does to a cell's
    text once its words are in (OCR specks, say)."""
    owners = [(i, j, box) for i, row in enumerate(cells) for j, box in enumerate(row) if box]
    found: dict[tuple[int, int], list] = {}
    for line in lines:
        for w in line.words:
            cx, cy = (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2
            at = next(((i, j) for i, j, (x0, y0, x1, y1) in owners
                       if x0 <= cx < x1 and y0 <= cy < y1), None)
            if at is not None:
                found.setdefault(at, []).append(w)
    rows: list[list[str | None]] = []
    confs: list[list[float | None]] = []
    for i, row in enumerate(cells):
        texts, scores = [], []
        for j, box in enumerate(row):
            words = _reading_order(found.get((i, j), []))
            conf = [c for *_, c in words if c is not None]
            scores.append(round(sum(conf) / len(conf), 1) if conf else None)
            texts.append(None if box is None else clean(" ".join(t for _, _, t, _ in words)))
        rows.append(texts)
        confs.append(scores)
    boxes = row_bboxes or [union([b for b in row if b]) for row in cells]
    has_conf = any(c is not None for row in confs for c in row)
    return Table(page, union(boxes), rows, boxes, confs if has_conf else [], cells)
