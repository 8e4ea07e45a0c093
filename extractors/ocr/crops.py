"""Small pieces of a page read again, together: crops stacked one under another with
white between them go to Tesseract in one call (a call costs ~0.1 s however small the
image), and each reading goes back to the crop its line centre falls in."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from normalizers.text import squash

from extractors.ocr.tesseract import ocr_lines

GAP = 30                  # white pixels between stacked crops
MARGIN = 20
MAX_HEIGHT = 30_000       # Tesseract reads no image taller than 32,767 pixels


def otsu(crop: np.ndarray) -> np.ndarray:
    """A grey crop in black and white by its own Otsu threshold."""
    return cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def read_stacked(crops: list[np.ndarray], lang: str) -> list[tuple[str, float | None]]:
    """(text, mean word confidence) of each crop, ("", None) where nothing was read; as
    many calls as it takes to keep each stack within MAX_HEIGHT (a page upside down is
    hundreds of doubtful words)."""
    out, batch, height = [], [], GAP
    for crop in crops:
        if batch and height + crop.shape[0] + GAP > MAX_HEIGHT:
            out += _read_stack(batch, lang)
            batch, height = [], GAP
        batch.append(crop)
        height += crop.shape[0] + GAP
    return out + (_read_stack(batch, lang) if batch else [])


def _read_stack(crops: list[np.ndarray], lang: str) -> list[tuple[str, float | None]]:
    width = max(c.shape[1] for c in crops) + 2 * MARGIN
    strip = np.full((sum(c.shape[0] + GAP for c in crops) + GAP, width), 255, np.uint8)
    spans, y = [], GAP
    for crop in crops:
        strip[y:y + crop.shape[0], MARGIN:MARGIN + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + GAP
    texts: list[list[str]] = [[] for _ in crops]
    confs: list[list[float]] = [[] for _ in crops]
    for line in ocr_lines(Image.fromarray(strip), 72, lang, psm=6):     # boxes in pixels
        for word in line.words:
            cy = (word.bbox[1] + word.bbox[3]) / 2
            k = next((k for k, (a, b) in enumerate(spans) if a <= cy <= b), None)
            if k is not None:
                texts[k].append(word.text)
                confs[k].append(word.conf or 0.0)
    return [(squash(" ".join(t)), sum(c) / len(c) if c else None) for t, c in zip(texts, confs)]
