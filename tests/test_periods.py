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


@pytest.mark.parametrize("raw, years, start, deadline, recurrence, kind", [
    ("Thường xuyên", None, None, None, "continuous", "continuous"),
    ("Thường xuyên trong năm", (2026, 2026), "2026-01-01", "2026-12-31", "continuous", "year"),
    ("Hằng năm", None, None, None, "annual", "recurring"),
    ("Trước ngày 31/01 năm liền kề", None, None, None, "", "relative"),
    ("Sau 03 tháng kể từ khi có văn bản của Trung ương", None, None, None, "", "relative"),
    ("Theo Điều 17 Nghị định số 52/2015/NĐ-CP", None, None, None, "", "by_reference"),
    ("Quý I/2026", None, "2026-01-01", "2026-03-31", "", "quarter"),
    ("6 tháng đầu năm", (2026, 2026), "2026-01-01", "2026-06-30", "", "first_half"),
    ("Năm 2013 - 2015", None, "2013-01-01", "2015-12-31", "", "range"),
    ("2021 - 2025", None, "2021-01-01", "2025-12-31", "", "range"),
    ("Từ tháng 3 đến tháng 9/2026", None, "2026-03-01", "2026-09-30", "", "month_range"),
])
def test_deadlines_as_plans_write_them(raw, years, start, deadline, recurrence, kind):
    p = parse_period(raw, years)
    assert (str(p.start) if p.start else None, str(p.deadline) if p.deadline else None,
            p.recurrence, p.kind) == (start, deadline, recurrence, kind)
    assert p.raw == raw


def test_a_cell_without_a_year_takes_its_columns():
    """"Thời gian (Năm 2026)" over "Từ 20 giờ 15 phút ... ngày 23 tháng 1", "Tháng 7"."""
    assert str(parse_period("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1",
                            year=2026).deadline) == "2026-01-23"
    assert str(parse_period("Tháng 7", year=2026).deadline) == "2026-07-31"
    assert parse_period("Tháng 7").deadline is None        # no year given: none guessed
