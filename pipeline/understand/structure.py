"""Stage: plan tables -> indicators, targets, tasks and budget rows.

Tables are read as logical tables (pipeline/understand/grids.py). Table kinds are told apart by
their header words, not by position: an indicator table has a "Chỉ tiêu/Tiêu chí"
column and year columns, a task table "Nội dung" and "chủ trì"; money tables give
budget lines (pipeline/understand/budget.py), and a table that mixes counts and money gives
indicators from its rows before the money starts.
"""
from __future__ import annotations

import re
from dataclasses import replace

from extractors.model import Document
from normalizers.agency_registry import resolve, resolve_list
from normalizers.periods import parse_period
from normalizers.targets import find_unit, parse_target, unit_from_name
from normalizers.text import YEAR, squash

from pipeline.understand.budget import budget_rows, table_caption
from pipeline.understand.grids import LogicalTable, bbox_text, filled_rows, find_column, logical_tables
from pipeline.understand.ids import stable_id
from pipeline.understand.prose_targets import prose_indicators
from pipeline.output.schema import Row


def _names(matches) -> str:
    return ";".join(m.name for m in matches)


def _agencies(row: list[str], c_lead: int | None, c_coord: int | None):
    """The lead agency's match (or None), the coordinating agencies' matches, and all of
    them together, for confidences and spellings."""
    lead = resolve(row[c_lead]) if c_lead is not None and row[c_lead] else None
    coord = resolve_list(row[c_coord]) if c_coord is not None and row[c_coord] else []
    return lead, coord, ([lead] if lead else []) + coord


def _spellings(matches) -> tuple[tuple[str, str], ...]:
    """(canonical name, spelling as printed) of each match: agencies.csv's aliases."""
    return tuple((m.name, squash(m.raw)) for m in matches)


def _ocr(conf: float | None) -> float:
    """A row's OCR confidence on the 0..1 scale of the others (1 for a text layer)."""
    return 1.0 if conf is None else round(conf / 100, 3)


def _is_baseline(column: str) -> bool:
    """A column of results ("Kết quả đến cuối năm 2020", "Ước thực hiện năm 2020"), not of
    targets; a two-row name counts by its lower part when that is a year-end target."""
    lower = column.split(" / ")[-1]
    return bool(re.search(r"kết quả|thực hiện năm|ước", column, re.I)
                and not re.search(r"cuối năm 20\d\d$", lower, re.I)
                or re.search(r"kết quả", lower, re.I))


def _is_heading(number: str, cells: list[str | None]) -> bool:
    """A row numbered with a letter or Roman numeral whose value cells are empty is the
    heading of the rows under it, not an item."""
    return bool(number) and not number[:1].isdigit() and not any(cells)


def _indicator_unit(name: str, printed: str, cells: list[str]) -> str:
    """The unit column if there is one, else the unit most cells print after their
    numbers, else the one the name implies; none for a qualitative indicator. A unit
    another cell extends ("lượt người" beside "lượt người/năm") is that one cut short;
    a tie goes to the unit printed first (never to set order, which varies by run)."""
    if printed:
        return printed
    if not any(re.search(r"\d", c) for c in cells):
        return ""
    units = [u for u in map(find_unit, cells) if u]
    full = [max((v for v in units if v.startswith(u)), key=len) for u in units]
    return max(dict.fromkeys(full), key=full.count, default="") or unit_from_name(name)


def indicator_rows(doc_id: str, table: LogicalTable,
                   ids_from: str = "") -> tuple[list[Row], list[Row]]:
    """Indicators and their targets; ids_from: the document's name that row ids are
    made from (pipeline/understand/ids.py; default the doc_id)."""
    base = ids_from or doc_id
    h = table.header
    c_num, c_name = 0, find_column(h, "chỉ tiêu", "tiêu chí", "nội dung")
    c_unit = find_column(h, "đvt", "đơn vị tính")
    c_lead, c_coord = find_column(h, "chủ trì"), find_column(h, "phối hợp")
    years = [(j, int(YEAR.findall(name)[-1])) for j, name in enumerate(h)
             if YEAR.search(name) and j not in (c_num, c_name)]
    baseline_cols = {j for j, _ in years if _is_baseline(h[j])}
    target_years = [y for j, y in years if j not in baseline_cols]
    indicators, targets = [], []
    seen: set[str] = set()
    group, parent, sub = "", "", 0
    for kind, row, page, box, ocr in filled_rows(table.rows):
        if kind == "group":
            group = row
            continue
        number, name = (row[c_num] or "").strip().rstrip("."), row[c_name] or ""
        if not name:
            continue
        if _is_heading(number, [row[j] for j, _ in years]):
            group = name          # "A | THÔNG TIN CHUNG", "II | Lao động, việc làm"
            continue
        if number:
            parent, sub = number, 0
        elif name.lstrip().startswith(("-", "+")) and parent:
            sub += 1
            number = f"{parent}.{sub}"
        else:
            continue      # the rest of a cell a page break split; its row came first
        name = name.lstrip("-+ ").strip()
        lead, coord, named = _agencies(row, c_lead, c_coord)
        ind_id = stable_id(base, "indicator", number, name)
        if ind_id in seen:      # the same number and name under another heading
            ind_id = stable_id(base, "indicator", group, number, name)
        seen.add(ind_id)
        cells = [row[j] or "" for j, _ in years]
        unit = _indicator_unit(name, row[c_unit] if c_unit is not None else "", cells)
        confidence = min([1.0, _ocr(ocr)] + [m.score for m in named])
        indicators.append(Row.of(
            "indicators", indicator_id=ind_id, doc_id=doc_id, group=group, number=number,
            name=name, unit=unit, lead_agency=lead.name if lead else "",
            coordinating_agencies=_names(coord), page=page, bbox=bbox_text(box),
            confidence=round(confidence, 3), agency_spellings=_spellings(named)))
        for j, year in years:
            t = parse_target(row[j] or "", unit)
            if t is None:
                continue
            is_base = j in baseline_cols
            if is_base and target_years and year >= min(target_years):
                year = min(target_years) - 1      # a misprinted baseline year
            targets.append(Row.of(
                "targets", indicator_id=ind_id, kind="baseline" if is_base else "target",
                year=year, raw=row[j], comparator=t.comparator, value_min=t.value_min,
                value_max=t.value_max, unit=t.unit, page=page, bbox=bbox_text(box)))
    return indicators, targets


def task_rows(doc_id: str, table: LogicalTable, years: tuple[int, int] | None = None,
              ids_from: str = "") -> list[Row]:
    """Tasks of an assignment table; years: the plan's, to flag a deadline's implausible
    year (a misprinted 2202)."""
    h = table.header
    c_num, c_desc = 0, find_column(h, "nội dung", "tên", "nhiệm vụ")
    c_lead, c_coord = find_column(h, "chủ trì"), find_column(h, "phối hợp")
    c_time = find_column(h, "thời gian", "thời hạn", "hoàn thành")
    out, group = [], ""
    for kind, row, page, box, ocr in filled_rows(table.rows):
        if kind == "group":
            group = row
            continue
        desc = row[c_desc] if c_desc is not None else ""
        if not desc:
            continue
        number = (row[c_num] or "").strip().rstrip(".")
        if _is_heading(number, [row[c] for c in (c_lead, c_time) if c is not None]):
            group = desc
            continue
        deadline_raw = (row[c_time] if c_time is not None else "") or group
        period = parse_period(deadline_raw, years)
        lead, coord, named = _agencies(row, c_lead, c_coord)
        confidence = min([period.confidence, _ocr(ocr)] + [m.score for m in named])
        out.append(Row.of(
            "tasks", task_id=stable_id(ids_from or doc_id, "task", group, number, desc),
            doc_id=doc_id,
            group=group, number=number, description=desc,
            lead_agency=lead.name if lead else "",
            lead_agency_raw=(row[c_lead] or "") if c_lead is not None else "",
            coordinating_agencies=_names(coord), start_date=period.start,
            deadline=period.deadline, deadline_raw=deadline_raw,
            recurrence=period.recurrence, funding_sources="", flag=period.flag,
            page=page, bbox=bbox_text(box),
            confidence=round(confidence, 3), agency_spellings=_spellings(named)))
    return out


def document_structure(doc: Document, doc_id: str,
                       years: tuple[int, int] | None = None) -> dict[str, list[Row]]:
    result: dict[str, list[Row]] = {"indicators": [], "targets": [], "tasks": [],
                                     "budget": []}
    pages = {p.number: p for p in doc.pages}
    for table in logical_tables(doc):
        h = table.header
        caption, unit = table_caption(pages.get(table.page), table.top)
        budget, first_money = budget_rows(doc_id, table, caption, unit)
        result["budget"] += budget
        if first_money is not None:         # counts before the money are indicators
            table = replace(table, rows=table.rows[:first_money])
        has_years = sum(1 for name in h if YEAR.search(name)) >= 2
        if find_column(h, "chỉ tiêu", "tiêu chí") is not None and has_years:
            ind, tgt = indicator_rows(doc_id, table, ids_from=doc.source)
            result["indicators"] += ind
            result["targets"] += tgt
        elif (find_column(h, "nội dung", "nhiệm vụ") is not None
              and find_column(h, "chủ trì") is not None):
            result["tasks"] += task_rows(doc_id, table, years, ids_from=doc.source)
    ind, tgt = prose_indicators(doc, doc_id, result["indicators"], result["targets"])
    result["indicators"] += ind
    result["targets"] += tgt
    _restoration_confidence(result["indicators"] + result["tasks"], pages)
    return result


def _restoration_confidence(rows: list[Row], pages: dict) -> None:
    """A row read from a page whose diacritics were restored is no surer than that
    restoration (the Bắc Sơn appendix): its confidence takes the page's."""
    for row in rows:
        page = pages.get(row.page)
        if page is not None and page.restored != "none" and page.restore_confidence is not None:
            row.confidence = round(min(row.confidence, page.restore_confidence), 3)
