"""The golden table: 215 real cases from the seeds, one row per case, through each
normaliser (tests/golden/normalizer_cases.tsv says where every case comes from)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from normalizers.agency_registry import resolve
from normalizers.funding import funding_sources
from normalizers.legal_refs import find_references
from normalizers.periods import parse_period
from normalizers.restorer.restore import restore_text
from normalizers.targets import parse_number, parse_target

CASES = Path(__file__).parent / "golden" / "normalizer_cases.tsv"


def _cases() -> list[tuple[str, str, str, str, str]]:
    with CASES.open(encoding="utf-8") as f:
        rows = csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t")
        return [(r["normalizer"], r["input"], r["context"], r["expected"], r["source"])
                for r in rows]


def _g(v: float | None) -> str:
    return "" if v is None else f"{v:.12g}"


def _read(normalizer: str, raw: str, context: str) -> str:
    if normalizer == "target":
        t = parse_target(raw, context)
        return f"{t.comparator}|{_g(t.value_min)}|{_g(t.value_max)}|{t.unit}"
    if normalizer == "period":
        p = parse_period(raw)
        return f"{p.start or ''}|{p.deadline or ''}|{p.recurrence}"
    if normalizer == "agency":
        return resolve(raw).name
    if normalizer == "legal_ref":
        if not any(ch in raw for ch in "ạảấầẩậắằẳặẹẻẽếềểệỉịọỏốồổộớờởợụủứừửựỳỷỹđ"):
            raw = restore_text(raw, "garbled").text        # 004's English-model OCR
        r = find_references(raw)[0]
        return f"{r.number}|{r.type}|{r.date or ''}|{r.issuer or ''}"
    if normalizer == "number":
        return _g(parse_number(raw))
    if normalizer == "funding":
        return ";".join(funding_sources(raw))
    raise ValueError(normalizer)


def test_the_table_is_big_and_covers_every_normaliser():
    cases = _cases()
    assert len(cases) >= 150
    assert {c[0] for c in cases} == {"target", "period", "agency", "legal_ref", "number",
                                     "funding"}
    assert all(c[4][:3] in ("000", "003", "004") for c in cases)    # all from the seeds


@pytest.mark.parametrize("normalizer,raw,context,expected,source", _cases(),
                         ids=lambda v: v[:40] if isinstance(v, str) else v)
def test_golden_case(normalizer, raw, context, expected, source):
    assert _read(normalizer, raw, context) == expected, source
