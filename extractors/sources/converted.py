"""Files read once LibreOffice has converted them (extractors/sources/libreoffice.py):
legacy Word 97-2003 (.doc) and RTF into a .docx that docx.py reads, legacy Excel 97-2003
(.xls) and OpenDocument spreadsheets (.ods) into an .xlsx that xlsx.py reads. So merged
cells, the header table and number formats come through as they do from the modern
files (antiword, used before for .doc, gave tables as plain text, without their merged
cells).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from extractors.model import Page
from extractors.sources import docx, libreoffice, xlsx

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # the container of Office 97-2003 files
RTF_MAGIC = b"{\\rtf"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
WORD_KINDS = ("doc", "rtf")
SHEET_KINDS = ("xls", "ods")


def converted_pages(path: Path, kind: str) -> list[Page]:
    """The pages of a file of one of WORD_KINDS or SHEET_KINDS."""
    to, read = ("docx", docx.docx_pages) if kind in WORD_KINDS else ("xlsx", xlsx.xlsx_pages)
    with tempfile.TemporaryDirectory(prefix="vnplan-converted-") as tmp:
        return read(libreoffice.convert(path, Path(tmp), to=to))
