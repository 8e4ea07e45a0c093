"""Inks by colour. A red seal stamped over the signature block is removed before OCR: the
signer's name under it is read, the seal's ring of letters is not (as on the real
daknong-drl-nq-05-2019-hdnd-scan.pdf, where the seal over 'Lê Diễn' hid the name). Blue
pen ink (the number and day written in after signing) is kept and its words marked."""
from __future__ import annotations

import math

import numpy as np
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
import pypdfium2 as pdfium

from extractors.ocr import preprocess
from extractors.ocr.page import ocr_image_page

SEAL_RED = Color(0.85, 0.15, 0.2)
PEN_BLUE = Color(0.1, 0.2, 0.75)


def _signed_page(path, seal: bool) -> Image.Image:
    pdfmetrics.registerFont(TTFont("SealSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    pdfmetrics.registerFont(TTFont("SealSerif-Bold",
                                   "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"))
    c = canvas.Canvas(str(path), pagesize=(595, 420))
    c.setFont("SealSerif", 13)
    c.drawString(60, 380, "Nghị quyết này có hiệu lực từ ngày 29 tháng 7 năm 2019.")
    if seal:   # drawn first: black under a seal's ink stays black on paper, as in a scan
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(3)
        c.circle(395, 250, 62)
        c.circle(395, 250, 44)
        c.setFont("SealSerif-Bold", 9)
        for k, letter in enumerate("HỘI ĐỒNG NHÂN DÂN TỈNH ĐẮK NÔNG"):
            angle = math.pi / 2 - k * 2 * math.pi / 31
            c.saveState()
            c.translate(395 + 52 * math.cos(angle), 250 + 52 * math.sin(angle))
            c.rotate(math.degrees(angle) - 90)
            c.drawCentredString(0, -3, letter)
            c.restoreState()
        c.setFont("SealSerif-Bold", 16)
        c.drawCentredString(395, 244, "★")
    c.setFillColor(Color(0, 0, 0))
    c.setFont("SealSerif-Bold", 14)
    c.drawString(350, 330, "CHỦ TỊCH")
    c.drawString(355, 220, "Lê Văn Diễn")
    c.save()
    return pdfium.PdfDocument(str(path))[0].render(scale=300 / 72).to_pil().convert("RGB")


def test_red_ink_is_paper_and_dark_text_under_it_stays(tmp_path):
    stamped = _signed_page(tmp_path / "stamped.pdf", seal=True)
    clean = np.asarray(_signed_page(tmp_path / "clean.pdf", seal=False).convert("L"))
    removed = np.asarray(preprocess.without_seals(stamped))
    text = clean < 128
    assert (removed[text] < 128).mean() > 0.97          # the name under the seal survives
    assert ((removed < 128) & ~text).sum() < 0.01 * text.sum()   # and nothing of the seal


def test_the_signer_under_a_seal_is_read(tmp_path):
    page = ocr_image_page(_signed_page(tmp_path / "stamped.pdf", seal=True), 1, 300)
    assert "Lê Văn Diễn" in page.text and "CHỦ TỊCH" in page.text
    assert "NÔNG" not in page.text and "ĐỒNG" not in page.text


def test_words_written_in_pen_are_marked_and_printed_ones_are_not(tmp_path):
    """The header of the real Đắk Nông scans: 'Số: 05 /2019/NQ-HĐND', 'ngày 19 tháng 7',
    05 and 19 in blue pen; the seal's red is no pen, nor black print with a blue cast."""
    pdfmetrics.registerFont(TTFont("PenSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    path = tmp_path / "header.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 200))
    c.setFont("PenSerif", 13)
    c.drawString(60, 150, "Số:")
    c.drawString(120, 150, "/2019/NQ-HĐND")
    c.drawString(300, 150, "Đắk Nông, ngày")
    c.drawString(445, 150, "tháng 7 năm 2019")
    c.setFillColor(PEN_BLUE)
    c.drawString(90, 150, "05")
    c.drawString(420, 150, "19")
    c.setStrokeColor(SEAL_RED)
    c.setFillColor(SEAL_RED)
    c.drawString(60, 100, "ĐÃ KÝ")
    c.setFillColor(Color(20 / 255, 25 / 255, 45 / 255))    # black print, a scanner's blue cast
    c.drawString(60, 60, "Nơi nhận: như trên")
    c.save()
    image = pdfium.PdfDocument(str(path))[0].render(scale=300 / 72).to_pil().convert("RGB")
    page = ocr_image_page(image, 1, 300)
    words = [w for line in page.lines for w in line.words]
    assert {w.text for w in words if w.pen} == {"05", "19"}, [(w.text, w.pen) for w in words]
    assert preprocess.pen_ink(image.convert("L")) is None      # a grey scan shows no pen
