"""Excel workbooks (.xlsx) -> a page per visible sheet: its rows as lines, its table as
a grid of the table model (openpyxl).

Provinces send indicator and budget appendices as workbooks. The title rows above a
sheet's table (cells merged across it, "BIỂU 01 ... Đơn vị tính: triệu đồng") are lines
only; the table starts at the first row with two filled cells. Merged cells are None in
the positions they cover, as every other finder keeps them; numbers are written as a
Vietnamese reader would type them back (a percentage format gives "95%"), dates as
dd/mm/yyyy. No geometry: rows give the sheet's number as their page and no bbox.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from extractors.errors import CorruptInput
from extractors.model import Page
from extractors.sources.docx import NO_BOX, text_line, has_zip_part
from extractors.tables.model import Table


def is_xlsx(path: Path) -> bool:
    """A zip with an xl/workbook.xml part (an .xlsx, whatever its name says)."""
    return has_zip_part(path, "xl/workbook.xml")


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:g}%"
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    return " ".join(str(value).split())


def _sheet_grid(ws) -> list[list[str | None]]:
    covered = {(r, c) for rng in ws.merged_cells.ranges
               for r in range(rng.min_row, rng.max_row + 1)
               for c in range(rng.min_col, rng.max_col + 1)
               if (r, c) != (rng.min_row, rng.min_col)}
    grid = [[None if (cell.row, cell.column) in covered else _text(cell) for cell in row]
            for row in ws.iter_rows()]
    grid = [row for row in grid if any(row)]
    used = [j for j in range(max((len(r) for r in grid), default=0))
            if any(j < len(r) and r[j] for r in grid)]
    return [[row[j] if j < len(row) else "" for j in used] for row in grid]


def xlsx_pages(path: Path) -> list[Page]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise CorruptInput(f"Excel file cannot be read ({type(exc).__name__}); open and save "
                           "it again in Excel or LibreOffice") from None
    pages = []
    for number, ws in enumerate((s for s in book.worksheets if s.sheet_state == "visible"), 1):
        grid = _sheet_grid(ws)
        lines = [text_line(" ".join(c for c in row if c)) for row in grid]
        start = next((i for i, row in enumerate(grid) if sum(1 for c in row if c) >= 2), None)
        tables = []
        if start is not None and len(grid) - start >= 2:
            body = grid[start:]
            tables.append(Table(number, NO_BOX, body, [NO_BOX] * len(body)))
        pages.append(Page(number, 0.0, 0.0, "xlsx", lines, tables=tables))
    return pages
