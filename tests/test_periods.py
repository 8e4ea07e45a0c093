"""Deadlines and periods (normalizers/periods.py): the forms plans print, and properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from normalizers.periods import likely_year, parse_period
from normalizers.restorer.vietnamese import strip_marks

D = dt.date
CASES = [
    ("Quý II năm 2021", D(2021, 4, 1), D(2021, 6, 30), ""),
    ("QUÝ IV NĂM 2021", D(2021, 10, 1), D(2021, 12, 31), ""),
    ("quý 3/2022", D(2022, 7, 1), D(2022, 9, 30), ""),
    ("Năm 2015", D(2015, 1, 1), D(2015, 12, 31), ""),
    ("trước ngày 30/11 hàng năm", None, None, "annual"),
    ("Trước ngày 15/12/2022", None, D(2022, 12, 15), ""),
    ("6 tháng đầu năm 2023", D(2023, 1, 1), D(2023, 6, 30), ""),
    ("6 tháng cuối năm 2023", D(2023, 7, 1), D(2023, 12, 31), ""),
    ("giai đoạn 2022-2025", D(2022, 1, 1), D(2025, 12, 31), ""),
    ("Từ năm 2021 đến năm 2025", D(2021, 1, 1), D(2025, 12, 31), ""),
    ("đến năm 2030", None, D(2030, 12, 31), ""),
    ("Cuối năm 2024", None, D(2024, 12, 31), ""),
    ("tháng 12/2022", D(2022, 12, 1), D(2022, 12, 31), ""),
    ("Tháng 2 năm 2024", D(2024, 2, 1), D(2024, 2, 29), ""),
    ("CÁC VĂN BẢN BAN HÀNH HÀNG NĂM", None, None, "annual"),
    ("Hằng năm", None, None, "annual"),
    ("Hàng quý", None, None, "quarterly"),
    ("Thường xuyên", None, None, "continuous"),
]


@pytest.mark.parametrize("raw,start,deadline,recurrence", CASES)
def test_printed_periods(raw, start, deadline, recurrence):
    p = parse_period(raw)
    assert (p.start, p.deadline, p.recurrence) == (start, deadline, recurrence)
    assert p.confidence == 1.0 and not p.flag


@pytest.mark.parametrize("raw,start,deadline,recurrence", CASES)
def test_unaccented_spelling_reads_the_same(raw, start, deadline, recurrence):
    p = parse_period(strip_marks(raw))
    assert (p.start, p.deadline, p.recurrence) == (start, deadline, recurrence)


def test_implausible_year_is_flagged_with_the_likely_year_not_dropped():
    p = parse_period("Năm 1010", plan_years=(2012, 2020))
    assert p.deadline == D(1010, 12, 31)          # kept as printed
    assert p.confidence < 0.5 and "probably 2010" in p.flag


def test_impossible_date_is_flagged():
    p = parse_period("ngày 31/02/2022")
    assert p.deadline is None and "not a valid date" in p.flag


def test_bare_number_far_from_any_year_is_not_a_deadline():
    assert parse_period("Mã 1234 của nhiệm vụ").deadline is None


@given(st.integers(2000, 2099), st.sampled_from(["I", "II", "III", "IV"]))
def test_quarter_deadline_is_the_last_day_of_its_quarter(year, q):
    p = parse_period(f"Quý {q} năm {year}")
    assert p.start <= p.deadline and p.deadline.year == year
    assert (p.deadline + dt.timedelta(days=1)).month in (1, 4, 7, 10)
    assert (p.deadline - p.start).days in range(89, 92)


@given(st.integers(1990, 2090), st.integers(0, 10))
def test_range_spans_its_years(first, length):
    p = parse_period(f"giai đoạn {first}-{first + length}")
    assert (p.start, p.deadline) == (D(first, 1, 1), D(first + length, 12, 31))


@given(st.integers(2000, 2040), st.integers(0, 3), st.integers(0, 9))
def test_one_misprinted_digit_is_traced_back(year, position, digit):
    printed = int(f"{year:04}"[:position] + str(digit) + f"{year:04}"[position + 1:])
    assert sum(a != b for a, b in zip(f"{likely_year(printed, (year, year))}", f"{year}")) <= 1


@given(st.text(max_size=60))
def test_any_text_gives_a_period_without_error(text):
    p = parse_period(text)
    assert p.raw == text and 0 < p.confidence <= 1


def test_quarter_numerals_as_ocr_reads_them():
    """Regression: a scanned "Quý II/2026" read "Quý 11/2026" gave no deadline."""
    assert str(parse_period("Quý 11/2026").deadline) == "2026-06-30"
    assert str(parse_period("quý lll/2024").deadline) == "2024-09-30"
