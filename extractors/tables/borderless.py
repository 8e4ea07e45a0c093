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
    together; single-cell lines between them belong to the run (wrapped cells, a header
    name's second line, a group heading "II. LĨNH VỰC VĂN HÓA" across the table), and
    bridge the gap from one multi-cell line to the next."""
    heights = [median(w.bbox[3] - w.bbox[1] for w in ln) for ln in lines]
    pitch = median(heights) if heights else 10.0
    runs: list[list[int]] = []
    for i, line in enumerate(lines):
        if runs and line[0].bbox[1] - max(w.bbox[3] for w in lines[runs[-1][-1]]) \
                <= SETTINGS.row_spacing * pitch:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        multi = [i for i in run if len(segs[i]) >= SETTINGS.min_columns]
        if len(multi) >= SETTINGS.min_rows:
            out.append((multi[0], multi[-1]))
    return out


def _wrapped_tail(lines: list[list[Word]], segs: list[list[Segment]], first: int,
                  last: int) -> int:
    """The last line of a table whose last row wraps: lines after it that go on a cell
    (lower case first, or leaving the first column empty), each piece inside one
    column, go with it ("... theo chuẩn nghèo đa" / "chiều")."""
    cols = _columns([s for line in segs[first:last + 1] for s in line])
    while last + 1 < len(lines):
        after = segs[last + 1]
        gap = lines[last + 1][0].bbox[1] - max(w.bbox[3] for w in lines[last])
        inside = all(any(c[0] - 2 <= x0 and x1 <= c[1] + 2 for c in cols) for x0, x1, _ in after)
        # lower case first, or nothing in the first column (the row number's)
        goes_on = after[0][2][:1].islower() or after[0][0] > cols[0][1] + 2
        if not (inside and goes_on) or gap > lines[last][0].bbox[3] - lines[last][0].bbox[1]:
            break
        last += 1
    return last


def _rows(placed: list[tuple[list[str], BBox, bool]]) -> tuple[list[BBox], list[str], list[bool]]:
    """The box of each row, its first cell, and whether it is a group heading: in a
    numbered table a row starts where its number stands, else where a cell starts a
    sentence; a heading across the table is a row of its own; other lines go on the
    row above (a cell that wraps)."""
    # numbered: most first cells that hold anything are row numbers (rows that wrap over
    # several lines leave the first cell of their other lines empty)
    firsts_seen = [c[0] for c, _, group in placed if c[0] and not group]
    numbered = len(firsts_seen) >= 3 and \
        sum(bool(ROW_NUMBER.match(f)) for f in firsts_seen) * 2 >= len(firsts_seen)
    boxes: list[BBox] = []
    firsts: list[str] = []
    groups: list[bool] = []
    for cells, box, group in placed:
        if numbered:
            starts_row = bool(cells[0])
        else:
            first = next((c for c in cells if c), "")
            starts_row = first[:1].isupper() or first[:1].isdigit()
        if boxes and not starts_row and not group and not groups[-1]:
            boxes[-1] = union([boxes[-1], box])
            firsts[-1] = f"{firsts[-1]} {cells[0]}".strip()
        else:
            boxes.append(box)
            firsts.append(cells[0])
            groups.append(group)
    return boxes, firsts, groups


def _apart(boxes: list[BBox]) -> list[BBox]:
    """Row boxes that overlap (a tall mark of one line reaching the next) cut at the
    middle of the overlap, so that each word falls in one row."""
    out = [list(b) for b in boxes]
    for upper, lower in zip(out, out[1:]):
        if upper[3] > lower[1]:
            upper[3] = lower[1] = (upper[3] + lower[1]) / 2
    return [tuple(b) for b in out]


def _word_columns(lines: list[list[Word]]) -> list[tuple[float, float]]:
    """Columns as the x-ranges the words of numbered rows cover, parted where a strip
    at least SETTINGS.gutter wide is empty in every one of those rows: a narrow gutter
    that one full cell ("Bảo hiểm xã hội tỉnh" beside "1.200") leaves thinner than a
    cell gap is still a gutter when no row crosses it."""
    spans = sorted((w.bbox[0], w.bbox[2]) for line in lines for w in line)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 - cols[-1][1] < SETTINGS.gutter:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [tuple(c) for c in cols]


def _to_gutters(cols: list[tuple[float, float]], segments: list[Segment]) -> list[tuple[float, float]]:
    """Columns widened to the middle of the gutters between them (and to the table's
    edges), so that a header word wider than its column's cells still falls in it."""
    if not cols or not segments:
        return cols
    left, right = min(s[0] for s in segments), max(s[1] for s in segments)
    cuts = [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])]
    edges = [min(left, cols[0][0])] + cuts + [max(right, cols[-1][1])]
    return [(edges[k] + (0.5 if k else 0), edges[k + 1] - 0.5) for k in range(len(cols))]


def _table(lines: list[list[Word]], segs: list[list[Segment]], number: int) -> Table | None:
    # Columns from the lines of numbered rows where there are enough of them, else from
    # every line with several cells: a group heading across the table ("II. LĨNH VỰC VĂN
    # HÓA - XÃ HỘI") or a header title over several columns ("Kế hoạch giai đoạn 2026 -
    # 2028" over its years) would join the columns under it.
    multi = [k for k, line in enumerate(segs) if len(line) >= SETTINGS.min_columns]
    numbered = [k for k in multi if ROW_NUMBER.match(segs[k][0][2].split()[0])]
    if len(numbered) >= SETTINGS.min_rows:
        cols = _word_columns([lines[k] for k in numbered])
    else:
        cols = _columns([s for k in multi for s in segs[k]])
    cols = _to_gutters(cols, [s for line in segs for s in line])
    if len(cols) < SETTINGS.min_columns:
        return None
    placed = []
    for i, (line, words) in enumerate(zip(segs, lines)):
        cells = [""] * len(cols)
        covered = [k for k, c in enumerate(cols) if line and line[0][0] < c[1] and c[0] < line[0][1]]
        if len(line) == 1 and len(covered) >= 2 and covered[0] == 0 and i > 0:
            cells[0] = line[0][2]       # "II. LĨNH VỰC VĂN HÓA - XÃ HỘI" across the table
            placed.append((cells, union([w.bbox for w in words]), True))
            continue
        for x0, x1, text in line:
            centre = (x0 + x1) / 2
            j = min(range(len(cols)), key=lambda k: 0 if cols[k][0] <= centre <= cols[k][1]
                    else min(abs(centre - cols[k][0]), abs(centre - cols[k][1])))
            cells[j] = f"{cells[j]} {text}".strip()
        placed.append((cells, union([w.bbox for w in words]), False))
    boxes, firsts, groups = _rows(placed)
    head = next((i for i, (first, group) in enumerate(zip(firsts, groups))
                 if ROW_NUMBER.match(first) or (group and i > 0)), 1)
    if head > 1:                      # a header over several lines: one row of names
        boxes[:head] = [union(boxes[:head])]
        groups[:head] = [False]
    if len(boxes) < SETTINGS.min_rows - 1:
        return None
    boxes = [tuple(round(v, 1) for v in b) for b in _apart(boxes)]
    left, right = round(cols[0][0], 1), round(cols[-1][1], 1) + 0.1
    cells = [[(left, b[1], right, b[3])] + [None] * (len(cols) - 1) if group else
             [(round(c[0], 1), b[1], round(c[1], 1) + 0.1, b[3]) for c in cols]
             for b, group in zip(boxes, groups)]
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
