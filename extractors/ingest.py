"""Any supported source file -> Document (pages of lines of words)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import images, ocr_page, pdf, text
from .errors import CorruptInput, EmptyInput, InputError, NoTextFound, UnsupportedInput
from .model import Document, Page
from .tables import page_tables

OCR_DPI = 300
SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"}

PageCallback = Callable[[int, int], None]


@dataclass
class PageError:
    page: int
    stage: str
    message: str


@dataclass
class Ingested:
    document: Document
    page_errors: list[PageError] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: Path) -> str:
    """Decide the kind of a file from its first bytes, not only its name."""
    head = path.open("rb").read(8)
    if not head:
        raise EmptyInput("file is empty (0 bytes); re-download or re-export it")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise CorruptInput("not a PDF (no %PDF header); the file is damaged or mislabelled")
    if suffix == ".txt":
        return "text"
    if suffix in SUFFIXES:
        raise CorruptInput(f"{suffix} file cannot be decoded; re-export it")
    raise UnsupportedInput(f"unsupported file type '{suffix or path.name}'; supported: "
                           + ", ".join(sorted(SUFFIXES)))


def ingest(path: Path, source: str, on_page: PageCallback | None = None,
           lang: str = "vie") -> Ingested:
    """Read one file. Raises InputError when nothing of it can be read; a page that fails
    alone is reported in page_errors and the other pages are kept."""
    kind = sniff(path)
    doc = Document(source=source, sha256=sha256_file(path))
    errors: list[PageError] = []
    if kind == "text":
        doc.pages = text.text_pages(path)
    elif kind == "image":
        frames = list(images.image_pages(path))
        for n, (frame, dpi) in enumerate(frames, 1):
            doc.pages.append(ocr_page.ocr_image_page(frame, n, dpi, lang))
            if on_page:
                on_page(n, len(frames))
    else:
        with pdf.open_pdf(path) as handle:
            total = len(handle.pages)
            if total == 0:
                raise EmptyInput("PDF has no pages; re-export it")
            for n, p in enumerate(handle.pages, 1):
                try:
                    doc.pages.append(_pdf_page(path, p, n, lang))
                except InputError:
                    raise
                except Exception as exc:   # one bad page must not lose the document
                    errors.append(PageError(n, "ocr", f"page could not be read "
                                            f"({type(exc).__name__}: {str(exc)[:100]})"))
                if on_page:
                    on_page(n, total)
    if not any(line.words for p in doc.pages for line in p.lines):
        raise NoTextFound("no text found on any page (blank page, photo or unreadable scan); "
                          "check the file or rescan at 300 dpi")
    return Ingested(doc, errors)


def _pdf_page(path: Path, page, number: int, lang: str) -> Page:
    if pdf.has_text_layer(page):
        return Page(number, float(page.width), float(page.height), "born_digital",
                    pdf.text_layer_lines(page), tables=page_tables(page, number))
    image, dpi = pdf.render_page(path, number - 1, OCR_DPI)
    return ocr_page.ocr_image_page(image, number, dpi, lang)
