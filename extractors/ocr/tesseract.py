"""Tesseract, through tesserocr: words with boxes and confidences, and page orientation.

The engine is loaded once per process and kept (tesserocr binds Tesseract's C++ API):
a `tesseract` command spends ~0.08 s starting and loading its model on each of a page's
calls (the page, its cells read again, orientation), and the wheel's Tesseract 5.5 reads
the same pages faster than Debian's 5.3 command (bench.pipeline_speed)."""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import tesserocr
from PIL import Image

from extractors.errors import InputError
from extractors.model import Line, Word

DEFAULT_LANG = "vie"
# No second reading of each doubtful line as white on black: plans print none, and the
# pages read the same 5-10% faster (measured on the bundled scans: identical text).
VARIABLES = {"tessedit_do_invert": "0"}
# Where Debian (tesseract-ocr-vie), other distributions and Homebrew put the language data.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata",
                 "/opt/homebrew/share/tessdata")


class TesseractMissing(InputError):
    stage = "setup"


@lru_cache(maxsize=None)
def tessdata(lang: str = DEFAULT_LANG) -> str:
    """The folder holding every language of `lang` ('vie', 'vie+eng'): $TESSDATA_PREFIX
    first, then the usual places; fails once, clearly, when a language is absent."""
    codes = lang.split("+")
    places = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for place in places + list(TESSDATA_DIRS):
        if all((Path(place) / f"{code}.traineddata").is_file() for code in codes):
            return place
    packages = " ".join(f"tesseract-ocr-{code}" for code in codes)
    raise TesseractMissing(f"Tesseract's '{lang}' language data is not installed; run: "
                           f"sudo apt-get install -y {packages} (or `make setup` as root), "
                           "or set TESSDATA_PREFIX to the folder that holds it")


_LOCK = threading.Lock()      # one Tesseract call at a time in a process (and its stderr)


@lru_cache(maxsize=None)
def _engine(lang: str) -> tesserocr.PyTessBaseAPI:
    """The process's engine for `lang` ('osd': orientation only), kept: loading it costs
    more than reading a few cells."""
    api = tesserocr.PyTessBaseAPI(path=tessdata(lang), lang=lang, oem=tesserocr.OEM.LSTM_ONLY,
                                  psm=tesserocr.PSM.OSD_ONLY if lang == "osd" else tesserocr.PSM.AUTO)
    for name, value in VARIABLES.items():
        api.SetVariable(name, value)
    return api


@contextmanager
def _one_quiet_call() -> Iterator[None]:
    """Tesseract and Leptonica write their notes ('Error in boxClipToRectangle', 'Empty
    page!!') to the process's stderr, where a command kept them to itself: they go
    nowhere, and a failed reading raises instead."""
    with _LOCK:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def ocr_lines(image: Image.Image, dpi: int, lang: str = DEFAULT_LANG, psm: int = 3) -> list[Line]:
    """OCR an image; boxes come back in PDF points (72 per inch) from the top-left."""
    api = _engine(lang)
    with _one_quiet_call():
        api.SetPageSegMode(psm)
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        tsv = api.GetTSVText(0)
        api.Clear()
    scale = 72.0 / dpi
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for row in tsv.splitlines():
        # level, page, block, paragraph, line, word, left, top, width, height, conf, text
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text, conf = cells[11].strip(), float(cells[10])
        if not text or conf < 0:
            continue
        x, y, w, h = (int(c) for c in cells[6:10])
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        lines.setdefault(key, []).append(
            Word(text, (x * scale, y * scale, (x + w) * scale, (y + h) * scale), conf))
    return [Line(words) for _, words in sorted(lines.items(), key=lambda kv: kv[0])]


def detect_rotation(image: Image.Image) -> tuple[int, float]:
    """Degrees (0/90/180/270) to turn the image clockwise to make it upright, and confidence."""
    api = _engine("osd")
    with _one_quiet_call():
        api.SetImage(image)
        found = api.DetectOrientationScript()
        api.Clear()
    if not found:
        return 0, 0.0      # too little text to decide: leave the page as it is
    return (360 - found["orient_deg"]) % 360, float(found["orient_conf"])


def version() -> str:
    """The Tesseract that reads the pages (a cache key: another version reads otherwise)."""
    return tesserocr.tesseract_version().split()[1]
