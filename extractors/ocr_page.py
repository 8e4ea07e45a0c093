"""One page image -> upright, deskewed, OCR'd lines."""
from __future__ import annotations

from PIL import Image

from . import preprocess, tesseract
from .model import Page

# Below this mean word confidence an upright page is unlikely: ask OSD for orientation.
SUSPECT_CONF = 65.0


def ocr_image_page(image: Image.Image, number: int, dpi: int,
                   lang: str = tesseract.DEFAULT_LANG) -> Page:
    """OCR a page image. Orientation detection (OSD, ~0.7 s) runs only for pages whose
    first OCR pass reads poorly, so upright pages cost one tesseract call."""
    gray, skew = preprocess.deskew(image)
    width, height = gray.width * 72.0 / dpi, gray.height * 72.0 / dpi
    page = Page(number, width, height, "scanned", tesseract.ocr_lines(gray, dpi, lang), skew=skew)
    conf = page.mean_conf
    if conf is None or conf < SUSPECT_CONF:
        turned, rotation = preprocess.turn_upright(gray)
        if rotation:
            turned, skew2 = preprocess.deskew(turned)
            retry = Page(number, turned.width * 72.0 / dpi, turned.height * 72.0 / dpi,
                         "scanned", tesseract.ocr_lines(turned, dpi, lang),
                         rotation=rotation, skew=skew2)
            if (retry.mean_conf or 0) > (conf or 0):
                page = retry
    return page
