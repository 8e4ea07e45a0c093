"""Numbers, units and targets (normalizers/targets.py): the forms the seeds print."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from normalizers.targets import (find_unit, parse_number, parse_target, read_number,
                                separator_roles, unit_from_name)


@pytest.mark.parametrize("raw,comparator,lo,hi,unit", [
    ("Dưới 3%", "<", None, 3, "%"), ("Trên 85%", ">", 85, None, "%"),
    ("Từ 90% trở lên", ">=", 90, None, "%"), (">=2", ">=", 2, None, ""),
    ("<45", "<", None, 45, ""), ("30-35", "range", 30, 35, ""),
    ("45%- 47%", "range", 45, 47, "%"), ("73-75%", "range", 73, 75, "%"),
    ("0,1%/năm", "=", 0.1, 0.1, "%/năm"), ("160.000 lượt người", "=", 160000, 160000,
                                             "lượt người"),
    ("2,3% (Thành thị 3,22%, nông thôn 1,57%)", "=", 2.3, 2.3, "%"),
    ("Cơ bản không còn hộ nghèo (0,21%)", "text", None, None, ""),
    ("Cơ bản đạt", "text", None, None, ""), ("Bảo đảm vững chắc", "text", None, None, ""),
])
def test_targets_as_printed(raw, comparator, lo, hi, unit):
    t = parse_target(raw)
    assert (t.comparator, t.value_min, t.value_max, t.unit) == (comparator, lo, hi, unit)


@pytest.mark.parametrize("raw,value", [("27,1", 27.1), ("160.000", 160000),
                                       ("1.036.609", 1036609), ("8,342,216", 8342216),
                                       ("38.4", 38.4), ("90,1", 90.1)])
def test_numbers_in_both_styles(raw, value):
    assert parse_number(raw) == value


def test_a_word_after_no_number_is_no_unit():
    # Regression: "hộ" of "không còn hộ nghèo" was taken for the unit of the row.
    assert find_unit("Cơ bản không còn hộ nghèo") == ""
    assert find_unit("85 hộ") == "hộ" and find_unit("hộ") == "hộ"


@pytest.mark.parametrize("name,unit", [
    ("Số giường bệnh/vạn dân", "giường/vạn dân"), ("Số bác sỹ/vạn dân", "bác sỹ/vạn dân"),
    ("Tuổi thọ bình quân", "tuổi"), ("Tỷ lệ hộ nghèo", "%"),
    ("Mức sinh thay thế (bình quân số con/phụ nữ trong độ tuổi sinh đẻ)", "con/phụ nữ"),
    ("Giải quyết việc làm", ""),
])
def test_unit_from_an_indicator_name(name, unit):
    assert unit_from_name(name) == unit


@given(st.integers(0, 10**9))
def test_vietnamese_thousands_round_trip(n):
    printed = f"{n:,}".replace(",", ".")
    assert parse_number(printed) == n


@given(st.integers(0, 9999), st.integers(0, 99))
def test_decimal_comma_round_trip(whole, frac):
    assert parse_number(f"{whole},{frac:02d}", percent=True) == pytest.approx(whole + frac / 100)


@given(st.text(max_size=40))
def test_any_cell_parses_or_is_empty(raw):
    t = parse_target(raw)
    assert t is None or t.comparator in {"=", "<", "<=", ">", ">=", "range", "text"}
    if t is not None and t.value_min is not None and t.value_max is not None:
        assert t.value_min <= t.value_max


@pytest.mark.parametrize("cells,expected", [
    (["307,666", "1,978,761"], {",": {"thousands"}, ".": set()}),   # 000's investment list
    (["27,1", "160.000"], {",": {"decimal"}, ".": set()}),
    (["1.234,5"], {".": {"thousands"}, ",": {"decimal"}}),
    (["8,342,216", "1.036.609"], {",": {"thousands"}, ".": {"thousands"}}),  # mixed
])
def test_separator_roles_from_the_table(cells, expected):
    assert separator_roles(cells) == expected


def test_a_number_is_read_in_the_light_of_its_table():
    assert read_number("307,666", separator_roles(["1,978,761"])) == (307666.0, "")
    assert read_number("486.000", separator_roles(["8,342,216", "1.036.609"])) == (486000.0, "")
    assert read_number("307,666", separator_roles(["27,1"])) == (307.666, "")
    assert read_number("18.532") == (18532.0, "")                  # Vietnamese usage
    value, flag = read_number("307,666")
    assert value == 307666.0 and "ambiguous" in flag


@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from([".", ","]))
def test_a_decided_table_reads_every_number_its_way(whole, frac, sep):
    raw = f"{whole}{sep}{frac:03d}"
    value, flag = read_number(raw, separator_roles([f"1{sep}000{sep}000"]))
    assert value == whole * 1000 + frac and not flag
