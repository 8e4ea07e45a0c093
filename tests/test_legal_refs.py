"""Citations: golden cases from the seeds, the number grammar in general, no crash ever."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from normalizers.legal_refs import canonical_number, find_references

GOLDEN = [
    ("Căn cứ Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng chính phủ phê duyệt",
     "90/QĐ-TTg", "Quyết định", dt.date(2022, 1, 18), "Thủ tướng Chính phủ"),
    ("Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo",
     "07/2021/NĐ-CP", "Nghị định", dt.date(2021, 1, 27), "Chính phủ"),
    ("Kết luận số 92-KL/TW ngày 05/11/2020 của Bộ Chính trị về tiếp tục",
     "92-KL/TW", "Kết luận", dt.date(2020, 11, 5), "Bộ Chính trị"),
    ("Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương khóa XIII",
     "42-NQ/TW", "Nghị quyết", dt.date(2023, 11, 24), "Ban Chấp hành Trung ương"),
    ("Chương trình số 04-Ctr/TU về “Đẩy mạnh", "04-CTr/TU", "Chương trình", None, "Thành ủy"),
    ("Quyết định số 55a/QĐ-TTg, ngày 04/10/2013 của Thủ tướng Chính phủ và",
     "55a/QĐ-TTg", "Quyết định", dt.date(2013, 10, 4), "Thủ tướng Chính phủ"),
    ("Nghị quyết số 17/2021/NQ-HĐND ngày 08 tháng 12 năm 2021 của HĐND thành phố Hà Nội quy định",
     "17/2021/NQ-HĐND", "Nghị quyết", dt.date(2021, 12, 8), "Hội đồng nhân dân thành phố Hà Nội"),
    ("Tờ trình số 1164/TTr-LĐTBXH ngày 22 tháng 3 năm 2022.", "1164/TTr-LĐTBXH", "Tờ trình",
     dt.date(2022, 3, 22), "Sở Lao động - Thương binh và Xã hội"),
    ("Nghị quyết số 04/2012/UBTVQH13 của Ủy ban Thường vụ Quốc hội", "04/2012/UBTVQH13",
     "Nghị quyết", None, "Ủy ban Thường vụ Quốc hội"),
    ("Công văn số 1100-CV/TU ngày 3/4/2024 của Ban Thường vụ Thành ủy về", "1100-CV/TU",
     "Công văn", dt.date(2024, 4, 3), "Ban Thường vụ Thành ủy"),
    ("Quyết định số 13/2021/QĐ-UBND ngày 05 tháng 9 năm 2021 của Ủy ban nhân dân thành phố Hà Nội",
     "13/2021/QĐ-UBND", "Quyết định", dt.date(2021, 9, 5), "Ủy ban nhân dân thành phố Hà Nội"),
    ("Nghị định số 07/2021/NĐ-CP ngày 27 tháng 01 năm 2021 của Chính.\nphủ quy định",
     "07/2021/NĐ-CP", "Nghị định", dt.date(2021, 1, 27), "Chính phủ"),   # OCR stray dot
    # the real Đắk Nông HĐND scan: a verb after the issuer, a province's mark astray
    ("Tờ trình số 2479/TTr-UBND ngày 29/5/2019 của Ủy ban nhân dân tỉnh Đắk Nông đề nghị ban",
     "2479/TTr-UBND", "Tờ trình", dt.date(2019, 5, 29), "Ủy ban nhân dân tỉnh Đắk Nông"),
    ("Nghị quyết số 05/2010/NQ-HĐND ngày 06/5/2010 của HĐND tỉnh Đăk Nông", "05/2010/NQ-HĐND",
     "Nghị quyết", dt.date(2010, 5, 6), "Hội đồng nhân dân tỉnh Đắk Nông"),
    ("Quyết định số 12/QĐ-UBND ngày 03/01/2020 của UBND thành phố Thủ Dức", "12/QĐ-UBND",
     "Quyết định", dt.date(2020, 1, 3), "Ủy ban nhân dân thành phố Thủ Đức"),
]


@pytest.mark.parametrize("text,number,kind,date,issuer", GOLDEN)
def test_golden_citations(text, number, kind, date, issuer):
    refs = [r for r in find_references(text) if r.number]
    assert len(refs) == 1
    r = refs[0]
    assert (r.number, r.type, r.date, r.issuer) == (number, kind, date, issuer)


def test_not_citations():
    text = ("giai đoạn 2021-2025, ngày 17/3/2021, tỷ lệ 45%- 47%, COVID-19, 160.000 lượt "
            "người/năm, 8,342,216 triệu đồng")
    assert find_references(text) == []


def test_law_by_name_and_date():
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi "
            "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
            "phương ngày 22 tháng 11 năm 2019;")
    laws = [(r.title, r.date) for r in find_references(text)]
    assert laws == [("Luật Tổ chức chính quyền địa phương", dt.date(2015, 6, 19)),
                    ("Luật sửa đổi bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ "
                     "chức chính quyền địa phương", dt.date(2019, 11, 22))]


def test_attached_marks_the_citing_document():
    refs = find_references("(Kèm theo Kế hoạch số 2017/KH-UBND ngày 08 tháng 9 năm 2021)")
    assert refs[0].attached


codes = st.sampled_from(["QĐ", "NQ", "NĐ", "KH", "TTr", "CT", "KL"])
issuers = st.sampled_from(["TTg", "CP", "UBND", "HĐND", "BTC", "LĐTBXH"])
party_issuers = st.sampled_from(["TW", "TU", "HU", "ĐU"])


@given(st.integers(1, 99999), st.one_of(st.none(), st.integers(1990, 2030)), codes, issuers)
def test_state_numbers_are_found(n, year, code, issuer):
    number = f"{n}/{year}/{code}-{issuer}" if year else f"{n}/{code}-{issuer}"
    refs = find_references(f"Thực hiện văn bản số {number} của cơ quan")
    assert [r.number for r in refs] == [number]


@given(st.integers(1, 9999), codes, party_issuers)
def test_party_numbers_are_found(n, code, issuer):
    refs = find_references(f"theo {n}-{code}/{issuer}; và")
    assert [r.number for r in refs] == [f"{n}-{code}/{issuer}"]


@given(st.text(max_size=300))
def test_never_crashes(text):
    for r in find_references(text):
        assert 0 <= r.start < r.end <= len(text)


@given(st.from_regex(r"\d{1,4}\s?-\s?(NQ|nq|CTR|Ctr)\s?/\s?(TW|TU)", fullmatch=True))
def test_canonical_number_is_idempotent(raw):
    once = canonical_number(raw)
    assert canonical_number(once) == once
    assert " " not in once


def test_one_misread_letter_in_a_code_is_mended():
    # Regression: the scan of 003 read "1164/TTr-LĐTBXH" as "1164/TIr-LĐTBXH".
    assert canonical_number("1164/TIr-LĐTBXH") == "1164/TTr-LĐTBXH"
    assert canonical_number("12/QD-UBND") == "12/QĐ-UBND"
    assert canonical_number("5/XYZ-ABC") == "5/XYZ-ABC"        # unknown codes stay as printed
