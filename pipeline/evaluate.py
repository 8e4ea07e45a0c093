"""`make eval`: score data/structured/ against reference extractions (../shared/gold/).

Each gold folder is named after a seed file (`000_fb55ab29a5b32adb`); every document
whose source file starts with the same three-digit prefix is scored against it. Rows are
paired by their printed number (tasks: group and number; targets: number, kind, year);
a pair counts for a column when the values agree — long text by fuzzy ratio at least
FUZZY, agency lists as sets, numbers within 1e-6. Precision is over our rows, recall over
gold rows.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from normalizers.text import fold, squash

FUZZY = 90
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
TEXT_COLUMNS = {"name", "description", "item"}
SET_COLUMNS = {"coordinating_agencies"}
NUMBER_COLUMNS = {"value_min", "value_max", "value", "value_vnd"}
HEADER_COLUMNS = {"column"}
COLUMNS = {
    "indicators": ["name", "unit", "lead_agency", "coordinating_agencies"],
    "targets": ["raw", "comparator", "value_min", "value_max", "unit"],
    "tasks": ["description", "lead_agency", "deadline", "recurrence"],
}


@dataclass
class Score:
    table: str
    column: str
    ours: int
    gold: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.ours if self.ours else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def agree(column: str, a: str, b: str) -> bool:
    a, b = squash(a or ""), squash(b or "")
    if column in TEXT_COLUMNS:
        return fuzz.ratio(fold(a), fold(b)) >= FUZZY
    if column in SET_COLUMNS:
        return {fold(x) for x in a.split(";") if x} == {fold(x) for x in b.split(";") if x}
    if column in NUMBER_COLUMNS:
        if not a or not b:
            return a == b
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    if column in HEADER_COLUMNS:        # an OCR'd header: a letter may be off
        return fuzz.ratio(fold(a), fold(b)) >= FUZZY
    return fold(a) == fold(b)


def document_rows(structured: Path, source_file: str, table: str) -> list[dict]:
    """One document's rows of a table in an output folder; targets carry their
    indicator's number and name."""
    doc = next(d["doc_id"] for d in read(structured / "documents.csv")
               if d["source_file"] == source_file)
    if table != "targets":
        return [r for r in read(structured / f"{table}.csv") if r["doc_id"] == doc]
    indicators = {r["indicator_id"]: r for r in read(structured / "indicators.csv")
                  if r["doc_id"] == doc}
    return [{**t, "number": indicators[t["indicator_id"]]["number"],
             "name": indicators[t["indicator_id"]]["name"]}
            for t in read(structured / "targets.csv") if t["indicator_id"] in indicators]


def score_listed_rows(table: str, ours: list[dict], gold: list[dict],
                      keys: list[str]) -> Score:
    """Score against a small gold that lists some rows of a document (hand-read off a
    real scan): each gold row is paired with our first row whose key columns agree, and
    is right when every other column the gold gives agrees too. Precision is over our
    rows that pair with some gold row (rows the gold does not list are not judged)."""
    def pairs_with(ours_row: dict, gold_row: dict) -> bool:
        return all(agree(k, ours_row.get(k, ""), gold_row.get(k, "")) for k in keys)

    right, paired = 0, set()
    for g in gold:
        match = next((i for i, m in enumerate(ours) if i not in paired and pairs_with(m, g)), None)
        if match is None:
            continue
        paired.add(match)
        right += all(agree(c, ours[match].get(c, ""), v) for c, v in g.items() if c not in keys)
    judged = sum(1 for m in ours if any(pairs_with(m, g) for g in gold))
    return Score(table, "(listed rows)", judged, len(gold), right)


def keyed(table: str, rows: list[dict], numbers: dict[str, str] | None = None) -> dict:
    out = {}
    for r in rows:
        if table == "targets":
            number = numbers.get(r.get("indicator_id", ""), r.get("number", "")) if numbers \
                else r.get("number", "")
            key = (number, r["kind"], str(r["year"]))
        elif table == "tasks":
            key = (fold(r["group"]), r["number"])
        else:
            key = (r["number"],)
        out.setdefault(key, r)
    return out


def score_document(gold_dir: Path, ours: dict[str, list[dict]]) -> list[Score]:
    numbers = {r["indicator_id"]: r["number"] for r in ours["indicators"]}
    scores = []
    for table, columns in COLUMNS.items():
        gold = keyed(table, read(gold_dir / f"{table}.csv"))
        mine = keyed(table, ours[table], numbers if table == "targets" else None)
        if not gold:
            continue
        pairs = [(mine[k], gold[k]) for k in gold if k in mine]
        scores.append(Score(table, "(row)", len(mine), len(gold), len(pairs)))
        for col in columns:
            right = sum(1 for m, g in pairs if agree(col, m.get(col, ""), g.get(col, "")))
            scores.append(Score(table, col, len(mine), len(gold), right))
    return scores


def evaluate(structured: Path, gold_root: Path) -> dict[str, list[Score]]:
    docs = read(structured / "documents.csv")
    tables = {t: read(structured / f"{t}.csv") for t in COLUMNS}
    results = {}
    for gold_dir in sorted(p for p in gold_root.iterdir() if p.is_dir()):
        prefix = gold_dir.name[:3]
        for doc in docs:
            if not Path(doc["source_file"]).name.startswith(prefix):
                continue
            ours = {t: [r for r in rows if r.get("doc_id", doc["doc_id"]) == doc["doc_id"]]
                    for t, rows in tables.items()}
            ids = {r["indicator_id"] for r in ours["indicators"]}
            ours["targets"] = [r for r in tables["targets"] if r["indicator_id"] in ids]
            results[doc["source_file"]] = score_document(gold_dir, ours)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--structured", type=Path, default=Path("data/structured"))
    ap.add_argument("--gold", type=Path, default=GOLD)
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"error: no gold folder at {args.gold}", file=sys.stderr)
        return 2
    results = evaluate(args.structured, args.gold)
    if not results:
        print("no extracted document matches a gold folder; run `make extract` first",
              file=sys.stderr)
        return 2
    print(f"text columns match at fuzzy ratio >= {FUZZY}")
    for source, scores in results.items():
        print(f"\n{source}")
        print(f"{'table':11} {'column':22} {'ours':>5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
        for s in scores:
            print(f"{s.table:11} {s.column:22} {s.ours:>5} {s.gold:>5} {s.precision:>6.3f} "
                  f"{s.recall:>6.3f} {s.f1:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
