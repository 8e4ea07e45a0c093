"""references.csv rows: every document a document cites, once, with its first page."""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from extractors.model import Document
from normalizers.legal_refs import LegalRef, find_references


def _page_offsets(doc: Document) -> tuple[str, list[int]]:
    starts, parts, pos = [], [], 0
    for page in doc.pages:
        starts.append(pos)
        parts.append(page.text)
        pos += len(page.text) + 2
    return "\n\n".join(parts), starts


def document_references(doc: Document, own_number: str) -> list[dict]:
    text, starts = _page_offsets(doc)
    merged: dict[str, dict] = {}
    issuers: dict[str, Counter] = {}
    for ref in find_references(text):
        if ref.attached or (ref.number and ref.number.lower() == own_number.lower()):
            continue
        key = (ref.number or ref.title).lower()
        page = doc.pages[bisect_right(starts, ref.start) - 1].number
        row = merged.get(key)
        if row is None:
            row = merged[key] = _row(ref, page)
            issuers[key] = Counter()
        else:
            row["mentions"] += 1
            row["ref_date"] = row["ref_date"] or ref.date
            row["ref_type"] = row["ref_type"] or ref.type
        if ref.issuer:
            issuers[key][ref.issuer] += 1
    for key, row in merged.items():
        # The spelling cited most often; on a tie the first one (Counter keeps order).
        row["ref_issuer"] = issuers[key].most_common(1)[0][0] if issuers[key] else None
    return list(merged.values())


def _row(ref: LegalRef, page: int) -> dict:
    return {"ref_number": ref.number, "ref_type": ref.type, "ref_date": ref.date,
            "ref_issuer": ref.issuer, "ref_title": ref.title, "page": page, "mentions": 1}
