"""Reviewer corrections: data kept outside the output folder, re-applied on every run.

A correction names its row by the row's stable key (`schema.ROW_KEYS`), so it keeps
pointing at the same row when extraction runs again. Corrections are append-only CSV
files, one per reviewer, under `data/corrections/`; for the same field the latest
correction wins. A correction whose row is no longer extracted (the source changed) is
reported as stale in `corrections.csv` and on stderr, and stays in its file.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

from normalizers.dates import parse_date

from pipeline.output.writer import atomic_write, cell
from pipeline.output.schema import FOREIGN_KEYS, ROW_KEYS, column_type, columns

ACTIONS = ("edit", "reject", "accept", "add")


@dataclass
class Correction:
    table: str
    row_id: str
    action: str
    field: str = ""
    old_value: str = ""
    new_value: str = ""       # for "add": the new row as a JSON object
    reviewer: str = ""
    time: str = ""            # ISO 8601, UTC
    note: str = ""
    doc_id: str = ""          # the document the corrected row came from, and its file:
    source_file: str = ""     # a correction applies to that document only


COLUMNS = [f.name for f in fields(Correction)]


def row_id(table: str, row: dict) -> str:
    return "|".join(cell(row.get(c)) for c in ROW_KEYS[table])


def _file_for(folder: Path, reviewer: str) -> Path:
    safe = re.sub(r"[^\w.-]+", "_", reviewer.strip(), flags=re.UNICODE).strip("._") or "reviewer"
    return folder / f"{safe[:64]}.csv"


def append(folder: Path, correction: Correction) -> Path:
    """Add one correction to its reviewer's file (rewritten atomically, never truncated)."""
    if correction.action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {correction.action!r}")
    if correction.table not in ROW_KEYS:
        raise ValueError(f"no table {correction.table!r}; tables: {', '.join(ROW_KEYS)}")
    if not correction.time:
        correction.time = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    path = _file_for(folder, correction.reviewer)
    old = path.read_bytes() if path.exists() else b""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = old.decode("utf-8-sig").split("\n", 1)[0].strip().split(",") if old else []
    if old and header != COLUMNS:       # a file of an older version: same lines, new columns
        old_rows = list(csv.DictReader(io.StringIO(old.decode("utf-8-sig"))))
        old = b""
        writer.writerow(COLUMNS)
        for rec in old_rows:
            writer.writerow([rec.get(c) or "" for c in COLUMNS])
    elif not old:
        writer.writerow(COLUMNS)
    elif not old.endswith(b"\n"):
        buf.write("\n")
    writer.writerow([getattr(correction, c) for c in COLUMNS])
    atomic_write(path, old + buf.getvalue().encode("utf-8"))
    return path


def load(folder: Path | None) -> list[tuple[str, int, Correction]]:
    """Every correction as (file name, line, correction), oldest first."""
    found = []
    if folder is None or not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.csv")):
        if path.name.startswith("."):
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            for line, rec in enumerate(csv.DictReader(f), start=2):
                values = {c: (rec.get(c) or "") for c in COLUMNS}
                found.append((path.name, line, Correction(**values)))
    found.sort(key=lambda item: item[2].time)
    return found


def _report(name: str, line: int, c: Correction, status: str, detail: str = "") -> dict:
    return {"corrections_file": name, "line": line, "table": c.table, "row_id": c.row_id,
            "field": c.field, "action": c.action, "status": status, "detail": detail}


def _drop(tables: dict[str, list[dict]], table: str, rid: str) -> None:
    """Remove a row and the rows that refer to it (targets of a rejected indicator)."""
    row = next(r for r in tables[table] if row_id(table, r) == rid)
    tables[table] = [r for r in tables[table] if r is not row]
    for child, links in FOREIGN_KEYS.items():
        for own, parent, parent_col in links:
            if parent == table and child in tables:
                value = cell(row.get(parent_col))
                tables[child] = [r for r in tables[child] if cell(r.get(own)) != value]


def apply(tables: dict[str, list[dict]], corrections: list[tuple[str, int, Correction]],
          only: set[str] | None = None) -> list[dict]:
    """Apply corrections (to the tables in `only`, default all) in place; one report row each."""
    report = []
    run = {d["doc_id"]: d["source_file"] for d in tables.get("documents", [])}
    by_source = {source: doc for doc, source in run.items()}
    for name, line, c in corrections:
        if only is not None and c.table not in only:
            continue
        if c.table not in tables or c.table not in ROW_KEYS or c.action not in ACTIONS:
            report.append(_report(name, line, c, "invalid", f"unknown table {c.table!r} or "
                                  f"action {c.action!r}; a later correction of the same row "
                                  "replaces it"))
            continue
        if c.doc_id and c.doc_id not in run and c.source_file not in by_source:
            report.append(_report(name, line, c, "not in this run",
                                  f"its document {c.source_file or c.doc_id} is not among this "
                                  "run's inputs; it applies again when that document is"))
            continue
        index = {row_id(c.table, r): r for r in tables[c.table]}
        if c.action == "add":
            report.append(_add(tables, index, name, line, c, by_source))
            continue
        row = index.get(c.row_id)
        if row is None:
            changed = c.doc_id and c.doc_id not in run
            report.append(_report(name, line, c, "stale",
                                  f"{c.table} row {c.row_id} of {c.source_file or 'its document'} "
                                  "is no longer extracted"
                                  + (" (the file has changed since it was reviewed)" if changed
                                     else "") + "; review that document again: the correction "
                                  "is kept and applies if the row comes back"))
            continue
        detail = ""
        if c.action == "edit":
            if c.field not in columns(c.table) or c.field in ROW_KEYS[c.table]:
                report.append(_report(name, line, c, "invalid",
                                      f"{c.field!r} is not an editable column of {c.table}; "
                                      "to change a key, reject the row and add a new one"))
                continue
            value, problem = typed_value(c.table, c.field, c.new_value)
            if problem:
                report.append(_report(name, line, c, "invalid", problem))
                continue
            now = cell(row.get(c.field))
            if now not in (c.old_value, c.new_value, value):
                detail = f"extracted value is now {now!r}, was {c.old_value!r} when reviewed"
            row[c.field] = value
        elif c.action == "reject":
            _drop(tables, c.table, c.row_id)
        report.append(_report(name, line, c, "applied", detail))
    return report


def typed_value(table: str, column: str, value: str) -> tuple[str, str]:
    """(the value as the column's type writes it, "") or ("", why it cannot be): a date
    as the reviewer typed it ("31/12/2025", "ngày 31 tháng 12 năm 2025") becomes
    2025-12-31; an empty value clears the field."""
    kind = column_type(table, column)
    if kind == "string":
        return value, ""
    value = value.strip()
    if not value:
        return value, ""
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat(), ""
        except ValueError:
            found = parse_date(value)
            if found:
                return found.isoformat(), ""
        return "", f"{column} must be a date (31/12/2025 or 2025-12-31), not {value!r}"
    if kind == "boolean":
        if value.lower() in ("true", "false"):
            return value.lower(), ""
        return "", f"{column} must be true or false, not {value!r}"
    try:
        number = float(value.replace(",", ".")) if kind == "number" else int(value)
    except ValueError:
        return "", f"{column} must be {'a number' if kind == 'number' else 'an integer'}, " \
                   f"not {value!r}"
    return cell(number), ""


def _add(tables, index, name: str, line: int, c: Correction, by_source: dict[str, str]) -> dict:
    try:
        row = json.loads(c.new_value)
        assert isinstance(row, dict)
    except (ValueError, AssertionError):
        return _report(name, line, c, "invalid", "new_value of an added row must be a JSON "
                                                 "object of column: value")
    unknown = set(row) - set(columns(c.table))
    if unknown:
        return _report(name, line, c, "invalid", f"no column(s) {', '.join(sorted(unknown))} "
                                                 f"in {c.table}")
    row = {col: row.get(col) for col in columns(c.table)}    # columns not given: empty
    if "doc_id" in row and c.source_file in by_source:
        row["doc_id"] = by_source[c.source_file]      # its document, as read in this run
    for own, parent, parent_col in FOREIGN_KEYS.get(c.table, []):
        if parent == "agencies":        # linked by name once every row is in
            continue
        if row[own] not in {r[parent_col] for r in tables.get(parent, [])}:
            return _report(name, line, c, "not in this run" if row[own] else "invalid",
                           f"an added {c.table} row must name a {parent_col} of this run's "
                           f"{parent} ({row[own]!r} is none of them)")
    for col, value in row.items():
        row[col], problem = typed_value(c.table, col, "" if value is None else str(value))
        if problem:
            return _report(name, line, c, "invalid", problem)
    rid = row_id(c.table, row)
    if rid in index:
        return _report(name, line, c, "superseded", "the extractor now finds this row "
                                                    "itself; the added copy is not used")
    tables[c.table].append(row)
    return _report(name, line, c, "applied")
