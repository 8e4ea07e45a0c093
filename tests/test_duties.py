"""Duties from the "Tổ chức thực hiện" section (pipeline/understand/duties.py)."""
from __future__ import annotations

from extractors.model import Document
from extractors.sources.text import pages_from_text
from pipeline.understand.duties import duty_rows

PLAN = """III. NHIỆM VỤ, GIẢI PHÁP

1. Sở Y tế không phải nhiệm vụ ở đây

IV. TỔ CHỨC THỰC HIỆN

1. Sở LĐTBXH

- Chủ trì, phối hợp các sở, ngành triển khai Kế hoạch.

- Tổng hợp, báo cáo UBND tỉnh trước ngày 30/11 hàng năm.

2. Sở Tài chính

Tham mưu bố trí kinh phí; trình UBND tỉnh hoàn thành trước ngày 15/12/2026.

3. Các sở, ngành khác căn cứ chức năng, nhiệm vụ được giao chủ động triển khai Kế hoạch.

4. Đề nghị Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội:

- Đề nghị Hội Nông dân tỉnh vận động hội viên tham gia.

- Giám sát việc thực hiện Kế hoạch.

Trên đây là Kế hoạch thực hiện của Ủy ban nhân dân tỉnh.

TM. ỦY BAN NHÂN DÂN
"""


def _rows():
    doc = Document("plan.txt", "0" * 64, pages_from_text(PLAN))
    return {r["number"]: r for r in duty_rows(doc, "doc")}


def test_each_item_under_its_numbered_agency():
    rows = _rows()
    assert list(rows) == ["1.1", "1.2", "2.1", "3.1", "4.1", "4.2"]
    assert rows["1.1"]["agency"] == "Sở Lao động - Thương binh và Xã hội"
    assert rows["1.1"]["agency_raw"] == "Sở LĐTBXH"
    assert rows["1.1"]["description"] == "Chủ trì, phối hợp các sở, ngành triển khai Kế hoạch."


def test_deadlines_and_recurrence_from_the_sentence():
    rows = _rows()
    assert (rows["1.2"]["deadline"], rows["1.2"]["recurrence"]) == (None, "annual")
    assert rows["1.2"]["deadline_raw"] == "trước ngày 30/11 hàng năm"
    assert str(rows["2.1"]["deadline"]) == "2026-12-15"
    assert rows["1.1"]["deadline"] is None and rows["1.1"]["recurrence"] == ""


def test_an_agency_opening_a_numbered_sentence_and_a_requested_body():
    rows = _rows()
    assert rows["3.1"]["agency"] == "Các sở, ban, ngành Thành phố"
    assert rows["4.1"]["agency"] == "Hội Nông dân Thành phố"          # "Đề nghị Hội Nông dân"
    assert rows["4.2"]["agency"] == "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố"


def test_nothing_outside_the_section():
    rows = _rows()
    assert all("không phải" not in r["description"] for r in rows.values())
    assert all("Trên đây" not in r["description"] for r in rows.values())
