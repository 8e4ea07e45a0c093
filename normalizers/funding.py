"""Funding sources: 'Kinh phí TW', 'ĐP', 'Ngân sách Thành phố', 'Xã hội hóa', ... ->
canonical names, from the lexicon in data/funding.yaml."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from normalizers import lexicon
from normalizers.text import fold

DATA = Path(__file__).parent / "data" / "funding.yaml"


@lru_cache(maxsize=1)
def _sources() -> list[tuple[str, re.Pattern]]:
    data = lexicon.load(DATA, {"sources": (list, ("name", "patterns"))})
    return [(s["name"], re.compile("|".join(s["patterns"]))) for s in data["sources"]]


def funding_sources(text: str) -> list[str]:
    """Every canonical source the text names, in the lexicon's order."""
    key = fold(text or "")
    return [name for name, rx in _sources() if rx.search(key)]
