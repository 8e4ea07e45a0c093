"""OpenDocument text (.odt, LibreOffice's own format) -> one page of lines and tables,
like a .docx (docx.py).

An .odt is a zip whose content.xml holds the body in document order: paragraphs and
headings (text:p, text:h, inside lists too) and tables (table:table), whose merged
cells are a cell spanning columns or rows followed by table:covered-table-cell
placeholders: those positions become None, as every other finder keeps them. Read
with the standard library's XML parser; no converter is needed.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from extractors.errors import CorruptInput
from extractors.model import Line, Page
from extractors.sources.docx import NO_BOX, has_zip_part, side_by_side, text_line
from extractors.tables.model import Table

_NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
_TEXT, _TABLE = "{%s}" % _NS["text"], "{%s}" % _NS["table"]
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def is_opendocument(path: Path, mimetype: bytes = ODT_MIMETYPE) -> bool:
    """A zip whose mimetype part says `mimetype` (OpenDocument text unless told), with its
    content.xml."""
    if not has_zip_part(path, "content.xml"):
        return False
    with zipfile.ZipFile(path) as z:
        return "mimetype" in z.namelist() and z.read("mimetype").strip() == mimetype


def _text(element) -> str:
    """A paragraph's text: text:s is spaces, text:tab a tab, text:line-break a new line."""
    out = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            out.append(" " * int(child.get(_TEXT + "c", "1")))
        elif tag == _TEXT + "tab":
            out.append("\t")
        elif tag == _TEXT + "line-break":
            out.append("\n")
        elif tag not in (_TEXT + "note", _TEXT + "tracked-changes"):     # footnotes left out
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _paragraphs(element) -> list[str]:
    """The lines of the paragraphs under element (a list, a cell, a section)."""
    if element.tag in (_TEXT + "p", _TEXT + "h"):
        return _text(element).split("\n")
    return [line for child in element for line in _paragraphs(child)]


def _rows(table) -> list:
    """A table's rows, header rows and row groups included, in order."""
    out = []
    for child in table:
        if child.tag == _TABLE + "table-row":
            out.append(child)
        elif child.tag in (_TABLE + "table-header-rows", _TABLE + "table-rows",
                           _TABLE + "table-row-group"):
            out += _rows(child)
    return out


def _table(table) -> tuple[list[list[str | None]], list[str]]:
    """The grid (None where a merged cell covers the position) and the lines its rows
    make, each row's cells side by side."""
    grid, lines = [], []
    for row in _rows(table):
        cells: list[str | None] = []
        texts = []
        for cell in row:
            repeat = int(cell.get(_TABLE + "number-columns-repeated", "1"))
            if cell.tag == _TABLE + "covered-table-cell":
                cells += [None] * min(repeat, 64)
            elif cell.tag == _TABLE + "table-cell":
                parts = [p.strip() for p in _paragraphs(cell) if p.strip()]
                cells += [" ".join(" ".join(parts).split())] * min(repeat, 64)
                texts.append(parts)
        grid.append(cells)
        lines += side_by_side(texts)
    while grid and not any(grid[-1]):
        grid.pop()      # trailing empty rows LibreOffice keeps for formatting
    return grid, lines


def odt_pages(path: Path) -> list[Page]:
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise CorruptInput(f"OpenDocument file cannot be read ({type(exc).__name__}); open and "
                           "save it again in LibreOffice") from None
    body = root.find("office:body/office:text", _NS)
    if body is None:
        raise CorruptInput("OpenDocument file holds no text body (a spreadsheet or a drawing?); "
                           "save the plan as .odt text or .docx")
    lines: list[Line] = []
    tables: list[Table] = []

    def walk(element) -> None:
        for child in element:
            if child.tag in (_TEXT + "p", _TEXT + "h"):
                lines.extend(text_line(part) for part in _paragraphs(child))
            elif child.tag == _TABLE + "table":
                grid, row_lines = _table(child)
                lines.extend(text_line(t) for t in row_lines)
                if len(grid) >= 2 and max(len(r) for r in grid) >= 2:
                    tables.append(Table(1, NO_BOX, grid, [NO_BOX] * len(grid)))
            elif child.tag.startswith(_TEXT):          # lists, sections: what they hold
                walk(child)

    walk(body)
    return [Page(1, 0.0, 0.0, "docx", lines, tables=tables)]
