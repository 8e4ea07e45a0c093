"""All documents' rows -> the tables of the dataset, written: reviewers' corrections
applied, the agencies rows name put in the registry table and linked by id, plans
given twice marked, indicators snapped to the registry, repeated keys numbered; then
the CSVs, datapackage and database."""
from __future__ import annotations

from pathlib import Path

from normalizers.agency_registry import agency_row
from normalizers.indicators import best_match
from pipeline.output import corrections
from pipeline.output.database import write_database
from pipeline.output.schema import TABLES, Row
from pipeline.output.writer import atomic_write, write_datapackage, write_table
from pipeline.recipe import DocResult
from pipeline.settings import SETTINGS


# The agencies a row names: (table, its one agency's column, its columns of further ones).
NAMING = (("indicators", "lead_agency", ("coordinating_agencies",)),
          ("tasks", "lead_agency", ("coordinating_agencies", "monitoring_agencies")),
          ("duties", "agency", ()))


_KIND_ORDER = ("born_digital", "docx", "xlsx", "text", "mixed", "scanned")


def mark_duplicates(documents: list[dict], texts: dict[str, str]) -> None:
    """documents.duplicate_of: a document that is the same plan as another of the run
    (same number, issuer and date, or the same text) points to the one kept, the
    born-digital form first, so that summaries count each plan once."""
    order = sorted(documents, key=lambda d: (_KIND_ORDER.index(d["input_kind"])
                                             if d["input_kind"] in _KIND_ORDER else 9,
                                             d["source_file"]))
    kept: dict[tuple, str] = {}
    for doc in order:
        same_plan = (doc["doc_number"], doc["issuer"], str(doc["issue_date"] or ""))
        keys = [("text", " ".join(texts.get(doc["doc_id"], "").split()).lower())]
        if all(same_plan):
            keys.append(("plan", *same_plan))
        first = next((kept[k] for k in keys if k in kept and kept[k] != doc["doc_id"]), None)
        doc["duplicate_of"] = first
        for k in keys:
            kept.setdefault(k, doc["doc_id"])


def number_repeats(rows: list[dict], key: list[str]) -> None:
    """seq: 1 for the first row with its key, 2, 3 ... for the next."""
    seen: dict[tuple, int] = {}
    for row in rows:
        k = tuple(str(row[c]) for c in key)
        seen[k] = seen.get(k, 0) + 1
        row["seq"] = seen[k]


def snap_indicators(indicators: list[dict]) -> None:
    """canonical_indicator_id: the registry's indicator a row's name is, where the match
    scores SETTINGS.indicator_snap or more; canonical_score: the best score from
    SETTINGS.indicator_review up, so that a row with a score and no id is one to review.
    Run before corrections, so that a reviewer's id is the one written."""
    for row in indicators:
        canonical, score = best_match(row["name"] or "")
        row["canonical_indicator_id"] = canonical if score >= SETTINGS.indicator_snap else None
        row["canonical_score"] = score if score >= SETTINGS.indicator_review else None


def _naming_documents(tables: dict[str, list[dict]]) -> dict[str, tuple[str, str]]:
    """doc_id -> (issuer, province): where the agencies a document names belong."""
    return {d["doc_id"]: (d["issuer"] or "", d["province"] or "") for d in tables["documents"]}


def named_agencies(tables: dict[str, list[dict]],
                   spellings: dict[str, tuple[tuple[str, str], ...]]
                   ) -> tuple[list[dict], dict[tuple[str, str, str], str]]:
    """agencies.csv rows for every agency an issuer, indicator, task or duty names (rows
    as corrected), placed in the jurisdiction of the document that names it, with every
    spelling seen (`spellings`: the typed rows' agency_spellings by row key); and the
    agency_id of each (name, issuer, province) named."""
    issuers = _naming_documents(tables)
    named: dict[tuple[str, str, str], list[str]] = {
        (i, "", province): [] for i, province in issuers.values() if i}
    for table, lead, coordinating in NAMING:
        for r in tables[table]:
            issuer, province = issuers.get(r["doc_id"], ("", ""))
            spelled = dict(spellings.get(corrections.row_id(table, r), ()))
            others = [n for c in coordinating for n in (r[c] or "").split(";")]
            for name in [r[lead], *others]:
                if name:
                    named.setdefault((name, issuer, province), []).extend(
                        [spelled[name]] if spelled.get(name) else [])
    rows: dict[str, dict] = {}
    ids: dict[tuple[str, str, str], str] = {}
    for (name, issuer, province), seen in named.items():
        row = Row.of("agencies", **agency_row(name, issuer, tuple(seen), province)).as_dict()
        ids[(name, issuer, province)] = row["agency_id"]
        if row["agency_id"] in rows:
            old = rows[row["agency_id"]]
            old["aliases"] = ";".join(dict.fromkeys(old["aliases"].split(";")
                                                    + row["aliases"].split(";")))
        else:
            rows[row["agency_id"]] = row
    return list(rows.values()), ids


def link_agencies(tables: dict[str, list[dict]], ids: dict[tuple[str, str, str], str]) -> None:
    """The agency_id of the agencies each row names (agencies.csv's own jurisdiction
    for each), and task_agencies: one row per task and agency it names, with its role."""
    issuers = _naming_documents(tables)

    def agency_id(name: str, doc_id: str) -> str | None:
        return ids.get((name, *issuers.get(doc_id, ("", "")))) if name else None

    for table, lead, coordinating in NAMING:
        id_column = "agency_id" if table == "duties" else "lead_agency_id"
        for r in tables[table]:
            r[id_column] = agency_id(r[lead], r["doc_id"])
    links = {}
    for t in tables["tasks"]:
        named = [(t["lead_agency"], "lead")] + [
            (n, role) for role in ("coordinating", "monitoring")
            for n in (t[f"{role}_agencies"] or "").split(";") if n]
        for name, role in named:
            agency = agency_id(name, t["doc_id"])
            if agency:
                links.setdefault((t["task_id"], agency, role), {
                    "task_id": t["task_id"], "agency_id": agency, "role": role, "agency": name})
    tables["task_agencies"] = list(links.values())


def write_dataset(out: Path, results: list[DocResult], input_errors: list[Row],
                  excel: bool = False, corrections_dir: Path | None = None) -> list[dict]:
    """Write every table, with reviewer corrections applied; returns the corrections report."""
    typed: dict[str, list[Row]] = {name: [] for name in TABLES}
    typed["errors"] = list(input_errors)
    seen: set[str] = set()
    for res in results:
        typed["errors"] += res.errors
        if not res.document or res.doc_id in seen:
            continue
        seen.add(res.doc_id)
        typed["documents"].append(res.document)
        for name, rows in res.rows.items():
            typed[name] += rows
        atomic_write(out / "text" / f"{res.doc_id}.txt", (res.text + "\n").encode("utf-8"))
    tables = {name: [r.as_dict() for r in rows] for name, rows in typed.items()}
    mark_duplicates(tables["documents"], {r.doc_id: r.text for r in results if r.document})
    snap_indicators(tables["indicators"])
    found = corrections.load(corrections_dir)
    # Rows first, then the agencies they name (a corrected lead agency joins the registry).
    report = corrections.apply(tables, found, only=set(TABLES) - {"agencies"})
    spellings = {corrections.row_id(t, r.as_dict()): r.agency_spellings
                 for t, *_ in NAMING for r in typed[t]}
    tables["agencies"], ids = named_agencies(tables, spellings)
    link_agencies(tables, ids)
    report += corrections.apply(tables, found, only={"agencies"})
    tables["corrections"] = report
    for name in ("targets", "budget"):
        number_repeats(tables[name], [c for c in TABLES[name]["primary_key"] if c != "seq"])
    for name, rows in tables.items():
        write_table(out, name, rows, excel)
    write_datapackage(out, [d["source_file"] for d in tables["documents"]])
    write_database(out)
    return report
