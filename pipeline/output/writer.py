"""Writing the dataset: CSVs per the contract, texts, datapackage.json, a manifest.

A run writes its whole dataset into a staging folder beside the output, then swaps it
in (`publish`): the output folder holds one run's files, never a mix of two, and a run
that fails before the swap leaves the previous dataset as it was. Files get the
permissions the umask allows (a data team in the same group can read them)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.output.database import DATABASE
from pipeline.output.schema import FOREIGN_KEYS, TABLES, check_row, columns


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# What a run owns in its output folder: replaced whole by each run, nothing else touched.
DATASET_DIRS = ("text", "excel", "parquet")
MANIFEST = "manifest.json"


def staging_folder(out: Path) -> Path:
    """A new, empty folder beside `out` on the same file system, for one run's dataset."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.staging-"))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def publish(staging: Path, out: Path) -> None:
    """Move the staged dataset into `out`: folders swapped whole (the old text/ of
    documents no longer in the dataset goes, and so does an excel/ this run did not
    write), then the CSVs, the datapackage and last the manifest, each by a rename."""
    out.mkdir(parents=True, exist_ok=True)
    for name in DATASET_DIRS:
        old, new = out / name, staging / name
        if old.exists():
            trash = staging / f".old-{name}"
            os.replace(old, trash)
        if new.exists():
            os.replace(new, old)
    owned = {f"{t}.csv" for t in TABLES} | {"datapackage.json", DATABASE, MANIFEST}
    for f in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):
        if f.is_file() and f.name in owned:
            os.replace(f, out / f.name)
    shutil.rmtree(staging, ignore_errors=True)


def write_manifest(out: Path, manifest: dict) -> None:
    atomic_write(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2)
                                  + "\n").encode("utf-8"))


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    return str(value)


def csv_bytes(table: str, rows: list[dict], bom: bool = False) -> bytes:
    """The table as CSV; a row whose keys are not exactly the table's columns is a
    SchemaError (a bug upstream), never a silently empty column."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    cols = columns(table)
    writer.writerow(cols)
    for row in rows:
        writer.writerow([cell(v) for v in check_row(table, row).values()])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def write_table(out: Path, table: str, rows: list[dict], excel: bool = False) -> None:
    atomic_write(out / f"{table}.csv", csv_bytes(table, rows))
    if excel:
        atomic_write(out / "excel" / f"{table}.csv", csv_bytes(table, rows, bom=True))


def datapackage(out: Path, sources: list[str] = ()) -> dict:
    resources = []
    for name, spec in TABLES.items():
        schema: dict = {"fields": [{"name": c, "type": t, **({"description": d} if d else {})}
                                   for c, t, d in spec["columns"]],
                        "missingValues": [""]}
        if spec["primary_key"]:
            schema["primaryKey"] = spec["primary_key"]
        fks = [{"fields": f, "reference": {"resource": r, "fields": rf}}
               for f, r, rf in FOREIGN_KEYS.get(name, [])]
        if fks:
            schema["foreignKeys"] = fks
        resources.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "dialect": {"delimiter": ",", "header": True}, "schema": schema})
    return {"name": "vietnamese-plan-extractions", "profile": "tabular-data-package",
            "title": "Indicators, targets, tasks, budgets and references of Vietnamese "
                     "government plans",
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "licenses": [{"name": "other-pd", "title": "Extracted from Vietnamese state "
                          "documents, which are not protected by copyright (Law on "
                          "Intellectual Property, Article 15)"}],
            "sources": [{"title": s} for s in sources],
            "resources": resources}


def write_datapackage(out: Path, sources: list[str] = ()) -> None:
    """datapackage.json; sources: the input files the dataset was extracted from."""
    text = json.dumps(datapackage(out, sources), ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / "datapackage.json", text.encode("utf-8"))
