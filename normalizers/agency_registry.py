"""Agency names as printed -> canonical agencies of the registry (data/agencies.yaml).

Abbreviations are expanded first ("Sở LĐTBXH" -> "Sở Lao động - Thương binh và Xã hội"),
then the name is matched accent-insensitively against every canonical name and alias,
with a fuzzy fallback (RapidFuzz) for OCR typos. Lists are split on ";" and before a
comma that opens a new agency, so "các quận, huyện, thị xã" stays one name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from normalizers.agencies import agency_id
from normalizers.text import squash

DATA = Path(__file__).parent / "data" / "agencies.yaml"
FUZZY_MIN = 88
_HEADS = r"(?:Sở|Ban|Bảo hiểm|Cục|Hội|Ủy ban|UBND|MTTQ|Ngân hàng|Chi nhánh|Liên đoàn|Công an|Bộ Chỉ huy|Đài|Báo|Viện|Tòa|Kho bạc|Thành đoàn|Đoàn|[Cc]ác (?:sở|tổ chức|cơ quan|đơn vị))"
_SPLIT = re.compile(r";|,\s*(?:và\s+)?(?=" + _HEADS + r"\b)|\s+và\s+(?=" + _HEADS + r"\b)")


@dataclass
class Match:
    raw: str
    name: str        # canonical name, or the cleaned raw text when unmatched
    score: float     # 0..1
    matched: bool


@lru_cache(maxsize=1)
def registry() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    keys = {}
    for entry in data["agencies"]:
        for alias in [entry["name"], *entry.get("aliases", [])]:
            keys[_key(expand(alias, data["abbreviations"]))] = entry["name"]
    data["keys"] = keys
    return data


def _key(name: str) -> str:
    return agency_id(name)


def expand(name: str, abbreviations: dict[str, str] | None = None) -> str:
    abbreviations = abbreviations if abbreviations is not None else registry()["abbreviations"]
    s = squash(name)
    for short, full in sorted(abbreviations.items(), key=lambda kv: -len(kv[0])):
        s = re.sub(r"(?<!\w)" + re.escape(short) + r"(?!\w)", full, s)
    s = re.sub(r"\s*[-–]\s*", " - ", s)
    return squash(s.strip(" ,.;:"))


def resolve(raw: str) -> Match:
    text = expand(raw)
    if not text:
        return Match(raw, "", 0.0, False)
    reg = registry()
    key = _key(text)
    if key in reg["keys"]:
        return Match(raw, reg["keys"][key], 1.0, True)
    best = process.extractOne(key, list(reg["keys"]), scorer=fuzz.ratio)
    if best and best[1] >= FUZZY_MIN:
        return Match(raw, reg["keys"][best[0]], best[1] / 100, True)
    return Match(raw, text[:1].upper() + text[1:], 0.5, False)


def split_agencies(raw: str) -> list[str]:
    parts = [squash(p).strip(" ,.;") for p in _SPLIT.split(squash(raw))]
    return [p for p in parts if p]


def resolve_list(raw: str) -> list[Match]:
    return [resolve(p) for p in split_agencies(raw)]
