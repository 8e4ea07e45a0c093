"""Legacy Word files (.doc) -> one page of lines and tables, like a .docx (docx.py).

antiword (extractors/sources/antiword.py) gives each paragraph as one line and each
table row as "|cell|cell|" lines, a cell's further paragraphs on lines of their own
below it. Paragraphs become the page's lines; a run of table lines becomes a grid of
the table model, a line whose first cell is empty going on with the row above (a cell
that holds several paragraphs), and its lines stay in the text, side by side.
"""
from __future__ import annotations

from pathlib import Path

from extractors.model import Line, Page
from extractors.sources import antiword
from extractors.sources.docx import NO_BOX, text_line
from extractors.tables.model import Table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # the container of Word 97-2003 files


def _cells(line: str) -> list[str]:
    return [" ".join(c.split()) for c in line.strip().strip("|").split("|")]


def _grid(rows: list[list[str]]) -> list[list[str | None]]:
    """Table lines -> rows: a line with an empty first cell adds its cells' text to the
    row above."""
    width = max(len(r) for r in rows)
    grid: list[list[str | None]] = []
    for cells in rows:
        cells = cells + [""] * (width - len(cells))
        if grid and not cells[0]:
            grid[-1] = [" ".join(filter(None, (a, b))) for a, b in zip(grid[-1], cells)]
        else:
            grid.append(cells)
    return grid


def doc_pages(path: Path) -> list[Page]:
    lines: list[Line] = []
    tables: list[Table] = []
    run: list[list[str]] = []

    def close_table() -> None:
        if len(run) >= 2 and max(len(r) for r in run) >= 2:
            grid = _grid(run)
            tables.append(Table(1, NO_BOX, grid, [NO_BOX] * len(grid)))
        run.clear()

    for raw in antiword.doc_text(path).splitlines():
        text = raw.strip()
        if text.startswith("|") and text.endswith("|") and len(text) > 1:
            cells = _cells(text)
            run.append(cells)
            lines.append(text_line(" ".join(c for c in cells if c)))
            continue
        close_table()
        if text:
            lines.append(text_line(text))
    close_table()
    return [Page(1, 0.0, 0.0, "docx", lines, tables=tables)]
