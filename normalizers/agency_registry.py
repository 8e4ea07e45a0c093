"""Agency names as printed -> canonical agencies of the registry (data/agencies.yaml).

Abbreviations are expanded first ("Sở LĐTBXH" -> "Sở Lao động - Thương binh và Xã hội"),
then the name is matched accent-insensitively against every canonical name and alias,
with a fuzzy fallback (RapidFuzz) for OCR typos. Lists are split on ";" and before a
comma that opens a new agency, so "các quận, huyện, thị xã" stays one name, and a shared
head is handed out ("Các Sở: Tài chính, Nội vụ" is Sở Tài chính and Sở Nội vụ).
The same file gives each agency its level, jurisdiction and 2025 successor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from normalizers.text import fold, squash

DATA = Path(__file__).parent / "data" / "agencies.yaml"
FUZZY_MIN = 88
_HEADS = r"(?:Sở|Ban|Bảo hiểm|Cục|Hội|Ủy ban|UBND|MTTQ|Ngân hàng|Chi nhánh|Liên đoàn|Công an|Bộ Chỉ huy|Đài|Báo|Viện|Tòa|Kho bạc|Thành đoàn|Đoàn|[Cc]ác (?:sở|tổ chức|cơ quan|đơn vị|trường))"
_SPLIT = re.compile(r";|,\s*(?:và\s+)?(?=" + _HEADS + r"\b)|\s+và\s+(?=" + _HEADS + r"\b)")
_SHARED_HEAD = re.compile(r"^(?:[Cc]ác\s+)?(?P<head>Sở)\s*:?\s+(?P<rest>.+,.+)$")
_STARTS_NEW = re.compile(r"^(?:" + _HEADS + r"|[Cc]ác)\b")


@dataclass
class Match:
    raw: str
    name: str        # canonical name, or the cleaned raw text when unmatched
    score: float     # 0..1
    matched: bool


def agency_id(name: str) -> str:
    """Accent-free slug: the key names are matched by and agency ids are made of."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


@lru_cache(maxsize=1)
def registry() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    keys, entries = {}, {}
    for entry in data["agencies"]:
        entries[entry["name"]] = entry
        for alias in [entry["name"], *entry.get("aliases", [])]:
            keys[agency_id(expand(alias, data["abbreviations"]))] = entry["name"]
    data["keys"], data["entries"] = keys, entries
    data["level_rules"] = [(level, re.compile(p)) for level, p in data["levels"]]
    units = sorted(data["admin_units"], key=len, reverse=True)
    data["place"] = re.compile(r"\b(?P<unit>" + "|".join(units) + r")\s+(?P<place>[A-ZĐÀ-Ỹ].*)$")
    return data


def admin_units() -> list[str]:
    """Names of administrative units ("thành phố", "phường", ...), longest first."""
    return sorted(registry()["admin_units"], key=len, reverse=True)


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
    key = agency_id(text)
    if key in reg["keys"]:
        return Match(raw, reg["keys"][key], 1.0, True)
    best = process.extractOne(key, list(reg["keys"]), scorer=fuzz.ratio)
    if best and best[1] >= FUZZY_MIN:
        return Match(raw, reg["keys"][best[0]], best[1] / 100, True)
    return Match(raw, text[:1].upper() + text[1:], 0.5, False)


def _hand_out_head(part: str) -> list[str]:
    """'Các Sở: Tài chính, Nội vụ' -> ['Sở Tài chính', 'Sở Nội vụ']; a piece that starts
    a new kind of agency ('các trường Đại học, ...') keeps the rest of the list."""
    m = _SHARED_HEAD.match(part)
    if not m or resolve(part).matched:
        return [part]
    pieces = [p.strip() for p in m["rest"].split(",")]
    out = []
    for i, piece in enumerate(pieces):
        if _STARTS_NEW.match(piece):
            out.append(", ".join(pieces[i:]))
            break
        named = f"{m['head']} {piece}"
        if not resolve(named).matched and " và " in piece:
            halves = [f"{m['head']} {h.strip()}" for h in piece.split(" và ")]
            if all(resolve(h).matched for h in halves):
                out += halves
                continue
        out.append(named)
    return out


def split_agencies(raw: str) -> list[str]:
    parts = [squash(p).strip(" ,.;") for p in _SPLIT.split(squash(raw))]
    return [q for p in parts if p for q in _hand_out_head(p)]


def resolve_list(raw: str) -> list[Match]:
    return [resolve(p) for p in split_agencies(raw)]


def agency_row(name: str, issuer: str = "", spellings: tuple[str, ...] = ()) -> dict:
    """agencies.csv row: level and jurisdiction from the registry, the name's own place
    ("phường Bắc Sơn"), else the issuer's ("Sở Y tế" in a Hà Nội plan is Hà Nội's)."""
    reg = registry()
    entry = reg["entries"].get(name, {})
    place = reg["place"].search(name)
    own = issuer_row = None
    if place:
        own = reg["admin_units"][place["unit"]]
    key = fold(name)
    level = entry.get("level") or next((lvl for lvl, rx in reg["level_rules"] if rx.search(key)),
                                       own)
    if level is None and issuer and issuer != name:
        issuer_row = agency_row(issuer)
        level = issuer_row["level"]
    level = level or "other"
    jurisdiction = ""
    if level != "central":
        if place:
            jurisdiction = place["place"]
        elif issuer and issuer != name:
            jurisdiction = (issuer_row or agency_row(issuer))["jurisdiction"]
    in_name = not jurisdiction or agency_id(jurisdiction) in agency_id(name)
    successor = entry.get("successor", "")
    return {"agency_id": agency_id(name if in_name else f"{name} {jurisdiction}"),
            "canonical_name": name, "level": level, "jurisdiction": jurisdiction,
            "aliases": ";".join(dict.fromkeys([name, *spellings])),
            "successor_id": agency_id(f"{successor} {jurisdiction}" if successor and
                                      jurisdiction else successor) if successor else "",
            "successor_since": entry.get("successor_since", "")}
