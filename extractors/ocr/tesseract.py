"""Tesseract, through pytesseract: words with boxes and confidences, and page orientation."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import pytesseract
from PIL import Image

from extractors.errors import InputError
from extractors.model import Line, Word

DEFAULT_LANG = "vie"
# No second reading of each doubtful line as white on black: plans print none, and the
# pages read the same 5-10% faster (measured on the bundled scans: identical text).
NO_INVERT = "-c tessedit_do_invert=0"


class TesseractMissing(InputError):
    stage = "setup"


@lru_cache(maxsize=None)
def check_installed(lang: str = DEFAULT_LANG) -> None:
    """Fail once, clearly, when tesseract or its language data is absent."""
    if shutil.which("tesseract") is None:
        raise TesseractMissing("tesseract is not installed; run: sudo apt-get install -y "
                               "tesseract-ocr tesseract-ocr-vie (or `make setup` as root)")
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    have = set(out.split()[1:]) if out else set()
    for code in lang.split("+"):
        if code not in have:
            raise TesseractMissing(f"tesseract has no '{code}' language data; run: sudo apt-get "
                                   f"install -y tesseract-ocr-{code}")


@contextmanager
def _as_bmp(image: Image.Image) -> Iterator[str]:
    """The image as an uncompressed temporary file: pytesseract would write a PNG, and
    compressing a 300 dpi page costs ~0.18 s, over 10% of the OCR itself."""
    with tempfile.NamedTemporaryFile(suffix=".bmp", prefix="vnplan-") as f:
        image.save(f, format="BMP")
        f.flush()
        yield f.name


def ocr_lines(image: Image.Image, dpi: int, lang: str = DEFAULT_LANG, psm: int = 3) -> list[Line]:
    """OCR an image; boxes come back in PDF points (72 per inch) from the top-left."""
    check_installed(lang)
    with _as_bmp(image) as path:
        data = pytesseract.image_to_data(path, lang=lang,
                                         config=f"--oem 1 --psm {psm} {NO_INVERT}",
                                         output_type=pytesseract.Output.DICT)
    scale = 72.0 / dpi
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for i, text in enumerate(data["text"]):
        text = text.strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y, w, h = (data[k][i] for k in ("left", "top", "width", "height"))
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(
            Word(text, (x * scale, y * scale, (x + w) * scale, (y + h) * scale), conf))
    return [Line(words) for _, words in sorted(lines.items(), key=lambda kv: kv[0])]


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_rotation(image: Image.Image) -> tuple[int, float]:
    """Degrees (0/90/180/270) to turn the image clockwise to make it upright, and confidence."""
    check_installed("osd")
    try:
        with _as_bmp(image) as path:
            out = pytesseract.image_to_osd(path, config="--psm 0")
    except pytesseract.TesseractError:
        return 0, 0.0      # too little text to decide: leave the page as it is
    rot = _ROTATE.search(out)
    conf = _CONF.search(out)
    return (int(rot.group(1)) if rot else 0), (float(conf.group(1)) if conf else 0.0)
