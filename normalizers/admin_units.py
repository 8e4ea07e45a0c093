"""The 2025 reorganisation of administrative units (in force 1 July 2025): the province
and the commune an old one became, from underthesea's mapping of every old ward and
commune (underthesea/address/data/mapping.json, read as data: no address parsing).

Districts were abolished on the same day; they have no successor unit.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from importlib.util import find_spec

from normalizers.text import fold

# Found without importing underthesea (which loads its whole NLP stack, seconds).
MAPPING = Path(find_spec("underthesea").submodule_search_locations[0]) / "address" / "data" \
    / "mapping.json"
SINCE = "2025-07-01"
_UNITS = ("thành phố", "tỉnh", "phường", "xã", "thị trấn", "đặc khu")


@dataclass(frozen=True)
class Unit:
    kind: str       # "phường", "xã", "tỉnh", "thành phố", ...
    name: str       # "Kiến An"

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def _key(s: str) -> str:
    """underthesea's key: folded, letters and digits ("Phường Bắc Sơn" -> "phuongbacson")."""
    return re.sub(r"[^a-z0-9]", "", fold(s))


def _unit(full: str) -> Unit:
    """'Phường Kiến An' -> Unit('phường', 'Kiến An')."""
    low = full.lower()
    kind = next((k for k in _UNITS if low.startswith(k + " ")), "")
    return Unit(kind, full[len(kind):].strip()) if kind else Unit("", full)


@lru_cache(maxsize=1)
def _mapping() -> dict:
    data = json.loads(MAPPING.read_text(encoding="utf-8"))
    wards: dict[tuple[str, str], list[dict]] = {}
    for r in data["ward_mapping"]:
        wards.setdefault((r["old_province_key"], r["old_ward_key"]), []).append(r)
    by_short = {_key(p["short"]): key for key, p in data["old_province_names"].items()}
    shorts = sorted(((fold(p["short"]), key) for key, p in data["old_province_names"].items()),
                    key=lambda kv: -len(kv[0]))
    mention = re.compile(r"\b(?:thanh pho|tinh)\s+(" + "|".join(re.escape(s) for s, _ in shorts)
                         + r")\b")
    districts = {r["old_district_key"]: r["old_district"] for r in data["ward_mapping"]}
    return {"wards": wards, "by_short": by_short, "mention": mention, "districts": districts,
            "old": data["old_province_names"], "new": data["province_names"],
            "province": data["province_mapping"]}


def province_key(name: str) -> str | None:
    """The old province a name ("Hải Phòng", "thành phố Hải Phòng") stands for."""
    m = _mapping()
    return m["by_short"].get(_key(name)) or (_key(name) if _key(name) in m["old"] else None)


def province_name(name: str) -> str | None:
    """The province's own spelling of a name OCR read with its marks astray ("Đăk Nông"
    -> "Đắk Nông"); None for no province."""
    key = province_key(name)
    return _mapping()["old"][key]["short"] if key else None


def district_name(level: str, name: str) -> str | None:
    """A pre-2025 district's own spelling of a name OCR read with a mark astray
    ("huyện", "Krông Nó" -> "Krông Nô"); None for no district."""
    full = _mapping()["districts"].get(_key(f"{level} {name}"))
    return full[len(level):].strip() if full else None


def official_name(level: str, name: str) -> str | None:
    """The name of a unit at `level` ("tỉnh", "huyện", ...) as the unit spells itself: a
    province's for a province level, else a district's; None where no register knows it."""
    own = province_name(name) if level in ("tỉnh", "thành phố") else None
    return own or district_name(level, name)


def province_in(text: str) -> str | None:
    """The province a text names most often ("thành phố Hải Phòng", "tỉnh Thái Nguyên"),
    by its short name; None when it names none."""
    m = _mapping()
    counts: dict[str, int] = {}
    for hit in m["mention"].finditer(fold(text)):
        counts[hit.group(1)] = counts.get(hit.group(1), 0) + 1
    if not counts:
        return None
    key = m["by_short"][_key(max(counts, key=counts.get))]
    return m["old"][key]["short"]


def new_province(province: str) -> str | None:
    """The province an old one was merged into, when that is another ("Hải Dương" ->
    "Hải Phòng"); None when it kept its name or is unknown."""
    m = _mapping()
    key = province_key(province)
    new = m["province"].get(key) if key else None
    return m["new"][new]["short"] if new and new != key else None


def new_commune(unit: Unit, province: str) -> Unit | None:
    """The commune an old ward or commune of a province became (the first listed when
    it was divided); None when it is unchanged or not in the mapping."""
    m = _mapping()
    key = province_key(province)
    records = m["wards"].get((key, _key(str(unit)))) if key else None
    if not records:
        return None
    record = records[0]
    if record["new_ward_key"] == record["old_ward_key"] and record["mapping_type"] == "unchanged":
        return None
    new = _unit(record["new_ward"])
    return None if _key(str(new)) == _key(str(unit)) else new
