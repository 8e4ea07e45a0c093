"""Real documents of ../shared/real against small golds read off them by hand
(tests/golden/real/<document>.<table>.csv): Word plans with task and indicator tables, a
born-digital price appendix, a rotated land-use scan and a budget scan. Each gold lists
ten or more rows; the extraction must pair and agree with them at F1 >= 0.95.

None of these layouts or header wordings was written into the code's vocabulary from
the test: they are what a researcher drops into data/raw/."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import score_listed_rows

from .conftest import ROOT, read

REAL = ROOT.parent / "shared" / "real"
GOLDS = ROOT / "tests" / "golden" / "real"
# gold file -> the columns that pair a gold row with ours
KEYS = {
    "lamdong-kh-tuyen-truyen-cchc-2026.tasks.csv": ["lead_agency"],
    "lamdong-kh-kiem-tra-cchc-2026.tasks.csv": ["group", "number"],
    "lamdong-bc-cchc-2025-appendix.targets.csv": ["number", "name"],
    "lamdong-kh-pcmt-2030.targets.csv": ["number"],
    "angiang-qd-66-2021-appendix.targets.csv": ["number"],
    "daknong-qd-240-2019-land-use-scan.targets.csv": ["name", "column", "kind", "year"],
    "daknong-stc-bc-207-budget-scan.budget.csv": ["page", "item", "column"],
}
SHORT = {"lamdong-kh-pcmt-2030.targets.csv": 9}     # the plan states nine targets
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not on this machine")]


def _source(gold: str) -> Path:
    stem = gold.split(".")[0]
    return next(REAL.glob(f"{stem}.*"))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("real")
    for gold in KEYS:
        shutil.copy(_source(gold), raw)
    folder = tmp_path_factory.mktemp("out")
    assert main(["extract", str(raw), "--out", str(folder), "--quiet"]) == 0
    return folder


def _ours(out: Path, source: str, table: str) -> list[dict]:
    """Our rows of one document; targets with their indicator's number and name."""
    doc = next(d["doc_id"] for d in read(out, "documents") if d["source_file"] == source)
    if table != "targets":
        return [r for r in read(out, table) if r["doc_id"] == doc]
    indicators = {r["indicator_id"]: r for r in read(out, "indicators") if r["doc_id"] == doc}
    return [{**t, "number": indicators[t["indicator_id"]]["number"],
             "name": indicators[t["indicator_id"]]["name"]}
            for t in read(out, "targets") if t["indicator_id"] in indicators]


@pytest.mark.parametrize("gold", sorted(KEYS))
def test_real_document_against_its_hand_made_gold(out, gold):
    with open(GOLDS / gold, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= SHORT.get(gold, 10)
    table = gold.split(".")[1]
    score = score_listed_rows(table, _ours(out, _source(gold).name, table), rows, KEYS[gold])
    assert score.f1 >= 0.95, (f"{gold}: P {score.precision:.3f} R {score.recall:.3f} "
                              f"({score.right} of {score.gold} gold rows right)")
