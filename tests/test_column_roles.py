"""Column roles (pipeline/understand/columns.py) and the tables they read: one regression
test for each way a plan the code had not seen lost what users came for (issue 16), and
a property: roles follow the columns whatever their order."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.model import Document
from extractors.sources.text import pages_from_text
from pipeline.understand.budget import budget_rows
from pipeline.understand.columns import assign_columns
from pipeline.understand.duties import duty_rows
from pipeline.understand.grids import LogicalTable
from pipeline.understand.numbering import mend_number
from pipeline.understand.prose_targets import prose_indicators
from pipeline.understand.structure import indicator_rows, table_kind, task_rows

BOX = (0.0, 0.0, 1.0, 1.0)


def _table(header: list[str], *rows: list[str]) -> LogicalTable:
    return LogicalTable(header, [header], [(list(r), 1, BOX, None) for r in rows])


def _roles(header: list[str], *rows: list[str]) -> dict[str, str]:
    cols = assign_columns(header, [list(r) for r in rows])
    return {role: header[js[0]] for role, js in cols.roles.items()}


def test_start_and_end_columns_and_a_funding_column():
    header = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian bắt đầu", "Thời gian hoàn thành",
              "Nguồn lực thực hiện"]
    (task,), _ = task_rows("d", _table(header, ["1", "Xây dựng cơ sở dữ liệu đất đai",
                                                "Sở Nông nghiệp và Môi trường", "Quý I/2026",
                                                "Quý IV/2027", "Ngân sách tỉnh"]))
    assert (str(task.start_date), str(task.deadline)) == ("2026-01-01", "2027-12-31")
    assert task.deadline_raw == "Quý IV/2027"
    assert task.funding_sources                        # "Ngân sách tỉnh" is a source


def test_product_and_monitoring_columns_are_kept():
    header = ["TT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện",
              "Phối hợp thực hiện", "Theo dõi, kiểm tra, đôn đốc"]
    (task,), _ = task_rows("d", _table(header, [
        "1", "Rà soát thủ tục hành chính", "Quyết định của UBND tỉnh", "Tháng 6/2026",
        "Sở Tư pháp", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh"]))
    assert task.product == "Quyết định của UBND tỉnh"
    assert task.monitoring_agencies == "Văn phòng Ủy ban nhân dân tỉnh"
    assert (task.lead_agency, task.coordinating_agencies) == ("Sở Tư pháp", "Sở Nội vụ")


def test_other_words_for_the_lead_and_the_time_make_a_task_table():
    for lead, time in [("Cơ quan thực hiện", "Tiến độ"), ("Đơn vị thực hiện", "Thời gian")]:
        header = ["STT", "Nội dung công việc", lead, time]
        cols = assign_columns(header, [["1", "Tập huấn nghiệp vụ cho cán bộ", "Sở Nội vụ",
                                        "Quý II/2026"]])
        assert table_kind(cols) == "tasks", lead
        assert (cols.one("lead"), cols.one("period")) == (2, 3)


def test_a_lead_named_unit_column_is_not_the_description():
    roles = _roles(["TT", "Nội dung nhiệm vụ", "Tên đơn vị chủ trì", "Thời hạn"],
                   ["1", "Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở", "Sở Nội vụ", "2026"])
    assert roles["description"] == "Nội dung nhiệm vụ" and roles["lead"] == "Tên đơn vị chủ trì"


def test_a_money_column_keeps_the_tasks_and_links_their_budget_lines():
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kinh phí thực hiện (triệu đồng)", "Thời gian"]
    table = _table(header, ["1", "Đầu tư hạ tầng số", "Sở Khoa học và Công nghệ", "1.500", "2026"],
                   ["2", "Đào tạo kỹ năng số", "Sở Nội vụ", "300", "2026"],
                   ["", "Tổng cộng", "", "1.800", ""])
    cols = assign_columns(header, [r for r, *_ in table.rows])
    tasks, ids = task_rows("d", table, cols)
    assert [t.description for t in tasks] == ["Đầu tư hạ tầng số", "Đào tạo kỹ năng số"]
    assert tasks[0].amount == 1500
    lines, _ = budget_rows("d", table, "", None, value_columns=cols.all("amount"), task_ids=ids)
    by_item = {b.item: b for b in lines}
    assert by_item["Đầu tư hạ tầng số"].task_id == tasks[0].task_id
    assert by_item["Đầu tư hạ tầng số"].value_vnd == 1_500_000_000
    assert by_item["Tổng cộng"].is_total and by_item["Tổng cộng"].task_id == ""


def test_indicator_tables_with_one_target_year_or_years_first():
    for header, row in [(["STT", "Chỉ tiêu", "ĐVT", "Chỉ tiêu năm 2025"], ["1", "Tỷ lệ hộ nghèo", "%", "Dưới 1"]),
                        (["Chỉ tiêu năm 2025", "STT", "Tên chỉ tiêu", "Đơn vị tính"],
                         ["Dưới 1", "1", "Tỷ lệ hộ nghèo", "%"])]:
        indicators, targets = indicator_rows("d", _table(header, row))
        assert [i.name for i in indicators] == ["Tỷ lệ hộ nghèo"], header
        assert [(t.kind, t.year, t.comparator, t.value_max) for t in targets] == [
            ("target", 2025, "<", 1.0)]


def test_results_and_shares_of_plan_are_kinds_of_values_not_targets():
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2018", "Ước TH 2018", "% so KH"]
    _, targets = indicator_rows("d", _table(header, ["1", "Tổng thu ngân sách", "tỷ đồng",
                                                     "1.200", "1.272", "106"]))
    assert [(t.kind, t.year) for t in targets] == [("target", 2018), ("result", 2018),
                                                   ("share_of_plan", 2018)]
    assert targets[2].unit == "%"


def test_a_results_column_before_a_plans_targets_is_its_baseline():
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện 2020", "Mục tiêu 2025"]
    _, targets = indicator_rows("d", _table(header, ["1", "Tỷ lệ đô thị hóa", "%", "35", "40"]))
    assert [(t.kind, t.year) for t in targets] == [("baseline", 2020), ("target", 2025)]


def test_a_target_year_column_is_no_money():
    header = ["TT", "Nội dung", "ĐVT", "Chỉ tiêu năm 2030", "Kinh phí (triệu đồng)"]
    lines, _ = budget_rows("d", _table(header, ["1", "Trồng rừng", "ha", "500", "2.000"]), "", None)
    assert [b.column for b in lines] == ["Kinh phí (triệu đồng)"]


def test_every_column_without_a_role_is_kept_in_extra():
    header = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian", "Cơ quan ban hành", "Ghi chú"]
    (task,), _ = task_rows("d", _table(header, ["1", "Ban hành quy chế", "Sở Nội vụ", "Quý I/2026",
                                                "UBND tỉnh", "Đã có dự thảo"]))
    assert json.loads(task.extra) == {"Cơ quan ban hành": "UBND tỉnh", "Ghi chú": "Đã có dự thảo"}


def test_a_total_foot_row_is_no_task():
    header = ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian"]
    tasks, _ = task_rows("d", _table(header, ["1", "Tổng hợp báo cáo", "Sở Nội vụ", "Quý IV/2026"],
                                     ["", "Tổng cộng", "", ""]))
    assert [t.description for t in tasks] == ["Tổng hợp báo cáo"]    # "Tổng hợp" is a task


def test_sub_numbers_a_scan_lost_the_dot_of_are_mended():
    assert mend_number("1.2", "21", "2.2") == "2.1"
    assert mend_number("2.4.1", "242", "2.4.3") == "2.4.2"
    assert mend_number("9", "10", "11") == "10"         # the tenth row, not 1.0
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]
    tasks, _ = task_rows("d", _table(header, ["1.2", "Việc một", "Sở Y tế", "2026"],
                                     ["21", "Việc hai", "Sở Y tế", "2026"],
                                     ["2.2", "Việc ba", "Sở Y tế", "2026"]))
    assert [t.number for t in tasks] == ["1.2", "2.1", "2.2"]


def test_a_lead_cell_with_several_agencies_gives_the_first_as_lead():
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]
    (task,), _ = task_rows("d", _table(header, ["1", "Kiểm tra", "Sở Lao động– TB&XH; Sở Y tế",
                                                "2026"]))
    assert task.lead_agency == "Sở Lao động - Thương binh và Xã hội"
    assert task.coordinating_agencies == "Sở Y tế"


SINGLE_SPACED = """KẾ HOẠCH
I. MỤC TIÊU
1. Chỉ tiêu đến năm 2025
- Tỷ lệ hộ gia đình sử dụng nước sạch: đạt trên 80%
- Trên 90% trạm y tế xã có bác sĩ.
II. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
- Chủ trì triển khai Kế hoạch.
- Báo cáo kết quả trước ngày 15/12/2025.
2. Sở Tài chính
- Bố trí kinh phí thực hiện.
Nơi nhận:
"""


def test_single_spaced_plans_keep_their_duties_and_bullet_targets():
    doc = Document("plan.txt", "0" * 64, pages_from_text(SINGLE_SPACED))
    duties = duty_rows(doc, "d")
    assert [(d.agency, d.description) for d in duties] == [
        ("Sở Y tế", "Chủ trì triển khai Kế hoạch."),
        ("Sở Y tế", "Báo cáo kết quả trước ngày 15/12/2025."),
        ("Sở Tài chính", "Bố trí kinh phí thực hiện.")]
    assert str(duties[1].deadline) == "2025-12-15"
    indicators, targets = prose_indicators(doc, "d", [], [])
    assert [i.name for i in indicators][0] == "Tỷ lệ hộ gia đình sử dụng nước sạch"
    assert [(t.comparator, t.value_min, t.year) for t in targets] == [(">", 80.0, 2025),
                                                                      (">", 90.0, 2025)]


HEADERS = [("STT", "number"), ("Nội dung nhiệm vụ", "description"), ("Cơ quan chủ trì", "lead"),
           ("Đơn vị phối hợp", "coordinating"), ("Thời gian hoàn thành", "end"),
           ("Sản phẩm", "product"), ("Nguồn kinh phí", "funding_source")]
CELLS = {"STT": "1", "Nội dung nhiệm vụ": "Xây dựng kế hoạch chuyển đổi số của tỉnh",
         "Cơ quan chủ trì": "Sở Khoa học và Công nghệ", "Đơn vị phối hợp": "Sở Tài chính",
         "Thời gian hoàn thành": "Quý III/2026", "Sản phẩm": "Kế hoạch",
         "Nguồn kinh phí": "Ngân sách tỉnh"}


@settings(max_examples=60, deadline=None)
@given(st.permutations(HEADERS))
def test_roles_follow_the_columns_whatever_their_order(order):
    header = [h for h, _ in order]
    roles = _roles(header, [CELLS[h] for h in header])
    assert roles == {role: h for h, role in order}


def test_a_results_report_cell_with_its_share_of_plan():
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả năm 2024"]
    _, targets = indicator_rows("d", _table(header, ["1", "Thu ngân sách", "tỷ đồng", "đạt 106%KH"]))
    assert [(t.kind, t.year, t.value_min, t.unit) for t in targets] == [
        ("share_of_plan", 2024, 106.0, "%")]


def test_a_borderless_gutter_narrower_than_a_cell_gap_still_parts_columns():
    """Regression: a full lead cell ("Bảo hiểm xã hội tỉnh") 6 points from the amounts
    beside it joined the two columns of a table drawn without rules."""
    from extractors.model import Line, Word
    from extractors.tables.borderless import borderless_tables

    def line(y, cells):
        return Line([Word(t, (x, y, x + 6 * len(t), y + 10)) for x, t in cells])
    lines = [line(100, [(40, "TT"), (70, "Chủ"), (90, "trì"), (200, "Kinh"), (240, "phí")])]
    rows = [("1", "Bảo", "hiểm", "1.200"), ("2", "Sở", "Y", "150"), ("3", "Công", "an", "2.500")]
    for k, (n, a, b, money) in enumerate(rows):
        y = 120 + 20 * k
        end_of_b = 190 if k == 0 else 70 + 6 * len(a) + 3 + 6 * len(b)   # row 1's cell is full
        lines.append(line(y, [(40, n), (70, a), (end_of_b - 6 * len(b), b), (196, money)]))
    (table,) = borderless_tables(lines, 1)
    assert [r[-1] for r in table.rows[1:]] == ["1.200", "150", "2.500"]


def test_rows_that_repeat_never_share_an_id():
    """Regression: a report form without a number column repeats "1. Do sự cố ..." under
    each heading; two rows with one indicator_id made the database refuse the whole run."""
    header = ["Nội dung", "Đơn vị tính", "Số lượng cùng kỳ năm trước", "Số lượng trong kỳ báo cáo"]
    rows = [["I. Tổng số vụ tai nạn", "", "", ""], ["Trong đó:", "", "", ""],
            ["1. Do sự cố công trình gây ra", "Vụ", "2", "1"],
            ["II.Tổng số người bị thương", "", "", ""], ["Trong đó:", "", "", ""],
            ["1. Do sự cố công trình gây ra", "Vụ", "3", "2"],
            ["1. Do sự cố công trình gây ra", "Vụ", "3", "2"]]
    indicators, targets = indicator_rows("d", _table(header, *rows), years=(2022, 2022))
    assert [(i.group, i.number, i.name) for i in indicators] == [
        ("Tổng số vụ tai nạn", "1", "Do sự cố công trình gây ra"),
        ("Tổng số người bị thương", "1", "Do sự cố công trình gây ra"),
        ("Tổng số người bị thương", "1", "Do sự cố công trình gây ra")]
    assert len({i.indicator_id for i in indicators}) == 3
    assert {t.kind for t in targets} == {"result"}
