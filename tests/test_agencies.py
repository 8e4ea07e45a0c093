"""Agency registry: matching, list splitting, levels, jurisdictions and successors."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from normalizers.agency_registry import agency_row, registry, resolve, split_agencies
from normalizers.text import fold


def test_issuer_levels_and_jurisdictions():
    row = agency_row("Ủy ban nhân dân thành phố Hà Nội")
    assert (row["agency_id"], row["level"], row["jurisdiction"]) == \
        ("uy-ban-nhan-dan-thanh-pho-ha-noi", "province", "Hà Nội")
    assert agency_row("Ủy ban nhân dân phường Bắc Sơn")["level"] == "commune"
    assert agency_row("Sở Y tế tỉnh Nghệ An")["jurisdiction"] == "Nghệ An"
    assert agency_row("Thành ủy Hà Nội")["level"] == "party"
    assert agency_row("Thủ tướng Chính phủ") == {
        "agency_id": "thu-tuong-chinh-phu", "canonical_name": "Thủ tướng Chính phủ",
        "level": "central", "jurisdiction": "", "aliases": "Thủ tướng Chính phủ",
        "successor_id": "", "successor_since": ""}


def test_xa_hoi_is_no_commune():
    # Regression: the "xã" of "Xã hội" made a provincial department a commune.
    row = agency_row("Sở Lao động - Thương binh và Xã hội", "Ủy ban nhân dân thành phố Hà Nội")
    assert (row["level"], row["jurisdiction"]) == ("province", "Hà Nội")


def test_agencies_take_the_jurisdiction_of_the_plan_that_names_them():
    hanoi = agency_row("Sở Y tế", "Ủy ban nhân dân thành phố Hà Nội")
    haiphong = agency_row("Sở Y tế", "Ủy ban nhân dân thành phố Hải Phòng")
    assert hanoi["jurisdiction"] == "Hà Nội" and haiphong["jurisdiction"] == "Hải Phòng"
    assert hanoi["agency_id"] != haiphong["agency_id"]
    ward = agency_row("Công chức Văn hóa - Xã hội", "Ủy ban nhân dân phường Bắc Sơn")
    assert (ward["level"], ward["jurisdiction"]) == ("commune", "Bắc Sơn")


def test_successors_after_the_2025_reorganisation():
    row = agency_row("Sở Lao động - Thương binh và Xã hội", "Ủy ban nhân dân thành phố Hà Nội")
    assert row["successor_id"] == "so-noi-vu-ha-noi" and row["successor_since"] == "2025-03-01"
    assert agency_row("Sở Kế hoạch và Đầu tư")["successor_id"] == "so-tai-chinh"


@pytest.mark.parametrize("raw,names", [
    ("Các Sở: Tài chính, Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
    ("Các Sở: Kế hoạch và Đầu tư, Tài chính", ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]),
    ("Sở Nội vụ, Xây dựng, Tài nguyên và Môi trường",
     ["Sở Nội vụ", "Sở Xây dựng", "Sở Tài nguyên và Môi trường"]),
    ("Các Sở: Tài chính, Nội vụ, các trường Đại học, Cao đẳng Y, dược",
     ["Sở Tài chính", "Sở Nội vụ", "các trường Đại học, Cao đẳng Y, dược"]),
    ("UBND các quận, huyện, thị xã", ["UBND các quận, huyện, thị xã"]),
    ("Các sở, ban, ngành Thành phố", ["Các sở, ban, ngành Thành phố"]),
    ("Sở Y tế; Sở Tài chính và UBND các quận, huyện, thị xã",
     ["Sở Y tế", "Sở Tài chính", "UBND các quận, huyện, thị xã"]),
])
def test_lists_are_split_into_agencies(raw, names):
    assert split_agencies(raw) == names


@pytest.mark.parametrize("raw,name", [
    ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Lao động– TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Lao động- Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở KH - ĐT", "Sở Kế hoạch và Đầu tư"), ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("BHXH thành phố", "Bảo hiểm xã hội Thành phố"),
    ("UBND các quận, huyện, thị xã", "Ủy ban nhân dân các quận, huyện, thị xã"),
    ("Ủy ban nhân dân các Q,H, TX", "Ủy ban nhân dân các quận, huyện, thị xã"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố"),
    ("Các sở, ngành liên quan", "Các sở, ngành, đơn vị liên quan"),
    ("Sở Quy hoạch kiến trúc", "Sở Quy hoạch - Kiến trúc"),
    ("So Lao dong - Thuong binh va Xa hoi", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Lao đông - Thuơng binh và Xã hôi", "Sở Lao động - Thương binh và Xã hội"),
])
def test_spellings_resolve_to_the_canonical_agency(raw, name):
    m = resolve(raw)
    assert m.matched and m.name == name


def test_unknown_agency_is_kept_unmatched():
    m = resolve("Phòng Kinh tế hạ tầng")
    assert not m.matched and m.name == "Phòng Kinh tế hạ tầng" and m.score < 1


@given(st.text(max_size=80))
def test_splitting_and_rows_never_fail(raw):
    parts = split_agencies(raw)
    assert all(p.strip() for p in parts)
    row = agency_row(raw.strip() or "x")
    assert row["level"] in {"central", "province", "district", "commune", "party",
                            "mass_organisation", "other"}


_SPELLINGS = sorted({a for name, e in registry()["entries"].items()
                     for a in [name, *e.get("aliases", [])]})


@given(st.sampled_from(_SPELLINGS), st.sampled_from(["keep", "lower", "fold", "upper"]))
def test_canonicalisation_is_idempotent_whatever_the_case_and_accents(spelling, form):
    printed = {"keep": spelling, "lower": spelling.lower(), "upper": spelling.upper(),
               "fold": fold(spelling)}[form]
    first = resolve(printed)
    assert first.matched, printed
    assert resolve(first.name).name == first.name


@given(st.text(max_size=60))
def test_canonical_names_are_fixed_points(raw):
    name = resolve(raw).name
    if name:
        assert resolve(name).name == name


@pytest.mark.parametrize("printed, canonical", [
    ("Công an tỉnh", "Công an tỉnh"),                    # not the city's Công an Thành phố
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội tỉnh"),
    ("Sở Lao động– TB&XH", "Sở Lao động - Thương binh và Xã hội"),    # a scan's dash
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("UBND các xã, phường, đặc khu", "Ủy ban nhân dân các xã, phường, đặc khu"),
    ("Lãnh đạo Sở Y tế", "Sở Y tế"),
])
def test_province_bodies_and_their_spellings(printed, canonical):
    assert resolve(printed).name == canonical


def test_a_registry_name_is_not_cut_at_its_comma():
    assert split_agencies("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế") == [
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]
