"""Agencies named as issuers: id, level and jurisdiction from the canonical name.

A first slice of the agency registry (issue 5 brings the full one with aliases,
fuzzy matching and the 2025 successors).
"""
from __future__ import annotations

import re

from .text import fold

# (pattern on the accent-folded name, level); first match wins.
LEVELS = [
    (r"\b(thanh uy|tinh uy|huyen uy|quan uy|dang uy|ban chap hanh|ban thuong vu)\b", "party"),
    (r"\bmat tran to quoc\b", "mass_organisation"),
    (r"\b(phuong|xa|thi tran|dac khu)\b", "commune"),
    (r"\b(quan|huyen|thi xa)\b", "district"),
    (r"\b(thanh pho|tinh)\b", "province"),
    (r"^(chinh phu|thu tuong|bo |quoc hoi)", "central"),
]
_PLACE = re.compile(r"\b(?:thành phố|tỉnh|quận|huyện|thị xã|phường|xã|thị trấn|đặc khu)\s+"
                    r"(?P<place>[A-ZĐÀ-Ỹ].*)$")


def agency_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def agency_row(name: str) -> dict:
    key = fold(name)
    level = next((lvl for pattern, lvl in LEVELS if re.search(pattern, key)), "other")
    m = _PLACE.search(name)
    return {"agency_id": agency_id(name), "canonical_name": name, "level": level,
            "jurisdiction": m["place"] if m and level != "central" else "", "aliases": name}
