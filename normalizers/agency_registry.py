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

from rapidfuzz import fuzz, process

from normalizers import lexicon
from normalizers.admin_units import SINCE, Unit, new_commune, new_province
from normalizers.text import fold, squash

DATA = Path(__file__).parent / "data" / "agencies.yaml"
FUZZY_MIN = 88
_HEADS = "(?:" + "|".join([
    "Sở", "Ban", "Bảo hiểm", "Cục", "Hội", "Ủy ban", "UBND", "MTTQ", "Ngân hàng", "Chi nhánh",
    "Liên đoàn", "Công an", "Bộ Chỉ huy", "Đài", "Báo", "Viện", "Tòa", "Kho bạc", "Thành đoàn",
    "Đoàn", "Phòng", "Văn phòng", "Trung tâm", "Thanh tra", "Bộ", "Trường", "Lãnh đạo",
    "Tỉnh đoàn", "Ủy ban nhân dân", "[Cc]ác (?:sở|tổ chức|cơ quan|đơn vị|trường|xã|phường|huyện)"]) + ")"
# ";" (or ":" a scan read for it) before an agency, "," before one, " và " before one
_SPLIT = re.compile(r";|:\s*(?=" + _HEADS + r"\b)|,\s*(?:và\s+)?(?=" + _HEADS + r"\b)"
                    r"|\s+và\s+(?=" + _HEADS + r"\b)")
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
    data = lexicon.load(DATA, {"admin_units": dict, "levels": list, "abbreviations": dict,
                              "titles": list, "agencies": (list, ("name",))})
    data["abbreviations"] = {_dashes(k): v for k, v in data["abbreviations"].items()}
    data["title_re"] = re.compile(r"^(?:" + "|".join(map(re.escape, data["titles"])) + r")\s+")
    keys, entries = {}, {}
    for entry in data["agencies"]:
        entries[entry["name"]] = entry
        for alias in [entry["name"], *entry.get("aliases", [])]:
            keys[agency_id(expand(alias, data["abbreviations"]))] = entry["name"]
    data["keys"], data["entries"] = keys, entries
    data["compact"] = {k.replace("-", ""): name for k, name in keys.items()}
    data["level_rules"] = [(level, re.compile(p)) for level, p in data["levels"]]
    units = sorted(data["admin_units"], key=len, reverse=True)
    data["place"] = re.compile(r"\b(?P<unit>" + "|".join(units) + r")\s+(?P<place>[A-ZĐÀ-Ỹ].*)$")
    return data


def admin_units() -> list[str]:
    """Names of administrative units ("thành phố", "phường", ...), longest first."""
    return sorted(registry()["admin_units"], key=len, reverse=True)


def _dashes(s: str) -> str:
    """Every dash between words as " - " (scans print "Lao động– TB&XH", "Sở Y tế —")."""
    return re.sub(r"\s*[-–—‒‐]\s*", " - ", s)


def expand(name: str, abbreviations: dict[str, str] | None = None) -> str:
    abbreviations = abbreviations if abbreviations is not None else registry()["abbreviations"]
    s = _dashes(squash(name))
    for short, full in sorted(abbreviations.items(), key=lambda kv: -len(kv[0])):
        s = re.sub(r"(?<!\w)" + re.escape(short) + r"(?!\w)", full, s, flags=re.I)
    return squash(_dashes(s).strip(" ,.;:-"))


def _named(name: str) -> str:
    """The name expanded, without a title before it ("Lãnh đạo Sở Y tế" is Sở Y tế)."""
    return registry()["title_re"].sub("", expand(name))


def resolve(raw: str) -> Match:
    text = _named(raw)
    if not text:
        return Match(raw, "", 0.0, False)
    reg = registry()
    key = agency_id(text)
    if key in reg["keys"]:
        return Match(raw, reg["keys"][key], 1.0, True)
    # a scan that lost the spaces ("SởVHTT&DL", "UBNDcấpxã"): split where the case
    # changes, expand, and compare without spaces
    spaced = _named(re.sub(r"(?<=[a-zà-ỹđ])(?=[A-ZĐÀ-Ỹ])|(?<=[A-ZĐ]{2})(?=[a-zà-ỹđ]{2})", " ", text))
    compact = agency_id(spaced).replace("-", "")
    if compact in reg["compact"]:
        return Match(raw, reg["compact"][compact], 0.95, True)
    for candidate, score, _ in process.extract(key, list(reg["keys"]), scorer=fuzz.ratio,
                                               limit=5, score_cutoff=FUZZY_MIN):
        if _jurisdiction(candidate) == _jurisdiction(key):   # a city's body is no province's
            return Match(raw, reg["keys"][candidate], score / 100, True)
    return Match(raw, text[:1].upper() + text[1:], 0.5, False)


def _jurisdiction(key: str) -> set[str]:
    return set(re.findall(r"(?<![a-z])(?:tinh|thanh-pho)(?![a-z])", key))


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


def _known(name: str) -> bool:
    return agency_id(_named(name)) in registry()["keys"]


def split_agencies(raw: str) -> list[str]:
    """The agencies a cell names, in order; a registry name with a comma inside ("Sở Văn
    hóa, Thể thao và Du lịch", "UBND các xã, phường, đặc khu") is never cut there."""
    parts = [squash(p).strip(" ,.;") for p in _SPLIT.split(squash(raw))]
    parts = [p for p in parts if p]
    joined: list[str] = []
    for part in parts:
        if joined and not _known(part) and _known(f"{joined[-1]}, {part}"):
            joined[-1] = f"{joined[-1]}, {part}"
        else:
            joined.append(part)
    return [q for p in joined for q in _hand_out_head(p)]


def looks_like_agency(text: str) -> bool:
    """Whether a cell names an agency (one the registry knows, or one that opens with an
    agency's head word: "Sở ...", "UBND ...", "Các cơ quan ..."), for telling a column of
    agencies from one of tasks or dates."""
    first = split_agencies(text)[:1]
    if not first:
        return False
    name = _named(first[0])
    return resolve(name).matched or bool(_STARTS_NEW.match(name))


def resolve_list(raw: str) -> list[Match]:
    return [resolve(p) for p in split_agencies(raw)]


def _place_in(name: str) -> Unit | None:
    """The administrative unit a name is named after ("... phường Bắc Sơn")."""
    m = registry()["place"].search(name)
    return Unit(m["unit"], m["place"]) if m else None


def _reorganised(unit: Unit | None, level: str, province: str) -> Unit | None:
    """What a commune or province jurisdiction became on 1 July 2025, if it changed."""
    if unit is None:
        return None
    if level == "commune" and province:
        return new_commune(unit, province)
    if level == "province":
        merged = new_province(unit.name)
        return Unit(unit.kind, merged) if merged else None
    return None


def agency_row(name: str, issuer: str = "", spellings: tuple[str, ...] = (),
               province: str = "") -> dict:
    """agencies.csv row: level and jurisdiction from the registry, the name's own place
    ("phường Bắc Sơn"), else the issuer's ("Sở Y tế" in a Hà Nội plan is Hà Nội's).
    The successor is the registry's (a merged department) in the unit the jurisdiction
    became in 2025 (a merged commune or province; province: the one a commune is in)."""
    reg = registry()
    entry = reg["entries"].get(name, {})
    own = _place_in(name)
    other = issuer if issuer != name else ""    # the plan that names this agency
    key = fold(name)
    level = entry.get("level") or next((lvl for lvl, rx in reg["level_rules"] if rx.search(key)),
                                       reg["admin_units"][own.kind] if own else None)
    if level is None and other:
        level = agency_row(other, province=province)["level"]
    level = level or "other"
    where = None
    if level != "central":
        where = own or (_place_in(other) if other else None)
    jurisdiction = where.name if where else ""
    in_name = not jurisdiction or agency_id(jurisdiction) in agency_id(name)
    moved = _reorganised(where, level, province)
    successor = entry.get("successor", "")
    successor_name = ""
    if successor or moved:
        base = successor or name
        if moved and own:
            successor_name = base.replace(str(own), str(moved))
        else:
            place = (moved or where).name if moved or where else ""
            named = not place or agency_id(place) in agency_id(base)
            successor_name = base if named else f"{base} {place}"
    return {"agency_id": agency_id(name if in_name else f"{name} {jurisdiction}"),
            "canonical_name": name, "level": level, "jurisdiction": jurisdiction,
            "aliases": ";".join(dict.fromkeys([name, *spellings])),
            "successor_id": agency_id(successor_name) if successor_name else "",
            "successor_since": SINCE if moved else entry.get("successor_since", "")}
