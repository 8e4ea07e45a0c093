"""Logical tables: the grids of extractors/tables/model.py joined over pages and made regular.

A table continued on the next page (same columns, repeated header or none) becomes one;
header rows become column names ("Kế hoạch ... / Cuối năm 2021"); a merged cell open at
the foot of a page goes on over the next; merged (None) cells take their value from the
row above when rows are read; a lone first-column cell is a group heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.model import Document
from extractors.tables.model import ROW_NUMBER, Table
from rapidfuzz import fuzz

from normalizers.text import fold
from pipeline.settings import SETTINGS
from pipeline.understand.numbering import fill_number_gaps

_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+")      # 8,342,216 or 1.587.166, not a year


@dataclass
class LogicalTable:
    header: list[str]
    header_rows: list[list[str | None]]
    # (cells, page, row box, mean OCR confidence of the row's cells or None)
    rows: list[tuple[list[str | None], int, tuple, float | None]] = field(default_factory=list)
    page: int = 0           # where the table starts
    top: float = 0.0        # its top edge there, in points (captions sit above)


def _header_len(t: Table) -> int:
    for i, row in enumerate(t.rows[:5]):
        if i > 0 and _numbers_columns(row):
            return i + 1        # "1 | 2 | 3 | 4": the header's last row, numbering columns
        first = (row[0] or "").strip()
        rest = [c for c in row[1:] if c]
        if ROW_NUMBER.match(first) or (first and not rest and i > 0):
            return i
        if i > 0 and sum(bool(_AMOUNT.fullmatch(c or "")) for c in row) >= 2:
            return i            # amounts: a total row right under the header is data
    return 1


_COLUMN_NUMBER = re.compile(r"\(?(?:\d{1,2}|[A-Za-z])\)?(?:\s*=\s*[\d+*/()-]+)?")


def _numbers_columns(row: list[str | None]) -> bool:
    """A header row that only numbers the columns ("(1) (2) (3)", "1 2 3=1+2", "A B")."""
    cells = [c.strip() for c in row if c and c.strip()]
    return len(cells) >= 3 and sum(bool(_COLUMN_NUMBER.fullmatch(c)) for c in cells) >= 0.8 * len(cells)


def _column_names(header_rows: list[list[str | None]], n: int) -> list[str]:
    names = [[] for _ in range(n)]
    header_rows = [row for r, row in enumerate(header_rows)
                   if not (r > 0 and _numbers_columns(row))]
    for r, row in enumerate(header_rows):
        last = None
        for j in range(n):
            cell = row[j] if j < len(row) else None
            if cell is None and r == 0:
                cell = last              # merged across: the spanning title
            last = cell if r == 0 else None
            if cell and cell not in names[j]:
                names[j].append(cell)
    return [" / ".join(x) for x in names]


WITHOUT_GEOMETRY = ("docx", "xlsx")     # page kinds of Word, ODT and Excel sources


@dataclass(frozen=True)
class RowRef:
    """Where a row is in a source without geometry (Word, ODT, Excel), in a row's box
    slot: its table, counted through the document, and its row there, both from 1."""
    table: int
    row: int

    def __str__(self) -> str:
        return f"table {self.table}, row {self.row}"


def locator(box) -> str:
    """'table 2, row 5' for a row of a source without geometry; else empty."""
    return str(box) if isinstance(box, RowRef) else ""


def logical_tables(doc: Document) -> list[LogicalTable]:
    out: list[LogicalTable] = []
    prev: Table | None = None
    count = 0
    for page in doc.pages:
        for k, t in enumerate(page.tables):
            count += 1
            if page.kind in WITHOUT_GEOMETRY:   # each row's table and row instead of a box
                t = replace(t, row_bboxes=[RowRef(count, i + 1) for i in range(len(t.rows))])
            h = _header_len(t)
            continues = (prev is not None and k == 0 and prev.n_cols == t.n_cols
                         and prev.page == t.page - 1)
            if continues:
                same_header = _repeats_header(t.rows[0], out[-1].header_rows[0])
                # a repeated header is no taller than the first page's: a first row whose
                # number OCR lost is data, not a second header row
                h = min(h, len(out[-1].header_rows))
                body = t.rows[h:] if same_header else t.rows
                boxes = t.row_bboxes[h:] if same_header else t.row_bboxes
                confs = _row_confs(t)[h:] if same_header else _row_confs(t)
                cur = out[-1]
                body = _continue_spans(cur.rows[-1][0] if cur.rows else [], body)
            else:
                cur = LogicalTable(_column_names(t.rows[:h], t.n_cols), t.rows[:h],
                                   page=t.page, top=t.bbox[1])
                out.append(cur)
                body, boxes, confs = t.rows[h:], t.row_bboxes[h:], _row_confs(t)[h:]
            for row, box, conf in zip(body, boxes, confs):
                cur.rows.append((row, t.page, box, conf))
            prev = t
    for table in out:
        fill_number_gaps([row for row, *_ in table.rows])
    return out


def _row_confs(t: Table) -> list[float | None]:
    """Mean OCR confidence of each row's cells (None for a text layer)."""
    out = []
    for i in range(len(t.rows)):
        scores = [c for c in (t.cell_conf[i] if i < len(t.cell_conf) else []) if c is not None]
        out.append(sum(scores) / len(scores) if scores else None)
    return out


def _repeats_header(row: list[str | None], header: list[str | None]) -> bool:
    """A page's first row repeats the table's header when its leading cells match the
    header's, or when two thirds of all its cells do (OCR read one page's "TT" as "IT");
    a cell OCR left empty neither matches nor contradicts."""
    pairs = [(fold(a or ""), fold(b or "")) for a, b in zip(row, header)]
    filled = [(a, b) for a, b in pairs if a and b]
    leading = [(a, b) for a, b in pairs[:2] if a and b]
    if leading and all(a == b for a, b in leading):
        return True
    same = sum(fuzz.ratio(a, b) >= SETTINGS.fuzzy_header for a, b in filled)
    return len(filled) >= 3 and same * 3 >= len(filled) * 2


def _continue_spans(last: list[str | None], body: list[list[str | None]]) -> list:
    """A merged cell still open at the foot of a page (its last row is a continuation,
    None) goes on over the first rows of the next page, where it is drawn again, empty:
    those empty cells become continuations too, until a cell with text ends the span."""
    open_cols = {j for j, c in enumerate(last) if c is None}
    rows = []
    for row in body:
        row = list(row)
        for j in sorted(open_cols):
            if j < len(row) and row[j] in ("", None):
                row[j] = None
            else:
                open_cols.discard(j)
        rows.append(row)
    return rows


def find_column(header: list[str], *words: str) -> int | None:
    """The first column whose name contains one of words (accents and case aside), else
    the first that nearly does: OCR drops a letter of a header ("Cơ quan chủ tì")."""
    folded = [fold(name) for name in header]
    for j, f in enumerate(folded):
        if any(fold(w) in f for w in words):
            return j
    for j, f in enumerate(folded):
        if any(len(w) >= SETTINGS.fuzzy_header_len and fuzz.partial_ratio(fold(w), f) >= SETTINGS.fuzzy_header
               for w in words):
            return j
    return None


def filled_rows(rows):
    """Rows with merged (None) cells taken from the row above; group headings apart."""
    above: list[str | None] = []
    for cells, page, box, conf in rows:
        values = [c for c in cells if c]
        if len(values) == 1 and cells[0] and all(c is None for c in cells[1:]):
            yield "group", cells[0], page, box, conf
            above = []
            continue
        row = [c if c is not None else (above[j] if j < len(above) else "")
               for j, c in enumerate(cells)]
        above = row
        yield "row", row, page, box, conf


def markdown(table: LogicalTable) -> str:
    """A logical table as a Markdown table (merged cells repeated, as filled_rows reads
    them), so the text output keeps every cell in reading order."""
    def line(cells) -> str:
        return "| " + " | ".join((c or "").replace("|", "\\|") for c in cells) + " |"
    width = len(table.header)
    out = [line(table.header), "|" + " --- |" * width]
    for kind, row, *_ in filled_rows(table.rows):
        out.append(line([row] + [""] * (width - 1) if kind == "group" else row))
    return "\n".join(out)


def tables_text(doc: Document) -> str:
    """Every logical table of a document in Markdown, under the page it starts on."""
    return "\n\n".join(f"Bảng (trang {t.page}):\n\n{markdown(t)}" for t in logical_tables(doc))


def bbox_text(box) -> str:
    """'x0,y0,x1,y1' in points; empty where the source has no geometry (plain text,
    Word: see locator)."""
    if isinstance(box, RowRef):
        return ""
    return ",".join(f"{v:.1f}" for v in box) if box and any(box) else ""


