"""Row numbers mended from their sequence: OCR drops the dot of a sub-number, so "2.1"
between "1.2" and "2.2" reads "21" and "2.4.2" reads "242". A number that does not follow
the row before it, where putting dots back makes it follow that row and lead to the row
after, is read with the dots; a number that already follows ("10" after "9") is kept.
"""
from __future__ import annotations

import itertools
import re

from normalizers import roman
from normalizers.text import fold

_DIGITS = re.compile(r"\d{2,4}")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")


def _parts(number: str) -> list[int] | None:
    number = number.strip().rstrip(".")
    return [int(p) for p in number.split(".")] if _NUMBER.fullmatch(number) else None


def follows(before: list[int], after: list[int]) -> bool:
    """Whether `after` can come right after `before` in an outline: the next at some
    level (1.2 -> 1.3, 1.2 -> 2, 1.2.3 -> 1.3), perhaps opening sub-items (1.2 -> 2.1),
    or the first item under it (1.2 -> 1.2.1)."""
    if after == before + [1]:
        return True
    for k in range(1, len(before) + 1):
        if (after[:k - 1] == before[:k - 1] and len(after) >= k
                and after[k - 1] == before[k - 1] + 1 and all(p == 1 for p in after[k:])):
            return True
    return False


def _dotted(digits: str) -> list[str]:
    """Every way of putting dots between the digits: "242" -> 2.42, 24.2, 2.4.2."""
    out = []
    for cuts in itertools.product((False, True), repeat=len(digits) - 1):
        if any(cuts):
            out.append("".join(d + ("." if c else "") for d, c in zip(digits, cuts + (False,))))
    return out


def clean_number(cell: str) -> str:
    """A row number as printed, less what OCR adds: trailing punctuation ("2.1.", "III:")
    and marks on a Roman numeral ("VỊ" is VI)."""
    number = (cell or "").strip().rstrip(".:;)")
    bare = fold(number).upper()
    if number and number != bare and roman.NUMERAL.fullmatch(bare) and number.upper() == number:
        return bare
    return number


def mend_number(before: str, number: str, after: str) -> str:
    prev, nxt, own = _parts(before), _parts(after), _parts(number)
    if prev is None or own is None or not _DIGITS.fullmatch(number.strip().rstrip(".")) \
            or follows(prev, own):
        return number
    for candidate in _dotted(number.strip().rstrip(".")):
        parts = _parts(candidate)
        if follows(prev, parts) and (nxt is None or follows(parts, nxt)):
            return candidate
    return number


def mend_numbers(rows, column: int | None):
    """filled_rows' tuples with the row numbers of `column` mended, in tables whose
    numbers have sub-numbers at all (elsewhere "21" is the 21st row)."""
    rows = list(rows)
    if column is None:
        return rows
    cells = [(i, (r[1][column] or "").strip()) for i, r in enumerate(rows)
             if r[0] == "row" and column < len(r[1]) and (r[1][column] or "").strip()]
    if not any("." in n.rstrip(".") for _, n in cells):
        return rows
    for k, (i, number) in enumerate(cells):
        before = cells[k - 1][1] if k else ""
        after = cells[k + 1][1] if k + 1 < len(cells) else ""
        mended = mend_number(before, number, after)
        if mended != number:
            kind, row, *rest = rows[i]
            row = list(row)
            row[column] = mended
            rows[i] = (kind, row, *rest)
    return rows


def fill_number_gaps(rows: list[list[str | None]]) -> None:
    """A row number OCR could not read even alone ('L', 'l)', nothing) between rows
    numbered n-1 and n+1 is n: a row wrapped from the one above would come before n+1,
    not between n-1 and n+1. Run on a table joined over its pages, where the gap is
    often a page's last or first row."""
    firsts = [clean_number(row[0] or "") if row else "" for row in rows]
    for i in range(1, len(firsts) - 1):
        before, own, after = firsts[i - 1], firsts[i], firsts[i + 1]
        if (before.isdigit() and after.isdigit() and int(after) == int(before) + 2
                and not own.isdigit() and len(own) <= 3 and not roman.NUMERAL.fullmatch(own)
                and rows[i][0] is not None and any(rows[i][1:])):
            rows[i][0] = firsts[i] = str(int(before) + 1)
