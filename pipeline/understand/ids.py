"""Stable row ids: the same input gives the same id, so corrections keep their row."""
from __future__ import annotations

import hashlib


def stable_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
