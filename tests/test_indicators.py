"""Indicator names snapped to the registry of canonical indicators
(normalizers/indicators.py, normalizers/data/indicators.yaml)."""
from __future__ import annotations

import yaml
from hypothesis import given, strategies as st

from normalizers.indicators import DATA, best_match
from pipeline.output.dataset import snap_indicators
from pipeline.settings import SETTINGS


def test_every_registry_wording_snaps_to_its_own_indicator():
    """A wording shared by two entries, or one that another entry's wording beats, fails."""
    for entry in yaml.safe_load(DATA.read_text(encoding="utf-8"))["indicators"]:
        for wording in [entry["name"], *entry.get("aka", [])]:
            assert best_match(wording) == (entry["id"], 1.0), wording


def test_two_plans_wordings_of_one_measure_share_an_id():
    assert best_match("Số bác sỹ/vạn dân")[0] == best_match("Số bác sĩ trên 10.000 dân")[0] \
        == "HEA-DOCTORS"
    # an opening verb, an aside in brackets and the sentence after the name do not count
    assert best_match("Duy trì tỷ lệ xã, phường đạt chuẩn quốc gia về y tế")[0] == \
        "HEA-COMMUNE-STANDARD"
    assert best_match("Tỷ lệ hộ nghèo (theo chuẩn nghèo của Thành phố). Phấn đấu giảm")[0] == \
        "POV-POOR-HOUSEHOLDS"


def test_a_short_canonical_name_inside_another_measure_is_not_taken():
    """'Tỷ lệ hộ nghèo' is in 'Tỷ lệ trẻ em thuộc hộ nghèo được hỗ trợ', a different measure."""
    _, score = best_match("Tỷ lệ trẻ em thuộc hộ nghèo được hỗ trợ")
    assert score < SETTINGS.indicator_snap


def test_rows_get_an_id_above_the_threshold_and_a_score_to_review_below():
    rows = [{"name": "Tỷ lệ bao phủ bảo hiểm y tế"},
            {"name": "Tỷ lệ trẻ em thuộc hộ nghèo được hỗ trợ"},
            {"name": "Số phiếu khảo sát đã phát"}, {"name": None}]
    snap_indicators(rows)
    assert [(r["canonical_indicator_id"], r["canonical_score"] is not None) for r in rows] == \
        [("HEA-INSURANCE-COVERAGE", True), (None, True), (None, False), (None, False)]


@given(st.text(max_size=80))
def test_any_name_gives_a_score_between_0_and_1(name):
    canonical, score = best_match(name)
    assert 0.0 <= score <= 1.0 and (canonical or score == 0.0)
