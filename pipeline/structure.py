"""Stage: plan tables -> indicators, targets and tasks rows.

Tables continue across pages (same columns, repeated or no header) and become one
logical table; a merged cell's value is attached to every row it spans. Table kinds
are told apart by their header words, not by position: an indicator table has a
"Chỉ tiêu/Tiêu chí" column and year columns, a task table "Nội dung" and "chủ trì".
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from extractors.model import Document
from extractors.tables import ROW_NUMBER, Table
from normalizers.agency_registry import resolve, resolve_list
from normalizers.periods import parse_period
from normalizers.targets import find_unit, parse_target, unit_from_name
from normalizers.text import fold, squash

_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class LogicalTable:
    header: list[str]
    header_rows: list[list[str | None]]
    rows: list[tuple[list[str | None], int, tuple]] = field(default_factory=list)


def _header_len(t: Table) -> int:
    for i, row in enumerate(t.rows[:4]):
        first = (row[0] or "").strip()
        rest = [c for c in row[1:] if c]
        if ROW_NUMBER.match(first) or (first and not rest and i > 0):
            return i
    return 1


def _column_names(header_rows: list[list[str | None]], n: int) -> list[str]:
    names = [[] for _ in range(n)]
    for r, row in enumerate(header_rows):
        last = None
        for j in range(n):
            cell = row[j] if j < len(row) else None
            if cell is None and r == 0:
                cell = last              # merged across: the spanning title
            last = cell if r == 0 else None
            if cell and cell not in names[j]:
                names[j].append(cell)
    return [" / ".join(x) for x in names]


def logical_tables(doc: Document) -> list[LogicalTable]:
    out: list[LogicalTable] = []
    prev: Table | None = None
    for page in doc.pages:
        for k, t in enumerate(page.tables):
            h = _header_len(t)
            continues = (prev is not None and k == 0 and prev.n_cols == t.n_cols
                         and prev.page == t.page - 1)
            if continues:
                same_header = _repeats_header(t.rows[0], out[-1].header_rows[0])
                body = t.rows[h:] if same_header else t.rows
                boxes = t.row_bboxes[h:] if same_header else t.row_bboxes
                cur = out[-1]
                body = _continue_spans(cur.rows[-1][0] if cur.rows else [], body)
            else:
                cur = LogicalTable(_column_names(t.rows[:h], t.n_cols), t.rows[:h])
                out.append(cur)
                body, boxes = t.rows[h:], t.row_bboxes[h:]
            for row, box in zip(body, boxes):
                cur.rows.append((row, t.page, box))
            prev = t
    return out


def _repeats_header(row: list[str | None], header: list[str | None]) -> bool:
    """A page's first row repeats the table's header when its leading cells match the
    header's; a cell OCR left empty neither matches nor contradicts."""
    pairs = [(fold(a or ""), fold(b or "")) for a, b in zip(row[:2], header[:2])]
    filled = [(a, b) for a, b in pairs if a and b]
    return bool(filled) and all(a == b for a, b in filled)


def _continue_spans(last: list[str | None], body: list[list[str | None]]) -> list:
    """A merged cell still open at the foot of a page (its last row is a continuation,
    None) goes on over the first rows of the next page, where it is drawn again, empty:
    those empty cells become continuations too, until a cell with text ends the span."""
    open_cols = {j for j, c in enumerate(last) if c is None}
    rows = []
    for row in body:
        row = list(row)
        for j in sorted(open_cols):
            if j < len(row) and row[j] in ("", None):
                row[j] = None
            else:
                open_cols.discard(j)
        rows.append(row)
    return rows


def _col(header: list[str], *words: str) -> int | None:
    for j, name in enumerate(header):
        f = fold(name)
        if any(fold(w) in f for w in words):
            return j
    return None


def _filled(rows):
    """Rows with merged (None) cells taken from the row above; group headings apart."""
    above: list[str | None] = []
    for cells, page, box in rows:
        values = [c for c in cells if c]
        if len(values) == 1 and cells[0] and all(c is None for c in cells[1:]):
            yield "group", cells[0], page, box
            above = []
            continue
        row = [c if c is not None else (above[j] if j < len(above) else "")
               for j, c in enumerate(cells)]
        above = row
        yield "row", row, page, box


def stable_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _bbox(box) -> str:
    return ",".join(f"{v:.1f}" for v in box) if box else ""


def _names(matches) -> str:
    return ";".join(m.name for m in matches)


# Rows carry the agency spellings they were read from, for agencies.csv's aliases; the
# key is not a column, so no CSV shows it.
SPELLINGS = "_spellings"


def _spellings(lead, coord) -> list[tuple[str, str]]:
    return [(m.name, squash(m.raw)) for m in ([lead] if lead else []) + coord]


def _indicator_unit(name: str, printed: str, cells: list[str]) -> str:
    """The unit column if there is one, else the unit most cells print after their
    numbers, else the one the name implies; none for a qualitative indicator."""
    if printed:
        return printed
    if not any(re.search(r"\d", c) for c in cells):
        return ""
    units = [find_unit(c) for c in cells]
    return max(set(units) - {""}, key=units.count, default="") or unit_from_name(name)


def indicator_rows(doc_id: str, table: LogicalTable) -> tuple[list[dict], list[dict]]:
    h = table.header
    c_num, c_name = 0, _col(h, "chỉ tiêu", "tiêu chí", "nội dung")
    c_unit = _col(h, "đvt", "đơn vị tính")
    c_lead, c_coord = _col(h, "chủ trì"), _col(h, "phối hợp")
    years = [(j, int(_YEAR.findall(name)[-1])) for j, name in enumerate(h)
             if _YEAR.search(name) and j not in (c_num, c_name)]
    baseline_cols = {j for j, _ in years if re.search(r"kết quả|thực hiện năm|ước", h[j], re.I)
                     and not re.search(r"cuối năm 20\d\d$", h[j].split(" / ")[-1], re.I)
                     or re.search(r"kết quả", h[j].split(" / ")[-1], re.I)}
    target_years = [y for j, y in years if j not in baseline_cols]
    indicators, targets = [], []
    group, parent, sub = "", "", 0
    for kind, row, page, box in _filled(table.rows):
        if kind == "group":
            group = row
            continue
        number, name = (row[c_num] or "").strip().rstrip("."), row[c_name] or ""
        if not name:
            continue
        if number:
            parent, sub = number, 0
        elif name.lstrip().startswith(("-", "+")) and parent:
            sub += 1
            number = f"{parent}.{sub}"
        else:
            continue      # the rest of a cell a page break split; its row came first
        name = name.lstrip("-+ ").strip()
        lead = resolve(row[c_lead]) if c_lead is not None and row[c_lead] else None
        coord = resolve_list(row[c_coord]) if c_coord is not None and row[c_coord] else []
        ind_id = stable_id(doc_id, "indicator", number, name)
        cells = [row[j] or "" for j, _ in years]
        unit = _indicator_unit(name, row[c_unit] if c_unit is not None else "", cells)
        confidence = min([1.0] + [m.score for m in ([lead] if lead else []) + coord])
        indicators.append({
            "indicator_id": ind_id, "doc_id": doc_id, "group": group, "number": number,
            "name": name, "unit": unit, "lead_agency": lead.name if lead else "",
            "coordinating_agencies": _names(coord), "page": page, "bbox": _bbox(box),
            "confidence": round(confidence, 3), SPELLINGS: _spellings(lead, coord)})
        for j, year in years:
            t = parse_target(row[j] or "", unit)
            if t is None:
                continue
            if not t.unit or unit.startswith(t.unit):   # "lượt người" of "lượt người/năm"
                t.unit = unit if re.search(r"\d", row[j]) else ""
            is_base = j in baseline_cols
            if is_base and target_years and year >= min(target_years):
                year = min(target_years) - 1      # a misprinted baseline year
            targets.append({
                "indicator_id": ind_id, "kind": "baseline" if is_base else "target",
                "year": year, "raw": row[j], "comparator": t.comparator,
                "value_min": t.value_min, "value_max": t.value_max, "unit": t.unit,
                "page": page, "bbox": _bbox(box)})
    return indicators, targets


def task_rows(doc_id: str, table: LogicalTable) -> list[dict]:
    h = table.header
    c_num, c_desc = 0, _col(h, "nội dung", "tên", "nhiệm vụ")
    c_lead, c_coord = _col(h, "chủ trì"), _col(h, "phối hợp")
    c_time = _col(h, "thời gian", "thời hạn", "hoàn thành")
    out, group = [], ""
    for kind, row, page, box in _filled(table.rows):
        if kind == "group":
            group = row
            continue
        desc = row[c_desc] if c_desc is not None else ""
        if not desc:
            continue
        number = (row[c_num] or "").strip().rstrip(".")
        deadline_raw = (row[c_time] if c_time is not None else "") or group
        period = parse_period(deadline_raw)
        lead = resolve(row[c_lead]) if c_lead is not None and row[c_lead] else None
        coord = resolve_list(row[c_coord]) if c_coord is not None and row[c_coord] else []
        confidence = min([period.confidence] + [m.score for m in ([lead] if lead else []) + coord])
        out.append({
            "task_id": stable_id(doc_id, "task", group, number, desc), "doc_id": doc_id,
            "group": group, "number": number, "description": desc,
            "lead_agency": lead.name if lead else "", "lead_agency_raw": row[c_lead] or ""
            if c_lead is not None else "", "coordinating_agencies": _names(coord),
            "start_date": period.start, "deadline": period.deadline,
            "deadline_raw": deadline_raw, "recurrence": period.recurrence,
            "funding_sources": "", "page": page, "bbox": _bbox(box),
            "confidence": round(confidence, 3), SPELLINGS: _spellings(lead, coord)})
    return out


def document_structure(doc: Document, doc_id: str) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = {"indicators": [], "targets": [], "tasks": []}
    for table in logical_tables(doc):
        h = table.header
        has_years = sum(1 for name in h if _YEAR.search(name)) >= 2
        if _col(h, "chỉ tiêu", "tiêu chí") is not None and has_years:
            ind, tgt = indicator_rows(doc_id, table)
            result["indicators"] += ind
            result["targets"] += tgt
        elif _col(h, "nội dung", "nhiệm vụ") is not None and _col(h, "chủ trì") is not None:
            result["tasks"] += task_rows(doc_id, table)
    return result
