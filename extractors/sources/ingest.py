"""Any supported source file -> Document (pages of lines of words)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from extractors.sources import images
from extractors.ocr import page as ocr_page
from extractors.sources import converted
from extractors.sources import docx, odt, pdf, text, xlsx
from extractors.tables.borderless import borderless_tables
from extractors.errors import CorruptInput, EmptyInput, InputError, NoTextFound, UnsupportedInput
from extractors.model import Document, Page

SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt", ".docx", ".doc", ".rtf", ".odt",
            ".xlsx", ".xls", ".ods"}
# kinds read whole, in one job: no page can be read without the others
WHOLE_FILE_KINDS = ("text", "docx", "odt", "xlsx", *converted.WORD_KINDS, *converted.SHEET_KINDS)


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
    if head.startswith(b"PK\x03\x04") and docx.is_docx(path):
        return "docx"
    if head.startswith(b"PK\x03\x04") and xlsx.is_xlsx(path):
        return "xlsx"
    if head.startswith(b"PK\x03\x04") and odt.is_opendocument(path):
        return "odt"
    if head.startswith(b"PK\x03\x04") and odt.is_opendocument(path, converted.ODS_MIMETYPE):
        return "ods"
    if head.startswith(converted.OLE_MAGIC) and suffix in (".doc", ".xls"):
        return suffix[1:]
    if suffix in (".doc", ".xls"):
        raise CorruptInput(f"not an Office 97-2003 file (no OLE header); the file is damaged "
                           f"or mislabelled: open it in LibreOffice and save it as {suffix}x")
    if head.startswith(converted.RTF_MAGIC):
        return "rtf"
    if suffix == ".pdf":
        raise CorruptInput("not a PDF (no %PDF header); the file is damaged or mislabelled")
    if suffix == ".txt":
        return "text"
    if suffix in SUFFIXES:
        raise CorruptInput(f"{suffix} file cannot be decoded; re-export it")
    raise UnsupportedInput(f"unsupported file type '{suffix or path.name}'; supported: "
                           + ", ".join(sorted(SUFFIXES)))


def count_pages(path: Path) -> tuple[str, int]:
    """(kind, number of pages) without reading the pages; raises InputError for files that
    cannot be opened, so a bad file is reported before any work is planned for it."""
    kind = sniff(path)
    if kind == "xlsx":
        return kind, max(1, len(xlsx.xlsx_pages(path)))
    if kind in WHOLE_FILE_KINDS:      # converted files: counted once LibreOffice has read them
        return kind, 1
    if kind == "image":
        return kind, sum(1 for _ in images.image_pages(path))
    with pdf.open_pdf(path) as handle:
        total = len(handle.pages)
    if total == 0:
        raise EmptyInput("PDF has no pages; re-export it")
    return kind, total


def ingest(path: Path, source: str, lang: str = "vie", pages: range | None = None,
           sha256: str = "") -> Ingested:
    """Read one file, or only `pages` (1-based numbers) of it. Raises InputError when the
    file cannot be read at all; a page that fails alone is reported in page_errors and
    the other pages are kept."""
    kind = sniff(path)
    doc = Document(source=source, sha256=sha256 or sha256_file(path))
    errors: list[PageError] = []
    if kind == "text":
        doc.pages = text.text_pages(path)
    elif kind == "docx":
        doc.pages = docx.docx_pages(path)
    elif kind in converted.WORD_KINDS + converted.SHEET_KINDS:
        doc.pages = converted.converted_pages(path, kind)
    elif kind == "odt":
        doc.pages = odt.odt_pages(path)
    elif kind == "xlsx":
        doc.pages = xlsx.xlsx_pages(path)
    elif kind == "image":
        for n, (frame, dpi) in enumerate(images.image_pages(path), 1):
            if pages and n >= pages.stop:
                break                   # a batch decodes no frame after its own
            if not pages or n in pages:
                doc.pages.append(ocr_page.ocr_image_page(frame, n, dpi, lang))
    else:
        with pdf.open_pdf(path) as handle:
            total = len(handle.pages)
            if total == 0:
                raise EmptyInput("PDF has no pages; re-export it")
            for n in pages or range(1, total + 1):
                try:
                    doc.pages.append(_pdf_page(path, handle.pages[n - 1], n, lang))
                except InputError:
                    raise
                except Exception as exc:   # one bad page must not lose the document
                    errors.append(PageError(n, "ocr", f"page could not be read "
                                            f"({type(exc).__name__}: {str(exc)[:100]})"))
    return Ingested(doc, errors)


def require_text(doc: Document) -> None:
    if not any(line.words for p in doc.pages for line in p.lines):
        raise NoTextFound("no text found on any page (blank page, photo or unreadable scan); "
                          "check the file or rescan at 300 dpi")


def _pdf_page(path: Path, page, number: int, lang: str) -> Page:
    """The page from its text layer when it has one that can be trusted, else OCR of its
    image (a scan, or a scan under a stamp's text or a bad OCR layer)."""
    layer = pdf.has_text_layer(page)
    dropped = pdf.distrusted_layer(page) if layer else ""
    if layer and not dropped:
        lines = pdf.text_layer_lines(page)
        return Page(number, float(page.width), float(page.height), "born_digital", lines,
                    tables=pdf.ruled_tables(page, number, lines) or borderless_tables(lines, number))
    image, dpi = pdf.render_scan(path, number - 1)
    read = ocr_page.ocr_image_page(image, number, dpi, lang)
    read.layer_dropped = dropped
    return read
