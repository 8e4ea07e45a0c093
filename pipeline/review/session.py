"""Reviewing extracted rows: a queue ordered by doubt, the source beside each row, and
decisions recorded as corrections (`pipeline.output.corrections`) that later runs re-apply.

The notebook `notebooks/review.ipynb` is a front end over `ReviewSession`; everything
it does can be done from Python or a test with the same calls.
"""
from __future__ import annotations

import getpass
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image
from rapidfuzz import fuzz

from extractors.sources import images, pdf
from normalizers.agency_registry import agency_id, registry

from pipeline.runtime.storage import is_url
from pipeline.output import corrections
from pipeline.output.corrections import Correction
from pipeline.output.writer import MANIFEST
from pipeline.runtime.run import extract
from pipeline.output.schema import ROW_KEYS, TABLES, columns

LOW_CONFIDENCE = 0.8
REVIEWED_TABLES = ("indicators", "tasks", "targets", "budget")
# What a reviewer reads first of a row: its name, description or raw cell.
LABEL_COLUMNS = {"indicators": "name", "tasks": "description", "targets": "raw", "budget": "item"}


def workspace() -> dict[str, Path]:
    """Folders the notebooks work on: the repository's data/ folders, found from the
    current directory upwards, each overridable by an environment variable
    (VNPLAN_RAW, VNPLAN_OUT, VNPLAN_CORRECTIONS, VNPLAN_CACHE, VNPLAN_FIGURES)."""
    here = Path.cwd().resolve()
    root = next((p for p in [here, *here.parents] if (p / "pipeline").is_dir()
                 and (p / "data").is_dir()), here)
    defaults = {"raw": "data/raw", "out": "data/structured", "corrections": "data/corrections",
                "cache": "data/cache", "figures": "notebooks/figures"}
    return {name: Path(os.environ.get(f"VNPLAN_{name.upper()}", root / rel))
            for name, rel in defaults.items()}


def load_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder as strings, exactly as written (empty cell = "")."""
    return {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
            if (out / f"{name}.csv").exists() else pd.DataFrame(columns=[c[0] for c in
                                                                          spec["columns"]])
            for name, spec in TABLES.items()}


@lru_cache(maxsize=1)
def _registry_ids() -> frozenset[str]:
    return frozenset(agency_id(n) for n in registry()["keys"].values())


def _known_agency(name: str) -> bool:
    return agency_id(name) in _registry_ids()


def row_checks(table: str, row: dict) -> list[str]:
    """Checks a row fails, in words a reviewer understands."""
    failed = []
    if table in ("indicators", "tasks"):
        if not row.get("lead_agency"):
            failed.append("no lead agency")
        names = [row.get("lead_agency", ""), *row.get("coordinating_agencies", "").split(";")]
        unknown = [n for n in names if n and not _known_agency(n)]
        if unknown:
            failed.append("unmatched agency: " + "; ".join(unknown))
    if table == "tasks" and not (row.get("deadline") or row.get("recurrence")):
        failed.append("no deadline")
    if table == "targets" and row.get("comparator") == "text" and re.search(r"\d", row["raw"]):
        failed.append("number in an unparsed target")
    if table == "budget" and row.get("raw") and not row.get("value"):
        failed.append("amount not parsed")
    conf = row.get("confidence")
    if conf and float(conf) < LOW_CONFIDENCE:
        failed.append(f"low confidence {float(conf):.2f}")
    return failed


class ReviewSession:
    """One reviewer's view of an output folder and the corrections folder beside it."""

    def __init__(self, out: Path = Path("data/structured"),
                 corrections_dir: Path = Path("data/corrections"),
                 raw_dir: Path = Path("data/raw"), reviewer: str | None = None):
        self.out, self.corrections_dir, self.raw_dir = Path(out), Path(corrections_dir), Path(raw_dir)
        self.reviewer = reviewer or getpass.getuser()
        self.reload()

    @classmethod
    def from_workspace(cls, reviewer: str | None = None) -> "ReviewSession":
        paths = workspace()
        return cls(paths["out"], paths["corrections"], paths["raw"], reviewer)

    def reload(self) -> None:
        """Read the output folder again (after `make extract`)."""
        self.tables = load_tables(self.out)
        # rows by (table, row id), so that showing a row does not scan its table
        self.rows: dict[tuple[str, str], dict] = {}
        for table in ROW_KEYS:
            for row in self.tables[table].to_dict("records"):
                self.rows.setdefault((table, corrections.row_id(table, row)), row)

    def inputs(self) -> list[Path | str]:
        """The files the reviewed folder was extracted from (its manifest: paths, or
        URLs), else the raw folder."""
        manifest = self.out / MANIFEST
        if manifest.exists():
            return [p if is_url(p) else Path(p)
                    for p in json.loads(manifest.read_text("utf-8"))["arguments"]]
        return [self.raw_dir]

    def rerun(self, cache_dir: Path | None = None) -> list[dict]:
        """Extract the reviewed folder's own inputs again (from the cache: seconds), so
        that its CSVs show the corrections; returns the corrections report."""
        summary = extract(self.inputs(), self.out, workers=1,
                          cache_dir=cache_dir or workspace()["cache"], progress=False,
                          corrections_dir=self.corrections_dir
                          if self.corrections_dir.is_dir() else None)
        self.reload()
        return summary.corrections

    # -- the queue -------------------------------------------------------------------
    def reviewed(self) -> set[tuple[str, str]]:
        return {(c.table, c.row_id) for _, _, c in corrections.load(self.corrections_dir)}

    def queue(self, doc_id: str | None = None, include_reviewed: bool = False) -> pd.DataFrame:
        """Rows to review, most doubtful first: failed checks, then lowest confidence."""
        done = set() if include_reviewed else self.reviewed()
        docs = self.tables["documents"].set_index("doc_id")["source_file"].to_dict()
        indicator_doc = dict(zip(self.tables["indicators"]["indicator_id"],
                                 self.tables["indicators"]["doc_id"]))
        rows = []
        for table in REVIEWED_TABLES:
            for row in self.tables[table].to_dict("records"):
                rid = corrections.row_id(table, row)
                doc = row.get("doc_id") or indicator_doc.get(row.get("indicator_id"), "")
                if (table, rid) in done or (doc_id and doc != doc_id):
                    continue
                checks = row_checks(table, row)
                rows.append({"table": table, "row_id": rid, "doc_id": doc,
                             "source_file": docs.get(doc, ""), "page": row.get("page", ""),
                             "label": row.get(LABEL_COLUMNS[table], ""),
                             "confidence": float(row["confidence"]) if row.get("confidence")
                             else 1.0, "checks": "; ".join(checks), "n_checks": len(checks)})
        q = pd.DataFrame(rows, columns=["table", "row_id", "doc_id", "source_file", "page",
                                        "label", "confidence", "checks", "n_checks"])
        q = q.sort_values(["n_checks", "confidence"], ascending=[False, True], kind="stable")
        return q.drop(columns="n_checks").reset_index(drop=True)

    # -- one row and its source ----------------------------------------------------------
    def row(self, table: str, rid: str) -> dict:
        try:
            return self.rows[(table, rid)]
        except KeyError:
            raise KeyError(f"no {table} row {rid} in {self.out}; run make extract or "
                           "reload()") from None

    def _source(self, row: dict) -> tuple[str, Path | None]:
        """The row's doc_id and its source file: where the manifest says it was read
        from, else under the raw folder."""
        doc = row.get("doc_id") or self.row("indicators", row["indicator_id"])["doc_id"]
        docs = self.tables["documents"]
        match = docs[docs["doc_id"] == doc]
        if match.empty:
            return doc, None
        manifest = self.out / MANIFEST
        if manifest.exists():
            for entry in json.loads(manifest.read_text("utf-8"))["inputs"]:
                if entry["doc_id"] == doc and Path(entry["path"]).exists():
                    return doc, Path(entry["path"])
        return doc, self.raw_dir / match.iloc[0]["source_file"]

    def crop_problem(self, table: str, rid: str) -> str:
        """Why the row has no source crop ("" when it has one)."""
        row = self.row(table, rid)
        doc, path = self._source(row)
        if path is None:
            return f"document {doc} is not in {self.out}/documents.csv"
        if not path.exists():
            return (f"source file {path} is not there (moved or deleted since extraction): "
                    f"put it back, or open the session with raw_dir= its folder")
        if not row.get("bbox") or not row.get("page"):
            return "the row has no page region (text sources have no geometry)"
        return ""

    def source_image(self, table: str, rid: str, dpi: int = 110,
                     margin: float = 14.0) -> Image.Image | None:
        """The page region the row was read from, or None (crop_problem says why)."""
        row = self.row(table, rid)
        if self.crop_problem(table, rid):
            return None
        _, path = self._source(row)
        page = int(row["page"])
        if path.suffix.lower() == ".pdf":
            image, used = pdf.render_page(path, page - 1, dpi)
        else:
            frames = list(images.image_pages(path))
            if page > len(frames):
                return None
            image, used = frames[page - 1]
        scale = used / 72.0
        x0, y0, x1, y1 = (float(v) for v in row["bbox"].split(","))
        box = (max(0, (x0 - margin) * scale), max(0, (y0 - margin) * scale),
               min(image.width, (x1 + margin) * scale), min(image.height, (y1 + margin) * scale))
        return image.crop(tuple(round(v) for v in box))

    def source_text(self, table: str, rid: str, context: int = 2) -> str:
        """Lines of the document text around the best match for the row's label."""
        row = self.row(table, rid)
        doc, _ = self._source(row)
        path = self.out / "text" / f"{doc}.txt"
        label = row.get(LABEL_COLUMNS.get(table, ""), "") or ""
        if not path.exists() or not label:
            return ""
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines:
            return ""
        best = max(range(len(lines)), key=lambda i: fuzz.partial_ratio(label, lines[i]))
        return "\n".join(lines[max(0, best - context): best + context + 1])

    # -- decisions ---------------------------------------------------------------------
    def _record(self, c: Correction, row: dict | None = None) -> Correction:
        """Append the correction, with the document its row belongs to."""
        c.reviewer = self.reviewer
        doc = self._document_of(c.table, row or {})
        if doc is not None:
            c.doc_id, c.source_file = str(doc["doc_id"]), str(doc["source_file"])
        corrections.append(self.corrections_dir, c)
        return c

    def _document_of(self, table: str, row: dict) -> dict | None:
        doc_id = row.get("doc_id")
        if table == "targets":
            indicator = self.rows.get(("indicators", str(row.get("indicator_id"))))
            doc_id = indicator and indicator.get("doc_id")
        return self.rows.get(("documents", str(doc_id))) if doc_id else None

    def accept(self, table: str, rid: str, note: str = "") -> Correction:
        return self._record(Correction(table, rid, "accept", note=note), self.row(table, rid))

    def edit(self, table: str, rid: str, field: str, value: str, note: str = "") -> Correction:
        row = self.row(table, rid)
        if field not in row or field in ROW_KEYS[table]:
            raise ValueError(f"{field!r} is not an editable column of {table}")
        typed, problem = corrections.typed_value(table, field, str(value))
        if problem:
            raise ValueError(problem)
        old = "" if pd.isna(row[field]) else str(row[field])
        return self._record(Correction(table, rid, "edit", field, old, typed, note=note), row)

    def reject(self, table: str, rid: str, note: str = "") -> Correction:
        return self._record(Correction(table, rid, "reject", note=note), self.row(table, rid))

    def add(self, table: str, row: dict, note: str = "") -> Correction:
        """A row the extractor missed; it must carry its key columns (ROW_KEYS)."""
        needed = ROW_KEYS[table] + (["doc_id"] if "doc_id" in columns(table) else [])
        missing = [c for c in dict.fromkeys(needed) if not row.get(c)]
        if missing:
            raise ValueError(f"an added {table} row needs {', '.join(missing)}")
        for column, value in row.items():
            if column not in columns(table):
                raise ValueError(f"{table} has no column {column!r}")
            problem = corrections.typed_value(table, column, str(value))[1]
            if problem:
                raise ValueError(problem)
        if "doc_id" in row and self._document_of(table, row) is None:
            raise ValueError(f"no document {row['doc_id']!r} in {self.out}")
        rid = corrections.row_id(table, row)
        return self._record(Correction(table, rid, "add",
                                       new_value=json.dumps(row, ensure_ascii=False), note=note),
                            row)

    def corrections(self) -> pd.DataFrame:
        found = corrections.load(self.corrections_dir)
        return pd.DataFrame([{"file": f, "line": n, **vars(c)} for f, n, c in found],
                            columns=["file", "line", *corrections.COLUMNS])
