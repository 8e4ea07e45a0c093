"""Duties from the "Tổ chức thực hiện" section: each numbered agency and what it is to do.

Plans end with a section ("IV. TỔ CHỨC THỰC HIỆN") that names agencies under numbers
("1. Sở Lao động - Thương binh và Xã hội", "a) Ủy ban nhân dân các quận, huyện") and
lists their duties below, as "- ..." items or plain paragraphs. Each item is one row of
duties.csv (an extension: tasks.csv stays the plan's assignment tables), with the agency
resolved and the deadline or recurrence the sentence states ("trước ngày 30/11 hàng
năm"). A paragraph starting in lower case goes on from the one before (a page break).
"""
from __future__ import annotations

import re

from extractors.model import Document
from normalizers.agency_registry import resolve
from normalizers.periods import deadline_in
from normalizers.text import fold, squash

from pipeline.settings import SETTINGS
from pipeline.understand.grids import bbox_text
from pipeline.understand.ids import stable_id
from pipeline.understand.paragraphs import Paragraph, document_paragraphs
from pipeline.output.schema import Row

_SECTION = re.compile(r"^(?:[ivxlc]+|\d{1,2})[.)]\s*to chuc thuc hien\b")
_SECTION_END = re.compile(
    r"^(?:[ivxlc]+[.)]\s*[a-z]|noi nhan\b|tm\.|kt\.|t/m\b|phu luc\b|tren day la\b)")
_SIGNATURE = re.compile(r"\b(?:tm|kt|t/m)\.\s*(?:uy ban|chu tich|ubnd)")   # the signature block
_PAGE_NUMBER = re.compile(r"^\d{1,3}\s+(?=[a-zà-ỹđ])")     # "10 lĩnh vực ...": a page number
# Where the agency that opens a numbered sentence ends, when the registry does not know it.
_SENTENCE_VERB = re.compile(r"\s(?:căn cứ|chủ trì|có trách nhiệm|phối hợp|tổ chức|triển khai)\b|[:,]")
_REQUEST = re.compile(r"^(?:Đề nghị|Đề xuất với)\s+")
_AGENCY = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})?|[a-zđ])[.)]\s+(?P<name>\S.+)$")
_ITEM = re.compile(r"^[-–•+]\s*")


def _agency_heading(text: str, expected: str) -> tuple[str, str, str] | None:
    """(number, agency as printed, duty on the same line) of a numbered paragraph that
    names an agency: a short heading ("3. Sở Kế hoạch và Đầu tư"), or the next number
    of the list opening a sentence ("19. Các sở, ngành khác ... căn cứ chức năng, ...",
    "20. Đề nghị Ủy ban Mặt trận Tổ quốc ... phối hợp ...")."""
    m = _AGENCY.match(text)
    if not m:
        return None
    name = m["name"].rstrip(" :;")
    if len(name.split()) <= SETTINGS.agency_words and not name.endswith("."):
        if not (name[:1].isupper() or resolve(name).matched):
            return None
        named = _REQUEST.sub("", name)          # "Đề nghị Ủy ban MTTQ và các tổ chức ..."
        if not resolve(named).matched:
            named = _first_agency(named) or named
        return m["n"], named, ""
    if m["n"] != expected:
        return None
    found = _first_agency(_REQUEST.sub("", name))
    if found:
        return m["n"], found, name
    head = _SENTENCE_VERB.split(name, maxsplit=1)[0]
    return (m["n"], head.strip(" ,;"), name) if len(head.split()) <= SETTINGS.agency_words else None


def _first_agency(text: str) -> str:
    """The opening of text the registry best knows as an agency, the longer on a tie
    ("Các sở, ngành" of "Các sở, ngành khác ... căn cứ ..."), or ""."""
    words = text.split()
    found = []
    for n in range(2, min(SETTINGS.agency_words, len(words)) + 1):
        head = " ".join(words[:n]).rstrip(" ,;:.")
        match = resolve(head)
        if match.matched and match.score >= SETTINGS.agency_match:
            found.append((match.score, n, head))
    return max(found)[2] if found else ""      # the best match, then the longest


def _requested(duty: str) -> str:
    """The agency an item asks ("Đề nghị Liên đoàn Lao động Thành phố ..."): under a
    heading for several bodies, each item names its own."""
    m = _REQUEST.match(duty)
    return _first_agency(duty[m.end():]) if m else ""


def section_duties(doc: Document) -> list[tuple[str, str, str, Paragraph]]:
    """(agency number, agency as printed, duty text, paragraph) of every duty."""
    out: list[tuple[str, str, str, Paragraph]] = []
    inside, number, agency = False, "", ""
    for p in document_paragraphs(doc):
        text = _PAGE_NUMBER.sub("", squash(p.text))
        key = fold(text)
        if _SECTION.match(key):
            inside, number, agency = True, "", ""
            continue
        if not inside or not text or text.isdigit():
            continue
        if _SECTION_END.match(key) or _SIGNATURE.search(key):
            inside = False
            continue
        expected = str(int(number.split(".")[0]) + 1) if number[:1].isdigit() else "1"
        heading = _agency_heading(text, expected)
        if heading:
            number, agency, duty = heading
            if duty:
                out.append((number, agency, duty, p))
            continue
        if not agency:
            continue
        duty = _ITEM.sub("", text)
        if out and out[-1][0] == number and text[:1].islower():
            n, a, before, para = out[-1]         # the rest of an item a page break split
            out[-1] = (n, a, f"{before} {duty}", para)
        elif duty:
            out.append((number, _requested(duty) or agency, duty, p))
    return out


def duty_rows(doc: Document, doc_id: str) -> list[Row]:
    rows, counts = [], {}
    for number, printed, duty, para in section_duties(doc):
        counts[number] = counts.get(number, 0) + 1
        match = resolve(printed)
        period = deadline_in(duty)
        rows.append(Row.of(
            "duties", duty_id=stable_id(doc.source, "duty", number, printed, duty),
            doc_id=doc_id, number=f"{number}.{counts[number]}",
            agency=match.name, agency_raw=printed, description=duty,
            start_date=period.start, deadline=period.deadline,
            deadline_raw=period.raw, recurrence=period.recurrence, flag=period.flag,
            deadline_kind=period.kind,
            page=para.page, bbox=bbox_text(para.bbox), locator=para.locator,
            confidence=round(min(match.score, period.confidence), 3),
            agency_spellings=((match.name, printed),)))
    return rows
