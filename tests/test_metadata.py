"""Header and signature blocks, on text as real files print them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.sources.ingest import ingest
from extractors.sources.text import text_pages
from extractors.model import Document
from pipeline.understand.metadata import _doc_number, _place_date, extract_metadata, issuer_name

from .conftest import ROOT, header_lines

REAL = ROOT.parent / "shared" / "real"


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


def test_a_province_is_spelt_as_it_spells_itself():
    """The Đắk Nông land-use scan: OCR read 'ĐĂK' for 'ĐẮK'."""
    assert issuer_name("ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG") == "Ủy ban nhân dân tỉnh Đắk Nông"
    assert issuer_name("ỦY BAN NHÂN DÂN THÀNH PHỐ THỦ ĐỨC") == "Ủy ban nhân dân thành phố Thủ Đức"
    # a district (the Krông Nô decision scan read 'NÓ'); one no register knows stays
    assert issuer_name("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÓ") == "Ủy ban nhân dân huyện Krông Nô"
    assert issuer_name("ỦY BAN NHÂN DÂN HUYỆN KHÔNG CÓ") == "Ủy ban nhân dân huyện Không Có"


def test_a_blank_day_gives_the_month_never_a_day():
    assert _place_date(header_lines("Lâm Đồng, ngày      tháng 01 năm 2026")) == \
        ("Lâm Đồng", dt.date(2026, 1, 1), "month", "day_blank")
    assert _place_date(header_lines("Lâm Đồng, ngày   tháng    năm 2026"))[1:] == \
        (dt.date(2026, 1, 1), "year", "day_blank;month_blank")
    assert _place_date(header_lines("Hà Nội, ngày 08 tháng 9 năm 2021"))[1:] == (dt.date(2021, 9, 8), "day", "")
    assert _place_date(header_lines("không có dòng ngày tháng")) == ("", None, "", "")


def test_a_day_written_by_hand_and_illegible_gives_the_month():
    """Real case (daknong-drl-nq-05-2019-hdnd-scan.pdf): the day '19', written in blue
    after signing, is read 'A3'; the date was lost whole."""
    assert _place_date(header_lines("Số: 05 /2019/NQ-HĐND Đắk Nông, ngày A3 tháng 7 năm 2019")) == \
        ("Đắk Nông", dt.date(2019, 7, 1), "month", "day_illegible")
    assert _place_date(header_lines("Đắk Nông, ngày 1O tháng 7 năm 2019"))[1:] == \
        (dt.date(2019, 7, 1), "month", "day_illegible")


def test_handwritten_numbers_and_days_of_real_scans_are_flagged_never_guessed():
    """Real header lines (../shared/real, as OCR reads them): daknong-kn-qd-3021 ('3021'
    written by hand, read '322/'), daknong-stc-bc-207 (the colon read 'z', the number
    and the day smudged)."""
    assert _doc_number(header_lines("Số: 322//QĐ-UBND")) == ("", 0, "number_illegible")
    line = "Sốz220†/BC-UBND Đắk Nông, ngày⁄Ôtháng 4 năm 2019"
    assert _doc_number(header_lines(line)) == ("", 0, "number_illegible")
    assert _place_date(header_lines(line)) == ("Đắk Nông", dt.date(2019, 4, 1), "month", "day_illegible")
    assert _place_date(header_lines("Hà Nội, ngày08 tháng 9 năm 2021"))[1:] == (dt.date(2021, 9, 8), "day", "")


def test_a_speck_beside_a_handwritten_number_is_no_part_of_it():
    """Regression (daknong-drl-nq-05-2019-hdnd-scan.pdf through Tesseract 5.5): 'Số: 05,
    /2019/NQ-HDND' lost its number, flagged illegible; a cited number is still no match."""
    line = "Số: 05, /2019/NQ-HDND Đắk Nông, ngày 2 tháng 7 năm 2019"
    assert _doc_number(header_lines(line)) == ("05/2019/NQ-HĐND", 0, "")
    assert _doc_number(header_lines("Số: 12. /KH-UBND")) == ("12/KH-UBND", 0, "")
    assert _doc_number(header_lines("Số: 322//QĐ-UBND")) == ("", 0, "number_illegible")
    assert _doc_number(header_lines("Căn cứ Nghị quyết số 05, /2019/NQ-HĐND")) == ("", -1, "")


def test_a_day_written_in_pen_gives_the_month_and_a_number_in_pen_is_kept_flagged():
    """Regression (daknong-drl-nq-05-2019-hdnd-scan.pdf through Tesseract 5.5): the day
    '19' written in blue is read '2' at confidence 89, which gave 2019-07-02 at day
    precision. OCR does not read handwriting: the day is kept at month precision."""
    lines = header_lines("Số: 05, /2019/NQ-HDND Đắk Nông, ngày 2 tháng 7 năm 2019",
                         pen=("05,", "2"))
    assert _doc_number(lines) == ("05/2019/NQ-HĐND", 0, "number_handwritten")
    assert _place_date(lines, "number_handwritten") == \
        ("Đắk Nông", dt.date(2019, 7, 1), "month", "day_handwritten")
    # printed (no pen), the same line gives its day
    assert _place_date(header_lines("Đắk Nông, ngày 2 tháng 7 năm 2019"))[1:] == \
        (dt.date(2019, 7, 2), "day", "")


def test_a_day_beside_an_illegible_handwritten_number_is_handwritten_too():
    """daknong-kn-qd-3021-scan.pdf, a grey copy (no blue to see): '3021' is read '322/',
    and the day '21', written with it, '4'. The clerk writes both when registering."""
    lines = header_lines("Số: 322//QĐ-UBND", "Krông Nô, ngày 4 tháng 9 năm 2014")
    number, _, flag = _doc_number(lines)
    assert (number, flag) == ("", "number_illegible")
    assert _place_date(lines, flag) == ("Krông Nô", dt.date(2014, 9, 1), "month", "day_handwritten")


# What a person reads on each real scan's header: number and day are written by hand.
REAL_HEADERS = {
    "daknong-drl-ct-08-scan.pdf": ("08/CT-UBND", dt.date(2019, 7, 18)),
    "daknong-drl-nq-05-2019-hdnd-scan.pdf": ("05/2019/NQ-HĐND", dt.date(2019, 7, 19)),
    "daknong-kn-qd-3021-scan.pdf": ("3021/QĐ-UBND", dt.date(2014, 9, 21)),
    "daknong-qd-240-2019-land-use-scan.pdf": ("240/QĐ-UBND", dt.date(2019, 2, 25)),
    "daknong-stc-bc-207-budget-scan.pdf": ("207/BC-UBND", dt.date(2019, 4, 19)),
}


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not on this machine")
@pytest.mark.parametrize("name", sorted(REAL_HEADERS))
def test_real_handwritten_headers_give_the_truth_or_a_flag_never_a_wrong_value(name):
    """Page 1 of each real scan through OCR: the number is the true one, or blank and
    flagged; the date the true day, or its month at month precision, flagged."""
    number, day = REAL_HEADERS[name]
    path = REAL / name
    doc = ingest(path, name, pages=range(1, 2), sha256="0" * 64).document
    meta = extract_metadata(doc)
    flags = meta.header_flags.split(";")
    assert meta.doc_number == number or (meta.doc_number == "" and "number_illegible" in flags)
    assert (meta.issue_date, meta.issue_date_precision) == (day, "day") or (
        (meta.issue_date, meta.issue_date_precision) == (day.replace(day=1), "month")
        and {"day_illegible", "day_handwritten"} & set(flags)), meta


def test_a_table_rule_read_as_a_bar_is_no_part_of_the_issuer(tmp_path):
    """The Đắk Nông land-use scan: its header table's rule comes out as '|' after the motto."""
    m = meta_of(tmp_path, """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK NÔNG Độc lập - Tự do - Hạnh phúc |
Số:240 /QĐ-UBND Đắk Nông, ngày 25 tháng 02 năm 2019
QUYẾT ĐỊNH
Về việc phê duyệt điều chỉnh quy hoạch sử dụng đất đến năm 2020 :
huyện Đắk R'lấp, tỉnh Đắk Nông
""")
    assert m.issuer == "Ủy ban nhân dân tỉnh Đắk Nông"
    # a speck by the rule read as a colon is no part of the title (Tesseract 5.5)
    assert m.title == ("Về việc phê duyệt điều chỉnh quy hoạch sử dụng đất đến năm 2020 "
                       "huyện Đắk R'lấp, tỉnh Đắk Nông")


def test_a_speck_read_as_a_small_letter_is_no_part_of_the_issuer(tmp_path):
    """Regression (daknong-drl-nq-05-2019-hdnd-scan.pdf through Tesseract 5.5): the issuer
    read 'Hội đồng nhân dân r TỈNH ĐẮK NÔNG'."""
    m = meta_of(tmp_path, """HỘI ĐÒNG NHÂN DÂN r | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK NÔNG Độc lập - Tự do - Hạnh phúc
Số: 05/2019/NQ-HĐND Đắk Nông, ngày 19 tháng 7 năm 2019
""")
    assert m.issuer == "Hội đồng nhân dân tỉnh Đắk Nông"


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
