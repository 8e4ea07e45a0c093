"""Repair runs over the whole document, lines and tables alike (pipeline/repair.py):
a table read from a legacy-encoded text layer yields what its Unicode twin yields, and
restored text does not depend on how the pages were batched for reading."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from normalizers.restorer.legacy_encodings import DATA as ENCODINGS
from normalizers.restorer.restore import default_restorer
from normalizers.text import fold
from pipeline.cli import main

from tests.conftest import read

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
# Lower-case except for the capitals TCVN3 has: its other capitals live in other fonts.
LINES = ["Ủy ban nhân dân tỉnh Bắc Ninh", "Số: 12/KH-UBND",
         "Kế hoạch phát triển lao động việc làm năm 2025",
         "Căn cứ tình hình thực tế của địa phương, Ủy ban nhân dân tỉnh ban hành kế hoạch "
         "với các chỉ tiêu sau đây:"]
TABLE = [["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025"],
         ["1", "Tỷ lệ thất nghiệp khu vực thành thị", "%", "Dưới 3,5", "Dưới 3"],
         ["2", "Số lao động được tạo việc làm mới", "người", "12.000", "12.500"],
         ["3", "Tỷ lệ lao động qua đào tạo", "%", "70", "72"]]


def to_tcvn3(text: str) -> str:
    t = yaml.safe_load((ENCODINGS / "legacy_encodings.yaml").read_text("utf-8"))["tcvn3"]
    table = {b: a for a, b in zip(t["from"], t["to"])}
    return "".join(table.get(c, table.get(c.lower(), c)) for c in text)


def draw(path: Path, encode) -> None:
    """One page: the lines, then a ruled table, every string passed through encode."""
    pdfmetrics.registerFont(TTFont("RepairSerif", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("RepairSerif", 11)
    y = 790
    for line in LINES:
        c.drawString(50, y, encode(line))
        y -= 22
    widths, x0, row_h = [30, 220, 70, 80, 80], 50, 24
    top = y - 10
    for i, row in enumerate(TABLE):
        x = x0
        for w, cell in zip(widths, row):
            c.rect(x, top - (i + 1) * row_h, w, row_h)
            c.drawString(x + 3, top - (i + 1) * row_h + 8, encode(cell))
            x += w
    c.save()


def _extract(tmp_path: Path, name: str, encode) -> tuple[list[dict], list[dict], list[dict]]:
    raw, out = tmp_path / f"raw_{name}", tmp_path / f"out_{name}"
    raw.mkdir()
    draw(raw / f"{name}.pdf", encode)
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache",
                 "--workers", "1"]) == 0
    return read(out, "documents"), read(out, "indicators"), read(out, "targets")


def test_a_tcvn3_table_yields_the_indicators_of_its_unicode_twin(tmp_path):
    docs, indicators, targets = _extract(tmp_path, "tcvn3", to_tcvn3)
    _, twin_indicators, twin_targets = _extract(tmp_path, "unicode", lambda s: s)
    assert "Chỉ tiêu" not in to_tcvn3("Chỉ tiêu")          # the layer really is TCVN3
    assert docs[0]["restored"] == "true"
    keep = ("number", "name", "unit")
    assert [{k: r[k] for k in keep} for r in indicators] == \
           [{k: r[k] for k in keep} for r in twin_indicators]
    assert len(indicators) == 3
    assert [(t["year"], t["raw"], t["value_max"]) for t in targets] == \
           [(t["year"], t["raw"], t["value_max"]) for t in twin_targets]


def _stripped_pages(n: int) -> list[str]:
    """The first n pages of the bundled born-digital plan, accents stripped."""
    import pdfplumber
    from unidecode import unidecode
    with pdfplumber.open(Path(__file__).parent.parent / "data/raw/000_born_digital.pdf") as pdf:
        return [unidecode((p.extract_text() or "").replace("Đ", "D").replace("đ", "d"))
                for p in pdf.pages[:n]]


@pytest.mark.slow
def test_restored_text_is_the_same_for_any_batch_size(tmp_path):
    pages = _stripped_pages(10)
    restorer = default_restorer()
    whole = [r.text for r in restorer.restore_many(pages, "stripped")]
    in_pairs = [r.text for i in range(0, len(pages), 2)
                for r in restorer.restore_many(pages[i:i + 2], "stripped")]
    assert whole != in_pairs        # this document reads differently when cut in pairs
    raw = tmp_path / "raw"
    raw.mkdir()
    pdfmetrics.registerFont(TTFont("RepairSerif", str(FONT)))
    c = canvas.Canvas(str(raw / "stripped.pdf"), pagesize=(595, 842))
    for text in pages:
        c.setFont("RepairSerif", 9)
        for k, line in enumerate(text.split("\n")):
            c.drawString(30, 810 - 15 * k, line)
        c.showPage()
    c.save()
    texts = {}
    for size in (1, 2, 10):
        out = tmp_path / f"out{size}"
        assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache",
                     "--workers", "2",
                     "--pages-per-job", str(size)]) == 0
        texts[size] = next((out / "text").glob("*.txt")).read_text("utf-8")
    assert texts[1] == texts[2] == texts[10]
    assert fold(texts[10]).split() == fold("\n\n".join(pages)).split()
    assert "Thành phố" in texts[10]          # it was restored


@pytest.mark.parametrize("old, new, want", [
    ("5 | Tilé nlt hoc vién,", "5 | Tỉ lệ nữ học viên,", ["5", "|", "Tỉ lệ", "nữ", "học", "viên,"]),
    ("Chiso HDI dauthanh", "Chỉ số HDI đầu thành", ["Chỉ số", "HDI", "đầu thành"]),
    ("a b", "a b", ["a", "b"]),
    ("a b c", "a b", None),
])
def test_a_word_the_restorer_split_keeps_its_box(old, new, want):
    from pipeline.repair import word_for_word

    assert word_for_word(old.split(), new) == want
