"""One page image -> upright, deskewed, OCR'd lines."""
from __future__ import annotations

from PIL import Image

from . import preprocess, scanned_tables, tesseract
from .model import Page

# Below this mean word confidence an upright page is unlikely: ask OSD for orientation.
SUSPECT_CONF = 65.0


def ocr_image_page(image: Image.Image, number: int, dpi: int,
                   lang: str = tesseract.DEFAULT_LANG) -> Page:
    """OCR a page image. Orientation detection (OSD, ~0.7 s) runs only for pages whose
    first OCR pass reads poorly, so upright pages cost one tesseract call. Pages with
    ruled tables are read with their rules erased, and their tables built from the words."""
    gray, skew = preprocess.deskew(image)
    width, height = gray.width * 72.0 / dpi, gray.height * 72.0 / dpi
    rules = scanned_tables.find_rules(gray)
    if rules is None:
        page = Page(number, width, height, "scanned",
                    tesseract.ocr_lines(preprocess.binarize(gray), dpi, lang), skew=skew)
    else:
        erased = rules.erase(gray)
        lines = tesseract.ocr_lines(preprocess.binarize(erased), dpi, lang, psm=11)
        page = Page(number, width, height, "scanned", lines, skew=skew,
                    tables=scanned_tables.image_tables(rules, erased, dpi, lines, number, lang))
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
