"""Citations of legal and party documents: number, type, date and issuer.

The number grammar is general, not a list of seen examples:
  state documents   N/CODE-ISSUER        90/QĐ-TTg, 1164/TTr-LĐTBXH, 55a/QĐ-TTg
                    N/YYYY/CODE-ISSUER   07/2021/NĐ-CP, 13/2021/QĐ-UBND
                    N/YYYY/ISSUER        04/2012/UBTVQH13, 77/2015/QH13
  party documents   N-CODE/ISSUER        42-NQ/TW, 08-CTr/TU, 1100-CV/TU
Laws are often cited by name and date only ("Luật Tổ chức chính quyền địa phương
ngày 19 tháng 6 năm 2015"); those come back with an empty number and a title.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers import lexicon
from normalizers.dates import DATE_PATTERN, to_date
from normalizers.admin_units import official_name
from normalizers.text import fold, squash

DATA = Path(__file__).with_name("data") / "legal_refs.yaml"

_CAP = r"[A-ZĐ]"
_CODE = r"[A-ZĐa-zđ][A-ZĐa-zđ0-9&]*"
NUMBER = re.compile(
    rf"(?<![\w/.-])(?P<n>\d{{1,5}}[a-z]?)\s*(?:"
    rf"/\s*(?P<year>(?:19|20)\d\d)\s*/\s*(?P<tail_y>{_CAP}{_CODE}(?:\s?-\s?{_CODE})*)"
    rf"|/\s*(?P<tail>{_CAP}{_CODE}(?:\s?-\s?{_CODE})+)"
    rf"|\s?-\s?(?P<ptype>{_CAP}[A-ZĐa-z]*)\s*/\s*(?P<porg>{_CAP}{_CODE}(?:-{_CODE})*)"
    rf")(?![\w/])")
_ISSUER_STOP = re.compile(
    r"\s+(?:về|v/v|quy định|phê duyệt|ban hành|thực hiện|hướng dẫn|khóa|khoá|nhiệm kỳ|tại|"
    r"đối với|giai đoạn|trong|nhằm|để|và các|thông qua|đề nghị|đề xuất)\b|[;,:“”\"()]|$")
_ISSUER = re.compile(r"^[\s,]*của\s+(?P<iss>[^;,:“”\"()\n]{2,140})", re.I)
_DATE_AFTER = re.compile(rf"^[\s,]*(?:ban hành\s+)?(?:ngày\s*)?{DATE_PATTERN}", re.I)


@dataclass
class LegalRef:
    number: str                 # canonical: 42-NQ/TW, 07/2021/NĐ-CP; empty for laws by name
    type: str | None
    date: dt.date | None
    issuer: str | None
    start: int                  # character offsets of the citation in the text
    end: int
    title: str = ""             # name of a law cited by name
    attached: bool = False      # "(Kèm theo Kế hoạch số ...)": the citing document itself


@lru_cache(maxsize=1)
def _data() -> dict:
    d = lexicon.load(DATA, {"types": (list, ("name", "codes")), "issuers": dict,
                           "issuer_names": list, "abbreviations": dict,
                           "ocr_letter_confusions": dict})
    d["code_type"] = {c.lower(): t["name"] for t in d["types"] for c in t["codes"]}
    d["code_case"] = {c.lower(): c for t in d["types"] for c in t["codes"]}
    d["code_case"].update({k.lower(): k for k in d["issuers"]})
    words = sorted({w for t in d["types"] for w in t.get("words", [t["name"]])}, key=len,
                   reverse=True)
    d["word_type"] = {fold(w): t["name"] for t in d["types"] for w in t.get("words", [t["name"]])}
    d["type_before"] = re.compile(
        rf"(?P<kem>kèm theo\s+)?(?P<w>{'|'.join(map(re.escape, words))})\s*(?:số\s*)?[:.]?\s*$",
        re.I)
    d["issuer_canon"] = {fold(n): n for n in d["issuer_names"]}
    # "của Thủ tướng Chính phủ và Kế hoạch số 131/KH-UBND ...": the next citation.
    d["next_citation"] = re.compile(rf"\s+và\s+(?:{'|'.join(map(re.escape, words))})\b")
    return d


def _canon_code(code: str) -> str:
    m = re.match(r"([A-Za-zĐđ&]+)(\d*)$", code)
    if not m:
        return code
    letters, digits = m.groups()
    known = _data()["code_case"]
    if letters.lower() not in known:    # an OCR misreading of one letter: 'TIr' is 'TTr'
        for i, seen in enumerate(letters):
            for true in _data()["ocr_letter_confusions"].get(seen, ""):
                fixed = letters[:i] + true + letters[i + 1:]
                if fixed.lower() in known:
                    return known[fixed.lower()] + digits
    return known.get(letters.lower(), letters) + digits


def canonical_number(raw: str) -> str:
    """'42- NQ/TW' -> '42-NQ/TW'; '90/QĐ-TTG' -> '90/QĐ-TTg'; '04-Ctr/TU' -> '04-CTr/TU'."""
    s = re.sub(r"\s+", "", raw)
    parts = re.split(r"([/-])", s)
    return "".join(p if p in "/-" or p[:1].isdigit() else _canon_code(p) for p in parts)


def type_from_code(number: str) -> str | None:
    codes = _data()["code_type"]
    for part in re.split(r"[/-]", number)[1:]:
        letters = re.match(r"[A-Za-zĐđ]+", part)
        if letters and letters.group(0).lower() in codes:
            return codes[letters.group(0).lower()]
    return None


def issuer_from_code(number: str) -> str | None:
    issuers = {k.lower(): v for k, v in _data()["issuers"].items()}
    last = re.split(r"[/-]", number)[-1]
    letters = re.match(r"[A-Za-zĐđ]+", last)
    return issuers.get(letters.group(0).lower()) if letters else None


def canonical_issuer(printed: str) -> str:
    """Known issuers in their official spelling; abbreviations inside a name expanded, a
    province or city as it spells itself ('HĐND tỉnh Đăk Nông' -> '... tỉnh Đắk Nông')."""
    d = _data()
    s = squash(printed)
    if fold(s) in d["issuer_canon"]:
        return d["issuer_canon"][fold(s)]
    s = expand_abbreviations(s)
    m = re.search(r"\b(tỉnh|thành phố)\s+(.+)$", s)
    own = official_name(m[1], m[2]) if m else None
    return s[:m.start(2)] + own if own else s


def expand_abbreviations(s: str) -> str:
    """'UBND tỉnh Nghệ An' -> 'Ủy ban nhân dân tỉnh Nghệ An'."""
    for abbr, full in _data()["abbreviations"].items():
        s = re.sub(rf"\b{re.escape(abbr)}\b", full, s)
    return s


def _context(text: str, start: int, end: int) -> tuple[str | None, bool, dt.date | None, str | None]:
    d = _data()
    before = d["type_before"].search(text[max(0, start - 60):start])
    word_type = d["word_type"].get(fold(before["w"])) if before else None
    attached = bool(before and before["kem"])
    after = text[end:end + 240]
    date = None
    m = _DATE_AFTER.match(after)
    if m:
        date = to_date(m["d"], m["m"], m["y"])
        after = after[m.end():]
    iss = _ISSUER.match(after)
    issuer = _issuer_words(iss["iss"]) if iss else ""
    return word_type, attached, date, canonical_issuer(issuer) if issuer else None


def _issuer_words(candidate: str) -> str:
    """Cut a 'của ...' phrase down to the issuer's name.

    A full stop ends it only before a capital or the end: OCR sprinkles stray dots
    inside names ('Chính. phủ'). Then the first verb or preposition ends it.
    """
    parts, pos = [], 0
    for m in re.finditer(r"\.\s*", candidate):
        parts.append(candidate[pos:m.start()])
        pos = m.end()
        following = candidate[pos:pos + 1]
        if not following or not following.islower():
            break
    else:
        parts.append(candidate[pos:])
    name = " ".join(" ".join(parts).split())
    name = name[:_ISSUER_STOP.search(name).start()]
    nxt = _data()["next_citation"].search(name)
    name = name[:nxt.start()] if nxt else name
    return _cut_lowercase_and(name).strip()


def _cut_lowercase_and(name: str) -> str:
    """'Thành ủy và định kỳ báo cáo' -> 'Thành ủy'; 'Bộ Kế hoạch và Đầu tư' stays whole."""
    words = name.split()
    for i, w in enumerate(words[:-1]):
        if w == "và" and i and words[i + 1][:1].islower():
            return " ".join(words[:i])
    while words and words[-1] in ("và", "của", "các"):
        words.pop()
    return " ".join(words)


_LAW = re.compile(rf"(?P<name>(?:Bộ luật|Luật|Hiến pháp)(?:\s+(?!số\s+\d)[^\s\d;,.“”\"()]+){{1,22}}?)"
                  rf"\s+(?:ngày\s+)?{DATE_PATTERN}")


def find_references(text: str) -> list[LegalRef]:
    """Every citation in text, in order of appearance (duplicates kept)."""
    text = text.replace("\n", " ")   # same length: offsets stay valid
    refs = []
    for m in NUMBER.finditer(text):
        number = canonical_number(m.group(0))
        word_type, attached, date, issuer = _context(text, m.start(), m.end())
        refs.append(LegalRef(number, type_from_code(number) or word_type, date,
                             issuer or issuer_from_code(number), m.start(), m.end(),
                             attached=attached))
    for m in _LAW.finditer(text):
        name = squash(m["name"])
        kind = "Bộ luật" if name.startswith("Bộ luật") else name.split()[0]
        if kind == "Hiến":
            kind = "Hiến pháp"
        refs.append(LegalRef("", kind, to_date(m["d"], m["m"], m["y"]), None,
                             m.start(), m.end(), title=name))
    return sorted(refs, key=lambda r: r.start)
