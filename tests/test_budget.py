"""Budget lines: money rows only, units to đồng, generic labels named, totals checked."""
from __future__ import annotations

from pipeline.understand.budget import budget_rows
from pipeline.understand.grids import LogicalTable

HEADER = ["TT", "Chỉ tiêu", "Đơn vị tính", "Chia ra các năm / 2022", "Chia ra các năm / 2023",
          "Chia ra các năm / Cộng cả giai đoạn", "Nguồn kinh phí"]


def table(rows):
    return LogicalTable(HEADER, [HEADER], [(r, 20, (0, 0, 1, 1), None) for r in rows], page=20)


def test_mixed_counts_and_money():
    rows, first = budget_rows("d", table([
        ["1", "Hộ nghèo", "Hộ", "3.612", "2.889", "", ""],
        ["", "TỔNG KINH PHÍ", "", "100", "60", "160", ""],
        ["1", "Hỗ trợ 100% BHYT cho người nghèo", "", "", "", "", "Ngân sách Thành phố"],
        ["", "Số người", "Người", "86.723", "73.221", "", ""],
        ["", "Số tiền", "Tr.đ", "69.777", "58.914", "128.691", ""],
    ]), "KẾ HOẠCH KINH PHÍ", ("triệu đồng", 1e6))
    assert first == 1                               # the count rows before stay indicators
    money = [r for r in rows if not r["is_total"]]
    assert {r["item"] for r in money} == {"Hỗ trợ 100% BHYT cho người nghèo — Số tiền"}
    by_col = {r["column"]: r for r in money}
    assert by_col["Chia ra các năm / 2022"]["year"] == 2022
    assert by_col["Chia ra các năm / 2022"]["value_vnd"] == 69_777 * 1e6
    assert by_col["Chia ra các năm / Cộng cả giai đoạn"]["year"] is None
    assert by_col["Chia ra các năm / 2022"]["funding_source"] == "Ngân sách địa phương"
    totals = {r["column"]: r for r in rows if r["is_total"]}
    assert "lines sum to 69,777" in totals["Chia ra các năm / 2022"]["flag"]   # 100 ≠ 69.777


def test_consistent_total_is_not_flagged_and_counts_are_no_budget():
    rows, first = budget_rows("d", table([
        ["", "Tổng cộng", "Tr.đ", "30", "", "", ""],
        ["1", "Dự án A", "Tr.đ", "10", "", "", "Xã hội hóa"],
        ["2", "Dự án B", "Tr.đ", "20", "", "", "NSTW"],
        ["3", "Số người", "Người", "5", "", "", ""],
    ]), "", None)
    assert [r["flag"] for r in rows] == ["", "", ""]
    assert [r["funding_source"] for r in rows] == ["", "Xã hội hóa", "Ngân sách trung ương"]
    assert first == 0


def test_caption_and_money_unit_come_from_the_lines_above_the_table():
    from extractors.model import Line, Page, Word
    from pipeline.understand.budget import table_caption

    def line(text, top):
        return Line([Word(w, (50.0 + 40 * i, top, 85.0 + 40 * i, top + 10))
                     for i, w in enumerate(text.split())])
    page = Page(20, 842.0, 595.0, "born_digital", [
        line("PHỤ LỤC SỐ 1", 40), line("KẾ HOẠCH KINH PHÍ THỰC HIỆN CÁC CHÍNH SÁCH", 60),
        line("Đơn vị tính: triệu đồng", 80), line("Ghi chú dưới bảng", 400)])
    assert table_caption(page, 100.0) == ("KẾ HOẠCH KINH PHÍ THỰC HIỆN CÁC CHÍNH SÁCH",
                                          ("triệu đồng", 1e6))
    assert table_caption(page, 30.0) == ("", None)


def test_group_rows_without_lines_count_as_lines_in_the_total_check():
    """Regression: 000's grand total (9,378,825) was flagged against 7,782,825 because the
    groups A.V, B.I and B.II, which have no lines under them, were left out of the sum."""
    from pipeline.understand.budget import _check_totals
    rows = [{"column": "c", "value": v, "is_total": t, "item": item, "row_code": code,
             "flag": ""} for code, item, v, t in [
        ("A", "A. Y TẾ", 300.0, True), ("I", "Dự án nhóm I", 100.0, True),
        ("I", "1. Dự án", 100.0, False), ("V", "Dự án nhóm V", 200.0, True),
        ("B", "B. XÃ HỘI", 50.0, True), ("I", "Dự án nhóm I", 50.0, True),
        ("", "TỔNG CỘNG (A+B)", 350.0, True)]]
    _check_totals(rows)
    assert rows[-1]["flag"] == ""
    rows[-1]["value"] = 400.0
    _check_totals(rows)
    assert "lines sum to 350" in rows[-1]["flag"]
