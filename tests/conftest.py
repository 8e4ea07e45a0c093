"""Shared fixtures: the bundled samples and a corpus of bad inputs made on the fly."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Write one file per kind of bad input; returns {file name: expected stage}."""
    folder.mkdir(parents=True, exist_ok=True)
    good = (RAW / "000_born_digital.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(good[:1500])
    (folder / "junk.pdf").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.pdf").write_bytes(b"")
    c = canvas.Canvas(str(folder / "encrypted.pdf"),
                      encrypt=StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(72, 720, "Kế hoạch số 1/KH-UBND")
    c.save()
    Image.new("L", (1200, 1600), 255).save(folder / "blank.png")
    return {"truncated.pdf": "ingest", "junk.pdf": "ingest", "empty.pdf": "ingest",
            "encrypted.pdf": "ingest", "blank.png": "ocr"}


@pytest.fixture(scope="session")
def sample_inputs(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """An input folder like a researcher's: three real samples and five bad files."""
    folder = tmp_path_factory.mktemp("raw")
    for name in ("000_born_digital.pdf", "004_bac_son_ocr.txt"):
        shutil.copy(RAW / name, folder / name)
    shutil.copy(FIXTURES / "003_scanned_head.pdf", folder / "003_scanned_head.pdf")
    bad = make_bad_inputs(folder / "bad")
    return folder, {f"bad/{k}": v for k, v in bad.items()}
