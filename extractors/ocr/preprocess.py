"""Page image clean-up before OCR: orientation and skew (OpenCV)."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from extractors.ocr import tesseract
from pipeline.settings import SETTINGS


STRIPS = 40


def estimate_skew(gray: np.ndarray, max_angle: float = 5.0) -> float:
    """Skew in degrees (counter-clockwise positive) by the sharpest row projection profile.

    Text lines give sharp peaks in the row sums only when they are level, so the angle
    that maximises the variance of the profile's differences is the page's skew.
    Rotating the image for every candidate angle is what costs; instead the row profiles
    of 40 vertical strips are computed once and shifted against each other as the angle
    would shear them (exact enough for a few degrees). Coarse-to-fine, ~8 ms a page.
    """
    scale = 1000.0 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if binary.sum() < 50:
        return 0.0
    h, w = binary.shape
    edges = np.linspace(0, w, STRIPS + 1).astype(int)
    strips = [binary[:, a:b].sum(axis=1, dtype=np.float64) for a, b in zip(edges, edges[1:])]
    centres = (edges[:-1] + edges[1:]) / 2 - w / 2
    pad = int(np.ceil(w * np.tan(np.radians(max_angle + 1)))) + 1

    def sharpness(angle: float) -> float:
        shifts = np.rint(-centres * np.tan(np.radians(angle))).astype(int)
        profile = np.zeros(h + 2 * pad)
        for shift, rows in zip(shifts, strips):
            profile[pad + shift: pad + shift + h] += rows
        return float(np.var(np.diff(profile)))

    best = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    return float(round(max(fine, key=sharpness), 2))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """Grayscale and level. Returns (image, degrees turned)."""
    gray = np.asarray(image.convert("L"))
    skew = estimate_skew(gray)
    if abs(skew) >= 0.1:
        gray = rotate(gray, skew)
    return Image.fromarray(gray), skew


def without_seals(image: Image.Image) -> Image.Image:
    """The page in grey with its red ink made paper: a seal stamped over the signer's
    name (or over text) is red, and OCR reads its ring of letters as words or loses the
    text under it. Text under the seal stays, being dark; blue ink stays too, since the
    number and day are often written in blue after signing and Tesseract reads them
    ('Số: 05/2019/NQ-HĐND', daknong-drl-nq-05-2019-hdnd-scan.pdf)."""
    if image.mode != "RGB":
        return image.convert("L")
    rgb = np.asarray(image)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not _red_ink(cv2.resize(rgb, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)).any():
        return Image.fromarray(gray)      # a quarter-size look decides most pages in ~5 ms
    red = _red_ink(rgb)
    # the pale, less saturated fringe of the seal's strokes goes too, else OCR reads its
    # ring of letters as words ("Nà Te P Tin"); dark text under the seal stays
    near = cv2.dilate(red.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    gray[red | (near & (gray > SETTINGS.seal_keep_below))] = 255
    return Image.fromarray(gray)


def _red_ink(rgb: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return (((hue <= SETTINGS.seal_hue) | (hue >= 180 - SETTINGS.seal_hue))
            & (sat >= SETTINGS.seal_saturation) & (val >= SETTINGS.seal_value))


def pen_ink(image: Image.Image) -> np.ndarray | None:
    """Where the page is in blue pen ink (True), or None for a page with none, or in grey:
    the number and day are written in by hand after signing, and OCR reads handwriting
    as other text with confidence."""
    if image.mode != "RGB":
        return None
    rgb = np.asarray(image)
    if not _pen_ink(cv2.resize(rgb, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)).any():
        return None
    return _pen_ink(rgb)


def _pen_ink(rgb: np.ndarray) -> np.ndarray:
    """Blue, and coloured enough in absolute terms: black print through a scanner's blue
    cast, (20, 25, 45), is saturated in HSV terms but has little colour."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    chroma = sat.astype(np.uint16) * val // 255
    return ((hue >= SETTINGS.pen_hue_min) & (hue <= SETTINGS.pen_hue_max)
            & (sat >= SETTINGS.pen_saturation) & (chroma >= SETTINGS.pen_chroma))


def turn_upright(image: Image.Image) -> tuple[Image.Image, int]:
    """Turn a page that lies on its side or upside down (tesseract OSD). Returns (image, degrees)."""
    rotation, conf = tesseract.detect_rotation(image)
    if rotation and conf >= 2.0:
        return image.rotate(-rotation, expand=True, fillcolor=255), rotation
    return image, 0
