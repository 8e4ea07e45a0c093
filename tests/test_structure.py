"""Logical tables: headers repeated over pages and merged cells that cross a page."""
from __future__ import annotations

import pytest

from pipeline.understand.grids import LogicalTable, _continue_spans, _repeats_header
from pipeline.understand.structure import indicator_rows


def test_repeated_header_is_recognised_when_ocr_lost_a_cell():
    header = ["TT", "Tiêu chí", "Kế hoạch thực hiện"]
    assert _repeats_header(["", "Tiêu chí", "Kết quả đến"], header)
    assert _repeats_header(["TT", "TIÊU CHÍ", None], header)
    assert not _repeats_header(["4", "Tỷ lệ lao động", "36%"], header)
    assert not _repeats_header(["", "", ""], header)
    # regression (000_scanned.pdf, grey OCR): the first page's "TT" read "IT"
    wide = ["IT", "Tiêu chí", "Kết quả đến cuối năm 2020", "Năm 2021", "Năm 2022", "Năm 2023"]
    assert _repeats_header(["TT", "Tiêu chí", "Kết quả đến cuối nam 2020", "Năm 2021",
                            "Năm 2022", "Năm 2023"], wide)
    assert not _repeats_header(["3", "Tỷ lệ lao động", "36%", "37%", "Năm 2022", "39%"], wide)


def test_a_span_open_at_the_foot_of_a_page_continues_until_text():
    last = ["", "- Tỷ lệ", "3%", None, None]
    body = [["4", "Tỷ lệ A", "36%", "", ""], ["5", "Tỷ lệ B", "45%", "", ""],
            ["7", "Tỷ lệ C", "1%", "Sở Y tế", ""]]
    rows = _continue_spans(last, body)
    assert [r[3] for r in rows] == [None, None, "Sở Y tế"]
    assert [r[4] for r in rows] == [None, None, None]
    assert [r[2] for r in rows] == ["36%", "45%", "1%"]     # closed columns untouched


def test_lettered_rows_without_values_are_headings():
    header = ["TT", "Chỉ tiêu", "Năm 2024", "Năm 2025"]
    rows = [["A", "THÔNG TIN CHUNG", "", ""], ["1", "Hộ nghèo", "3.612", "2.889"],
            ["II", "Lao động, việc làm", "", ""], ["2", "Tỷ lệ thất nghiệp", "3%", "2,8%"]]
    table = LogicalTable(header, [header], [(r, 1, (0, 0, 1, 1), None) for r in rows])
    indicators, targets = indicator_rows("d", table)
    assert [(i["number"], i["group"]) for i in indicators] == [
        ("1", "THÔNG TIN CHUNG"), ("2", "Lao động, việc làm")]
    assert len(targets) == 4


def test_an_unnumbered_row_with_values_is_an_indicator_a_bare_continuation_is_not():
    """Regression (daknong-qd-240): the total row 'Diện tích tự nhiên' above row 1 has no
    number but values of its own; it was dropped as a page break's continuation."""
    header = ["STT", "Chỉ tiêu", "Năm 2015", "Năm 2020"]
    rows = [["", "Diện tích tự nhiên", "63.567,11", "63.567,11"],
            ["1", "Đất nông nghiệp", "57.335,20", "53.762,48"],
            ["", "(tiếp theo của dòng trên)", "", ""]]
    table = LogicalTable(header, [header], [(r, 1, (0, 0, 1, 1), None) for r in rows])
    indicators, targets = indicator_rows("d", table)
    assert [(i["number"], i["name"]) for i in indicators] == [
        ("", "Diện tích tự nhiên"), ("1", "Đất nông nghiệp")]
    assert len(targets) == 4


def test_a_prose_item_links_to_the_table_indicator_it_restates():
    from pipeline.understand.prose_targets import _links
    table = [{"name": "Tỷ lệ lao động tham gia bảo hiểm thất nghiệp"},
             {"name": "Tỷ lệ thất nghiệp"},
             {"name": "Tỷ lệ hộ nghèo (theo chuẩn nghèo của Thành phố)"}]      # seed 000
    links = _links(["Tỷ lệ thất nghiệp", "Cơ bản không còn hộ nghèo theo chuẩn nghèo của Thành phố",
                    "Số doanh nghiệp thành lập mới"], table)
    assert links[0] is table[1]          # the exact name, not the longer one containing it
    assert links[1] is table[2]
    assert 2 not in links                # nothing close enough: a new indicator


def test_row_confidence_takes_the_ocr_confidence_of_its_cells():
    header = ["TT", "Chỉ tiêu", "Năm 2024", "Năm 2025"]
    rows = [(["1", "Hộ nghèo", "3.612", "2.889"], 1, (0, 0, 1, 1), 72.5),
            (["2", "Tỷ lệ thất nghiệp", "3%", "2,8%"], 1, (0, 0, 1, 1), None)]
    indicators, _ = indicator_rows("d", LogicalTable(header, [header], rows))
    assert [i["confidence"] for i in indicators] == [0.725, 1.0]


def test_a_header_ocr_damaged_still_names_its_column():
    """Regression: the 250 dpi scan of 000 reads "Cơ quan chủ tì"; every lead agency of
    its indicator table was lost."""
    from pipeline.understand.grids import find_column
    header = ["TT", "Tiêu chí", "Cơ quan chủ tì", "Cơ quan, đơn vị phối hợp"]
    assert find_column(header, "chủ trì") == 2
    assert find_column(header, "phối hợp") == 3
    assert find_column(header, "đvt", "đơn vị tính") is None      # no near miss either


@pytest.mark.slow
def test_indicator_unit_is_the_same_on_every_run():
    """Regression: the unit of 000's scanned "Giải quyết việc làm" changed from run to run
    ("lượt người" or "lượt người/năm"): a tie was broken by set order, which Python's
    string hashing varies per process. OCR cut "/năm" from some cells."""
    from pipeline.understand.structure import _indicator_unit
    cells = ["180.578 lượt người (bình quân)", "160.000 lượt người năm",
             "160.000 lượt người /mmăm", "160.000 lượt người /năm", "160.000 lượt người /năm"]
    assert _indicator_unit("Giải quyết việc làm", "", cells) == "lượt người/năm"
    assert _indicator_unit("x", "", ["5 hộ", "3 người"]) == "hộ"        # a tie: first printed
    import subprocess
    import sys

    from tests.conftest import ROOT
    code = ("from pipeline.understand.structure import _indicator_unit as u; "
            "print(u('x', '', ['5 hộ', '3 người', '4 người', '2 hộ']))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": str(s), "PATH": ""}).stdout.strip()
            for s in range(6)}
    assert seen == {"hộ"}


def test_a_task_deadline_far_from_the_plan_years_is_flagged():
    from pipeline.understand.structure import task_rows
    header = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    rows = [(["1", "Rà soát mạng lưới trường", "Sở Giáo dục và Đào tạo", "Quý II/2202"], 3,
             (0, 0, 1, 1), None),
            (["2", "Tổng kết", "Sở Nội vụ", "Quý IV/2025"], 3, (0, 0, 1, 1), None)]
    (late, ok), _ = task_rows("d", LogicalTable(header, [header], rows), years=(2021, 2025))
    assert "2202" in late.flag and late.confidence <= 0.3
    assert ok.flag == "" and str(ok.deadline) == "2025-12-31"


def test_a_row_number_lost_at_a_page_break_is_filled_from_its_neighbours():
    """Regression (Liberation Sans and DejaVu Serif, 13 pt, 250 dpi scans): the last row
    of a table's first page read 'l)' for 6, the first of its second page 'L' for 8."""
    from extractors.model import Document, Page
    from extractors.tables.model import Table
    from pipeline.understand.grids import logical_tables
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]
    task = "Rà soát hộ nghèo trên địa bàn"
    first = [header, ["5", task, "Sở Y tế"], ["l)", task, "Sở Y tế"]]
    second = [header, ["7", task, "Sở Y tế"], ["L", task, "Sở Y tế"], ["9", task, "Sở Y tế"],
              ["", "và các phường", ""], ["10", task, "Sở Y tế"], ["", "", ""], ["12", task, ""]]
    one = Table(1, (0, 0, 1, 1), first, row_bboxes=[(0, 0, 1, 1)] * len(first))
    two = Table(2, (0, 0, 1, 1), second, row_bboxes=[(0, 0, 1, 1)] * len(second))
    pages = [Page(1, 595, 842, "scanned", [], tables=[one]),
             Page(2, 595, 842, "scanned", [], tables=[two])]
    rows = [r for r, *_ in logical_tables(Document("x", "x.pdf", pages))[0].rows]
    # a row wrapped from 9 stays unnumbered; an empty row is no row 11
    assert [r[0] for r in rows] == ["5", "6", "7", "8", "9", "", "10", "", "12"]


def test_the_first_row_of_a_continued_page_that_lost_its_number_is_no_header_row():
    """Regression (Liberation Sans, 13 pt, 250 dpi scan): page 2 repeats the header, then
    row 7 with its 'TT' cell read empty; taken for a second header row, it was dropped."""
    from extractors.model import Document, Page
    from extractors.tables.model import Table
    from pipeline.understand.grids import logical_tables
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    first = [header, ["5", "Tổ chức hội nghị sơ kết", "Sở Tài chính", "Tháng 7/2026"],
             ["6", "Kiểm tra việc thực hiện", "Sở Nội vụ", "Quý IV/2025"]]
    second = [header, ["", "Hướng dẫn lập hồ sơ", "Sở Y tế", "Tháng 6/2026"],
              ["8", "Phát triển mạng lưới", "Sở Xây dựng", "Năm 2030"]]
    pages = [Page(n, 595, 842, "scanned", [],
                  tables=[Table(n, (0, 0, 1, 1), rows, row_bboxes=[(0, 0, 1, 1)] * len(rows))])
             for n, rows in ((1, first), (2, second))]
    [table] = logical_tables(Document("x", "x.pdf", pages))
    assert len(table.header_rows) == 1
    assert [(r[0], r[2]) for r, *_ in table.rows] == [
        ("5", "Sở Tài chính"), ("6", "Sở Nội vụ"), ("7", "Sở Y tế"), ("8", "Sở Xây dựng")]
