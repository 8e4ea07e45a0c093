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


def build_table(page: int, cells: CellBoxes, lines: list[Line],
                row_bboxes: list[BBox] | None = None,
                clean: Callable[[str], str] = squash) -> Table:
    """The table whose cells are `cells`, filled with the words of `lines` (a word
    outside every cell is no part of the table). clean: what a finder does to a cell's
    text once its words are in (OCR specks, say)."""
    owners = [(i, j, box) for i, row in enumerate(cells) for j, box in enumerate(row) if box]
    found: dict[tuple[int, int], list] = {}
    for line in lines:
        top = line.bbox[1]
        for w in line.words:
            cx, cy = (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2
            at = next(((i, j) for i, j, (x0, y0, x1, y1) in owners
                       if x0 <= cx < x1 and y0 <= cy < y1), None)
            if at is not None:
                found.setdefault(at, []).append((round(top / 4), w.bbox[0], w.text, w.conf))
    rows: list[list[str | None]] = []
    confs: list[list[float | None]] = []
    for i, row in enumerate(cells):
        texts, scores = [], []
        for j, box in enumerate(row):
            words = sorted(found.get((i, j), []))
            conf = [c for *_, c in words if c is not None]
            scores.append(round(sum(conf) / len(conf), 1) if conf else None)
            texts.append(None if box is None else clean(" ".join(t for _, _, t, _ in words)))
        rows.append(texts)
        confs.append(scores)
    boxes = row_bboxes or [union([b for b in row if b]) for row in cells]
    has_conf = any(c is not None for row in confs for c in row)
    return Table(page, union(boxes), rows, boxes, confs if has_conf else [], cells)
