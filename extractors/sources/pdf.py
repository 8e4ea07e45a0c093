"""PDF sources: the text layer through pdfplumber, page images through pypdfium2."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from pipeline.settings import SETTINGS

from extractors.errors import CorruptInput, EncryptedPdf
from extractors.tables.grid import build_table
from extractors.model import Line, Word
from extractors.tables.model import Table

# A page whose text layer holds fewer visible characters than this is treated as scanned.
MAX_RENDER_PIXELS = 60_000_000
SCAN_DPI = (150, 400)   # a scan in this range is read at its own resolution (bench.ocr_cer)


def open_pdf(path: Path) -> pdfplumber.PDF:
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # forces the page tree to be read
        return pdf
    except Exception as exc:  # pdfminer raises many unrelated types
        name = type(exc).__name__
        if _is_encrypted(path, exc):
            raise EncryptedPdf("PDF is encrypted; decrypt it first, e.g. `qpdf --decrypt "
                               "--password=PASSWORD in.pdf out.pdf`, then re-run") from exc
        raise CorruptInput(f"PDF cannot be parsed ({name}: {str(exc)[:80]}); the file is "
                           "damaged or truncated: re-download or re-export it") from exc


def _is_encrypted(path: Path, exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password error; an /Encrypt entry that could not be
    opened tells the same without depending on the wrapping."""
    chain = [exc, exc.__cause__, exc.__context__, *[a for a in exc.args if isinstance(a, BaseException)]]
    if any(e is not None and "Password" in type(e).__name__ for e in chain):
        return True
    with open(path, "rb") as f:
        return b"/Encrypt" in f.read()


def has_text_layer(page: pdfplumber.page.Page) -> bool:
    """Text to read the page by: enough characters, or a few on a page that is no scan
    (a plan's last page holding only the signer's name is born-digital, not OCR'd)."""
    visible = sum(1 for c in page.chars if c.get("text", "").strip())
    return visible >= SETTINGS.min_text_chars or (visible > 0 and not is_scan(page))


def _area(box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def is_scan(page: pdfplumber.page.Page) -> bool:
    """A page that is an image: one picture covers most of it."""
    page_area = float(page.width) * float(page.height) or 1.0
    return any(_area((i["x0"], i["top"], i["x1"], i["bottom"])) >= SETTINGS.scan_image_share
               * page_area for i in page.images)


def distrusted_layer(page: pdfplumber.page.Page) -> str:
    """Why the page's text layer must not be read as the page (its image is OCR'd with
    Vietnamese instead), or "" to read it. Only a page that is a scan (an image covering
    most of it) is judged: its layer is a stamp's text over the scan ("Người ký: ...
    Thời gian ký: ...", covering a corner), or an OCR layer that reads as garbled or
    unaccented Vietnamese or as no Vietnamese at all (scanner software's English-model
    OCR: "Thue hién Chwong trinh")."""
    from normalizers.language import is_vietnamese, vietnamese_share
    from normalizers.restorer.restore import detect_mode

    page_area = float(page.width) * float(page.height) or 1.0
    if not is_scan(page):
        return ""
    chars = [c for c in page.chars if c.get("text", "").strip()]
    covered = _area((min(c["x0"] for c in chars), min(c["top"] for c in chars),
                     max(c["x1"] for c in chars), max(c["bottom"] for c in chars)))
    if covered < SETTINGS.stamp_share * page_area:
        return "a stamp's text over a scan"
    text = page.extract_text() or ""
    if not is_vietnamese(*vietnamese_share(text)):
        return "an OCR layer that is no Vietnamese"
    mode = detect_mode(text)
    return f"a {mode} OCR layer" if mode != "none" else ""


def text_layer_lines(page: pdfplumber.page.Page) -> list[Line]:
    """Words of the text layer grouped into lines, top to bottom, left to right."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    lines: list[list[dict]] = []
    for w in words:
        if lines:
            cur = lines[-1]
            top = min(x["top"] for x in cur)
            bottom = max(x["bottom"] for x in cur)
            if w["top"] < top + 0.6 * (bottom - top):
                cur.append(w)
                continue
        lines.append([w])
    return [Line([Word(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]))
                  for w in sorted(ln, key=lambda x: x["x0"])]) for ln in lines]


def ruled_tables(page: pdfplumber.page.Page, number: int, lines: list[Line]) -> list[Table]:
    """Ruled tables of a text layer, top to bottom: pdfplumber's edges -> intersections ->
    cells, filled with the page's words (grid.build_table)."""
    out = []
    for found in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        cells = [[None if c is None else tuple(round(v, 1) for v in c) for c in row.cells]
                 for row in found.rows]
        if len(cells) >= 2 and max(len(r) for r in cells) >= 2:
            boxes = [tuple(round(v, 1) for v in row.bbox) for row in found.rows]
            out.append(build_table(number, cells, lines, boxes))
    return out


def scan_dpi(path: Path, index: int) -> float | None:
    """The resolution of the scan a page is made of (one image covering the page), or
    None for any other page. Rendering a 200 dpi scan at 300 dpi only interpolates, and
    the blur costs small marks: a ";" after a word, a dot under a vowel."""
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        w, h = page.get_size()
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        if len(images) != 1:
            return None
        left, bottom, right, top = images[0].get_bounds()
        if (right - left) * (top - bottom) < SETTINGS.scan_cover * w * h:
            return None
        return images[0].get_px_size()[0] / ((right - left) / 72.0)
    finally:
        doc.close()


def render_scan(path: Path, index: int) -> tuple[Image.Image, int]:
    """A page to OCR as an image, in colour: a scan at its own resolution when that is
    within SCAN_DPI (resampling only blurs), any other page at SETTINGS.ocr_dpi."""
    native = round(scan_dpi(path, index) or 0)       # 199.99999 is 200
    return render_page(path, index, native if SCAN_DPI[0] <= native <= SCAN_DPI[1] else SETTINGS.ocr_dpi,
                       colour=True)


def render_page(path: Path, index: int, dpi: int, colour: bool = False) -> tuple[Image.Image, int]:
    """Render page `index` (0-based) to a grayscale image, or in colour (a seal's red is
    told from text only there); returns (image, dpi used).

    The resolution is lowered for huge pages so that no render exceeds
    MAX_RENDER_PIXELS (a 200-inch poster page would otherwise take gigabytes).
    """
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        w, h = page.get_size()
        scale = dpi / 72.0
        if w * h * scale * scale > MAX_RENDER_PIXELS:
            scale = math.sqrt(MAX_RENDER_PIXELS / (w * h))
        image = page.render(scale=scale, grayscale=not colour).to_pil()
        return image, round(scale * 72)
    finally:
        doc.close()


_SIG_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'?(\d\d)?")


def digital_signatures(path: Path) -> list[tuple[str, str]]:
    """(signer, time signed in ISO 8601) of each digital signature a PDF carries (the /Sig
    fields of its form): state documents are signed with the Government's certificates,
    the signer named in the signature's /Name or before the e-mail of its /Reason
    ("Ủy ban Nhân dân tỉnh<ubnd@angiang.gov.vn> đã ký lên văn bản này!"). Empty for a
    PDF without them, or one whose form cannot be read."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    def text(value) -> str:
        value = resolve1(value)
        return decode_text(value) if isinstance(value, bytes) else str(value or "")

    out = []
    try:
        with pdfplumber.open(path) as pdf:
            form = resolve1(pdf.doc.catalog.get("AcroForm")) or {}
            for field in resolve1(form.get("Fields")) or []:
                value = resolve1(resolve1(field).get("V"))
                if not isinstance(value, dict):
                    continue
                signer = text(value.get("Name")) or re.split(r"\s*<", text(value.get("Reason")))[0]
                m = _SIG_DATE.match(text(value.get("M")))
                when = (f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}{m[7]}:{m[8] or '00'}"
                        if m else "")
                out.append((" ".join(signer.split()), when))
    except Exception:    # a damaged form loses the signatures, never the document
        return []
    return out
