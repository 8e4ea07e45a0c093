"""Content-addressed cache of read pages: unchanged inputs are not OCR'd again.

Key: SHA-256 of the source bytes + pipeline version + OCR settings + page batch, so
editing the file, upgrading the pipeline or changing the language redoes exactly that
work, and a run killed half-way keeps every batch it finished.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from extractors.model import Document

from . import __version__
from .output import atomic_write

# Bump when the intermediate changes shape or content for the same input.
INTERMEDIATE_VERSION = 14  # 2: encodings, restoration; 3: tables; 4: page batches; 5: scanned tables;
#                           6: 1-bit OCR input; 7: scanned cells cleaned, letter row numbers;
#                           8: tables of text pages, Roman numerals and abbreviations kept;
#                           9: Roman row numbers mended in scanned tables; 10: scans read at
#                           their own resolution, doubtful OCR marks re-read; 11: cell confidences;
#                           12: Roman quarters mended by their column; 13: cell boxes;
#                           14: restoration reads a document twice (cache prior, list letters)


class Cache:
    def __init__(self, root: Path | None):
        self.root = root

    def key(self, sha256: str, lang: str, pages: str = "") -> str:
        raw = f"{sha256}:{__version__}:{INTERMEDIATE_VERSION}:{lang}:{pages}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json.gz"

    def get(self, key: str) -> Document | None:
        if self.root is None:
            return None
        path = self._path(key)
        try:
            return Document.from_dict(json.loads(gzip.decompress(path.read_bytes())))
        except (OSError, ValueError, KeyError, TypeError):
            return None      # missing or damaged entry: recompute

    def put(self, key: str, doc: Document) -> None:
        if self.root is None:
            return
        data = json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))
        atomic_write(self._path(key), gzip.compress(data.encode("utf-8"), compresslevel=5))
