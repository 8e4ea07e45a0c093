"""Span recognition (normalizers/entities.py): a blank spaCy `vi` pipeline with registry
patterns and the normalisers' grammars; every span keeps its offsets."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from normalizers.agency_registry import registry
from normalizers.entities import entities, pipeline, render_html

PLAN = ("Ủy ban nhân dân thành phố giao Sở LĐTBXH chủ trì, phối hợp với So Y te và UBND các "
        "quận, huyện, thị xã thực hiện Nghị quyết số 42-NQ/TW ngày 24/11/2023 của Ban Chấp "
        "hành Trung ương; đến năm 2025 tỷ lệ thất nghiệp dưới 3%, giải quyết việc làm 160.000 "
        "lượt người/năm, kinh phí 500 triệu đồng, hoàn thành trong Quý II năm 2021.")


def _found(text):
    return [(e.label, e.text, e.value) for e in entities(text)]


def test_entities_of_a_plan_sentence_with_their_values():
    assert _found(PLAN) == [
        ("AGENCY", "Ủy ban nhân dân thành phố", "Ủy ban nhân dân Thành phố"),
        ("AGENCY", "Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("AGENCY", "So Y te", "Sở Y tế"),                    # unaccented spelling
        ("AGENCY", "UBND các quận, huyện, thị xã", "Ủy ban nhân dân các quận, huyện, thị xã"),
        ("LEGAL_REF", "42-NQ/TW", "42-NQ/TW"),
        ("DATE", "24/11/2023", "2023-11-24"),
        ("PERIOD", "đến năm 2025", "2025-12-31"),
        ("TARGET", "dưới 3%", "< 3 %"),
        ("TARGET", "160.000 lượt người/năm", "160000 lượt người/năm"),
        ("MONEY", "500 triệu đồng", "500000000 VND"),
        ("PERIOD", "Quý II năm 2021", "2021-06-30"),
    ]


def test_offsets_point_into_the_text():
    for e in entities(PLAN):
        assert PLAN[e.start:e.end] == e.text


def test_every_registry_spelling_finds_its_agency():
    """The EntityRuler's patterns are generated from the registry: each name and alias,
    in a sentence, is found as its canonical agency."""
    for name, entry in registry()["entries"].items():
        for alias in [name, *entry.get("aliases", [])]:
            found = [e.value for e in entities(f"Giao {alias} chủ trì.") if e.label == "AGENCY"]
            assert found == [name], alias


def test_a_place_named_people_s_committee():
    found = _found("Ủy ban nhân dân phường Bắc Sơn ban hành kế hoạch")
    assert found[0] == ("AGENCY", "Ủy ban nhân dân phường Bắc Sơn", "Ủy ban nhân dân phường Bắc Sơn")


def test_codes_stay_one_token():
    tokens = [t.text for t in pipeline().make_doc("số 13/2021/QĐ-UBND ngày 08/5/2024.")]
    assert tokens == ["số", "13/2021/QĐ-UBND", "ngày", "08/5/2024", "."]


def test_displacy_markup_shows_every_label():
    html = render_html(PLAN)
    for label in ("AGENCY", "LEGAL_REF", "DATE", "PERIOD", "TARGET", "MONEY"):
        assert label in html


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Sở Y tế UBND 12/3/2024 năm 2025 % dưới,.-/ qđ")),
               max_size=80))
def test_any_text_gives_spans_inside_it(text):
    for e in entities(text):
        assert 0 <= e.start < e.end <= len(text) and text[e.start:e.end] == e.text
