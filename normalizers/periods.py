"""Deadlines and periods: 'Quý II năm 2021', 'trước ngày 30/11' + 'hàng năm',
'6 tháng đầu năm 2023', 'giai đoạn 2022-2025', 'đến năm 2030', 'tháng 12/2022' ->
start date, deadline (the last day of the period) and recurrence.

Patterns live in data/periods.yaml, over accent-folded text, so 'Quy II nam 2021' from
an unaccented source reads the same. A year that cannot belong to the plan (a printed
'Năm 1010' in a 2012-2020 plan) is kept, flagged, with the likely intended year and a
low confidence, never dropped or silently changed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers import lexicon
from normalizers.text import YEAR, fold, fold_chars

DATA = Path(__file__).parent / "data" / "periods.yaml"
HEAD_LINES = 8      # the lines of a document's first page read as its heading


@dataclass
class Period:
    raw: str
    start: dt.date | None = None
    deadline: dt.date | None = None
    recurrence: str = ""
    confidence: float = 1.0
    flag: str = ""              # why the value is doubtful, for reviewers
    # what the text says: a pattern's kind (date, quarter, month, range, year, ...),
    # continuous or recurring (a recurrence only), relative ("sau 3 tháng kể từ ..."),
    # by_reference ("theo Điều 17 ..."), unparsed, or "" for no text
    kind: str = ""


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = lexicon.load(DATA, {"recurrence": dict, "quarters": dict, "quarter_stroke": str,
                              "periods": (list, ("kind", "pattern")), "plausible_years": list,
                              "deadline_words": list, "relative": list, "by_reference": list})
    data["compiled"] = [(p["kind"], re.compile(p["pattern"])) for p in data["periods"]]
    data["recurrence_re"] = [(name, re.compile("|".join(pats)))
                             for name, pats in data["recurrence"].items()]
    data["deadline_re"] = re.compile("|".join(data["deadline_words"]))
    data["relative_re"] = re.compile("|".join(data["relative"]))
    data["by_reference_re"] = re.compile("|".join(data["by_reference"]))
    return data


def deadline_in(text: str) -> Period:
    """The deadline a sentence sets ("... trước ngày 15/12/2022", "báo cáo trước ngày
    30/11 hàng năm"): the period after its first deadline word, with the recurrence
    the sentence states; an empty Period when it sets none (a period that only names a
    programme, "giai đoạn 2021-2030", is no deadline)."""
    folded = fold_chars(text)           # same offsets as text
    recurrence = parse_period(text).recurrence
    for m in _rules()["deadline_re"].finditer(folded):
        phrase = re.split(r"[.;,]", text[m.start():m.end() + 40])[0].strip()
        period = parse_period(phrase)
        if period.deadline is not None or period.recurrence:
            period.recurrence = period.recurrence or recurrence
            return period
    return Period("", recurrence=recurrence)


def period_patterns() -> list[tuple[str, re.Pattern]]:
    """(kind, pattern) in the order they are tried, over accent-folded text."""
    return _rules()["compiled"]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def plan_years(title: str, issued: dt.date | None) -> tuple[int, int] | None:
    """The years a plan covers: those its title names ("giai đoạn 2021 - 2025", "năm
    2024"), else the year it was issued; None when neither says."""
    years = [int(y) for y in YEAR.findall(title or "")]
    if years:
        return min(years), max(years)
    return (issued.year, issued.year) if issued else None


def heading_years(doc) -> tuple[int, int] | None:
    """The years the opening lines of a document name (an appendix headed "BIỂU MẪU ...
    NĂM 2025", with no title or date line of its own), as plan_years gives them."""
    lines = [ln.text for page in doc.pages[:1] for ln in page.lines[:HEAD_LINES]]
    years = [int(y) for y in YEAR.findall(" ".join(lines))]
    return (min(years), max(years)) if years else None


def likely_year(year: int, plan_years: tuple[int, int]) -> int:
    """The year within (or near) the plan's years that differs from `year` in the fewest
    digits: a misprinted 1010 in a 2012-2020 plan is 2010."""
    lo, hi = plan_years
    candidates = range(lo - 10, hi + 11)
    return min(candidates, key=lambda y: (sum(a != b for a, b in zip(f"{y:04}", f"{year:04}")),
                                          0 if lo <= y <= hi else min(abs(y - lo), abs(y - hi))))


def _quarter(numeral: str) -> int:
    """1-4 from "2", "ii", "II1" (OCR's strokes of III), "iv"; a ValueError past IV."""
    rules = _rules()
    if numeral in rules["quarters"]:
        return rules["quarters"][numeral]
    strokes = len(re.findall(rules["quarter_stroke"], numeral))
    q = 4 if numeral.endswith("v") and strokes == 1 else strokes if not numeral.endswith("v") else 0
    if not 1 <= q <= 4:
        raise ValueError(f"no quarter {numeral}")
    return q


def _dates(kind: str, m: re.Match, year: int | None) -> tuple[dt.date | None, dt.date | None]:
    """Start and last day of what m says; year: the one to take where it gives none."""
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else year
    if y is None and kind != "day_of_year":
        return None, None
    if kind == "day_of_year" and y is not None:
        return None, dt.date(y, int(g["m"]), int(g["d"]))
    if kind == "date":
        day = dt.date(y, int(g["m"]), int(g["d"]))
        return None, day
    if kind == "quarter":
        q = _quarter(g["q"])
        return dt.date(y, 3 * q - 2, 1), _last_day(y, 3 * q)
    if kind == "first_half":
        return dt.date(y, 1, 1), dt.date(y, 6, 30)
    if kind == "second_half":
        return dt.date(y, 7, 1), dt.date(y, 12, 31)
    if kind == "month":
        return dt.date(y, int(g["m"]), 1), _last_day(y, int(g["m"]))
    if kind == "month_range":
        return dt.date(y, int(g["m0"]), 1), _last_day(y, int(g["m"]))
    if kind == "range":
        return dt.date(y, 1, 1), dt.date(int(g["y2"]), 12, 31)
    if kind in ("until", "end_of_year"):
        return None, dt.date(y, 12, 31)
    if kind in ("year", "bare_year"):
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None, None       # day_of_year: a day every year, the recurrence says which


def parse_period(raw: str, plan_years: tuple[int, int] | None = None,
                 year: int | None = None) -> Period:
    """The period a deadline cell or heading states. plan_years: the plan's first and
    last year, to flag implausible years; year: the year a cell that names none is in
    (its column's "Thời gian (Năm 2026)"; else a one-year plan's year)."""
    rules = _rules()
    text = fold(raw or "")
    period = Period(raw or "")
    if year is None and plan_years and plan_years[0] == plan_years[1]:
        year = plan_years[0]
    period.recurrence = next((name for name, rx in rules["recurrence_re"] if rx.search(text)), "")
    if rules["by_reference_re"].search(text):
        period.kind = "by_reference"
        return period
    for kind, rx in rules["compiled"]:
        m = rx.search(text)
        if not m or (kind in ("month", "year") and not m.groupdict().get("y") and year is None):
            continue
        years = [int(v) for k, v in m.groupdict().items() if k in ("y", "y2") and v]
        lo, hi = rules["plausible_years"]
        bad = [y for y in years if not lo <= y <= hi
               or (plan_years and not plan_years[0] - 10 <= y <= plan_years[1] + 10)]
        if kind == "bare_year" and bad:
            continue        # a bare four-digit number far from the plan is not a year
        try:
            period.start, period.deadline = _dates(kind, m, year)
        except ValueError:  # 31/02, month 13: not a date
            period.confidence, period.flag = 0.3, f"not a valid date: {m.group(0)}"
            period.kind = "unparsed"
            return period
        period.kind = ("date" if kind == "day_of_year" else kind) if period.deadline else ""
        if bad and plan_years:
            fixed = {y: likely_year(y, plan_years) for y in bad}
            period.confidence = 0.3
            period.flag = "; ".join(f"year {y} outside the plan's {plan_years[0]}-"
                                    f"{plan_years[1]}: probably {f}" for y, f in fixed.items())
        break
    if rules["relative_re"].search(text) and not (m and m.groupdict().get("y")):
        period.kind = "relative"        # "trước ngày 31/01 năm liền kề": no date of its own
        period.start = period.deadline = None
    elif not period.kind and period.recurrence:
        period.kind = "continuous" if period.recurrence == "continuous" else "recurring"
    elif not period.kind and raw and raw.strip():
        period.kind = "unparsed"
    if period.deadline is None and not period.recurrence and raw and raw.strip() \
            and period.kind != "relative":
        period.confidence = min(period.confidence, 0.5)
    return period
