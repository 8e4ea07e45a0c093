"""The table model: a plain grid of cell texts, whatever found it.

A grid cell is a string, or None where a merged cell covers it (the value lives in
the cell above or to the left); `row_bboxes` keeps each row's box in PDF points so
rows extracted from a table keep their provenance. Finders (`pdf.ruled_tables`,
`scanned.py`, `borderless.py`) find cells; `grid.py` fills them with words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]
# What a table's first column holds on an item's row: 1, 3.1, IV, 2., A, b).
ROW_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Za-zĐđ])[.)]?$")


@dataclass
class Table:
    page: int
    bbox: BBox
    rows: list[list[str | None]]
    row_bboxes: list[BBox] = field(default_factory=list)
    # Mean OCR confidence (0..100) of each cell's words, same shape as rows; empty for a
    # text layer, None for a cell without words.
    cell_conf: list[list[float | None]] = field(default_factory=list)
    # Each cell's box in PDF points, same shape as rows: a merged cell's box covers its
    # span (None where it is covered); empty where the source has no geometry.
    cell_bboxes: list[list[BBox | None]] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(row, column, rows spanned, columns spanned) of every cell that holds a value:
        a cell spans the None cells right of it, then those below its columns."""
        out = []
        for i, row in enumerate(self.rows):
            for j, cell in enumerate(row):
                if cell is None:
                    continue
                width = 1
                while j + width < len(row) and row[j + width] is None:
                    width += 1
                height = 1
                while (i + height < len(self.rows)
                       and all(k < len(self.rows[i + height]) and self.rows[i + height][k] is None
                               for k in range(j, j + width))):
                    height += 1
                out.append((i, j, height, width))
        return out

