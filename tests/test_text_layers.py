"""Text layers judged before they are trusted (extractors/sources/pdf.py:distrusted_layer):
a scan whose hidden layer is English-model OCR, as scanner software leaves it on
provincial websites, reads as well as the same scan without a layer."""
from __future__ import annotations

import subprocess

import pypdfium2 as pdfium
import pytest

from pipeline.cli import main

from .conftest import FIXTURES, read

pytestmark = pytest.mark.slow


def _scan_with_english_layer(src, dest, work):
    """The first page of src as a 300 dpi image, with `tesseract -l eng`'s invisible text
    layer over it: Vietnamese read without its marks ("Thue hién Chwong trinh")."""
    image = work / "page.png"
    pdfium.PdfDocument(str(src))[0].render(scale=300 / 72, grayscale=True).to_pil().save(
        image, dpi=(300, 300))
    subprocess.run(["tesseract", str(image), str(dest.with_suffix("")), "-l", "eng", "pdf"],
                   check=True, capture_output=True)


def test_an_english_ocr_layer_is_read_again_in_vietnamese(tmp_path):
    plain, layered = tmp_path / "plain", tmp_path / "layered"
    plain.mkdir()
    layered.mkdir()
    src = FIXTURES / "003_scanned_head.pdf"
    _scan_with_english_layer(src, layered / "plan_with_layer.pdf", tmp_path)
    page = pdfium.PdfDocument(str(layered / "plan_with_layer.pdf"))[0]
    assert "Thue" in page.get_textpage().get_text_range() or page.get_textpage().count_chars() > 25
    (plain / "plan.pdf").write_bytes(src.read_bytes())
    for folder in (plain, layered):
        assert main(["extract", str(folder), "--out", str(folder / "out"), "--quiet",
                     "--no-cache"]) == 0
    (with_layer,) = read(layered / "out", "documents")
    (without,) = read(plain / "out", "documents")
    assert (with_layer["input_kind"], with_layer["pages_reread"]) == ("scanned", "1")
    assert without["pages_reread"] == "0"
    for field in ("doc_number", "doc_type", "issuer", "issue_date", "title"):
        assert with_layer[field] == without[field], field


def test_a_last_page_holding_only_the_signers_name_is_no_scan(tmp_path):
    """A born-digital plan whose last page is the signer's name alone: read from its text
    layer (born_digital), not OCR'd as if it were a scan (mixed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    raw = tmp_path / "raw"
    raw.mkdir()
    c = canvas.Canvas(str(raw / "plan.pdf"))
    c.setFont("Serif", 12)
    for k, line in enumerate(["ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Số: 12/KH-UBND",
                              "Bắc Ninh, ngày 5 tháng 3 năm 2025", "KẾ HOẠCH",
                              "Triển khai chuyển đổi số năm 2025",
                              "Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số của tỉnh."]):
        c.drawString(72, 780 - 20 * k, line)
    c.showPage()
    c.setFont("Serif", 12)
    c.drawString(350, 700, "Nguyễn Văn An")
    c.save()
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet",
                 "--no-cache"]) == 0
    (doc,) = read(tmp_path / "out", "documents")
    assert (doc["input_kind"], doc["ocr_confidence"], doc["doc_number"]) == (
        "born_digital", "", "12/KH-UBND")
