"""Content-addressed cache of read pages and repaired documents: unchanged inputs are
not read again.

Key: SHA-256 of the source bytes + the fingerprint of the code and data that reading
depends on + OCR language + what is cached (a page batch, or the repaired document).
Editing the file, any module, lexicon or model on the cached path, a setting, the
Tesseract version or the language redoes exactly that work; nobody bumps a version by hand. A
run killed half-way keeps every batch it finished.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from extractors.model import Document

from pipeline.runtime import storage
from pipeline.runtime.storage import Location

ROOT = Path(__file__).resolve().parents[2]
# What a cached page batch or repaired document is computed by: every module and data
# file of the readers and normalisers (restorer model included) and the repair step.
CACHED_PATH = ("extractors", "normalizers", "pipeline/repair.py", "pipeline/recipe.py",
               "pipeline/settings.py")
_HASHED = {".py", ".yaml", ".yml", ".tsv", ".txt", ".json", ".npz"}


def fingerprint(root: Path = ROOT, parts: tuple[str, ...] = CACHED_PATH) -> str:
    """SHA-256 over the contents (and relative paths) of the files on the cached path."""
    h = hashlib.sha256()
    for part in parts:
        base = root / part
        files = [base] if base.is_file() else sorted(
            f for f in base.rglob("*") if f.is_file() and f.suffix in _HASHED
            and "__pycache__" not in f.parts)
        for f in files:
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    return f"{fingerprint()}:{_tesseract_version()}"


def _settings_digest() -> str:
    from pipeline.settings import SETTINGS
    return SETTINGS.digest()


def _tesseract_version() -> str:
    try:
        from extractors.ocr import tesseract
        return tesseract.version()
    except ImportError:     # no Tesseract: nothing is OCR'd, text layers are still cached
        return "none"


class Cache:
    def __init__(self, root: Location | None, code: str | None = None):
        """root: a folder, a URL (s3://bucket/cache: workers on other machines share
        it), or None for no cache."""
        self.root = root
        self._code = code

    @property
    def code(self) -> str:
        """What entries are keyed by: the code's fingerprint (computed once per process)
        and the settings in force."""
        if self._code is None:
            self._code = f"{_code_fingerprint()}:{_settings_digest()}"
        return self._code

    def key(self, sha256: str, lang: str, what: str = "") -> str:
        """The entry's key; "" without a cache folder (nothing to key, and no reason to
        fingerprint the code in every worker of a --no-cache run)."""
        if self.root is None:
            return ""
        raw = f"{sha256}:{self.code}:{lang}:{what}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def _where(self, key: str) -> Location:
        assert self.root is not None
        return storage.join(self.root, key[:2], f"{key}.json.gz")

    def get(self, key: str) -> Document | None:
        if self.root is None:
            return None
        try:
            data = storage.read_bytes(self._where(key))
            return Document.from_dict(json.loads(gzip.decompress(data)))
        except (OSError, ValueError, KeyError, TypeError):
            return None      # missing or damaged entry: recompute

    def put(self, key: str, doc: Document) -> None:
        if self.root is None:
            return
        data = json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))
        storage.write_bytes(self._where(key), gzip.compress(data.encode("utf-8"), compresslevel=5))
