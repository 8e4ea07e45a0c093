"""Fuzzing the text-level stages: no text, however odd, crashes them."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from extractors.sources.text import pages_from_text
from normalizers.agency_registry import resolve_list
from normalizers.dates import parse_date
from normalizers.legal_refs import find_references
from normalizers.restorer.restore import restore_text
from normalizers.targets import parse_number, parse_target
from normalizers.text import fold
from pipeline.recipe import JobPlan, PageBatch, finish_document

# Pieces of real plans, so that examples reach deep into the grammars, mixed with noise.
FRAGMENTS = ["Số: 207/KH-UBND", "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "Hà Nội, ngày 8 tháng 9 năm 2021",
             "KẾ HOẠCH", "Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương",
             "Quyết định số 13/2021/QĐ-UBND", "Quý II năm 2021", "Dưới 3%", "Từ 90% trở lên",
             "45%- 47%", "1.036.609", "27,1", "Sở LĐTBXH", "Các Sở: Tài chính, Nội vụ",
             "TT | Chỉ tiêu | ĐVT | 2021 | 2025", "Thue hién Chwong trinh s6 73-CTr/TU",
             "Tổ chức thực hiện", "CHỦ TỊCH", "Nguyễn Văn A", "I.", "1.1", "-", "(1)", "|"]
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), NOISE), max_size=30).flatmap(
    lambda parts: st.sampled_from([" ", "\n", "\f", " | "]).map(lambda sep: sep.join(parts)))

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@FUZZ
@given(TEXT)
def test_document_stages_never_crash(text):
    pages = pages_from_text(text)
    plan = JobPlan(path=None, source="fuzz.txt", sha256="0" * 64, kind="text", pages=len(pages))
    res = finish_document(plan, [PageBatch(pages)])
    assert not [e for e in res.errors if "internal error" in e.error], res.errors
    assert res.document is not None or res.errors       # a document, or the reason why not


@FUZZ
@given(TEXT)
def test_normalisers_never_crash(text):
    parse_number(text)
    parse_target(text)
    parse_date(text)
    find_references(text)
    resolve_list(text)
    restored = restore_text(text)
    assert restored.text.count("\n") == text.count("\n")      # lines are never merged
    if restored.mode == "stripped":                             # marks added, letters kept
        assert fold(restored.text) == fold(text)
