"""Column roles: which column of a plan table is the description, the lead agency, the
deadline, the money, ... told by header words and cell content together (the
vocabulary is data/column_roles.yaml).

Every (column, role) pair is scored: the longest header word of the role found in the
column's own header part (a two-row name "Kết quả thống kê / Đơn vị tính" is read by its
lower part first, the group title above counting less), plus a bonus when the cells look
like the role (agency names, periods, funding words). Pairs are then taken best first,
one role per column and one column per role (except roles such as amounts that come in
several columns), so "Thời gian bắt đầu" and "Thời gian hoàn thành" go to start and end,
not both to the deadline. Columns left over are value columns (a year, a result, a share
of plan) when their header says so, and otherwise kept whole in the row's `extra`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.tables.model import ROW_NUMBER
from normalizers import lexicon
from normalizers.agency_registry import looks_like_agency, split_agencies
from normalizers.funding import funding_sources
from normalizers.periods import parse_period
from normalizers.targets import find_unit
from normalizers.text import YEAR, fold

DATA = Path(__file__).parent / "data" / "column_roles.yaml"
UPPER_WEIGHT = 0.6          # a word of the group title above counts this much of its own
CONTENT_WEIGHT = 8.0        # cells that all look like the role count as an 8-letter word
CONTENT_MIN = 0.5           # share of cells that must look like the role to count at all
CONTENT_ONLY = 0.7          # share that assigns a role with no header word for it
WEAK = 2                    # what a weak header word ("Cơ quan") counts, in letters
_ONLY_YEAR = re.compile(r"(?:nam\s*)?\d{4}")
_MONEY = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")


@dataclass
class ValueColumn:
    """A column of an indicator table that gives values: its kind, year and unit."""
    index: int
    kind: str                 # target, plan, result, share_of_plan
    year: int | None
    unit: str = ""            # the unit its header names ("Diện tích (ha)")


@dataclass
class Columns:
    header: list[str]
    roles: dict[str, list[int]] = field(default_factory=dict)
    values: list[ValueColumn] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    def one(self, role: str) -> int | None:
        found = self.roles.get(role)
        return found[0] if found else None

    def all(self, role: str) -> list[int]:
        return self.roles.get(role, [])

    def first(self, *roles: str) -> int | None:
        """The column of the first of roles that has one ("indicator", else "description")."""
        return next((j for j in map(self.one, roles) if j is not None), None)

    def extra_json(self, row: list[str], used: set[str]) -> str:
        """The cells of the columns that took no role, or a role outside `used` (those
        the caller has a column for), as a JSON object keyed by header; empty when they
        are all empty (nothing a column held is lost)."""
        unused = [j for role, js in self.roles.items() if role not in used for j in js]
        kept = {self.header[j] or f"column {j + 1}": row[j] for j in sorted(self.extra + unused)
                if j < len(row) and row[j]}
        return json.dumps(kept, ensure_ascii=False) if kept else ""


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    data = lexicon.load(DATA, {"roles": dict, "value_kinds": dict})
    roles = {}
    for name, spec in data["roles"].items():
        words = [fold(w) for w in spec.get("include", [])]
        weak = [fold(w) for w in spec.get("weak", [])]
        roles[name] = {
            "words": [(len(w), re.compile(rf"(?<!\w){w}(?!\w)")) for w in words]
                     + [(WEAK, re.compile(rf"(?<!\w){w}(?!\w)")) for w in weak],
            "exact": set(words) if spec.get("exact") else None,
            "exclude": [re.compile(rf"(?<!\w){fold(w)}") for w in spec.get("exclude", [])],
            "content": spec.get("content", ""), "many": bool(spec.get("many")),
            "content_only": bool(spec.get("content_only")),
            "words_only": bool(spec.get("words_only"))}
    kinds = [(kind, re.compile("|".join(p))) for kind, p in data["value_kinds"].items()]
    return {"roles": roles, "kinds": kinds}


def role_names() -> list[str]:
    return list(_vocabulary()["roles"])


def _header_score(spec: dict, name: str) -> float | None:
    """The role's longest header word in the name (0.0: none); None when the header
    excludes the role, so that no content can give it either."""
    parts = [fold(p) for p in name.split(" / ")]
    own, upper = parts[-1], " ".join(parts[:-1])
    if any(rx.search(own) for rx in spec["exclude"]):
        return None
    if spec["exact"] is not None:
        return float(len(own)) if own.strip(" .") in spec["exact"] else 0.0
    best = max((n for n, rx in spec["words"] if rx.search(own)), default=0)
    above = max((n for n, rx in spec["words"] if rx.search(upper)), default=0) * UPPER_WEIGHT
    return float(max(best, above))


def _looks(signature: str, cell: str) -> float:
    """How much a cell looks like the signature: 1, 0, or 0.5 for an agency cell that
    names one agency where a list is expected (or a list where one is)."""
    if signature == "row_number":
        return float(bool(ROW_NUMBER.match(cell)))
    if signature in ("agency", "agency_list"):
        if len(cell.split()) > 25 or not looks_like_agency(cell):
            return 0.0
        several = len(split_agencies(cell)) > 1
        return 1.0 if several == (signature == "agency_list") else 0.5
    if signature == "unit":             # "%", "người", "ha", "giường/vạn dân"
        if len(cell.split()) > 3 or re.search(r"\d", cell):
            return 0.0
        if find_unit(cell) == cell.lower().strip():
            return 1.0
        return 0.6 if len(cell.split()) <= 2 and not looks_like_agency(cell) else 0.0
    if signature == "period":
        p = parse_period(cell)
        return float(p.deadline is not None or bool(p.recurrence)
                     or p.kind in ("relative", "by_reference"))
    if signature == "funding":
        return float(bool(funding_sources(cell)))
    if signature == "money":
        return float(bool(_MONEY.match(cell.strip(" ."))))
    if signature == "text":
        return float(len(cell.split()) >= 4 and not re.search(r"^\W*\d", cell))
    return 0.0


def _content_share(signature: str, cells: list[str]) -> float:
    cells = [c.strip() for c in cells if c and c.strip()]
    if not signature or not cells:
        return 0.0
    return sum(_looks(signature, c) for c in cells) / len(cells)


def _value_kind(name: str) -> str | None:
    """The kind a header's words name, own part first ("Kế hoạch ... / Kết quả đến cuối
    năm 2021" is a result), then the group title above ("Thực hiện / 2020", "Hiện trạng
    năm 2015 / Diện tích (ha)"); None when no words name one."""
    parts = [fold(p) for p in name.split(" / ")]
    for text, own in ((parts[-1], True), (" ".join(parts[:-1]), False)):
        for kind, rx in _vocabulary()["kinds"]:
            if text and rx.search(text):
                # a plan named above its year columns ("Kế hoạch thực hiện giai đoạn
                # 2021-2025 / Cuối năm 2021") is a plan's targets, not a report's plan
                return kind if own or kind != "plan" else "target"
    return None


def value_kind(name: str) -> str:
    """target, plan, result or share_of_plan, from a value column's header."""
    return _value_kind(name) or "target"


def _mostly_numbers(cells: list[str]) -> bool:
    """Whether a column holds numbers and no words: most of its filled cells (there is
    at least one) are digits, separators and signs ("82", "1.200", "100%", "-")."""
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and sum(bool(re.fullmatch(r"(?=.*\d)[\d.,%\s+\-–()]+", c))
                                for c in filled) >= 0.6 * len(filled)


def _numeric(cells: list[str]) -> bool:
    """Whether most filled cells hold a number (an empty column counts as numbers)."""
    filled = [c for c in cells if c and c.strip()]
    return sum(bool(re.search(r"\d", c)) for c in filled) >= 0.5 * len(filled) if filled else True


def _is_value(name: str, cells: list[str]) -> bool:
    """A column of values: a year in its header, or a kind of value ("Kết quả", "% so KH")
    over cells that are mostly numbers ("Kết quả dự kiến" over "Báo cáo" is no value)."""
    return bool(YEAR.search(name)) or (_value_kind(name) is not None and _numeric(cells))


def header_unit(name: str) -> str:
    """The unit a value column's own header gives its cells: "Diện tích (ha)" -> ha,
    "Cơ cấu %" -> %; "" when it gives none."""
    own = name.split(" / ")[-1]
    m = re.search(r"\(([^()\d]{1,12})\)", own)
    if m and not YEAR.search(m[1]):
        return m[1].strip()
    return "%" if "%" in own else ""


def _start_and_end(cols: Columns, taken: set[int], cells: list[list[str]]) -> None:
    """Two time columns where the headers named at most one of start and end ("Khởi
    động" and "Hạn chót", or "Thời gian bắt đầu" and a column of dates): the left one is
    the start, the right one the end."""
    timed = sorted({j for r in ("start", "end", "period") for j in cols.all(r)}
                   | {j for j in range(len(cols.header)) if j not in taken
                      and _content_share("period", cells[j]) >= CONTENT_ONLY})
    start, end = cols.one("start"), cols.one("end")
    if len(timed) != 2 or (start is not None and end is not None):
        return
    if start is None and end is None:       # the earlier dates are the start's
        first, second = ([parse_period(c).deadline for c in cells[j]] for j in timed)
        later = sum(1 for a, b in zip(first, second) if a and b and a > b)
        start = timed[1] if later > len(first) / 2 else timed[0]
    start = start if start is not None else next(j for j in timed if j != end)
    for r in ("start", "end", "period"):
        cols.roles.pop(r, None)
    cols.roles["start"], cols.roles["end"] = [start], [next(j for j in timed if j != start)]
    taken.update(timed)


def assign_columns(header: list[str], rows: list[list[str]]) -> Columns:
    """Roles of a table's columns from its header and its first rows' cells."""
    vocab = _vocabulary()["roles"]
    cells = [[(r[j] or "") if j < len(r) else "" for r in rows[:40]] for j in range(len(header))]
    scored = []
    for j, name in enumerate(header):
        shares: dict[str, float] = {}       # a signature's share, once per column
        numbers = _mostly_numbers(cells[j])
        for role, spec in vocab.items():
            head = _header_score(spec, name)
            if head is None or (spec["words_only"] and numbers):
                continue
            if spec["content"] not in shares:
                shares[spec["content"]] = _content_share(spec["content"], cells[j])
            share = shares[spec["content"]]
            content = CONTENT_WEIGHT * share if share >= CONTENT_MIN else 0.0
            by_content = spec["content_only"] and share >= CONTENT_ONLY and \
                (role != "number" or j == 0)     # small counts elsewhere are no numbering
            if head or by_content:
                scored.append((head + content, -j, role))
    out = Columns(header)
    taken: set[int] = set()
    for score, neg_j, role in sorted(scored, reverse=True):
        j = -neg_j
        if j in taken or (role in out.roles and not vocab[role]["many"]):
            continue
        if YEAR.search(header[j]) and role not in ("amount", "period", "end", "start"):
            continue          # "Chỉ tiêu năm 2030", "Kết quả 2020": values, not names
        out.roles.setdefault(role, []).append(j)
        taken.add(j)
    for role in out.roles:
        out.roles[role].sort()
    _start_and_end(out, taken, cells)
    for j, name in enumerate(header):
        if j in taken:
            continue
        if _is_value(name, cells[j]):
            years = YEAR.findall(name)
            out.values.append(ValueColumn(j, value_kind(name), int(years[-1]) if years else None,
                                          header_unit(name)))
        else:
            out.extra.append(j)
    return out
