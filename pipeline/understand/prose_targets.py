"""Indicators stated in prose: numbered lists under a "chỉ tiêu" heading, such as
"- (1) Tỷ lệ thất nghiệp: dưới 3%." under "2. Các chỉ tiêu đến năm 2025".

The name is what precedes the colon, the target what follows (a statement without a
colon, "Cơ bản không còn hộ nghèo", is a qualitative target); the year is the one the
heading names. An item that restates an indicator of the document's tables is linked
to it (same indicator_id) instead of becoming a second indicator, and adds no target
for a year the table already gives.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractors.model import Document
from normalizers.targets import find_unit, parse_target, unit_from_name
from normalizers.text import YEAR, fold, squash

from pipeline.settings import SETTINGS
from pipeline.understand.grids import bbox_text
from pipeline.understand.ids import stable_id
from pipeline.understand.paragraphs import Paragraph, document_paragraphs
from pipeline.output.schema import Row

_ITEM = re.compile(r"^[-–•+]?\s*\((?P<n>\d{1,2})\)\s*(?P<body>.+)$")
# an unnumbered item: "- Tỷ lệ hộ nghèo: dưới 1%", "- Trên 80% số trạm y tế cấp xã ..."
_BULLET = re.compile(r"^[-–•+]\s*(?P<body>\S.+)$")
# the figure a sentence item sets: "trên 80%", "ít nhất 50%", "100%"
_FIGURE = re.compile(r"(?:(?:đạt|trên|dưới|ít nhất|tối thiểu|tối đa|khoảng|không quá|"
                     r"không dưới|hơn|từ)\s+)*\d+(?:[.,]\d+)?\s*%", re.I)
_NEXT_ITEM = re.compile(r"\s(?=(?:[-–•+]\s*)?\(\d{1,2}\)\s)")
# a heading ends the text before an item: "... 2. Các chỉ tiêu đến năm 2025"
_HEADING = re.compile(r"(?:^|\s)((?:[IVXLC]+|\d{1,2}|[a-zđ])[.)]\s+\S.{0,150})$")


def prose_items(doc: Document) -> list[tuple[str, str, str, int | None, Paragraph]]:
    """(number, name, target text, year, paragraph) of every numbered list item under
    a heading that announces indicators ("chỉ tiêu")."""
    out, heading, year, bullets = [], "", None, 0
    for p in document_paragraphs(doc):
        # items a paragraph break did not part, and a heading run into its first item
        for piece in _NEXT_ITEM.split(squash(p.text)):
            m = _ITEM.match(piece)
            bullet = None if m else _BULLET.match(piece)
            if not m and not bullet:
                found = _HEADING.search(piece)
                if found:
                    heading, bullets = found[1], 0
                    years = YEAR.findall(piece)
                    year = int(years[-1]) if years else None
                continue
            if "chi tieu" not in fold(heading):
                continue
            if m:
                name, _, target = m["body"].partition(":")
                out.append((m["n"], squash(name).rstrip("."), squash(target).rstrip(". "),
                            year, p))
                continue
            item = _bullet_item(bullet["body"])
            if item:
                bullets += 1
                out.append((str(bullets), *item, year, p))
    return out


def _bullet_item(body: str) -> tuple[str, str] | None:
    """(name, target) of an unnumbered item: the parts of "Name: target", or the whole
    sentence and the figure it sets ("Trên 80% số trạm y tế ..." -> "Trên 80%"); None for
    an item that sets no figure (a task, not an indicator)."""
    name, colon, target = body.partition(":")
    read = parse_target(squash(target).rstrip(". ")) if colon else None
    if read is not None and read.comparator != "text" and len(name.split()) <= 30:
        return squash(name).rstrip("."), squash(target).rstrip(". ")     # a figure after ":"
    figure = _FIGURE.search(body)
    return (squash(body).rstrip("."), squash(figure[0])) if figure else None


def _links(names: list[str], table_indicators: list[Row]) -> dict[int, Row]:
    """Item index -> the table indicator it restates: pairs taken best first (token-set
    similarity, then plain similarity to tell "Tỷ lệ thất nghiệp" from a longer name
    containing it), each indicator at most once."""
    items = [fold(n) for n in names]
    table = [fold(r["name"]) for r in table_indicators]
    pairs = sorted(((fuzz.token_set_ratio(a, b), fuzz.ratio(a, b), k, j)
                    for k, a in enumerate(items) for j, b in enumerate(table)), reverse=True)
    links, used = {}, set()
    for score, _, k, j in pairs:
        if score >= SETTINGS.prose_link_min and k not in links and j not in used:
            links[k] = table_indicators[j]
            used.add(j)
    return links


def prose_indicators(doc: Document, doc_id: str, table_indicators: list[Row],
                     table_targets: list[Row]) -> tuple[list[Row], list[Row]]:
    indicators, targets = [], []
    have = {(t.indicator_id, t.year) for t in table_targets if t.kind == "target"}
    items = prose_items(doc)
    links = _links([name for _, name, *_ in items], table_indicators)
    for k, (number, name, raw, year, p) in enumerate(items):
        box = bbox_text(p.bbox)
        linked = links.get(k)
        if linked:
            ind_id, unit = linked.indicator_id, linked.unit
        else:
            ind_id = stable_id(doc.source, "indicator", "prose", number, name)
            unit = find_unit(raw) or unit_from_name(name)
            indicators.append(Row.of(
                "indicators", indicator_id=ind_id, doc_id=doc_id, group="", number=number,
                name=name, unit=unit, lead_agency="", coordinating_agencies="",
                page=p.page, bbox=box, locator=p.locator, confidence=0.8, extra=""))
        if (ind_id, year) in have:
            continue
        t = parse_target(raw or name, unit)
        if t is None or year is None:       # a figure for no year the heading names
            continue
        targets.append(Row.of(
            "targets", indicator_id=ind_id, kind="target", year=year, raw=raw or name,
            comparator=t.comparator, value_min=t.value_min, value_max=t.value_max,
            unit=t.unit if re.search(r"\d", raw) else "", page=p.page, bbox=box, column="",
            locator=p.locator))
        have.add((ind_id, year))
    return indicators, targets
