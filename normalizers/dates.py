"""Vietnamese calendar dates: 'ngày 08 tháng 9 năm 2021', '17/3/2021', '18/01/2022'."""
from __future__ import annotations

import datetime as dt
import re

DATE_PATTERN = (r"(?:ngày\s+)?(?P<d>\d{1,2})\s*(?:tháng|/|-|\.)\s*(?P<m>\d{1,2})"
                r"\s*(?:năm|/|-|\.)\s*(?P<y>\d{4})")
DATE = re.compile(DATE_PATTERN, re.IGNORECASE)


def to_date(day: int | str, month: int | str, year: int | str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first valid date in text, or None."""
    for m in DATE.finditer(text):
        d = to_date(m["d"], m["m"], m["y"])
        if d:
            return d
    return None
