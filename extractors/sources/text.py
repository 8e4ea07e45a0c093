"""Plain-text sources: pages split on form feeds, lines as they are, no geometry."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from extractors.errors import CorruptInput
from extractors.model import Line, Page, Word


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CorruptInput("text file is not UTF-8 or UTF-16; convert it, e.g. "
                           "`iconv -f WINDOWS-1258 -t UTF-8 in.txt > out.txt`")
    if "\x00" in text:
        raise CorruptInput("text file holds binary data (NUL bytes); it is not plain text")
    return unicodedata.normalize("NFC", text)


def text_pages(path: Path) -> list[Page]:
    return pages_from_text(read_text(path))


def pages_from_text(text: str) -> list[Page]:
    """Pages split on form feeds; words split on whitespace, without geometry."""
    pages = []
    for n, chunk in enumerate(text.split("\f"), 1):
        lines = [Line([Word(w, (0.0, 0.0, 0.0, 0.0)) for w in ln.split()])
                 for ln in chunk.split("\n")]
        pages.append(Page(n, 0.0, 0.0, "text", lines))
    return pages
