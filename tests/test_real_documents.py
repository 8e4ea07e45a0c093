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
import yaml

from pipeline.cli import main
from pipeline.evaluate import document_rows, score_listed_rows

from .conftest import ROOT

REAL = ROOT.parent / "shared" / "real"
GOLDS = ROOT / "tests" / "golden" / "real"
SPECS = yaml.safe_load((GOLDS / "keys.yaml").read_text("utf-8"))
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not on this machine")]


def _source(gold: str) -> Path:
    stem = gold.split(".")[0]
    return next(REAL.glob(f"{stem}.*"))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("real")
    for gold in SPECS:
        shutil.copy(_source(gold), raw)
    folder = tmp_path_factory.mktemp("out")
    assert main(["extract", str(raw), "--out", str(folder), "--quiet"]) == 0
    return folder


@pytest.mark.parametrize("gold", sorted(SPECS))
def test_real_document_against_its_hand_made_gold(out, gold):
    with open(GOLDS / gold, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= SPECS[gold].get("min_rows", 10)
    table = gold.split(".")[1]
    ours = document_rows(out, _source(gold).name, table)
    score = score_listed_rows(table, ours, rows, SPECS[gold]["keys"])
    assert score.f1 >= 0.95, (f"{gold}: P {score.precision:.3f} R {score.recall:.3f} "
                              f"({score.right} of {score.gold} gold rows right)")
