"""Header and signature blocks, on text as real files print them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from extractors.sources.text import text_pages
from extractors.model import Document
from pipeline.understand.metadata import extract_metadata, issuer_name


def meta_of(tmp_path: Path, text: str):
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    return extract_metadata(Document("doc.txt", "0" * 64, text_pages(f)))


def test_provincial_department_plan(tmp_path):
    m = meta_of(tmp_path, """UBND TỈNH NGHỆ AN
SỞ Y TẾ

Số: 1234/KH-SYT

Nghệ An, ngày 5 tháng 3 năm 2023

KẾ HOẠCH
Triển khai công tác y tế dự phòng năm 2023

Căn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2023 của UBND tỉnh;

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Nguyễn Văn An
""")
    assert (m.doc_number, m.doc_type, m.place, m.issue_date) == \
        ("1234/KH-SYT", "Kế hoạch", "Nghệ An", dt.date(2023, 3, 5))
    assert m.title == "Triển khai công tác y tế dự phòng năm 2023"
    assert (m.signer, m.signer_title) == ("Nguyễn Văn An", "Phó Giám đốc")
    assert m.issuer == "Sở Y tế tỉnh Nghệ An"


def test_issuer_names_are_cased_as_written():
    assert issuer_name("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") == "Ủy ban nhân dân thành phố Hà Nội"
    assert issuer_name("UỶ BAN NHÂN DÂN PHƯỜNG BẮC SƠN") == "Ủy ban nhân dân phường Bắc Sơn"
    assert issuer_name("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH") == \
        "Hội đồng nhân dân tỉnh Quảng Ninh"


def test_signer_not_taken_from_body(tmp_path):
    m = meta_of(tmp_path, "Số: 5/TB-UBND\n\nTHÔNG BÁO\nVề lịch họp\n\nNội dung họp.\n")
    assert m.doc_type == "Thông báo" and m.signer == "" and m.signer_title == ""


def test_agency_fields_are_capitalised():
    assert issuer_name("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == \
        "Sở Lao động - Thương binh và Xã hội"
    assert issuer_name("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH") == "Sở Văn hóa, Thể thao và Du lịch"


def test_a_blank_day_gives_the_month_never_a_day():
    from pipeline.understand.metadata import _place_date
    assert _place_date(["Lâm Đồng, ngày      tháng 01 năm 2026"]) == \
        ("Lâm Đồng", dt.date(2026, 1, 1), "month", "day_blank")
    assert _place_date(["Lâm Đồng, ngày   tháng    năm 2026"])[1:] == \
        (dt.date(2026, 1, 1), "year", "day_blank;month_blank")
    assert _place_date(["Hà Nội, ngày 08 tháng 9 năm 2021"])[1:] == (dt.date(2021, 9, 8), "day", "")
    assert _place_date(["không có dòng ngày tháng"]) == ("", None, "", "")


def test_a_day_written_by_hand_and_illegible_gives_the_month():
    """Real case (daknong-drl-nq-05-2019-hdnd-scan.pdf): the day '19', written in blue
    after signing, is read 'A3'; the date was lost whole."""
    from pipeline.understand.metadata import _place_date
    assert _place_date(["Số: 05 /2019/NQ-HĐND Đắk Nông, ngày A3 tháng 7 năm 2019"]) == \
        ("Đắk Nông", dt.date(2019, 7, 1), "month", "day_illegible")
    assert _place_date(["Đắk Nông, ngày 1O tháng 7 năm 2019"])[1:] == \
        (dt.date(2019, 7, 1), "month", "day_illegible")


def test_handwritten_numbers_and_days_of_real_scans_are_flagged_never_guessed():
    """Real header lines (../shared/real, as OCR reads them): daknong-kn-qd-3021 ('3021'
    written by hand, read '322/'), daknong-stc-bc-207 (the colon read 'z', the number
    and the day smudged)."""
    from pipeline.understand.metadata import _doc_number, _place_date
    assert _doc_number(["Số: 322//QĐ-UBND"]) == ("", 0, "number_illegible")
    line = "Sốz220†/BC-UBND Đắk Nông, ngày⁄Ôtháng 4 năm 2019"
    assert _doc_number([line]) == ("", 0, "number_illegible")
    assert _place_date([line]) == ("Đắk Nông", dt.date(2019, 4, 1), "month", "day_illegible")
    assert _place_date(["Hà Nội, ngày08 tháng 9 năm 2021"])[1:] == (dt.date(2021, 9, 8), "day", "")


def test_a_speck_beside_a_handwritten_number_is_no_part_of_it():
    """Regression (daknong-drl-nq-05-2019-hdnd-scan.pdf through Tesseract 5.5): 'Số: 05,
    /2019/NQ-HDND' lost its number, flagged illegible; a cited number is still no match."""
    from pipeline.understand.metadata import _doc_number
    line = "Số: 05, /2019/NQ-HDND Đắk Nông, ngày 2 tháng 7 năm 2019"
    assert _doc_number([line]) == ("05/2019/NQ-HĐND", 0, "")
    assert _doc_number(["Số: 12. /KH-UBND"]) == ("12/KH-UBND", 0, "")
    assert _doc_number(["Số: 322//QĐ-UBND"]) == ("", 0, "number_illegible")
    assert _doc_number(["Căn cứ Nghị quyết số 05, /2019/NQ-HĐND"]) == ("", -1, "")


def test_a_table_rule_read_as_a_bar_is_no_part_of_the_issuer(tmp_path):
    """The Đắk Nông land-use scan: its header table's rule comes out as '|' after the motto."""
    m = meta_of(tmp_path, """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK NÔNG Độc lập - Tự do - Hạnh phúc |
Số:240 /QĐ-UBND Đắk Nông, ngày 25 tháng 02 năm 2019
QUYẾT ĐỊNH
Về việc phê duyệt điều chỉnh quy hoạch sử dụng đất đến năm 2020
""")
    assert m.issuer == "Ủy ban nhân dân tỉnh Đắk Nông"


def test_a_header_whose_number_lost_its_label_and_a_speck_by_the_issuer(tmp_path):
    """The Đắk Nông directive scan: 'Số: 08' written by hand reads 'OS', and a speck
    ('ˆ') sits between the issuer and the motto. The issuer is read, the number flagged
    illegible, and the line stops the header block (before, the issuer took in the
    number and date lines, grew too long and was dropped)."""
    m = meta_of(tmp_path, """ỦY BAN NHÂN DÂN ˆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK NÔNG Độc lập - Tự do - Hạnh phúc
OS /CT-UBND Đắk Nông, ngày 4® tháng 7 năm 2019
CHỈ THỊ
Xây dựng kế hoạch phát triển kinh tế - xã hội và kế hoạch đầu tư công năm 2020
Thực hiện Chỉ thị số 16/CT-TTg ngày 25 tháng 6 năm 2019 của Thủ tướng Chính phủ
""")
    assert m.issuer == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert m.doc_number == "" and "number_illegible" in m.header_flags
