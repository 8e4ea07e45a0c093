"""Rule erasure on scanned tables never touches a letter, in the fonts real plans are
set in: Liberation Serif and Sans (Times New Roman's and Arial's metrics, full
Vietnamese) and DejaVu Serif, 13 pt with bold headers, at 250 dpi. Regression: tall stems
of a large or sans font were taken for column rules and erased ('Nhiệm vụ' -> 'N riiệm
vụ', 'Thời gian' -> 'T tời gian'), and a plan's task appendix gave no task."""
from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from extractors.tables.scanned import find_rules

FONTS = {"LiberationSerif": ("liberation2/LiberationSerif-Regular.ttf",
                             "liberation2/LiberationSerif-Bold.ttf"),
         "LiberationSans": ("liberation2/LiberationSans-Regular.ttf",
                            "liberation2/LiberationSans-Bold.ttf"),
         "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf")}
ROWS = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        ["1", "Xây dựng văn bản quy phạm pháp luật về phúc lợi xã hội", "Sở Nội vụ",
         "Quý IV/2025"],
        ["2", "Kiểm tra, hướng dẫn thực hiện chính sách đối với người có công", "Sở Y tế",
         "Tháng 12/2026"],
        ["3", "Phát triển hệ thống lưới an sinh, bảo hiểm thất nghiệp", "Bảo hiểm xã hội",
         "Năm 2030"]]


def _page(path, font: str, ink: str) -> np.ndarray:
    regular, bold = FONTS[font]
    pdfmetrics.registerFont(TTFont(font, f"/usr/share/fonts/truetype/{regular}"))
    pdfmetrics.registerFont(TTFont(font + "-Bold", f"/usr/share/fonts/truetype/{bold}"))
    cell = ParagraphStyle("c", fontName=font, fontSize=13, leading=16, textColor=ink)
    head = ParagraphStyle("h", parent=cell, fontName=font + "-Bold")
    table = Table([[Paragraph(c, head) for c in ROWS[0]]]
                  + [[Paragraph(c, cell) for c in r] for r in ROWS[1:]],
                  colWidths=[35, 330, 150, 160])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.7, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([table])
    return pdfium.PdfDocument(str(path))[0].render(scale=250 / 72, grayscale=True).to_pil()


@pytest.mark.parametrize("font", sorted(FONTS))
def test_rule_erasure_leaves_every_letter(tmp_path, font):
    page = _page(tmp_path / "text.pdf", font, "black")
    rules_only = np.asarray(_page(tmp_path / "rules.pdf", font, "white").convert("L"))
    letters = (np.asarray(page.convert("L")) < 128) & (rules_only > 200)
    rules = find_rules(page)
    assert rules is not None and len(rules.boxes) == 1
    erased = (rules.horizontal > 0) | (rules.vertical > 0)
    assert letters.sum() > 10_000
    assert (letters & erased).sum() == 0
    # and the rules themselves are erased
    drawn = rules_only < 128
    assert (drawn & ~erased).sum() < 0.01 * drawn.sum()
