"""One page image -> upright, deskewed, OCR'd lines."""
from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

import numpy as np
from PIL import Image

from normalizers.restorer.restore import ModelMissing, default_restorer

from pipeline.settings import SETTINGS

from extractors.ocr import preprocess
from extractors.ocr.crops import otsu, read_stacked
from extractors.tables import scanned as scanned_tables
from extractors.ocr import tesseract
from extractors.tables.borderless import borderless_tables
from extractors.model import Line, Page, Word
from extractors.tables.model import Table

# Below this mean word confidence an upright page is unlikely: ask OSD for orientation.


def ocr_image_page(image: Image.Image, number: int, dpi: int,
                   lang: str = tesseract.DEFAULT_LANG) -> Page:
    """OCR a page image. Orientation detection (OSD, ~0.7 s) runs only for pages whose
    first OCR pass reads poorly (on average, or a good share of its words: a table on
    its side under an upright heading), so upright pages cost one tesseract call. Pages with
    ruled tables are read with their rules erased, and their tables built from the words;
    on other pages, tables without rules are found by the alignment of the words."""
    if "vie" in lang.split("+"):
        _restorer()                 # starts loading the model beside the first OCR call
    pen = preprocess.pen_ink(image)
    gray = preprocess.without_seals(image)
    page = _read_upright(gray, number, dpi, lang)
    conf = page.mean_conf
    if conf is None or conf < SETTINGS.suspect_conf or _unreadable_share(page) >= SETTINGS.suspect_share:
        turned, rotation = preprocess.turn_upright(gray)
        if rotation:
            retry = _read_upright(turned, number, dpi, lang)
            retry.rotation = rotation
            if (retry.mean_conf or 0) > (conf or 0):
                page = _with_upright_lines(retry, page)
    if pen is not None and not page.rotation:
        _mark_pen(page, pen, np.asarray(gray), dpi)
    return page


def _mark_pen(page: Page, pen: np.ndarray, gray: np.ndarray, dpi: int) -> None:
    """Mark the words written in pen: SETTINGS.pen_share of their ink is blue, on the
    page turned by the skew its grey image was levelled by before OCR."""
    ink = (gray < SETTINGS.seal_keep_below) | pen
    if page.skew:
        pen = preprocess.rotate(np.where(pen, 0, 255).astype(np.uint8), page.skew) < 128
        ink = preprocess.rotate(np.where(ink, 0, 255).astype(np.uint8), page.skew) < 128
    px = dpi / 72.0
    for line in page.lines:
        for word in line.words:
            x0, y0, x1, y1 = (int(round(v * px)) for v in word.bbox)
            inked = int(ink[y0:y1, x0:x1].sum())
            word.pen = inked > 0 and bool(pen[y0:y1, x0:x1].sum() >= SETTINGS.pen_share * inked)


def _unreadable_share(page: Page) -> float:
    confs = [w.conf for line in page.lines for w in line.words if w.conf is not None]
    return sum(c < SETTINGS.unreadable_conf for c in confs) / len(confs) if confs else 0.0


def _with_upright_lines(turned: Page, upright: Page) -> Page:
    """A page turned for a table printed on its side keeps what read well upright: the
    heading above the table ('PHỤ LỤC ...', '(Kèm theo Kế hoạch số ...)'), its boxes
    moved into the turned page, first in reading order; what the turned reading made of
    that sideways text (debris) goes, and so does an upright line over a table."""
    tables = [t.bbox for t in turned.tables]
    kept = [Line([Word(w.text, _turned_box(w.bbox, upright, turned.rotation), w.conf)
                  for w in line.words])
            for line in upright.lines if _reads_well(line)]
    kept = [line for line in kept if not any(_overlap(line.bbox, t) for t in tables)]
    if not kept:
        return turned
    turned.lines = kept + [line for line in turned.lines
                           if not any(_overlap(line.bbox, k.bbox) > 0.5 for k in kept)]
    return turned


def _reads_well(line: Line) -> bool:
    confs = [w.conf for w in line.words if w.conf is not None]
    return (len(line.words) >= 3 and sum(c.isalpha() for c in line.text) >= 10
            and bool(confs) and sum(confs) / len(confs) >= SETTINGS.upright_line_conf)


def _turned_box(box: tuple, upright: Page, rotation: int) -> tuple:
    """A box of the upright page in the page turned by `rotation` degrees clockwise (as
    preprocess.turn_upright turns it)."""
    w, h = upright.width, upright.height
    corners = [(box[0], box[1]), (box[2], box[3])]
    if rotation == 90:
        moved = [(h - y, x) for x, y in corners]
    elif rotation == 270:
        moved = [(y, w - x) for x, y in corners]
    else:
        moved = [(w - x, h - y) for x, y in corners]
    xs, ys = [x for x, _ in moved], [y for _, y in moved]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(box: tuple, other: tuple) -> float:
    """The share of `box` that `other` covers."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    return w * h / area if w > 0 and h > 0 and area > 0 else 0.0


def _read_upright(image: Image.Image, number: int, dpi: int, lang: str) -> Page:
    """One reading of a page image taken as upright: deskewed, doubtful marks mended,
    tables found (ruled, else by alignment). Tesseract gets the grey image: its LSTM
    reads the grey levels, and a 1-bit page of ours cut the tails of commas and
    semicolons (',' -> '.', ';' -> ':'): CER on 200 dpi body scans 0.30% against 0.18%
    grey (bench.ocr_cer). The same steps for a page turned
    upright by OSD as for one scanned upright."""
    gray, skew = preprocess.deskew(image)
    width, height = gray.width * 72.0 / dpi, gray.height * 72.0 / dpi
    rules = scanned_tables.find_rules(gray)
    if rules is None:
        lines = mend_words(_reread_unreadable(gray, tesseract.ocr_lines(gray, dpi, lang), dpi,
                                              lang), lang)
        tables = [_reread_region(gray, t, dpi, lang) for t in borderless_tables(lines, number)]
        return Page(number, width, height, "scanned", lines, skew=skew, tables=tables)
    erased = rules.erase(gray)
    lines = mend_words(_reread_unreadable(erased, tesseract.ocr_lines(erased, dpi, lang, psm=11),
                                          dpi, lang), lang)
    return Page(number, width, height, "scanned", lines, skew=skew,
                tables=scanned_tables.image_tables(rules, erased, dpi, lines, number, lang))


def _reread_unreadable(image: Image.Image, lines: list[Line], dpi: int, lang: str) -> list[Line]:
    """Words Tesseract gave up on in the grey page (confidence under
    SETTINGS.unreadable_conf: '2,1' as 'Phi', '75,7' as 'f4SĐƒA' over a shaded cell), and
    numbers it doubts (under SETTINGS.number_conf: '13,7' as '137', '75,9' as '79,9': a
    wrong figure is worse than a wrong letter) are cut out, made black and white, and
    read again together in one call; a reading with a better confidence replaces the
    word."""
    unsure = [(i, j) for i, line in enumerate(lines) for j, w in enumerate(line.words)
              if w.conf is not None and (w.conf < SETTINGS.unreadable_conf or (
                  w.conf < SETTINGS.number_conf and any(c.isdigit() for c in w.text)))]
    if not unsure:
        return lines
    px = dpi / 72.0
    gray = np.asarray(image.convert("L"))
    crops = []
    for i, j in unsure:
        x0, y0, x1, y1 = lines[i].words[j].bbox
        crops.append(otsu(gray[max(0, int(y0 * px) - 4): int(y1 * px) + 4,
                               max(0, int(x0 * px) - 4): int(x1 * px) + 4]))
    for (i, j), (text, conf) in zip(unsure, read_stacked(crops, lang)):
        word = lines[i].words[j]
        if text and conf is not None and conf > (word.conf or 0):
            lines[i].words[j] = Word(text, word.bbox, conf)
    return lines


def _reread_region(gray: Image.Image, table: Table, dpi: int, lang: str) -> Table:
    """A table without rules found in the page's OCR, read again across the page's width
    in sparse-text mode: page layout analysis drops a narrow column of lone row numbers
    ("1", "2") that sparse mode keeps. The table as first found if the second reading
    gives none."""
    px = dpi / 72.0
    top = max(0, int(table.bbox[1] * px) - SETTINGS.table_pad)
    bottom = min(gray.height, int(table.bbox[3] * px) + SETTINGS.table_pad)
    strip = gray.crop((0, top, gray.width, bottom))
    lines = mend_words(tesseract.ocr_lines(strip, dpi, lang, psm=6), lang)
    shift = top / px
    for line in lines:
        for w in line.words:
            w.bbox = (w.bbox[0], w.bbox[1] + shift, w.bbox[2], w.bbox[3] + shift)
    found = borderless_tables(lines, table.page)
    best = max(found, key=lambda t: len(t.rows)) if found else table
    scanned_tables.mend_quarter_numerals(best)
    return best


@lru_cache(maxsize=1)
def _restorer() -> Future:
    """The restorer's model, loaded in a thread: Tesseract runs in its own process, so
    the ~2 s load overlaps the first page's OCR instead of adding to it."""
    return ThreadPoolExecutor(1, thread_name_prefix="restorer").submit(default_restorer)


_SLASHED_NUMBER = re.compile(r"\d{1,4}(?:[Il|/]\d{1,4})+")     # 7I2026, 30I6l2026


_COLON_GROUPED = re.compile(r"\d{1,3}(?:[.:]\d{3})*:\d{3}(?:[.:]\d{3})*")   # 9:378.825


def _mended_number(text: str) -> str:
    """A slash between digits that Tesseract read as a letter ('Tháng 7I2026': in a sans
    font '/' and 'I' differ by their slant only) read as the slash it is; so is a
    thousands point read as a colon under a speck ('9:378.825': a time has no group
    of three digits after its colon, '10:30')."""
    if _SLASHED_NUMBER.fullmatch(text):
        return re.sub(r"[Il|]", "/", text)
    if _COLON_GROUPED.fullmatch(text) and "." in text:
        return text.replace(":", ".")
    return text


_DEBRIS = re.compile(r"[|¦│┃]+|['‘’`]")     # a rule read as bars, a speck as an apostrophe


def mend_words(lines: list[Line], lang: str) -> list[Line]:
    """Tesseract's words mended where it misreads in known ways: a rule down the page read
    as bars ('QUYẾT ĐỊNH |' on the real Đắk Nông land-use scan, where it hid the
    document's type) and a speck read as a lone apostrophe are dropped; a slash between
    digits read as a letter, a thousands point read as a colon (_mended_number); and
    marks. Words Tesseract doubts (confidence under
    SETTINGS.doubtful_conf) get their diacritics re-read against the line by the
    restorer's language model: a misread mark ('BẠN HÀNH', 'Thượng binh') is the
    commonest error of Vietnamese OCR, and such words are 1% of the right ones but two
    thirds of the misread; the words it was sure of are re-read too, at a far higher
    cost per changed mark (Restorer.mend_marks). Marks are left where the model is
    absent or the OCR language is not Vietnamese."""
    restorer = None
    if "vie" in lang.split("+"):
        try:
            restorer = _restorer().result()
        except ModelMissing:
            pass
    out = []
    for line in lines:
        line = Line([w for w in line.words if not _DEBRIS.fullmatch(w.text)])
        if not line.words:
            continue
        texts = [_mended_number(w.text) for w in line.words]
        if restorer is not None:
            texts = restorer.mend_marks(texts, [w.conf is not None
                                                and w.conf < SETTINGS.doubtful_conf
                                                for w in line.words], sure_too=True)
        out.append(Line([Word(t, w.bbox, w.conf) for t, w in zip(texts, line.words)]))
    return out
