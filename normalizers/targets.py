"""Numbers and target cells: '27,1', '160.000', '38.4%', 'Dưới 3%', '64,5% - 66%' -> values.

Vietnamese writes a decimal comma and dot thousands; tables pasted from English
software write the opposite. A dot or comma followed by exactly three digits is read
as thousands unless the value carries a % (percentages above 1000 do not occur);
anything else is a decimal separator. Comparator words live in data/targets.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers import lexicon
from normalizers.text import fold, squash

DATA = Path(__file__).parent / "data" / "targets.yaml"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
RANGE = re.compile(r"^(?P<a>\d+(?:[.,]\d+)*)\s*(?P<ua>%?)\s*[-–]\s*(?P<b>\d+(?:[.,]\d+)*)")


@dataclass
class Target:
    comparator: str          # =, <, <=, >, >=, range, text
    value_min: float | None
    value_max: float | None
    unit: str


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = lexicon.load(DATA, {"prefix": dict, "suffix": dict, "symbols": dict,
                                  "name_units": list, "units": list, "money_units": dict,
                                  "ocr_digits": dict})
    rules["prefix_folded"] = sorted(((fold(k), v) for k, v in rules["prefix"].items()),
                                    key=lambda kv: -len(kv[0]))
    rules["suffix_folded"] = [(fold(k), v) for k, v in rules["suffix"].items()]
    rules["units_sorted"] = sorted(rules["units"], key=len, reverse=True)
    return rules


def mend_digits(s: str) -> str:
    """A number cell as OCR read it, with its stray marks mended: a lookalike put for a
    digit ("§87,9" is 887,9: data/targets.yaml ocr_digits) and any other letter among
    the digits dropped ("5Š7.335,2" is 57.335,2). Only cells of digits with at most two
    such marks are touched; words ("2 xã", "Cơ bản đạt") are left as they are."""
    s = s.strip()
    marks = re.findall(r"[^\d.,%]", s)
    if not marks or len(marks) > 2 or sum(c.isdigit() for c in s) < 2 \
            or re.search(r"[\s\-–—/()<>≤≥=+~]", s):      # ranges, ratios, comparators
        return s
    lookalikes = _rules()["ocr_digits"]
    mended = "".join(c if c.isdigit() or c in ".,%" else lookalikes.get(c, "") for c in s)
    return mended if NUMBER.fullmatch(mended.rstrip("%")) else s


def parse_number(s: str, percent: bool = False) -> float | None:
    """'27,1' -> 27.1; '160.000' -> 160000; '8,342,216' -> 8342216; '38.4' -> 38.4;
    '6.029.4' -> 6029.4 (the decimal comma OCR read as a dot: its group is not three)."""
    s = s.strip()
    if not NUMBER.fullmatch(s):
        s = mend_digits(s)
    if not NUMBER.fullmatch(s):
        return None
    seps = re.findall(r"[.,]", s)
    if not seps:
        return float(s)
    groups = re.split(r"[.,]", s)
    if len(set(seps)) == 2:                      # both: the last one is the decimal mark
        dec = s[max(s.rfind("."), s.rfind(","))]
        thou = "," if dec == "." else "."
        return float(s.replace(thou, "").replace(dec, "."))
    if len(seps) > 1:                            # 1.036.609 or 8,342,216
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
        if all(len(g) == 3 for g in groups[1:-1]) and len(groups[-1]) < 3:
            return float("".join(groups[:-1]) + "." + groups[-1])
        return None
    if len(groups[1]) == 3 and not percent:      # 160.000 / 160,000
        return float("".join(groups))
    return float(groups[0] + "." + groups[1])


_ONE_SEPARATOR = re.compile(r"^\d{1,3}(?P<sep>[.,])\d{3}$")


def separator_roles(cells) -> dict[str, set[str]]:
    """What each separator is shown to be by a table's numbers that leave no doubt:
    "thousands" when repeated ("1,978,761") or first of two ("1.234,5"), "decimal" when
    last of two or followed by other than three digits ("27,1"). A table may mix
    conventions (000's investment list has "8,342,216" and "1.036.609")."""
    roles: dict[str, set[str]] = {".": set(), ",": set()}
    for cell in cells:
        for n in NUMBER.findall(cell or ""):
            seps = re.findall(r"[.,]", n)
            if len(set(seps)) == 2:
                roles[seps[0]].add("thousands")
                roles[seps[-1]].add("decimal")
            elif len(seps) > 1:
                roles[seps[0]].add("thousands")
            elif seps and not _ONE_SEPARATOR.match(n):
                roles[seps[0]].add("decimal")
    return roles


def read_number(raw: str, roles: dict[str, set[str]] | None = None) -> tuple[float | None, str]:
    """A number read in the light of its table (separator_roles). A "160.000" or
    "307,666" the table does not decide is read as thousands (the dot is Vietnamese
    usage); for the comma, or where the table shows both roles, a flag says so."""
    m = _ONE_SEPARATOR.match(raw.strip())
    if not m:
        return parse_number(raw), ""
    whole, frac = raw.strip().split(m["sep"])
    shown = (roles or {}).get(m["sep"], set())
    if shown == {"decimal"}:
        return float(f"{whole}.{frac}"), ""
    value = float(whole + frac)
    if shown == {"thousands"} or (not shown and m["sep"] == "."):
        return value, ""
    return value, (f"ambiguous number {raw.strip()!r}: read as {value:,.0f} (thousands); "
                   f"its table does not tell thousands from decimals")


def find_unit(text: str) -> str:
    """The unit printed right after a number ("85%", "160.000 lượt người/năm"), or the
    text itself when it is a unit (a ĐVT cell); words elsewhere ("hộ nghèo") are no unit."""
    low = squash(text).replace(" /", "/").replace("/ ", "/").lower()
    units = _rules()["units_sorted"]
    if low in units:
        return low
    for m in re.finditer(r"\d\s*", low):
        after = low[m.end():]
        unit = next((u for u in units if after.startswith(u)), "")
        if unit and not after[len(unit):len(unit) + 1].isalpha():
            return unit
    return ""


def unit_from_name(name: str) -> str:
    """An indicator's unit read from its name, for tables that print bare numbers."""
    low = squash(name).lower()
    return next((unit for pattern, unit in _rules()["name_units"] if re.search(pattern, low)), "")


def parse_target(raw: str, default_unit: str = "") -> Target | None:
    """A target or baseline cell -> comparator, bounds, unit; None for an empty cell."""
    text = squash(raw)
    if not text or text in "-–—":
        return None
    rules = _rules()
    head = text.split("(")[0].strip()      # '2,3% (Thành thị 3,22%, ...)' -> '2,3%'
    unit = find_unit(head) or default_unit
    if default_unit.startswith(unit):       # "lượt người" printed, "lượt người/năm" meant
        unit = default_unit
    comparator = "="
    body = head
    for sym, comp in rules["symbols"].items():
        if body.startswith(sym):
            comparator, body = comp, body[len(sym):].strip()
            break
    else:
        f = fold(body)
        for word, comp in rules["prefix_folded"]:
            if f.startswith(word + " "):
                comparator, body = comp, body[len(word):].strip()
                break
        for word, comp in rules["suffix_folded"]:
            if fold(body).endswith(" " + word):
                comparator = comp
    percent = "%" in head
    body = mend_digits(body)
    m = RANGE.match(body)
    if m and comparator == "=":
        a, b = parse_number(m["a"], percent), parse_number(m["b"], percent)
        if a is not None and b is not None:
            return Target("range", min(a, b), max(a, b), unit)
    m = NUMBER.match(body)
    if not m:
        return Target("text", None, None, unit)   # "Cơ bản đạt": the indicator's unit
    value = parse_number(m.group(), percent)
    if value is None:
        return Target("text", None, None, unit)
    if comparator in ("<", "<="):
        return Target(comparator, None, value, unit)
    if comparator in (">", ">="):
        return Target(comparator, value, None, unit)
    return Target("=", value, value, unit)


@lru_cache(maxsize=1)
def quantity_pattern() -> re.Pattern:
    """A number or range with a unit after an optional comparator word ("dưới 3%",
    "160.000 lượt người/năm", "500 triệu đồng"), over accent-folded text."""
    rules = _rules()
    words = "|".join(re.escape(w) for w, _ in rules["prefix_folded"])
    after = "|".join(re.escape(w) for w, _ in rules["suffix_folded"])
    units = "|".join(re.escape(u) for u in sorted({fold(u) for u in rules["units"]}
                                                  | set(rules["money_units"]),
                                                  key=len, reverse=True))
    n = NUMBER.pattern
    return re.compile(rf"(?<![\w.,])(?:(?:{words})\s+|[<>≤≥]=?\s*)?{n}(?:\s*%?\s*[-–]\s*{n})?"
                      rf"\s*(?:{units})(?!\w)(?:\s+(?:{after}))?")


def money_unit(text: str) -> tuple[str, float] | None:
    """('triệu đồng', 1e6) for 'Tr.đ', 'triệu đồng', 'Đơn vị tính: triệu đồng'; None when
    the text names no money unit."""
    key = " ".join(re.sub(r"[.:()/]", " ", fold(text)).split())
    for word, (name, factor) in _rules()["money_units"].items():
        if re.search(rf"\b{word}\b", key):
            return name, float(factor)
    return None
