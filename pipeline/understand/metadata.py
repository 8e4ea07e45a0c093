"""Document metadata from the header and signature blocks.

số hiệu, loại văn bản, cơ quan ban hành, địa danh, ngày ban hành, trích yếu,
người ký and chức vụ. Every pattern is matched on an accent-folded copy of the text
(same length, so offsets carry over), which lets OCR output without diacritics
still be read; values are cut from the original text.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.model import Document, Line
from normalizers import lexicon
from normalizers.agency_registry import admin_units
from normalizers.dates import to_date
from normalizers.legal_refs import NUMBER, canonical_number, expand_abbreviations, type_from_code
from normalizers.admin_units import official_name, province_in, province_key
from normalizers.text import fold, squash

from pipeline.settings import SETTINGS
from pipeline.understand.paragraphs import Paragraph, document_paragraphs

DATA = Path(__file__).with_name("data") / "document_header.yaml"
MAX_ISSUER_WORDS = 16       # "Ủy ban nhân dân thành phố ..." and the like are a few words


@dataclass
class Metadata:
    doc_number: str = ""
    doc_type: str = ""
    issuer: str = ""
    place: str = ""
    issue_date: dt.date | None = None
    issue_date_precision: str = ""      # day, month or year: what the date line gives
    header_flags: str = ""   # number_/day_ blank, illegible, handwritten; month_blank; ";"-joined
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    province: str = ""      # the (pre-2025) province the issuer belongs to


@lru_cache(maxsize=1)
def _lex() -> dict:
    d = lexicon.load(DATA, {"doc_types": list, "organisations": list, "central_cities": list,
                           "motto": list, "signature_prefixes": list, "signer_titles": list,
                           "body_starts": list})
    d["type_by_key"] = {fold(t): t for t in d["doc_types"]}
    d["orgs"] = sorted(d["organisations"], key=len, reverse=True)
    d["titles"] = {fold(t): t for t in d["signer_titles"]}
    return d


def fold_same_length(s: str) -> str:
    """Accent-folded, lower-case copy of s with the same length (offsets carry over)."""
    return "".join(fold(c)[:1] if fold(c) else c for c in s)


# The document's own number: "Số:" (a colon or dot after it; OCR reads "S6:", "Sô.") or
# "Số" opening a line, then the number. A number the text cites ("Nghị quyết số
# 76/NQ-CP") has neither. OCR reads the colon as "z" too ("Sốz220†/BC-UBND").
_NUMBER_LINE = re.compile(r"(?:\bs[o0-9]\s*[:.z]|^\s*s[o0-9]\s+(?=\d))\s*")
# "Số:      /KH-UBND": a plan signed before its number was written in (left blank).
_UNNUMBERED = re.compile(r"\s*/\s*[A-Z]")
# "Số: A3 /KH-UBND", "Số: ‹§/2019/NQ-HĐND": a number written by hand that OCR could not
# read: a short smudge, then the code's slash, doubled at times ("322//QĐ-UBND" for 3021).
_ILLEGIBLE = re.compile(r"\s*[^\s/]{1,4}\s*/+\s*(?:\d{4}\s*/\s*)?[A-ZĐ]")
# "Số: 05, /2019/NQ-HDND": a speck beside a number written by hand, read as a point
_SPECKED = re.compile(r"(?<=\d)[,.']\s*(?=/)")
# "ngày⁄Ôtháng 4": a smudged day may touch its words
_PLACE_DATE = re.compile(r"(?P<place>[a-z][a-z ]{1,40}?)\s*,\s*ngay\s*"
                         r"(?:(?P<d>\d{1,2})\b|(?P<bad_d>\S{1,4}))?\s*thang\s*"
                         r"(?P<m>\d{1,2})?\s*nam\s*(?P<y>\d{4})")


def _doc_number(lines: list[Line]) -> tuple[str, int, str]:
    """The number after the "Số:" label, its line, and a flag: "number_blank" for a
    number left blank, "number_illegible" for one written by hand that OCR could not
    read, the label lost with it ("OS /CT-UBND Đắk Nông, ngày ...": the code and the
    place and date beside it tell the line), "number_handwritten" for one read from
    pen ink (right on two real scans of four, the others illegible: worth a look).
    Never a number the text cites."""
    for i, line in enumerate(lines):
        text = line.text
        for m in _NUMBER_LINE.finditer(fold_same_length(text)):
            n = NUMBER.match(text[:m.end()] + _SPECKED.sub("", text[m.end():], count=1), m.end())
            if n:
                return canonical_number(n.group(0)), i, (
                    "number_handwritten" if _in_pen(line, n.start(), n.end()) else "")
            if _UNNUMBERED.match(text, m.end()):
                return "", i, "number_blank"
            if _ILLEGIBLE.match(text, m.end()):
                return "", i, "number_illegible"
    for i, line in enumerate(lines):
        if not _PLACE_DATE.search(fold_same_length(line.text)):
            continue
        n = NUMBER.match(line.text)
        if n:
            return canonical_number(n.group(0)), i, (
                "number_handwritten" if _in_pen(line, n.start(), n.end()) else "")
        if _ILLEGIBLE.match(line.text):
            return "", i, "number_illegible"
    return "", -1, ""


def _in_pen(line: Line, start: int, end: int) -> bool:
    """Whether a word of line.text[start:end] was written in pen (extractors/ocr/page.py)."""
    pos = 0
    for word in line.words:
        if word.pen and pos < end and start < pos + len(word.text):
            return True
        pos += len(word.text) + 1
    return False


def _place_date(lines: list[Line], number_flag: str = "") -> tuple[str, dt.date | None, str, str]:
    """Place, date, the date's precision, and flags for a day (or month) left blank,
    written by hand and illegible, or written by hand at all: OCR reads handwriting as
    other figures with confidence (on five real scans, not one handwritten day was read
    right: '19' as '2', '21' as '4'). A day is taken as handwritten where it is in pen, or
    where the number beside it is (the clerk writes both when the document is
    registered), so its date stays at month precision."""
    for line in lines:
        m = _PLACE_DATE.search(fold_same_length(line.text))
        if m:
            words = line.text[m.start("place"):m.end("place")].split()
            while words and re.fullmatch(r"[A-Z0-9Đ/:.-]{2,}", words[0]):
                words.pop(0)   # codes such as UBND left of the place on a merged OCR line
            by_hand = number_flag in ("number_illegible", "number_handwritten") or (
                bool(m["d"]) and _in_pen(line, m.start("d"), m.end("d")))
            day_flag = ("day_illegible" if m["bad_d"] else "day_blank" if not m["d"]
                        else "day_handwritten" if by_hand else "")
            flags = [day_flag, "" if m["m"] else "month_blank"]
            return (" ".join(words), *_dated("" if day_flag else m["d"], m["m"], m["y"]),
                    ";".join(f for f in flags if f))
    return "", None, "", ""


def _dated(day: str, month: str | None, year: str) -> tuple[dt.date | None, str]:
    """The date and its precision: a plan signed before the day (or the month) was
    written in ("ngày      tháng 01 năm 2026"), or whose day was written by hand, is
    dated to the first of its month (or year), at month (or year) precision, never to a
    day it does not give."""
    if day and month:
        date = to_date(day, month, year)
        return date, "day" if date else ""
    if month:
        date = to_date(1, month, year)
        return date, "month" if date else ""
    return to_date(1, 1, year), "year"


def _strip_motto(line: str) -> str:
    folded = fold_same_length(line)
    for motto in _lex()["motto"]:
        key = fold(motto)
        pattern = r"\s*".join(re.escape(w) if w != "-" else "-?" for w in key.split())
        m = re.search(pattern, folded)
        if m:
            return (line[:m.start()] + line[m.end():]).strip()
    # OCR-garbled motto: "Déc 1ap - Tw do - Hanh phuc"
    m = re.search(r"\S+\s+\S+\s*-\s*\S+\s+\S+\s*-\s*h\S*nh\s+ph\S*c", folded)
    return (line[:m.start()] + line[m.end():]).strip() if m else line.strip()


def proper_case(s: str) -> str:
    """'HÀ NỘI' -> 'Hà Nội': every syllable capitalised (names of places)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def field_case(s: str) -> str:
    """'LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' -> 'Lao động - Thương binh và Xã hội': each
    field of an agency's name starts with a capital (after '-', ',' and 'và')."""
    out, capital = [], True
    for w in s.lower().split():
        out.append(w[:1].upper() + w[1:] if capital and w != "và" else w)
        capital = w in ("-", "–", "và") or w.endswith(",")
    return " ".join(out)


def _split_org(raw: str) -> tuple[str, str]:
    """('Ủy ban nhân dân', 'THÀNH PHỐ HÀ NỘI') from a header line; ('', raw) if no org word."""
    key = fold(raw)
    for org in _lex()["orgs"]:
        if key.startswith(fold(org)) and (len(key) == len(fold(org)) or key[len(fold(org))] == " "):
            return org, raw[len(org):].strip(" -,")
    return "", raw


def _place_part(rest: str) -> str:
    """'TỈNH ĐĂK NÔNG' -> 'tỉnh Đắk Nông', 'HUYỆN KRÔNG NÓ' -> 'huyện Krông Nô': a
    province or a (pre-2025) district as it spells itself."""
    for level in admin_units():
        if fold(rest).startswith(fold(level) + " "):
            name = proper_case(rest[len(level):])
            return f"{level} {official_name(level, name) or name}"
    return ""


def issuer_name(raw: str) -> str:
    """'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI' -> 'Ủy ban nhân dân thành phố Hà Nội'."""
    raw = squash(expand_abbreviations(squash(raw)))
    org, rest = _split_org(raw)
    if not org:
        return raw
    place = _place_part(rest)
    if place:
        return f"{org} {place}"
    return f"{org} {field_case(rest) if rest.isupper() else rest}".strip()


def _without_symbols(line: str) -> str:
    """The line less the symbols OCR makes of a table rule or a speck beside the issuer
    ("... Hạnh phúc |", "ỦY BAN NHÂN DÂN ˆ"): no issuer's name holds one; nor a lone
    small letter among capitals ("HỘI ĐỒNG NHÂN DÂN r", the real Đắk Nông HĐND scan)."""
    words = "".join(" " if unicodedata.category(c) in ("Sm", "Sk", "So", "Lm") else c
                    for c in line).split()
    if sum(w.isupper() for w in words) >= 2:
        words = [w for w in words if not (len(w) == 1 and w.islower())]
    return " ".join(words)


def _header_issuer(lines: list[str], number_line: int) -> str:
    """The issuer block left of the motto. Two levels ('UBND TỈNH NGHỆ AN' over 'SỞ Y TẾ')
    give the lower body with the upper one's jurisdiction: 'Sở Y tế tỉnh Nghệ An'."""
    stop = number_line if number_line > 0 else len(lines)
    groups: list[str] = []
    for line in lines[:stop]:
        line = squash(expand_abbreviations(_without_symbols(_strip_motto(line))))
        if not line or set(line) <= set("-_=. "):
            continue
        if fold(line).startswith("so") and re.search(r"\d", line):
            break
        if _split_org(line)[0] or not groups:
            groups.append(line)
        else:
            groups[-1] += " " + line
    if not groups:
        return ""
    issuer = issuer_name(groups[-1])
    if len(groups) > 1:
        place = _place_part(_split_org(groups[0])[1])
        if place and not _place_part(_split_org(groups[-1])[1]):
            issuer = f"{issuer} {place}"
    return issuer


def jurisdiction_name(place: str) -> str:
    if not place:
        return ""
    city = fold(place) in {fold(c) for c in _lex()["central_cities"]}
    return f"{'thành phố' if city else 'tỉnh'} {place}"


# a speck read as a mark between a title's words ("... đến năm 2020 : huyện Đắk R'lấp")
_LONE_MARK = re.compile(r"\s+[:;.,](?=\s|$)")


def _title(paras: list[Paragraph], type_key: str) -> str:
    """The trích yếu: the lines after the document-type line, up to the paragraph's end
    (or the next paragraph when the type line ends its own), never into the body."""
    lex = _lex()
    body = [fold(s) for s in lex["body_starts"]]
    orgs = [fold(o) for o in lex["orgs"]]
    for i, p in enumerate(paras):
        keys = [fold(line.text) for line in p.lines]
        if type_key not in keys:
            continue
        j = keys.index(type_key)
        candidates = p.lines[j + 1:] or (paras[i + 1].lines if i + 1 < len(paras) else [])
        # a title a Word file breaks into paragraphs: "Tăng cường ... ma túy" / "và xây
        # dựng xã, phường ... năm 2026" (the next one goes on in lower case)
        for q in paras[i + 2:] if not p.lines[j + 1:] else []:
            if not q.text[:1].islower():
                break
            candidates = candidates + q.lines
        lines: list[str] = []
        for line in candidates:
            key = fold(line.text)
            if lines and (any(key.startswith(b) for b in body)
                          or line.text.isupper() and any(key.startswith(o) for o in orgs)):
                break
            lines.append(line.text)
        return _LONE_MARK.sub("", squash(" ".join(lines)))
    return ""


def _title_at_end(key: str) -> str:
    titles = _lex()["titles"]
    for t in sorted(titles, key=len, reverse=True):
        if key == t or key.endswith(" " + t):
            return titles[t]
    return ""


def _signature(paras: list[Paragraph]) -> tuple[str, str]:
    """(signer, signer_title) from the last 'TM./KT./TL.' block of the document."""
    lex = _lex()
    prefixes = "|".join(re.escape(fold(p)) for p in lex["signature_prefixes"])
    heads = "|".join(re.escape(fold(x)) for x in [*lex["signer_titles"], *lex["organisations"]])
    authority = re.compile(rf"(?:^|\s)(?:{prefixes})\s*(?P<rest>(?:{heads})\b.*)$")
    lines = [line.text.strip() for p in paras for line in p.lines]
    start = None
    for i, line in enumerate(lines):
        if authority.search(fold(line)):
            start = i
    if start is None:
        return "", ""
    title = _title_at_end(authority.search(fold(lines[start]))["rest"])
    for line in lines[start + 1:start + 8]:
        found = _title_at_end(fold(line))
        if found:
            title = found
            continue
        words = line.split()
        if title and 2 <= len(words) <= 5 and all(w[:1].isupper() and not w.isupper()
                                                  for w in words) and not re.search(r"\d", line):
            return line, title
    return "", title


def extract_metadata(doc: Document) -> Metadata:
    paras = document_paragraphs(doc)
    head_lines = [line for p in paras[:SETTINGS.header_paragraphs] for line in p.lines]
    head = [line.text for line in head_lines]
    meta = Metadata()
    meta.doc_number, number_line, number_flag = _doc_number(head_lines)
    meta.place, meta.issue_date, meta.issue_date_precision, day_flag = _place_date(
        head_lines, number_flag)
    meta.header_flags = ";".join(f for f in (number_flag, day_flag) if f)
    types = _lex()["type_by_key"]
    key = next((fold(line) for line in head if fold(line) in types), "")
    if key:
        meta.doc_type = types[key]
        meta.title = _title(paras, key)
    if not meta.doc_type and meta.doc_number:
        meta.doc_type = type_from_code(meta.doc_number) or ""
    meta.signer, meta.signer_title = _signature(paras)
    meta.issuer = _header_issuer(head, number_line)
    if len(meta.issuer.split()) > MAX_ISSUER_WORDS:   # no header block: that was body text
        meta.issuer = ""
    if not meta.issuer:
        meta.issuer = _issuer_from_signature(paras, meta.place)
    meta.province = _province(meta.issuer, doc.text)
    return meta


def _province(issuer: str, text: str) -> str:
    """The issuer's own province ("... thành phố Hà Nội"), else the one the text names
    most often (a ward's plan cites its city's)."""
    m = re.search(r"(?:thành phố|tỉnh)\s+(?P<name>[A-ZĐÀ-Ỹ].*)$", issuer)
    if m and province_key(m["name"]):
        return m["name"]
    return province_in(text) or ""


def _issuer_from_signature(paras: list[Paragraph], place: str) -> str:
    """'TM. ỦY BAN NHÂN DÂN' + 'Hà Nội' -> 'Ủy ban nhân dân thành phố Hà Nội'."""
    for p in reversed(paras):
        for line in p.lines:
            m = re.match(r"(?:TM|T/M)\.?\s+(.+)$", line.text.strip())
            if m:
                org = issuer_name(m.group(1))
                return f"{org} {jurisdiction_name(place)}".strip()
    return ""
