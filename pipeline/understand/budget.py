"""Budget lines from funding and investment tables: one row per amount and column (a
year, the whole period, or a breakdown such as "Dự án mới"), in đồng as well as in the
printed unit; totals kept as totals and checked against their parts.

A table is a budget table when money is its unit: a caption above it ("Đơn vị tính:
triệu đồng"), a header ("Kinh phí thực hiện (triệu đồng)") or a unit column ("Tr.đ").
In tables that mix counts and money (003's appendix: "Số người" and "Số tiền" under
each policy), only the money rows are budget lines; a generic label ("Số tiền") takes
the name of the item it belongs to.
"""
from __future__ import annotations

import re

from extractors.model import Page
from normalizers import roman
from normalizers.funding import funding_sources
from normalizers.targets import money_unit, read_number, separator_roles
from normalizers.text import YEAR, fold, squash

from pipeline.settings import SETTINGS
from pipeline.understand.numbering import clean_number
from pipeline.understand.grids import LogicalTable, bbox_text, filled_rows, find_column, locator
from pipeline.output.schema import Row

_GENERIC = re.compile(r"^(?:số tiền|kinh phí|thành tiền|dự toán|tổng số)\b", re.I)
_TOTAL = re.compile(r"^(?:tổng|cộng)\b", re.I)
_GROUP_CODE = re.compile(r"^(?:[A-Z]|[IVXLC]+)\.?$")
_LETTERED = re.compile(r"^([A-Z]|[IVXLC]+)\.\s")
_VALUE_HEADERS = ("kinh phi", "von", "ngan sach", "tong", "cong", "trong do", "du an",
                  "nam", "giai doan", "du toan", "thanh tien", "so tien", "thuc hien", "so sanh",
                  "uoc")


def _value_columns(header: list[str], skip: set[int]) -> list[int]:
    """Columns that may hold amounts; a target year ("Chỉ tiêu năm 2030") or a time
    ("Thời gian thực hiện") is none, though its header says "năm"."""
    return [j for j, name in enumerate(header) if j not in skip
            and any(w in fold(name) for w in _VALUE_HEADERS)
            and not re.search(r"thoi gian|chi tieu|muc tieu", fold(name))]


def _row_money(printed: str | None, label: str,
               table_unit: tuple[str, float] | None) -> tuple[str, float] | None:
    """A row's money unit: its unit cell's ("Tr.đ"; a count unit such as "Người" means the
    row is no money); with the cell empty, the table's when the table has no unit column
    (printed is None) or the label speaks of money ("Số tiền", "Kinh phí", "Tổng ...")."""
    if printed:
        return money_unit(printed)
    money_label = (_GENERIC.match(label) or "kinh phí" in label.lower()
                   or _TOTAL.match(label))
    return table_unit if printed is None or money_label else None


def budget_rows(doc_id: str, table: LogicalTable, caption: str,
                unit: tuple[str, float] | None, value_columns: list[int] | None = None,
                task_ids: dict[int, str] | None = None) -> tuple[list[Row], int | None]:
    """Budget lines of a table, and the index of its first money row (None: none).
    value_columns: the amount columns when the caller knows them (a task table's);
    task_ids: the task of each row index, for the lines of a task table."""
    h = table.header
    c_item = find_column(h, "nội dung", "chỉ tiêu", "tên", "hạng mục", "danh mục", "nhiệm vụ")
    c_unit, c_fund = find_column(h, "đvt", "đơn vị tính"), find_column(h, "nguồn")
    if c_item is None:
        return [], None
    unit = unit or next(filter(None, map(money_unit, h)), None)
    cols = value_columns if value_columns is not None else \
        _value_columns(h, {0, c_item, c_unit, c_fund} - {None})
    roles = separator_roles(row[j] for row, *_ in table.rows for j in cols if j < len(row))
    out, context, code, fund, first = [], "", "", "", None
    for index, (kind, row, page, box, _) in enumerate(filled_rows(table.rows)):
        if kind == "group":
            continue
        label = squash(row[c_item] or "")
        number = clean_number(row[0]) if c_item != 0 else ""
        if number:
            code, fund = number, ""
        fund = (row[c_fund] if c_fund is not None and row[c_fund] else "") or fund
        values = [(j, row[j]) for j in cols if row[j] and re.search(r"\d", row[j])]
        if not values:
            context = label or context
            continue
        row_money = _row_money(row[c_unit] if c_unit is not None else None, label, unit)
        # a column headed with its money unit ("Kinh phí (triệu đồng)") is money whatever
        # the row counts in ("ha" of a target beside it)
        values = [(j, raw, money_unit(h[j]) or row_money) for j, raw in values]
        values = [v for v in values if v[2]]
        if not values:
            continue
        first = index if first is None else first
        item = f"{context} — {label}" if _GENERIC.match(label) and context else label
        lettered = _LETTERED.match(label)           # "A. LĨNH VỰC Y TẾ (I+II+...)"
        number = number or (lettered[1] if lettered else "")
        is_total = bool(_TOTAL.match(label) or _GROUP_CODE.match(number or "x"))
        for j, raw, money in values:
            value, flag = read_number(raw.strip(" .,|"), roles)
            share = "%" in h[j]         # "So sánh thực hiện với (%)": a ratio, no money
            years = YEAR.findall(h[j])
            out.append({
                "doc_id": doc_id, "table": caption,
                "row_code": number or ("" if is_total else code),
                "item": item, "unit": "%" if share else money[0],
                "year": int(years[0]) if len(years) == 1 else None, "column": h[j], "raw": raw,
                "value": value,
                "value_vnd": round(value * money[1]) if value is not None and not share else None,
                "funding_source": ";".join(funding_sources(fund)), "is_total": is_total,
                "flag": flag, "page": page, "bbox": bbox_text(box), "locator": locator(box),
                "task_id": (task_ids or {}).get(index, "")})
    _check_totals(out)
    return [Row.of("budget", **r) for r in out], first


def _check_totals(rows: list[dict]) -> None:
    """A grand total ('Tổng ...') per column against the sum of the lines that are not
    totals: a disagreement is flagged on the total, never corrected."""
    for column in {r["column"] for r in rows}:
        in_col = [r for r in rows if r["column"] == column and r["value"] is not None]
        totals = [r for r in in_col if r["is_total"] and _TOTAL.match(r["item"])]
        # Lines: rows that are no total, and group rows with no line under them (the
        # next row is a group of the same or a higher level: "V" then "B").
        parts = [r["value"] for r, nxt in zip(in_col, in_col[1:] + [None])
                 if not r["is_total"] or (not _TOTAL.match(r["item"]) and
                                          (nxt is None or _level(nxt) <= _level(r)))]
        if len(totals) != 1 or not parts:
            continue
        total, found = totals[0], sum(parts)
        if abs(total["value"] - found) > SETTINGS.budget_tolerance * max(abs(total["value"]), 1):
            mismatch = (f"reported total {total['value']:,.0f} but the lines sum to "
                        f"{found:,.0f}")
            total["flag"] = "; ".join(filter(None, [total["flag"], mismatch]))


def _level(row: dict) -> int:
    """0 for a lettered section (A, B), 1 for a Roman-numbered group, 2 for a line."""
    if not row["is_total"]:
        return 2
    return 1 if roman.NUMERAL.fullmatch(row["row_code"]) else 0


def table_caption(page: Page | None, top: float) -> tuple[str, tuple[str, float] | None]:
    """The title above a table (its last upper-case line) and the money unit of an
    "Đơn vị tính: ..." line there."""
    if page is None:
        return "", None
    above = [ln.text for ln in page.lines if ln.bbox[3] <= top + 2][-8:]
    unit = next((money_unit(t) for t in reversed(above) if "don vi" in fold(t)), None)
    titles = [t for t in above if len(t.split()) >= 3 and _upper_share(t) >= 0.6]
    return (squash(titles[-1]) if titles else ""), unit


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
