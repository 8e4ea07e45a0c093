"""make eval's scoring on small hand-made tables: it must be able to fail."""
from __future__ import annotations

import csv
from pathlib import Path

from pipeline.evaluate import evaluate


def write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_scores_count_wrong_and_missing_rows(tmp_path):
    gold, out = tmp_path / "gold" / "123_abc", tmp_path / "out"
    write(gold / "indicators.csv", [
        {"number": "1", "name": "Tỷ lệ thất nghiệp", "unit": "%", "lead_agency": "Sở Y tế",
         "coordinating_agencies": "Sở Tài chính;Cục Thống kê"},
        {"number": "2", "name": "Giải quyết việc làm", "unit": "người", "lead_agency": "Sở Y tế",
         "coordinating_agencies": ""}])
    write(out / "documents.csv", [{"doc_id": "d", "source_file": "123_x.pdf"}])
    write(out / "indicators.csv", [
        {"indicator_id": "a", "doc_id": "d", "number": "1", "name": "Tỷ lệ thất nghiệp.",
         "unit": "%", "lead_agency": "Sở Nội vụ",
         "coordinating_agencies": "Cục Thống kê;Sở Tài chính"}])
    scores = {s.column: s for s in evaluate(out, tmp_path / "gold")["123_x.pdf"]
              if s.table == "indicators"}
    assert scores["(row)"].precision == 1.0 and scores["(row)"].recall == 0.5
    assert scores["name"].right == 1                     # fuzzy: the full stop is forgiven
    assert scores["coordinating_agencies"].right == 1    # a set: order is free
    assert scores["lead_agency"].right == 0


def test_the_contract_in_the_repository_matches_the_schema():
    from pipeline.output.schema import contract_tables_markdown
    from tests.conftest import ROOT
    text = (ROOT / "docs" / "contract.md").read_text("utf-8")
    assert text.rstrip().endswith(contract_tables_markdown().rstrip()), \
        "docs/contract.md is out of date: run `make contract`"
    shared = ROOT.parent / "shared" / "CONTRACT.md"
    if shared.exists():         # the agreed contract, verbatim
        assert shared.read_text("utf-8").strip() in text
