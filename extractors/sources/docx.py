"""Word files (.docx) -> one page of lines and tables, through python-docx.

A Word file has no pages and no geometry: its body, paragraphs and tables in document
order, becomes one page of lines (words without boxes), as a text file does, and each
table becomes a grid of the table model, merged cells (gridSpan across, vMerge down)
kept as None in the positions they cover, as every other finder keeps them. The
lines hold the tables' text too, a table row as the line(s) its cells make side by
side (the header table "ỦY BAN NHÂN DÂN | CỘNG HÒA ..." / "Số: .../KH-UBND | Lâm Đồng,
ngày ..." reads as it does in the PDF of the same plan). Footnotes are left out.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from extractors.errors import CorruptInput
from extractors.model import Line, Page, Word
from extractors.tables.model import Table

NO_BOX = (0.0, 0.0, 0.0, 0.0)


def has_zip_part(path: Path, part: str) -> bool:
    """Whether the file is a zip holding `part` (Office files are zips of XML parts)."""
    try:
        with zipfile.ZipFile(path) as z:
            return part in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def is_docx(path: Path) -> bool:
    """A zip with a word/document.xml part (a .docx, whatever its name says)."""
    return has_zip_part(path, "word/document.xml")


def text_line(text: str) -> Line:
    return Line([Word(w, NO_BOX) for w in text.split()])


def _grid(table) -> list[list[str | None]]:
    """Cell texts, None where a merged cell covers the position."""
    rows: list[list[str | None]] = []
    seen_above: list = []
    for i, row in enumerate(table.rows):
        cells = row.cells
        out: list[str | None] = []
        for j, cell in enumerate(cells):
            left = cells[j - 1]._tc if j > 0 else None
            above = seen_above[j] if i > 0 and j < len(seen_above) else None
            if cell._tc is left or cell._tc is above:
                out.append(None)
            else:
                out.append(" ".join(cell.text.split()))
        seen_above = [c._tc for c in cells]
        rows.append(out)
    return rows


def side_by_side(cells: list[list[str]]) -> list[str]:
    """A table row as the lines its cells make side by side: line k holds the k-th
    line (paragraph or line break) of every cell."""
    depth = max((len(c) for c in cells), default=0)
    return [" ".join(c[k] for c in cells if k < len(c)) for k in range(depth)]


def _row_lines(row) -> list[str]:
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append([part.strip() for p in cell.paragraphs for part in p.text.split("\n")
                          if part.strip()])      # a line break is a line too
    return side_by_side(cells)


def docx_pages(path: Path) -> list[Page]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise CorruptInput(f"Word file cannot be read ({type(exc).__name__}); open and save "
                           "it again in Word or LibreOffice") from None
    lines: list[Line] = []
    tables: list[Table] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines += [text_line(part) for part in Paragraph(child, document).text.split("\n")]
        elif tag == "tbl":
            table = DocxTable(child, document)
            for row in table.rows:
                lines += [text_line(t) for t in _row_lines(row)]
            grid = _grid(table)
            if len(grid) >= 2 and max(len(r) for r in grid) >= 2:
                tables.append(Table(1, NO_BOX, grid, [NO_BOX] * len(grid)))
    return [Page(1, 0.0, 0.0, "docx", lines, tables=tables)]
