"""Tables without ruling lines, found by the alignment of their words.

A row of such a table is a line of words with wide gaps between them (column gutters);
three or more such lines close together, whose text leaves the same vertical strips of
the page empty, are a table. Its columns are the x-ranges the words of those lines
cover (left-, centre- and right-aligned cells alike); a line whose first column is
empty goes on with the row above (a cell that wraps). Works on text-layer words and on
OCR words alike: both are boxes in points.
"""
from __future__ import annotations

from statistics import median

from pipeline.settings import SETTINGS

from extractors.tables.grid import build_table
from extractors.model import BBox, Line, Word, union
from extractors.tables.model import ROW_NUMBER, Table


Segment = tuple[float, float, str]     # x0, x1, text


def _visual_lines(lines: list[Line]) -> list[list[Word]]:
    """Words regrouped by height on the page: OCR puts the cells of one row in separate
    blocks, and a text layer may too."""
    words = sorted((w for line in lines for w in line.words),
                   key=lambda w: (w.bbox[1] + w.bbox[3]) / 2)
    rows: list[list[Word]] = []
    for w in words:
        cy, h = (w.bbox[1] + w.bbox[3]) / 2, w.bbox[3] - w.bbox[1]
        if rows:
            last = rows[-1]
            ly = median((x.bbox[1] + x.bbox[3]) / 2 for x in last)
            if abs(cy - ly) < max(h, 1.0) * 0.5:
                last.append(w)
                continue
        rows.append([w])
    return [sorted(r, key=lambda w: w.bbox[0]) for r in rows]


def _segments(words: list[Word]) -> list[Segment]:
    out: list[list] = []
    for w in words:
        if out and w.bbox[0] - out[-1][1] <= SETTINGS.cell_gap:
            out[-1][1] = max(out[-1][1], w.bbox[2])
            out[-1][2] += " " + w.text
        else:
            out.append([w.bbox[0], w.bbox[2], w.text])
    return [tuple(s) for s in out]


def _columns(segments: list[Segment]) -> list[tuple[float, float]]:
    """The x-ranges covered by the segments, merged where they overlap or nearly touch."""
    spans = sorted((s[0], s[1]) for s in segments)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 - cols[-1][1] <= SETTINGS.cell_gap:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [tuple(c) for c in cols]


def _regions(lines: list[list[Word]], segs: list[list[Segment]]) -> list[tuple[int, int]]:
    """(first, last) line index of each run of three or more multi-cell lines close
    together; single-cell lines between them belong to the run (wrapped cells)."""
    heights = [median(w.bbox[3] - w.bbox[1] for w in ln) for ln in lines]
    pitch = median(heights) if heights else 10.0
    cells = [i for i, line in enumerate(segs) if len(line) >= SETTINGS.min_columns]
    runs: list[list[int]] = []
    for i in cells:
        top = lines[i][0].bbox[1]
        if runs:
            prev = lines[runs[-1][-1]]
            if top - max(w.bbox[3] for w in prev) <= SETTINGS.row_spacing * pitch:
                runs[-1].append(i)
                continue
        runs.append([i])
    return [(r[0], r[-1]) for r in runs if len(r) >= SETTINGS.min_rows]


def _wrapped_tail(lines: list[list[Word]], segs: list[list[Segment]], first: int,
                  last: int) -> int:
    """The last line of a table whose last row wraps: lines after it that go on a cell
    (lower case first), each piece inside one column, go with it ("... theo chuẩn nghèo
    đa" / "chiều")."""
    cols = _columns([s for line in segs[first:last + 1] for s in line])
    while last + 1 < len(lines):
        after = segs[last + 1]
        gap = lines[last + 1][0].bbox[1] - max(w.bbox[3] for w in lines[last])
        inside = all(any(c[0] - 2 <= x0 and x1 <= c[1] + 2 for c in cols) for x0, x1, _ in after)
        goes_on = after[0][2][:1].islower()
        if not (inside and goes_on) or gap > lines[last][0].bbox[3] - lines[last][0].bbox[1]:
            break
        last += 1
    return last


def _rows(placed: list[tuple[list[str], BBox]]) -> tuple[list[BBox], list[str]]:
    """The box of each row and its first cell: in a numbered table a row starts where
    its number stands, else where a cell starts a sentence; other lines go on the row
    above (a cell that wraps)."""
    numbered = sum(bool(ROW_NUMBER.match(c[0])) for c, _ in placed) * 3 >= len(placed)
    boxes: list[BBox] = []
    firsts: list[str] = []
    for cells, box in placed:
        if numbered:
            starts_row = bool(cells[0])
        else:
            first = next((c for c in cells if c), "")
            starts_row = first[:1].isupper() or first[:1].isdigit()
        if boxes and not starts_row:
            boxes[-1] = union([boxes[-1], box])
            firsts[-1] = f"{firsts[-1]} {cells[0]}".strip()
        else:
            boxes.append(box)
            firsts.append(cells[0])
    return boxes, firsts


def _apart(boxes: list[BBox]) -> list[BBox]:
    """Row boxes that overlap (a tall mark of one line reaching the next) cut at the
    middle of the overlap, so that each word falls in one row."""
    out = [list(b) for b in boxes]
    for upper, lower in zip(out, out[1:]):
        if upper[3] > lower[1]:
            upper[3] = lower[1] = (upper[3] + lower[1]) / 2
    return [tuple(b) for b in out]


def _table(lines: list[list[Word]], segs: list[list[Segment]], number: int) -> Table | None:
    cols = _columns([s for line in segs for s in line])
    if len(cols) < SETTINGS.min_columns:
        return None
    placed = []
    for line, words in zip(segs, lines):
        cells = [""] * len(cols)
        for x0, x1, text in line:
            centre = (x0 + x1) / 2
            j = min(range(len(cols)), key=lambda k: 0 if cols[k][0] <= centre <= cols[k][1]
                    else min(abs(centre - cols[k][0]), abs(centre - cols[k][1])))
            cells[j] = f"{cells[j]} {text}".strip()
        placed.append((cells, union([w.bbox for w in words])))
    boxes, firsts = _rows(placed)
    head = next((i for i, first in enumerate(firsts) if ROW_NUMBER.match(first)), 1)
    if head > 1:                      # a header over several lines: one row of names
        boxes[:head] = [union(boxes[:head])]
    if len(boxes) < SETTINGS.min_rows - 1:
        return None
    boxes = [tuple(round(v, 1) for v in b) for b in _apart(boxes)]
    cells = [[(round(c[0], 1), b[1], round(c[1], 1) + 0.1, b[3]) for c in cols] for b in boxes]
    return build_table(number, cells, [Line(words) for words in lines], boxes)


def borderless_tables(lines: list[Line], number: int) -> list[Table]:
    """Tables of a page that has no ruled ones, from the alignment of its words."""
    visual = _visual_lines(lines)
    tables = []
    segs = [_segments(line) for line in visual]
    for first, last in _regions(visual, segs):
        last = _wrapped_tail(visual, segs, first, last)
        table = _table(visual[first:last + 1], segs[first:last + 1], number)
        if table is not None:
            tables.append(table)
    return tables
