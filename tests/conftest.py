"""Shared fixtures: the bundled samples and a corpus of bad inputs made on the fly."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from extractors.model import Line, Word

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"


def read(out: Path, table: str) -> list[dict]:
    """The rows of one CSV of an output folder, as the data teams read them."""
    with open(out / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def header_lines(*texts: str, pen: tuple[str, ...] = ()) -> list[Line]:
    """Lines of a header as a text layer gives them; the words in `pen` written in pen,
    as OCR of a scan marks them."""
    return [Line([Word(w, (0.0, 0.0, 0.0, 0.0), pen=w in pen) for w in text.split()])
            for text in texts]


# The bad-input corpus (scripts/make_bad_inputs.py) and the stage each must fail in.
BAD = {"empty.pdf": "ingest", "truncated.pdf": "ingest", "junk.pdf": "ingest",
       "encrypted.pdf": "ingest", "zero_pages.pdf": "ingest", "huge.png": "ingest",
       "blank.png": "ocr", "english.pdf": "language"}


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """An input folder like a researcher's: three real samples and the bad-input corpus."""
    folder = tmp_path_factory.mktemp("raw")
    for name in ("000_born_digital.pdf", "004_bac_son_ocr.txt"):
        shutil.copy(RAW / name, folder / name)
    shutil.copy(FIXTURES / "003_scanned_head.pdf", folder / "003_scanned_head.pdf")
    shutil.copytree(FIXTURES / "bad", folder / "bad")
    return folder, {f"bad/{k}": v for k, v in BAD.items()}


@pytest.fixture(autouse=True, scope="session")
def _no_checkout_corrections(tmp_path_factory):
    """Tests never read the checkout's data/corrections: a reviewer's work there must
    not change what the tests see (runs get an empty corrections folder instead)."""
    import os
    empty = tmp_path_factory.mktemp("no_corrections")
    os.environ["VNPLAN_CORRECTIONS"] = str(empty)
    yield
    os.environ.pop("VNPLAN_CORRECTIONS", None)
