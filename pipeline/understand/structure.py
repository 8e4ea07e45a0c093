"""Stage: plan tables -> indicators, targets, tasks and budget rows.

Tables are read as logical tables (pipeline/understand/grids.py) whose columns take
roles from their header words and cells (pipeline/understand/columns.py): a table with
an indicator column and value columns (years, results) gives indicators and targets; one
with a task column and a lead agency or a time column gives tasks; money columns give
budget lines (pipeline/understand/budget.py), linked to the task of their row in a task
table. A column with no role is kept in the row's `extra`, so nothing a table held is lost.
"""
from __future__ import annotations

import re
from dataclasses import replace

from extractors.model import Document
from normalizers.agency_registry import resolve, resolve_list
from normalizers.funding import funding_sources
from normalizers.periods import Period, parse_period
from normalizers.targets import find_unit, parse_target, read_number, unit_from_name
from normalizers.text import YEAR, fold, squash

from pipeline.understand.budget import budget_rows, table_caption
from pipeline.understand.columns import Columns, assign_columns
from pipeline.understand.grids import (LogicalTable, bbox_text, filled_rows, locator,
                                       logical_tables)
from pipeline.understand.ids import unique_id
from pipeline.understand.numbering import clean_number, mend_numbers
from pipeline.understand.prose_targets import prose_indicators
from pipeline.output.schema import Row

# Roles whose columns have a column of their own in each table (the others go to extra).
INDICATOR_ROLES = {"number", "code", "indicator", "description", "unit", "lead", "coordinating"}
_OWN_NUMBER = re.compile(r"^\s*((?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ]))[.)](?:\s+|(?=[A-ZĐÀ-Ỹ]))")
_SHARE_OF_PLAN = re.compile(r"\d\s*%\s*(?:so\s+(?:với\s+)?)?(?:KH|kế hoạch)\b", re.I)
_TOTAL_ROW = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng)(?:\s+(?:kinh phí|toàn bộ|chung))?"
                        r"\s*[:.]?\s*(?:\(.*\))?$", re.I)
TASK_ROLES = {"number", "description", "subject", "lead", "coordinating", "monitoring",
              "product", "start", "end", "period", "recurrence", "funding_source", "amount"}


def _names(matches) -> str:
    return ";".join(m.name for m in matches)


def _cell(row: list[str], j: int | None) -> str:
    return (row[j] or "") if j is not None and j < len(row) else ""


def _agencies(row: list[str], cols: Columns):
    """The lead agency's match (or None), the coordinating agencies' matches, and all of
    them together, for confidences and spellings. A lead cell naming several agencies
    gives the first as the lead and the others as coordinating."""
    leads = resolve_list(_cell(row, cols.one("lead")))
    coord = leads[1:] + [m for j in cols.all("coordinating") for m in resolve_list(_cell(row, j))]
    lead = leads[0] if leads else None
    return lead, coord, ([lead] if lead else []) + coord


def _spellings(matches) -> tuple[tuple[str, str], ...]:
    """(canonical name, spelling as printed) of each match: agencies.csv's aliases."""
    return tuple((m.name, squash(m.raw)) for m in matches)


def _ocr(conf: float | None) -> float:
    """A row's OCR confidence on the 0..1 scale of the others (1 for a text layer)."""
    return 1.0 if conf is None else round(conf / 100, 3)


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


def _columns_of(table: LogicalTable) -> Columns:
    return assign_columns(table.header, [r for k, r, *_ in filled_rows(table.rows) if k == "row"])


def _value_years(cols: Columns,
                 years: tuple[int, int] | None) -> list[tuple[int, str, int | None, str]]:
    """(column, kind written to targets.csv, year, unit its header names) of each value
    column. A plan's value ("Kế hoạch 2018") is its target. A result column is a baseline
    in a plan (a misprinted year inside the target years is moved before them) and a
    result in a report (one that sets a plan value for the same year, or no targets). A
    column without a year takes that of the next column of its kind that has one (a
    header whose year OCR put in the next cell), else the one before, else the
    document's last year."""
    def written(kind: str) -> str:
        return "target" if kind == "plan" else kind

    inferred, last = [], years[1] if years else None
    for k, v in enumerate(cols.values):
        later = next((w.year for w in cols.values[k + 1:]
                      if w.year and written(w.kind) == written(v.kind)), None)
        inferred.append(v.year or later or last)
        last = v.year or last
    planned = [y for v, y in zip(cols.values, inferred) if v.kind in ("target", "plan") and y]
    plan_years = {y for v, y in zip(cols.values, inferred) if v.kind == "plan"}
    out = []
    for v, year in zip(cols.values, inferred):
        kind = written(v.kind)
        if v.kind == "result" and planned and year is not None and year not in plan_years:
            kind = "baseline"
            year = min(year, min(planned) - 1)
        out.append((v.index, kind, year, v.unit))
    return out


def table_kind(cols: Columns) -> str:
    """indicators, tasks or "" (a table that is neither: a budget table, a list)."""
    name = cols.first("indicator", "description")
    if name is not None and cols.values and (cols.one("indicator") is not None
                                             or cols.one("unit") is not None):
        return "indicators"
    has_task = cols.one("description") is not None or cols.one("subject") is not None
    timed = any(cols.one(r) is not None for r in ("period", "end", "start"))
    if has_task and (cols.one("lead") is not None or (timed and not cols.all("amount"))):
        return "tasks"
    return ""


def indicator_rows(doc_id: str, table: LogicalTable, cols: Columns | None = None,
                   years: tuple[int, int] | None = None,
                   ids_from: str = "") -> tuple[list[Row], list[Row]]:
    """Indicators and their targets; years: the document's, for value columns that name
    none; ids_from: the document's name that row ids are made from (default doc_id)."""
    base = ids_from or doc_id
    cols = cols or _columns_of(table)
    c_name = cols.first("indicator", "description")
    c_num = cols.one("number") if cols.one("number") is not None else (0 if c_name != 0 else None)
    c_unit = cols.one("unit")
    values = _value_years(cols, years)
    indicators, targets = [], []
    seen: set[str] = set()
    group, parent, sub = "", "", 0
    for kind, row, page, box, ocr in mend_numbers(filled_rows(table.rows), c_num):
        if kind == "group":
            group = row
            continue
        number, name = clean_number(_cell(row, c_num)), _cell(row, c_name)
        number = number or next(filter(None, (_cell(row, j).strip() for j in cols.all("code"))), "")
        if c_num is None:           # no number column: "1. Do sự cố ..." numbers itself
            m = _OWN_NUMBER.match(name)
            number, name = (m[1], name[m.end():]) if m else ("", name)
            if not number and name.rstrip().endswith(":"):
                continue            # "Trong đó:", a label over the rows below
        if not name:
            continue
        if _is_heading(number, [row[j] for j, *_ in values]):
            group = name          # "A | THÔNG TIN CHUNG", "II | Lao động, việc làm"
            continue
        if number:
            parent, sub = number, 0
        elif name.lstrip().startswith(("-", "+")) and parent:
            sub += 1
            number = f"{parent}.{sub}"
        elif c_num is not None and not any(row[j] for j, *_ in values):
            continue      # the rest of a cell a page break split; its row came first
        # (an unnumbered row with values of its own is one: 'Diện tích tự nhiên', a total)
        name = name.lstrip("-+ ").strip()
        lead, coord, named = _agencies(row, cols)
        ind_id = unique_id(seen, (base, "indicator", number, name),      # else: another heading's
                           (base, "indicator", group, number, name))
        cells = [row[j] or "" for j, *_ in values]
        unit = _indicator_unit(name, _cell(row, c_unit), cells) or next(
            (u for *_, u in values if u), "")
        confidence = min([1.0, _ocr(ocr)] + [m.score for m in named])
        indicators.append(Row.of(
            "indicators", indicator_id=ind_id, doc_id=doc_id, group=group, number=number,
            name=name, unit=unit, lead_agency=lead.name if lead else "",
            coordinating_agencies=_names(coord), page=page, bbox=bbox_text(box),
            locator=locator(box),
            confidence=round(confidence, 3), extra=cols.extra_json(row, INDICATOR_ROLES),
            agency_spellings=_spellings(named)))
        for j, value_kind, year, col_unit in values:
            if _SHARE_OF_PLAN.search(row[j] or ""):     # "đạt 106%KH": the result's share
                value_kind = "share_of_plan"
            t = parse_target(row[j] or "", "%" if value_kind == "share_of_plan" else col_unit or unit)
            if t is None or year is None:
                continue
            targets.append(Row.of(
                "targets", indicator_id=ind_id, kind=value_kind, year=year, raw=row[j],
                comparator=t.comparator, value_min=t.value_min, value_max=t.value_max,
                unit=t.unit, page=page, bbox=bbox_text(box), column=cols.header[j],
                locator=locator(box)))
    return indicators, targets


def _task_period(row: list[str], cols: Columns, group: str,
                 years: tuple[int, int] | None) -> tuple[Period, str]:
    """The task's period and the deadline text it is read from: the end (or period)
    column's cell, its start from the start column; the group heading ("Năm 2021") when
    the row names no time. A column headed "Thời gian (Năm 2026)" gives its cells' year."""
    def year_of(j: int | None) -> int | None:
        found = YEAR.findall(cols.header[j]) if j is not None else []
        return int(found[-1]) if len(found) == 1 else None

    c_end = cols.first("end", "period")
    c_start = cols.one("start")
    raw = _cell(row, c_end) or (group if c_end is None or not _cell(row, c_start) else "")
    period = parse_period(raw, years, year_of(c_end))
    if c_start is not None and _cell(row, c_start):
        begun = parse_period(_cell(row, c_start), years, year_of(c_start))
        period.start = begun.start or begun.deadline
        period.flag = "; ".join(filter(None, [begun.flag, period.flag]))
        period.confidence = min(period.confidence, max(begun.confidence, 0.5))
    if not period.recurrence and cols.one("recurrence") is not None:
        period.recurrence = parse_period(_cell(row, cols.one("recurrence"))).recurrence
    return period, raw


def task_rows(doc_id: str, table: LogicalTable, cols: Columns | None = None,
              years: tuple[int, int] | None = None,
              ids_from: str = "") -> tuple[list[Row], dict[int, str]]:
    """Tasks of an assignment table, and the task id of each row index that gave one
    (for the budget lines of its money columns); years: the plan's, to flag a
    deadline's implausible year (a misprinted 2202) and date a cell that names none."""
    cols = cols or _columns_of(table)
    c_num = cols.one("number") if cols.one("number") is not None else 0
    c_desc = cols.first("description", "subject")
    # the unit a schedule inspects is its description, else kept in extra beside it
    used = TASK_ROLES if c_desc == cols.one("subject") else TASK_ROLES - {"subject"}
    others = [j for r in TASK_ROLES - {"number", "description", "subject"} for j in cols.all(r)]
    amounts = cols.all("amount")
    out, ids, group, seen = [], {}, "", set()
    for index, (kind, row, page, box, ocr) in enumerate(mend_numbers(filled_rows(table.rows), c_num)):
        if kind == "group":
            group = row
            continue
        desc = _cell(row, c_desc)
        if not desc:
            continue
        number = clean_number(_cell(row, c_num))
        if _is_heading(number, [row[c] for c in others if c < len(row)]):
            group = desc
            continue
        if _TOTAL_ROW.match(desc) and not _cell(row, cols.one("lead")):
            continue              # "Tổng cộng": a budget total, never a task
        period, deadline_raw = _task_period(row, cols, group, years)
        lead, coord, named = _agencies(row, cols)
        monitors = [m for j in cols.all("monitoring") for m in resolve_list(_cell(row, j))]
        funding = funding_sources(" ".join(_cell(row, j) for j in cols.all("funding_source")))
        amount = next((v for v in (read_number(_cell(row, j).strip(" .,"))[0] for j in amounts
                                   if re.search(r"\d", _cell(row, j))) if v is not None), None)
        confidence = min([period.confidence, _ocr(ocr)] + [m.score for m in named])
        task_id = unique_id(seen, (ids_from or doc_id, "task", group, number, desc))
        ids[index] = task_id
        out.append(Row.of(
            "tasks", task_id=task_id, doc_id=doc_id,
            group=group, number=number, description=desc,
            lead_agency=lead.name if lead else "",
            lead_agency_raw=_cell(row, cols.one("lead")),
            coordinating_agencies=_names(coord), start_date=period.start,
            deadline=period.deadline, deadline_raw=deadline_raw,
            recurrence=period.recurrence, funding_sources=";".join(funding), flag=period.flag,
            page=page, bbox=bbox_text(box), locator=locator(box),
            confidence=round(confidence, 3), deadline_kind=period.kind,
            product="; ".join(filter(None, (_cell(row, j) for j in cols.all("product")))),
            monitoring_agencies=_names(monitors), amount=amount,
            extra=cols.extra_json(row, used), agency_spellings=_spellings(named + monitors)))
    return out, ids


def _money_table(cols: Columns, caption: str, unit) -> bool:
    """Whether an indicator table is about money (a funding plan: "Đơn vị tính: triệu
    đồng" above it, an amount or funding column, "kinh phí" in its title), so its money
    rows are budget lines; elsewhere "Thu nhập bình quân đầu người | triệu đồng" is an
    indicator measured in money."""
    return bool(unit or cols.all("amount") or cols.one("funding_source") is not None
                or re.search(r"kinh phi|ngan sach|\bvon\b|du toan|tai chinh", fold(caption)))


def document_structure(doc: Document, doc_id: str,
                       years: tuple[int, int] | None = None) -> dict[str, list[Row]]:
    result: dict[str, list[Row]] = {"indicators": [], "targets": [], "tasks": [],
                                     "budget": []}
    pages = {p.number: p for p in doc.pages}
    for table in logical_tables(doc):
        cols = _columns_of(table)
        kind = table_kind(cols)
        caption, unit = table_caption(pages.get(table.page), table.top)
        if kind == "tasks":
            tasks, ids = task_rows(doc_id, table, cols, years, ids_from=doc.source)
            result["tasks"] += tasks
            if cols.all("amount"):
                result["budget"] += budget_rows(doc_id, table, caption, unit,
                                                value_columns=cols.all("amount"), task_ids=ids)[0]
            continue
        if kind != "indicators" or _money_table(cols, caption, unit):
            budget, first_money = budget_rows(doc_id, table, caption, unit)
            result["budget"] += budget
            if first_money is not None:         # counts before the money are indicators
                table = replace(table, rows=table.rows[:first_money])
        if kind == "indicators":
            ind, tgt = indicator_rows(doc_id, table, cols, years, ids_from=doc.source)
            result["indicators"] += ind
            result["targets"] += tgt
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
