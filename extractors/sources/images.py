"""Image sources (PNG, JPEG, multi-page TIFF), with a guard against decompression bombs."""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from extractors.errors import CorruptInput, ImageTooLarge

MAX_PIXELS = 100_000_000     # ~ an A0 page at 300 dpi; a 20,000 x 20,000 image is refused
DEFAULT_DPI = 300


def image_pages(path: Path) -> Iterator[tuple[Image.Image, int]]:
    """Yield (frame, dpi) for every frame of an image file."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            w, h = img.size
            if w * h > MAX_PIXELS:
                raise ImageTooLarge(f"image is {w}x{h} pixels, over the {MAX_PIXELS:,} pixel "
                                    "limit; downscale it to 300 dpi before extraction")
            for frame in ImageSequence.Iterator(img):
                dpi = frame.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
                dpi = int(dpi) if 50 <= dpi <= 1200 else DEFAULT_DPI
                frame.load()
                yield frame.copy(), dpi
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"image is over the {MAX_PIXELS:,} pixel limit (refused as a "
                            "possible decompression bomb); downscale it to 300 dpi before "
                            "extraction") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise CorruptInput(f"image cannot be decoded ({exc}); re-export it as PNG or TIFF") from exc
