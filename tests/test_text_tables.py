"""Indicator tables in plain text (extractors/tables/text.py), on a commune plan's
appendix as an OCR engine flattens it: wrapped names, a merged responsible-unit cell,
lost row numbers and headings."""
from __future__ import annotations

from extractors.sources.text import pages_from_text
from extractors.tables.text import text_tables
from pipeline.understand.structure import document_structure
from extractors.model import Document

APPENDIX = """PHỤ LỤC
Các chỉ tiêu chủ yếu năm 2026 - 2030 của xã Tân Hòa
TT | Chỉ tiêu | Đơn vị | Năm 2026 | Năm 2030 | Đơn vị theo dõi
I | Giáo dục
1 | Tỷ lệ trường đạt chuẩn quốc gia % 60 80 | Công chức Văn hóa - Xã hội chủ trì,
Tỷ lệ trẻ em 5 tuổi được học mẫu giáo cùng các thôn và các đơn vị liên
2 | đúng độ tuổi % 98 >99 | quan.
3 | Số phòng học được kiên cố hóa Phòng 12 20
II | Y tế
Tỷ lệ dân số tham gia bảo hiểm y tế % 92 95 | Trạm Y tế chủ trì, phối hợp với các
5 | Số bác sĩ trên vạn dân bác sĩ/vạn dân 8 10 | thôn.
6 | Tuổi thọ trung bình Tubi 74,5 75
"""


def _table():
    page = pages_from_text(APPENDIX)[0]
    tables = text_tables(page)
    assert len(tables) == 1
    return tables[0]


def test_header_years_become_value_columns():
    header = _table().rows[0]
    assert header[3:5] == ["Năm 2026", "Năm 2030"]
    assert header[5:] == ["Chủ trì", "Phối hợp"]


def test_wrapped_name_above_and_below_its_numbered_line():
    rows = {r[0]: r for r in _table().rows[1:]}
    assert rows["2"][1] == "Tỷ lệ trẻ em 5 tuổi được học mẫu giáo đúng độ tuổi"
    assert rows["2"][2:5] == ["%", "98", ">99"]


def test_merged_responsible_unit_is_a_span():
    rows = {r[0]: r for r in _table().rows[1:]}
    assert rows["1"][5:] == ["Công chức Văn hóa - Xã hội", "các thôn và các đơn vị liên quan"]
    assert rows["2"][5:] == [None, None] and rows["3"][5:] == [None, None]


def test_lost_row_number_and_garbled_unit():
    rows = _table().rows[1:]
    assert ["II", "Y tế"] == rows[4][:2]
    assert rows[5][:5] == ["4", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "92", "95"]
    assert rows[5][5:] == ["Trạm Y tế", "các thôn"]          # "phối hợp với" partners
    assert rows[7][2] == "tuổi"                               # "Tubi": OCR of "Tuổi"


def test_rows_become_indicators_and_targets():
    page = pages_from_text(APPENDIX)[0]
    page.tables = text_tables(page)
    out = document_structure(Document("x.txt", "0" * 64, [page]), "doc")
    names = {i["name"]: i for i in out["indicators"]}
    assert len(names) == 6
    school = names["Tỷ lệ trẻ em 5 tuổi được học mẫu giáo đúng độ tuổi"]
    assert (school["group"], school["lead_agency"]) == ("Giáo dục", "Công chức Văn hóa - Xã hội")
    assert "Các tổ dân phố" in school["coordinating_agencies"]      # "các thôn" is an alias
    rooms = next(t for t in out["targets"] if t["indicator_id"] == names[
        "Số phòng học được kiên cố hóa"]["indicator_id"] and t["year"] == 2030)
    assert (rooms["value_min"], rooms["unit"]) == (20.0, "phòng")


def test_garbled_name_opening_is_mended():
    page = pages_from_text("TT Chỉ tiêu Đơn vị Đến năm 2025 Đến năm 2030\n"
                           "1 | Til¢ hộ nghèo % 3 1\n2 | Ti 1€ hộ cận nghèo % 5 3\n")[0]
    names = [r[1] for r in text_tables(page)[0].rows[1:]]
    assert names == ["Tỉ lệ hộ nghèo", "Tỉ lệ hộ cận nghèo"]


def test_prose_page_has_no_table():
    page = pages_from_text("1. Mục tiêu chung\n2. Đến năm 2030, tỷ lệ hộ nghèo dưới 1%.\n")[0]
    assert text_tables(page) == []


def test_same_number_and_name_under_two_headings_get_two_ids():
    """Regression: 004's "3 | Thành thị" rows under two headings shared one indicator_id,
    which broke targets.csv's key and the data package."""
    text = ("TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030\nI | Nhà ở\n1 | Nhà kiên cố % 80 90\n"
            "2 | Thành thị % 90 95\nII | Nước sạch\n1 | Nước sạch % 80 90\n2 | Thành thị % 99 100\n")
    page = pages_from_text(text)[0]
    page.tables = text_tables(page)
    out = document_structure(Document("x.txt", "0" * 64, [page]), "doc")
    ids = [i["indicator_id"] for i in out["indicators"]]
    assert len(ids) == 4 == len(set(ids))


def test_rows_of_a_restored_page_are_no_surer_than_its_restoration():
    page = pages_from_text(APPENDIX)[0]
    page.tables = text_tables(page)
    page.restored, page.restore_confidence = "garbled", 0.62
    out = document_structure(Document("x.txt", "0" * 64, [page]), "doc")
    assert out["indicators"] and all(i["confidence"] <= 0.62 for i in out["indicators"])


def test_a_numbered_parent_row_with_a_unit_and_no_values_is_its_own_row():
    """Regression (Bắc Sơn appendix VII.6): '6 Tỉ lệ phụ nữ ... %' carries its unit and
    leaves its values to 6.1 and 6.2; it was glued to the end of row 5's name."""
    text = """TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Y tế
5 | Tỷ lệ người dân được quản lý sức khỏe % - >95
6 Tỷ lệ phụ nữ có thai được khám thai định kỳ %
6.1 Tỷ lệ phụ nữ có thai được khám định kỳ % 95 >95
"""
    rows = {r[0]: r for r in text_tables(pages_from_text(text)[0])[0].rows[1:]}
    assert rows["5"][1] == "Tỷ lệ người dân được quản lý sức khỏe"
    assert rows["6"][1:5] == ["Tỷ lệ phụ nữ có thai được khám thai định kỳ", "%", "", ""]


def test_a_line_of_only_unit_and_values_belongs_to_the_name_wrapped_around_it():
    """Regression (Bắc Sơn appendix X.3-X.5): OCR set the values on a line of their own
    between the two lines of an unnumbered row's name; the row was lost."""
    text = """TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Nước sạch
1 | Tỷ lệ hộ dùng nước sạch % 90 100
Tỷ lệ trường học có công trình phù hợp vệ sinh bảo
% 90 100
đảm tiêu chuẩn, quy chuẩn
"""
    rows = text_tables(pages_from_text(text)[0])[0].rows[1:]
    assert [r[1:5] for r in rows][-1] == [
        "Tỷ lệ trường học có công trình phù hợp vệ sinh bảo đảm tiêu chuẩn, quy chuẩn",
        "%", "90", "100"]


WRAPPED_RESTORED = """TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
V | Trợ giúp xã hội
Tỉ lệ người có hoàn cảnh khó khăn, người cố thủ
6 % - 100
nhập tháp được đảm bảo mức sống tối thiểu
"""


def test_words_at_a_wrap_of_a_restored_name_are_read_again_joined():
    """Regression (Bắc Sơn appendix V.6): restored line by line, 'người co thu' at a
    line's end lost the 'nhập thấp' that follows on the line after it: 'cố thủ'."""
    page = pages_from_text(WRAPPED_RESTORED)[0]
    page.restored = "garbled"
    rows = text_tables(page)[0].rows[1:]
    assert rows[-1][1] == ("Tỉ lệ người có hoàn cảnh khó khăn, người có thu nhập thấp "
                           "được đảm bảo mức sống tối thiểu")


def test_a_name_read_with_its_marks_is_kept_as_printed_across_its_wrap():
    page = pages_from_text(WRAPPED_RESTORED)[0]          # restored: none
    rows = text_tables(page)[0].rows[1:]
    assert "người cố thủ nhập tháp" in rows[-1][1]


# A row whose values are words (no number to anchor it), and a row whose number OCR
# misread ("9" for "2") with no values, as in the Bắc Sơn appendix; a wrapped name that
# goes on with the next row's number ("2 lần") stays a name. A garbled opening ("Ti 1€")
# is mended to the table's own spelling of it ("Tỷ lệ", not "Tỉ lệ").
WORDED = """Các chỉ tiêu chủ yếu
TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Nhà ở
Xóa bỏ tình trạng nhà tạm, nhà dột nát cho các
1 Mức độ | Xóa bỏ | Hoàn toàn
đối tượng
2 | Diện tích nhà ở bình quân đầu người m2/người 29,2 36,5
II | Nước sạch
1 | Tỷ lệ hộ gia đình được sử dụng nước sạch theo quy chuẩn
Thành thị % - 100
9 Ti 1€ ho gia dinh dugc su dung nha tieu hop
vệ sinh
Thành thị % 85 -
III | Y tế
1 | Tỷ lệ trẻ em được khám sức khỏe % 90 95
2 lần mỗi năm
"""


def test_a_row_with_worded_values_or_a_misread_number_is_a_row():
    rows = text_tables(pages_from_text(WORDED)[0])[0].rows[1:]
    names = [(r[0], r[1]) for r in rows]
    assert names[1][1].startswith("Xóa bỏ tình trạng nhà tạm")
    assert names[2] == ("2", "Diện tích nhà ở bình quân đầu người")
    assert rows[2][2:5] == ["m2/người", "29,2", "36,5"]
    assert [n for _, n in names[4:8]] + [names[8][0], names[9][1]] == [
        "Tỷ lệ hộ gia đình được sử dụng nước sạch theo quy chuẩn", "Thành thị",
        "Tỷ lệ ho gia dinh dugc su dung nha tieu hop vệ sinh", "Thành thị",   # house spelling
        "III", "Tỷ lệ trẻ em được khám sức khỏe 2 lần mỗi năm"]
    assert [r[3:5] for r in rows[5:]] == [["", "100"], ["", ""], ["85", ""], ["", ""],
                                          ["90", "95"]]


# The responsible-unit statement broken inside its closing words ("... và đơn" / "vị
# liên quan"), and its lead-in ("môi trường,") printed on a name's line before "cùng
# các": known from a row whose values end right before it.
STATEMENT_SPLIT = """Các chỉ tiêu chủ yếu
TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030 | Đơn vị theo dõi
I | Nước sạch, vệ sinh môi trường
1 | Tỷ lệ hộ gia đình dùng nước sạch % 90 95 | Bộ phận địa chính, xây dựng, đô thị và
Tỷ lệ hộ gia đình có nhà tiêu hợp vệ môi trường, cùng các tổ dân phố và đơn
2 | sinh % 80 90
vị liên quan.
II | Nhà ở
1 | Tỷ lệ nhà ở kiên cố % 86 100 | Bộ phận địa chính, xây dựng, đô thị và
2 | Tỷ lệ nhà ở có hệ thống cấp nước % 70 80 | môi trường, cùng các tổ dân phố và đơn
Tỷ lệ nhà ở có hệ thống thoát nước thải vị liên quan
3 | đồng bộ % 60 70
"""


def test_a_statement_split_inside_its_words_stays_out_of_the_names():
    rows = [r for r in text_tables(pages_from_text(STATEMENT_SPLIT)[0])[0].rows[1:] if r[2]]
    assert [r[1] for r in rows] == [
        "Tỷ lệ hộ gia đình dùng nước sạch", "Tỷ lệ hộ gia đình có nhà tiêu hợp vệ sinh",
        "Tỷ lệ nhà ở kiên cố", "Tỷ lệ nhà ở có hệ thống cấp nước",
        "Tỷ lệ nhà ở có hệ thống thoát nước thải đồng bộ"]
    assert rows[0][5:] == ["Bộ phận địa chính, xây dựng, đô thị và môi trường",
                           "các tổ dân phố và đơn vị liên quan"]


def test_a_unit_cell_made_debris_is_no_part_of_the_name():
    text = """Các chỉ tiêu chủ yếu
TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Nhà ở
1 | Tỉ lệ nhà ở kiên cố ZA) 86 100
2 | Tỉ lệ nhà ở có hệ thống cấp nước % 70 80
"""
    rows = text_tables(pages_from_text(text)[0])[0].rows[2:]
    assert [r[1] for r in rows] == ["Tỉ lệ nhà ở kiên cố", "Tỉ lệ nhà ở có hệ thống cấp nước"]
    assert rows[0][3:5] == ["86", "100"]


def test_another_cells_word_in_capitals_is_no_part_of_a_restored_name():
    """Bắc Sơn, row V.16: a neighbour cell's 'DA' on the row's line, which the re-read of
    the wrapped name makes 'ĐÃ'; abbreviations (no tone) stay."""
    text = """Các chỉ tiêu chủ yếu
TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Trợ giúp xã hội
Tỉ lệ người dân có nhu cầu được cung cấp dịch vụ trợ
16 DA % 70 100
giúp xã hội phù hợp
17 | Tỉ lệ lao động tham gia BHXH % 55 70
"""
    page = pages_from_text(text)[0]
    page.restored = "garbled"
    rows = text_tables(page)[0].rows[2:]
    assert [r[1] for r in rows] == [
        "Tỉ lệ người dân có nhu cầu được cung cấp dịch vụ trợ giúp xã hội phù hợp",
        "Tỉ lệ lao động tham gia BHXH"]


# Row 2 lost its number and its values to OCR; its name, wrapped over two lines, waits
# above row 3, whose own name opens on its numbered line and whose values OCR garbled.
LOST_ROW = """Các chỉ tiêu chủ yếu
TT | Chỉ tiêu | Đơn vị | Năm 2025 | Năm 2030
I | Trợ giúp xã hội và giảm nghèo
1 | Tỷ lệ hộ nghèo theo chuẩn đa chiều % 2 1
Tỷ lệ người nghèo được trợ giúp pháp lý khi có
yêu cầu
3 | Mức giảm tỷ lệ hộ nghèo hằng năm %/năm 0,5l' i
Tỷ lệ người cao tuổi được khám sức khỏe
4 | định kỳ % 70 75
5 | Tỷ lệ dân số tham gia bảo hiểm y tế % 85 100
ở i
X
ở NS — —
6 | Tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp % 99 100
N 2 -
7 | Diện tích nhà ở bình quân đầu người m2/người 29,2 36,5
"""


def test_a_row_that_lost_its_number_between_two_numbered_rows_is_its_own_row():
    """And a percent unit cell ends a name whose values are unreadable; specks of the
    cells beside a name (lone small letters at its end, a number before its capital,
    short specks before its opening) are no part of it."""
    rows = text_tables(pages_from_text(LOST_ROW)[0])[0].rows[2:]
    assert [r[:5] for r in rows] == [
        ["1", "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "%", "2", "1"],
        ["2", "Tỷ lệ người nghèo được trợ giúp pháp lý khi có yêu cầu", "", "", ""],
        ["3", "Mức giảm tỷ lệ hộ nghèo hằng năm", "%/năm", "", ""],   # values unreadable
        ["4", "Tỷ lệ người cao tuổi được khám sức khỏe định kỳ", "%", "70", "75"],
        ["5", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "85", "100"],     # less specks
        ["6", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp", "%", "99", "100"],
        ["7", "Diện tích nhà ở bình quân đầu người", "m2/người", "29,2", "36,5"]]
