"""The output tables: names, columns and types (../shared/CONTRACT.md, extended).

One source of truth for the CSV headers, the Frictionless Table Schemas in
datapackage.json and the empty tables written when a run has no rows for them.
"""
from __future__ import annotations

import dataclasses

# (column, frictionless type, description)
Column = tuple[str, str, str]

EXTRA = ("the cells of the row's columns that have no column of their own here, as a JSON "
         "object keyed by the column's header (nothing a table held is dropped); empty when none")
DEADLINE_KIND = ("what the deadline text says: date, month, month_range, quarter, first_half, "
                 "second_half, year, range, until, end_of_year (dated); continuous or recurring "
                 "(a recurrence only); relative (\"Sau 03 tháng kể từ ...\") or by_reference "
                 "(\"Theo Điều 17 Nghị định ...\"): no date of its own; unparsed; empty for none")
LOCATOR = ("where the row was read in a source without geometry (Word, ODT, Excel): 'table "
           "2, row 5' (tables counted through the document, rows from 1 with the header "
           "rows; a workbook's through its sheets), or 'paragraph 14' (the page's 14th line: "
           "for a Word file, line 14 of text/<doc_id>.txt); empty for PDFs, images and text, "
           "whose page and bbox say where")

TABLES: dict[str, dict] = {
    "documents": {
        "primary_key": ["doc_id"],
        "columns": [
            ("doc_id", "string", "stable id: the same input bytes give the same id"),
            ("source_file", "string", "path relative to the input folder"),
            ("doc_number", "string", "số hiệu, e.g. 207/KH-UBND"),
            ("doc_type", "string", "loại văn bản: Kế hoạch, Quyết định, ..."),
            ("issuer", "string", "cơ quan ban hành, canonical name"),
            ("place", "string", "địa danh of the place-and-date line"),
            ("issue_date", "date", "ngày ban hành"),
            ("title", "string", "trích yếu"),
            ("signer", "string", "người ký"),
            ("signer_title", "string", "chức vụ of the signer"),
            ("page_count", "integer", "pages in the source"),
            ("input_kind", "string", "born_digital, scanned, mixed, text, docx (a word-"
                                       "processor file, .docx, .doc, .rtf or .odt: one page, "
                                       "no geometry) or xlsx (a workbook, .xlsx, .xls or "
                                       ".ods: a page per sheet, no geometry)"),
            ("restored", "boolean", "true when diacritics were restored"),
            ("ocr_confidence", "number", "mean Tesseract word confidence 0..1 (scanned pages)"),
            ("sha256", "string", "SHA-256 of the source bytes"),
            ("province", "string", "province the issuer belongs to (before the 2025 "
             "reorganisation): its own, else the one the text names most"),
            ("issue_date_precision", "string", "day, month or year: a plan signed before "
             "its day (or month) was written in is dated to the first of its month (or "
             "year) at that precision; empty when no date line was found"),
            ("pages_reread", "integer", "pages whose text layer was not trusted and whose "
                                        "image was OCR'd instead (a stamp's text over a scan, "
                                        "an English-model OCR layer)"),
            ("signed_by", "string", "who signed the PDF digitally (its signatures' signers, "
                                    "joined with ;); empty for a file without a signature"),
            ("signed_at", "string", "when it was first signed digitally, ISO 8601 with its "
                                    "offset (2022-03-04T15:03:28+07:00)"),
            ("duplicate_of", "string", "doc_id of another document of this dataset that is "
             "the same plan (same number, issuer and date, or the same text: a PDF and its "
             "scan); empty for the one kept as the plan (born-digital first)"),
            ("header_flags", "string", "what the header leaves unread, joined with ;: "
             "number_blank (Số:      /KH-UBND, signed before it was numbered), "
             "number_illegible (written by hand and not readable: doc_number is left empty, "
             "never taken from a document the text cites), number_handwritten (read from "
             "blue pen ink: OCR reads handwriting unreliably, check it on the page), "
             "day_blank, day_illegible, day_handwritten (in pen, or beside a number written "
             "by hand: OCR reads handwritten figures as other figures with confidence, so "
             "the day is not given); after a day flag issue_date is at month precision; "
             "month_blank"),
        ],
    },
    "indicators": {
        "primary_key": ["indicator_id"],
        "columns": [
            ("indicator_id", "string", "stable id"), ("doc_id", "string", ""),
            ("group", "string", "section heading"), ("number", "string", "as printed"),
            ("name", "string", "accented text"), ("unit", "string", ""),
            ("lead_agency", "string", "canonical name"),
            ("coordinating_agencies", "string", "canonical names joined with ;"),
            ("page", "integer", ""), ("bbox", "string", "x0,y0,x1,y1 in PDF points"),
            ("confidence", "number", "0..1"),
            ("lead_agency_id", "string", "agencies.csv id of the lead agency"),
            ("extra", "string", EXTRA),
            ("canonical_indicator_id", "string", "id of the same measure in the registry of "
             "canonical indicators (normalizers/data/indicators.yaml: the national statistical "
             "indicator system and plans' wordings), so one indicator can be compared across "
             "plans; empty when no canonical name is similar enough (canonical_score < 0.75)"),
            ("canonical_score", "number", "similarity 0..1 of the name to the closest "
             "canonical indicator, from 0.6 up; a score without an id is a row to review"),
            ("locator", "string", LOCATOR),
        ],
    },
    "targets": {
        "primary_key": ["indicator_id", "kind", "year", "seq"],
        "columns": [
            ("indicator_id", "string", ""),
            ("kind", "string", "target (a plan's value for the year, \"Kế hoạch 2018\" too), "
                               "baseline (a value before the plan's years), result (what was "
                               "achieved: \"Thực hiện\", \"Kết quả\", \"Ước TH\" in a report), "
                               "share_of_plan (\"% so KH\": the result as % of the plan)"),
            ("year", "integer", ""), ("raw", "string", "cell text as printed"),
            ("comparator", "string", "=, <, <=, >, >=, range, text"),
            ("value_min", "number", ""), ("value_max", "number", ""), ("unit", "string", ""),
            ("page", "integer", ""), ("bbox", "string", "x0,y0,x1,y1 in PDF points"),
            ("seq", "integer", "1, or 2, 3 ... for further values the document gives for "
                               "the same indicator, kind and year"),
            ("column", "string", "header of the table column the value is in (\"Hiện trạng "
                                 "năm 2015 / Diện tích (ha)\"); empty for a target stated in prose"),
            ("locator", "string", LOCATOR),
        ],
    },
    "tasks": {
        "primary_key": ["task_id"],
        "columns": [
            ("task_id", "string", "stable id"), ("doc_id", "string", ""),
            ("group", "string", ""), ("number", "string", ""), ("description", "string", ""),
            ("lead_agency", "string", "canonical name"), ("lead_agency_raw", "string", "as printed"),
            ("coordinating_agencies", "string", "canonical names joined with ;"),
            ("start_date", "date", ""), ("deadline", "date", "last day of the period"),
            ("deadline_raw", "string", ""), ("recurrence", "string", "annual, quarterly, ..."),
            ("funding_sources", "string", "canonical names joined with ;"),
            ("flag", "string", "a deadline that cannot be right as printed: an invalid date, "
                               "or a year far from the plan's years (with the likely year)"),
            ("page", "integer", ""), ("bbox", "string", "x0,y0,x1,y1 in PDF points"),
            ("confidence", "number", "0..1"),
            ("lead_agency_id", "string", "agencies.csv id of the lead agency (every agency a "
                                         "task names, with its role: task_agencies.csv)"),
            ("deadline_kind", "string", DEADLINE_KIND),
            ("product", "string", "expected output (Sản phẩm, Kết quả đầu ra, Hình thức văn "
                                  "bản) as printed"),
            ("monitoring_agencies", "string", "canonical names of the agencies that follow "
                                              "up (Theo dõi, kiểm tra, đôn đốc), joined with ;"),
            ("amount", "number", "money the task's row gives, in its printed unit (each amount "
                                 "is also a budget.csv line with this task_id)"),
            ("extra", "string", EXTRA),
            ("locator", "string", LOCATOR),
        ],
    },
    "task_agencies": {
        "primary_key": ["task_id", "agency_id", "role"],
        "columns": [
            ("task_id", "string", ""), ("agency_id", "string", ""),
            ("role", "string", "lead, coordinating or monitoring"),
            ("agency", "string", "its canonical name"),
        ],
    },
    "agencies": {
        "primary_key": ["agency_id"],
        "columns": [
            ("agency_id", "string", ""), ("canonical_name", "string", "full official name"),
            ("level", "string", "central, province, district, commune, party, "
                                "mass_organisation, other"),
            ("jurisdiction", "string", "e.g. Hà Nội; empty for central"),
            ("aliases", "string", "spellings seen, joined with ;"),
            ("successor_id", "string", ""), ("successor_since", "date", ""),
        ],
    },
    "references": {
        "primary_key": ["doc_id", "ref_number", "ref_type", "ref_title"],
        "columns": [
            ("doc_id", "string", "citing document"),
            ("ref_number", "string", "e.g. 42-NQ/TW; empty for a law cited by name"),
            ("ref_type", "string", "Nghị quyết, Chương trình, Quyết định, Luật, ..."),
            ("ref_date", "date", ""), ("ref_issuer", "string", ""),
            ("ref_title", "string", "name of a law cited by name and date"),
            ("page", "integer", "first page citing it"),
            ("mentions", "integer", "times the document cites it"),
        ],
    },
    "budget": {
        "primary_key": ["doc_id", "table", "row_code", "item", "column", "seq"],
        "columns": [
            ("doc_id", "string", ""), ("table", "string", "caption"), ("row_code", "string", ""),
            ("item", "string", ""), ("unit", "string", "as printed: triệu đồng, tỷ đồng"),
            ("year", "integer", "empty for the whole period or a breakdown"),
            ("raw", "string", ""), ("value", "number", ""),
            ("value_vnd", "integer", "the amount in đồng (a whole number)"),
            ("funding_source", "string", "canonical names joined with ;"),
            ("page", "integer", ""), ("bbox", "string", "x0,y0,x1,y1 in PDF points"),
            ("column", "string", "header of the amount's column (a year, a total, a "
                                 "breakdown)"),
            ("is_total", "boolean", "a total or subtotal line"),
            ("flag", "string", "a reported total that disagrees with its lines"),
            ("seq", "integer", "1, or 2, 3 ... for a further line with the same key"),
            ("task_id", "string", "the task whose row gives this amount (a task table with a "
                                  "money column); empty for a budget table's line"),
            ("locator", "string", LOCATOR),
        ],
    },
    "duties": {
        "primary_key": ["duty_id"],
        "columns": [
            ("duty_id", "string", "stable id"), ("doc_id", "string", ""),
            ("number", "string", "the agency's number in the section, then the item's"),
            ("agency", "string", "canonical name of the agency the duty is given to"),
            ("agency_raw", "string", "the agency as printed"),
            ("description", "string", "the duty, as written"),
            ("start_date", "date", ""), ("deadline", "date", "a deadline the sentence sets"),
            ("deadline_raw", "string", "the words that set it"),
            ("recurrence", "string", "annual, quarterly, monthly, continuous, ..."),
            ("flag", "string", "a deadline that cannot be right as printed"),
            ("page", "integer", ""), ("bbox", "string", "x0,y0,x1,y1 in PDF points"),
            ("confidence", "number", "0..1"),
            ("agency_id", "string", "agencies.csv id of the agency"),
            ("deadline_kind", "string", DEADLINE_KIND),
            ("locator", "string", LOCATOR),
        ],
    },
    "corrections": {
        "primary_key": ["corrections_file", "line"],
        "columns": [
            ("corrections_file", "string", "file under the corrections folder"),
            ("line", "integer", "line of that file"),
            ("table", "string", "table corrected"), ("row_id", "string", "ROW_KEYS joined with |"),
            ("field", "string", ""), ("action", "string", "edit, reject, accept or add"),
            ("status", "string", "applied, stale (row no longer extracted), superseded "
                                "(an added row the extractor now finds), invalid, or not in "
                                "this run (its document is not among the run's inputs)"),
            ("detail", "string", "what to do about a correction not applied"),
        ],
    },
    "errors": {
        "primary_key": [],
        "columns": [
            ("source_file", "string", ""), ("page", "integer", "empty when the whole file failed"),
            ("stage", "string", "ingest, ocr, metadata, ..."),
            ("error", "string", "one line: what went wrong and what to do"),
        ],
    },
}

FOREIGN_KEYS = {
    "indicators": [("doc_id", "documents", "doc_id"),
                   ("lead_agency_id", "agencies", "agency_id")],
    "tasks": [("doc_id", "documents", "doc_id"), ("lead_agency_id", "agencies", "agency_id")],
    "references": [("doc_id", "documents", "doc_id")],
    "budget": [("doc_id", "documents", "doc_id"), ("task_id", "tasks", "task_id")],
    "duties": [("doc_id", "documents", "doc_id"), ("agency_id", "agencies", "agency_id")],
    "targets": [("indicator_id", "indicators", "indicator_id")],
    "task_agencies": [("task_id", "tasks", "task_id"), ("agency_id", "agencies", "agency_id")],
}


# Columns that name one row across runs: what reviewer corrections are keyed by.
# Tables without a primary key are keyed by the columns that identify a row in them.
ROW_KEYS = {
    "documents": ["doc_id"], "indicators": ["indicator_id"], "tasks": ["task_id"],
    "agencies": ["agency_id"], "targets": ["indicator_id", "kind", "year"],
    "references": ["doc_id", "ref_number", "ref_type", "ref_title"],
    "budget": ["doc_id", "table", "row_code", "item", "column"],
    "duties": ["duty_id"],
}


def columns(table: str) -> list[str]:
    return [c[0] for c in TABLES[table]["columns"]]


def column_type(table: str, column: str) -> str:
    """The column's Frictionless type: string, date, integer, number or boolean."""
    return next(t for c, t, _ in TABLES[table]["columns"] if c == column)


def contract_tables_markdown() -> str:
    """Every table and column with its type and description, as docs/contract.md lists
    them (the file is checked against this in the tests)."""
    out = ["## Every table and column written (generated from `pipeline/output/schema.py`)", ""]
    for name, spec in TABLES.items():
        key = ", ".join(spec["primary_key"]) or "none"
        out += [f"### `{name}.csv` (primary key: {key})", "", "| column | type | meaning |",
                "| --- | --- | --- |"]
        out += [f"| `{c}` | {t} | {d} |" for c, t, d in spec["columns"]]
        out.append("")
    return "\n".join(out)


# -- typed rows ------------------------------------------------------------------------
# One dataclass per table, made from its columns: every column is a required keyword,
# so a row built with a misspelled or forgotten column fails where it is built, not as
# an empty column in the CSV. Fields that are not columns are declared here too.

# Columns the writer fills once every row of the run is known: the numbering of repeated
# keys, duplicate plans, agency ids.
WRITTEN_LATER = {("targets", "seq"), ("budget", "seq"), ("documents", "duplicate_of"),
                 ("indicators", "lead_agency_id"), ("tasks", "lead_agency_id"),
                 ("indicators", "canonical_indicator_id"), ("indicators", "canonical_score"),
                 ("duties", "agency_id")}

EXTRA_FIELDS: dict[str, list[tuple[str, object]]] = {
    # (canonical agency name, spelling as printed) of every agency a row names: the
    # aliases of agencies.csv
    "indicators": [("agency_spellings", ())],
    "tasks": [("agency_spellings", ())],
    "duties": [("agency_spellings", ())],
}


class SchemaError(ValueError):
    """A row that does not fit its table's columns (a bug in the code that built it)."""


class Row:
    """Base of the row types: `Row.of(table, **columns)`, `row.as_dict()`."""
    TABLE: str = ""         # the table's name (budget rows have a column named "table")

    @staticmethod
    def of(table: str, /, **values) -> "Row":
        try:
            row = ROW_TYPES[table](**values)
        except TypeError as exc:
            raise SchemaError(f"{table} row: {exc}") from None
        # an unknown string key is written as "" (no row code); an unknown year has no
        # such stand-in, and the database would refuse the whole run's rows at the end
        empty = [k for k in TABLES[table]["primary_key"] if (table, k) not in WRITTEN_LATER
                 and column_type(table, k) != "string" and values.get(k) is None]
        if empty:
            raise SchemaError(f"{table} row without its key column(s) {', '.join(empty)}")
        return row

    def as_dict(self) -> dict:
        """The row's columns, in contract order (extra fields left out)."""
        return {c: getattr(self, c) for c in columns(self.TABLE)}

    def __getitem__(self, column: str):
        """row["name"] reads like the CSV row it becomes."""
        if column not in self.__dataclass_fields__:
            raise KeyError(column)
        return getattr(self, column)


def _row_type(table: str) -> type:
    name = "".join(p.title() for p in table.split("_")) + "Row"
    fields = [(c, object) if (table, c) not in WRITTEN_LATER
              else (c, object, dataclasses.field(default=None)) for c in columns(table)]
    fields += [(f, object, dataclasses.field(default=d)) for f, d in EXTRA_FIELDS.get(table, [])]
    cls = dataclasses.make_dataclass(name, fields, bases=(Row,), kw_only=True,
                                     namespace={"TABLE": table})
    cls.__module__ = __name__           # picklable: workers send rows back
    globals()[name] = cls
    return cls


ROW_TYPES: dict[str, type] = {name: _row_type(name) for name in TABLES}


def check_row(table: str, row: dict) -> dict:
    """The row's values in column order; a SchemaError if its keys are not exactly the
    table's columns."""
    cols = columns(table)
    if row.keys() != set(cols):
        raise SchemaError(f"{table} row: unknown columns {sorted(set(row) - set(cols))}, "
                          f"missing {sorted(set(cols) - set(row))}")
    return {c: row[c] for c in cols}
