"""A plan written here in another layout than the seeds: another province, targets in a
prose list, a task table with its columns in another order and cells that wrap, an
indicator table with the unit column last. Nothing of it is tuned to a seed."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from pipeline.cli import main

from tests.conftest import read

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
HEADER = ["ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Số: 45/KH-UBND",
          "Hải Phòng, ngày 12 tháng 3 năm 2024", "KẾ HOẠCH",
          "Phát triển nguồn nhân lực giai đoạn 2024-2026"]
PROSE = ["II. CÁC CHỈ TIÊU ĐẾN NĂM 2026",
         "- (1) Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ: trên 40%.",
         "- (2) Số doanh nghiệp được hỗ trợ chuyển đổi số: 1.200 doanh nghiệp.",
         "- (3) Cơ bản hoàn thành phổ cập giáo dục mầm non cho trẻ 5 tuổi."]
TASKS = [["STT", "Cơ quan chủ trì", "Nhiệm vụ", "Thời gian hoàn thành", "Cơ quan phối hợp"],
         ["1", "Sở LĐTBXH", "Xây dựng đề án đào tạo nghề cho lao động nông thôn gắn với "
          "nhu cầu của doanh nghiệp trên địa bàn", "Quý III năm 2024", "Sở Tài chính; Sở KH&ĐT"],
         ["2", "Sở Giáo dục và Đào tạo", "Rà soát mạng lưới trường mầm non", "Hằng năm",
          "UBND các quận, huyện"],
         ["3", "Sở Thông tin và Truyền thông", "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số",
          "6 tháng đầu năm 2025", "Các Sở: Tài chính, Nội vụ"]]
INDICATORS = [["STT", "Chỉ tiêu", "Cơ quan chủ trì", "Năm 2024", "Năm 2025", "Năm 2026",
               "Đơn vị tính"],
              ["1", "Tỷ lệ thất nghiệp khu vực thành thị", "Sở LĐTBXH", "Dưới 3,5", "Dưới 3,2",
               "Dưới 3", "%"],
              ["2", "Số lao động được giải quyết việc làm", "Sở LĐTBXH", "55.000", "56.000",
               "57.000", "người"]]


# Drawn without any rule: read by the alignment of its words (extractors/tables/borderless.py).
BORDERLESS = [["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2026"],
              ["1", "Tỷ lệ lao động tham gia bảo hiểm xã hội bắt buộc trong lực lượng lao "
               "động", "%", "45", "50"],
              ["2", "Số người được hỗ trợ học nghề trình độ sơ cấp và dưới 3 tháng", "người",
               "4.000", "4.500"],
              ["3", "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "%", "Dưới 1", "Dưới 0,5"]]


def render(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("OwnSerif", str(FONT)))
    style = ParagraphStyle("p", fontName="OwnSerif", fontSize=10.5, leading=14, spaceAfter=6)
    cell = ParagraphStyle("c", fontName="OwnSerif", fontSize=9.5, leading=12)

    def grid(rows, widths):
        t = Table([[Paragraph(c, cell) for c in r] for r in rows], colWidths=widths)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.7, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t
    open_table = Table([[Paragraph(c, cell) for c in r] for r in BORDERLESS],
                       colWidths=[35, 200, 70, 70, 70])
    open_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph(line, style) for line in HEADER + PROSE]
    story += [Spacer(1, 12), Paragraph("III. NHIỆM VỤ CỤ THỂ", style),
              grid(TASKS, [35, 130, 260, 110, 170]), Spacer(1, 12),
              Paragraph("IV. THEO DÕI CHỈ TIÊU", style),
              grid(INDICATORS, [35, 230, 130, 70, 70, 70, 70]), PageBreak(),
              Paragraph("V. CHỈ TIÊU VỀ AN SINH XÃ HỘI", style), open_table]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)



@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    (root / "raw").mkdir()
    render(root / "raw" / "hai_phong_45.pdf")
    assert main(["extract", str(root / "raw"), "--out", str(root / "out"), "--no-cache",
                 "--quiet", "--workers", "1"]) == 0
    return root / "out"


def test_tasks_in_another_column_order(out):
    tasks = {r["number"]: r for r in read(out, "tasks")}
    assert set(tasks) == {"1", "2", "3"}
    assert tasks["1"]["description"].startswith("Xây dựng đề án đào tạo nghề")
    assert tasks["1"]["description"].endswith("trên địa bàn")           # wrapped cell joined
    assert tasks["1"]["lead_agency"] == "Sở Lao động - Thương binh và Xã hội"
    assert tasks["1"]["coordinating_agencies"] == "Sở Tài chính;Sở Kế hoạch và Đầu tư"
    assert (tasks["1"]["start_date"], tasks["1"]["deadline"]) == ("2024-07-01", "2024-09-30")
    assert tasks["2"]["recurrence"] == "annual"
    assert tasks["3"]["deadline"] == "2025-06-30"
    assert tasks["3"]["coordinating_agencies"] == "Sở Tài chính;Sở Nội vụ"


def test_indicators_from_a_table_with_the_unit_last_and_from_prose(out):
    rows = read(out, "indicators")
    by_name = {r["name"]: r for r in rows}
    table = by_name["Tỷ lệ thất nghiệp khu vực thành thị"]
    assert table["unit"] == "%" and table["lead_agency"] == "Sở Lao động - Thương binh và Xã hội"
    targets = {(t["indicator_id"], t["year"]): t for t in read(out, "targets")}
    assert targets[(table["indicator_id"], "2026")]["comparator"] == "<"
    assert targets[(table["indicator_id"], "2026")]["value_max"] == "3"
    workers = by_name["Số lao động được giải quyết việc làm"]
    assert targets[(workers["indicator_id"], "2025")]["value_min"] == "56000"
    prose = by_name["Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ"]
    t = targets[(prose["indicator_id"], "2026")]
    assert (t["comparator"], t["value_min"], t["unit"]) == (">", "40", "%")
    firms = by_name["Số doanh nghiệp được hỗ trợ chuyển đổi số"]
    assert targets[(firms["indicator_id"], "2026")]["value_min"] == "1200"
    school = by_name["Cơ bản hoàn thành phổ cập giáo dục mầm non cho trẻ 5 tuổi"]
    assert targets[(school["indicator_id"], "2026")]["comparator"] == "text"
    assert len(rows) == 8


def test_indicators_from_a_table_without_rules(out):
    by_name = {r["name"]: r for r in read(out, "indicators")}
    insured = by_name["Tỷ lệ lao động tham gia bảo hiểm xã hội bắt buộc trong lực lượng lao "
                      "động"]                                     # a wrapped cell, joined
    assert (insured["number"], insured["unit"]) == ("1", "%")
    trained = by_name["Số người được hỗ trợ học nghề trình độ sơ cấp và dưới 3 tháng"]
    assert trained["unit"] == "người"
    targets = {(t["indicator_id"], t["year"]): t for t in read(out, "targets")}
    assert targets[(trained["indicator_id"], "2026")]["value_min"] == "4500"
    poor = by_name["Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều"]
    assert targets[(poor["indicator_id"], "2026")]["comparator"] == "<"
    assert targets[(poor["indicator_id"], "2026")]["value_max"] == "0.5"


def test_agencies_belong_to_hai_phong(out):
    agencies = {r["canonical_name"]: r for r in read(out, "agencies")}
    lab = agencies["Sở Lao động - Thương binh và Xã hội"]
    assert (lab["jurisdiction"], lab["successor_id"]) == ("Hải Phòng", "so-noi-vu-hai-phong")
    assert "Sở LĐTBXH" in lab["aliases"].split(";")
