from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from normalizers.dates import parse_date

dates = st.dates(dt.date(1945, 9, 2), dt.date(2100, 12, 31))


@given(dates)
def test_long_form_round_trip(d):
    assert parse_date(f"Hà Nội, ngày {d.day:02d} tháng {d.month} năm {d.year}") == d


@given(dates, st.sampled_from(["/", "-", "."]))
def test_numeric_round_trip(d, sep):
    assert parse_date(f"ngày {d.day}{sep}{d.month}{sep}{d.year}") == d


def test_invalid_dates_are_skipped():
    assert parse_date("ngày 31/2/2021 và ngày 1/3/2021") == dt.date(2021, 3, 1)
    assert parse_date("không có ngày") is None


@given(st.text(max_size=200))
def test_a_date_found_is_written_in_the_text(text):
    d = parse_date(text)
    assert d is None or (str(d.year) in text and str(d.month) in text and str(d.day) in text)
