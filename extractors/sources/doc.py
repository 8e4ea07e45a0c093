"""Legacy Word 97-2003 (.doc) and RTF files -> one page of lines and tables, as a .docx
gives: LibreOffice converts the file (extractors/sources/libreoffice.py) and docx.py reads
the result, so merged cells, the header table and numbering come through as they do from
a .docx (antiword, used before, gave tables as plain text, without their merged cells).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from extractors.model import Page
from extractors.sources import docx, libreoffice

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # the container of Word 97-2003 files
RTF_MAGIC = b"{\\rtf"


def converted_pages(path: Path) -> list[Page]:
    with tempfile.TemporaryDirectory(prefix="vnplan-docx-") as tmp:
        return docx.docx_pages(libreoffice.convert(path, Path(tmp)))
