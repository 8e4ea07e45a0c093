"""Indicator tables of plain-text pages: the rows an OCR engine flattened into lines.

Text without geometry still shows a table's rows: a number, the name, a unit and one
value per year of the header, then the responsible unit ("1 | Tỷ lệ ... % 55 70 | Công
chức ... chủ trì,"). A name that wrapped sits on lines above (a capital starts it) and
below (lower case) its numbered line, as a vertically centred cell prints. The
responsible-unit column is a merged cell: its statement ("X chủ trì, cùng Y ... liên
quan.") goes to the rows nearest it in their group and is kept as a span (None cells
below its first row). The result is the Table of ruled tables, read by the same code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from normalizers import lexicon, roman
from normalizers.restorer.restore import ModelMissing, default_restorer
from normalizers.restorer.vietnamese import decompose
from normalizers.text import YEAR, fold, squash

from pipeline.settings import SETTINGS

from extractors.model import Page
from extractors.tables.model import Table

DATA = Path(__file__).parent / "data" / "text_tables.yaml"
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)(?:\s*[|.)]\s*|\s+)(.*)$")  # 6, 6.1
_PIPE_AFTER_NUMBER = re.compile(r"^\d{1,2}\s*\|")
_ROMAN_HEADING = re.compile(r"^([IVXÌ][IVXÌl1]{0,4})\s*[|.]?\s+(\S.*)$")
_LOST_NUMERAL_HEADING = re.compile(r"^\|[\s|]*(\S.*)$")
_VALUE = re.compile(r"^(?:[<>≤≥]=?)?\d+(?:[.,]\d+)?%?$")
_COMPARATOR = re.compile(r"^(?:[<>≤≥]=?)$")
_LONE_NUMERAL = re.compile(r"[IVX]{1,4}|[ivx]")
_SPECKS = re.compile(r"[\\_{}\[\]|~]")       # "C\ong", "Ch_u trì": strokes OCR added


@cache
def _rules() -> dict:
    rules = lexicon.load(DATA, {"empty_values": list, "unit_column_openers": list,
                                  "unit_column_heads": list, "lead_marker": str,
                                  "partner_markers": list, "unit_words": dict,
                                  "name_openings": list, "statement_closer": list})
    rules["opener_words"] = [o.split() for o in rules["unit_column_openers"]]
    rules["opener_heads"] = ({o.split()[0] for o in rules["unit_column_openers"]}
                             | {fold(h).split()[0] for h in rules["unit_column_heads"]})
    rules["name_opening"] = [(re.compile(rx, re.I), text) for rx, text in rules["name_openings"]]
    return rules


@dataclass
class _Row:
    line: int
    number: str
    unit: str
    values: list[str]
    group: int
    name: list[str] = field(default_factory=list)
    joins: list[int] = field(default_factory=list)   # where a line's piece of the name starts

    def extend(self, words: list[str], front: bool = False) -> None:
        """Add a wrapped piece of the name, before or after what it has."""
        if not words:
            return
        if front:
            shift = len(words)
            self.joins = [shift] * bool(self.name) + [j + shift for j in self.joins]
            self.name = words + self.name
        else:
            self.joins += [len(self.name)] * bool(self.name)
            self.name += words


@dataclass
class _Statement:
    """Text of the responsible-unit column, from the line it starts on to where it ends."""
    first: int
    last: int
    group: int
    words: list[str] = field(default_factory=list)


def _tokens(text: str) -> list[str]:
    """Words of a line without cell bars, a lone comparator joined to its number."""
    out: list[str] = []
    for tok in text.replace("|", " ").split():
        if out and _COMPARATOR.match(out[-1]) and _VALUE.match(tok):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _is_value(tok: str) -> bool:
    return bool(_VALUE.match(tok)) or tok in _rules()["empty_values"]


def _is_unit(tok: str) -> bool:
    """A unit cell: a listed unit word, anything with % or a slash, or a short
    capitalised word (an OCR-garbled "Năm" is still the unit column)."""
    f = fold(tok).strip(".")
    return ("%" in tok or "/" in tok or f in _rules()["unit_words"].values()
            or (tok.isalpha() and tok[:1].isupper() and tok[1:].islower() and len(tok) <= 5))


def _is_debris(tok: str) -> bool:
    """No lower-case letter, and a symbol no unit prints: "ZA)", "1+,"."""
    return (not any(c.islower() for c in tok)
            and any(not c.isalnum() and c not in "%/" for c in tok))


def _unit_word(tok: str) -> str:
    """The unit a unit cell spells, an OCR-garbled word read as the closest unit word
    ("Tubi" -> "Tuổi"); symbols and compound units as printed."""
    if not tok.isalpha():
        return tok
    best = process.extractOne(fold(tok), _rules()["unit_words"], scorer=fuzz.ratio)
    return best[2] if best and best[1] >= SETTINGS.unit_match else tok.lower()


def _value_run(tokens: list[str], n: int) -> int | None:
    """Where the n value cells start: the first run of n values right after a unit,
    else the first with a number among them."""
    runs = [i for i in range(len(tokens) - n + 1) if all(_is_value(t) for t in tokens[i:i + n])]
    after_unit = [i for i in runs if i > 0 and _is_unit(tokens[i - 1])]
    numeric = [i for i in runs if any(_VALUE.match(t) for t in tokens[i:i + n])]
    return (after_unit or numeric or [None])[0]


def _unit_column_start(tokens: list[str]) -> int:
    """Index of the first word of the responsible-unit column on a line (len if none)."""
    rules = _rules()
    folded = [_bare(t) for t in tokens]     # "C\ong", "Ch_u"
    lead = rules["lead_marker"].split()
    for i in range(len(tokens)):
        if folded[i:i + len(lead)] == lead:     # "Công chuế Văn hoá - Xã hội chủ trì"
            return next((j for j in range(i - 1, -1, -1) if tokens[j][:1].isupper()
                         and folded[j] in rules["opener_heads"]), i)
        if any(folded[i:i + len(o)] == o for o in rules["opener_words"]):
            return i
        if i > 0 and any(" ".join(tokens[i:i + len(h.split())]) == h
                         for h in rules["unit_column_heads"]):
            return i
    return len(tokens)


def _statement_tail(words: list[str], tokens: list[str]) -> int:
    """How many of a line's last tokens finish the closing words of the open
    responsible-unit statement, begun at its last fragment's end ("... và đơn" / "vị
    liên quan"; matched loosely: OCR); 0 where they do not."""
    closer = _rules()["statement_closer"]
    for j in range(len(closer) - 1, 0, -1):
        if [fold(w).strip(".,") for w in words[-j:]] != closer[:j]:
            continue
        rest = closer[j:]
        ends = tokens[-len(rest):]
        if len(ends) == len(rest) and all(fuzz.ratio(fold(t).strip(".,"), r) >= 75
                                          for t, r in zip(ends, rest)):
            return len(rest)
        return 0
    return 0


def _year_labels(lines: list[str], first_row: int) -> tuple[int, list[str]]:
    """Where a header above first_row ends (the line after its last year) and the
    labels of its year columns, in year order."""
    start = next((i for i in range(first_row - 1, max(first_row - SETTINGS.header_lines, -1), -1)
                  if "chi tieu" in fold(lines[i])), None)
    if start is None:
        return first_row, []
    labels: dict[int, str] = {}
    end = first_row
    for i in range(start, first_row):
        for cell in lines[i].split("|"):
            for y in YEAR.findall(cell):
                labels.setdefault(int(y), squash(cell))
                end = i + 1
    return end, [labels[y] for y in sorted(labels)]


def _opening(words: list[str]) -> tuple[int, str] | None:
    """(words it takes, its text) of the common name opening the words start with, as
    printed or garbled by OCR ("Til¢", "Ti 1€" for "Tỉ lệ")."""
    for n in (2, 1):
        head = " ".join(words[:n])
        for rx, text in _rules()["name_opening"]:
            if rx.fullmatch(head):
                return n, text
    return None


def _name_opening(words: list[str]) -> list[str]:
    """A name's first words as printed, or mended where OCR garbled a common opening."""
    found = _opening(words)
    if found and fold(" ".join(words[:found[0]])).replace("y", "i") != fold(found[1]):
        return found[1].split() + words[found[0]:]
    return words


def _mend_joins(words: list[str], joins: list[int]) -> list[str]:
    """A name wrapped over lines, its words beside each wrap (two either side) re-read
    in the joined name: restored line by line, each piece had lost its neighbours
    ('khả năng lao' / 'đồng có việc làm' -> 'lao động')."""
    doubtful = [any(j - 2 <= k < j + 2 for j in joins) for k in range(len(words))]
    if not any(doubtful):
        return words
    try:
        return default_restorer().mend_marks(words, doubtful, "rewrap")
    except ModelMissing:
        return words


def _without_strays(words: list[str]) -> list[str]:
    """A name mostly in lower case less its words in capitals with a tone mark ("ĐÃ"
    from "DA"): another cell's debris, not abbreviations (those carry no tone: "BHXH",
    "LLLĐ")."""
    if sum(w.islower() for w in words) <= len(words) / 2:
        return words
    return [w for w in words
            if not (w.isupper() and len(w) > 1 and decompose(w.lower())[2] != 0)]


def _without_specks(words: list[str], joins: list[int]) -> tuple[list[str], list[int]]:
    """The name's words without OCR specks (lone capitals or symbols), and where its
    wraps fall among the words kept."""
    keep = [len(w) > 1 or w.isdigit() or (w.isalpha() and w.islower()) for w in words]
    return ([w for w, k in zip(words, keep) if k],
            sorted({sum(keep[:j]) for j in joins} - {0, sum(keep)}))


def _clean_name(words: list[str]) -> str:
    """The name as printed, less OCR specks of the cells beside it: lone small letters
    at its end ('... trong độ tuổi ở i': no name ends on a one-letter word), a number
    before its capital ('2 Diện tích'), and short specks before a common opening ('ở NS
    Tỉ lệ')."""
    while len(words) > 1 and len(words[-1]) == 1 and words[-1].islower():
        words = words[:-1]
    while len(words) > 1 and words[0].isdigit() and words[1][:1].isupper():
        words = words[1:]
    lead = next((k for k in range(1, 4) if all(len(w) <= 2 for w in words[:k])
                 and _opening(words[k:])), 0)
    return squash(" ".join(_name_opening(words[lead:]))).strip(" ,;")


_I_TO_Y = str.maketrans("iìíỉĩị", "yỳýỷỹỵ")


def _house_spelling(names: list[str]) -> list[str]:
    """Names opening with a common opening in either of its i/y spellings ('Tỉ lệ',
    'Tỷ lệ') spelled as most of the table's names spell it: the document's own
    convention, where a garbled 'Tl 1€' was read either way."""
    out = list(names)
    for _, text in _rules()["name_opening"]:
        spellings = [text, text.translate(_I_TO_Y)]
        counts = [sum(n.startswith(v) for n in out) for v in spellings]
        if counts[0] == counts[1]:
            continue
        house, other = spellings if counts[0] > counts[1] else spellings[::-1]
        out = [house + n[len(other):] if n.startswith(other) else n for n in out]
    return out


def _row(i: int, line: str, n_values: int, group: int, expected: str = "",
         lead_ins: set[tuple[str, ...]] = frozenset()) -> tuple[_Row, list[str]] | None:
    """A numbered line as a row and the words of its responsible-unit column, or None.
    Without values, a numbered line starts a row when a bar follows its number, or its
    name opens like one ("9 Ti 1€ ho gia dinh": OCR read "2" as "9"), or it carries the
    `expected` number and goes on with a capital ("1 Mutrc d0 | xo0a bo": values in
    words); else it is a wrapped name going on with a number ("5 tuổi ...")."""
    m = _NUMBERED.match(line)
    number, tokens = (m[1], _tokens(m[2])) if m else ("", _tokens(line))
    run = _value_run(tokens, n_values)
    # Unnumbered, a line is a row only with a unit and values (OCR lost "4"); a line of
    # just a unit and values ('% 90 100') holds the values of the name wrapped around it.
    if not m and not (run and _is_unit(tokens[run - 1]) and (line[:1].isupper() or run == 1)):
        return None
    if run is None:
        if tokens and _is_unit(tokens[-1]) and tokens[0][:1].isupper() and len(tokens) > 2:
            # a parent row: name and unit, its values on the sub-rows below (6 -> 6.1, 6.2)
            return _Row(i, number, _unit_word(tokens[-1]), [""] * n_values, group,
                        tokens[:-1]), []
        if not (_PIPE_AFTER_NUMBER.match(line) or (m and _opening(tokens))
                or (m and number == expected and tokens and tokens[0][:1].isupper())):
            return None
        cut = _before_lead_in(tokens, _unit_column_start(tokens), lead_ins)
        unit = next((j for j in range(1, cut) if tokens[j].startswith("%")), cut)
        # a percent unit cell ends the name, its values unreadable ('%%/năm 064457' i')
        return (_Row(i, number, _unit_word(tokens[unit]) if unit < cut else "", [""] * n_values,
                     group, tokens[:unit]), tokens[cut:])
    unit = _unit_word(tokens[run - 1]) if run > 0 and _is_unit(tokens[run - 1]) else ""
    # a unit cell OCR made debris of ("ZA)" for "%") is no part of the name either
    name = tokens[:run - 1] if unit or (run > 0 and _is_debris(tokens[run - 1])) else tokens[:run]
    values = ["" if t in _rules()["empty_values"] else t for t in tokens[run:run + n_values]]
    return _Row(i, number, unit, values, group, name), tokens[run + n_values:]


def _heading(line: str) -> tuple[str, str] | None:
    """A group heading line: its numeral ("" when OCR lost it) and text."""
    m = _ROMAN_HEADING.match(line) or _LOST_NUMERAL_HEADING.match(line)
    if not m or _value_run(_tokens(m[m.lastindex]), 1) is not None:
        return None
    numeral = m[1] if m.lastindex == 2 else ""
    text = m[m.lastindex]
    return (numeral, text) if text[:1].isupper() else None


def _mend_numbers(rows: list[_Row]) -> None:
    """A row number out of sequence between two that are in it was misread ("5" between
    "1" and "3" is 2); a lost one follows the row above."""
    for k, row in enumerate(rows):
        if row.number:
            continue
        above, below = rows[k - 1] if k else None, rows[k + 1] if k + 1 < len(rows) else None
        if above and above.group == row.group and above.number.isdigit():
            row.number = str(int(above.number) + 1)
        elif below and below.group == row.group and below.number.isdigit():
            row.number = str(max(int(below.number) - 1, 1))
        else:
            row.number = "1"
    for a, b, c in zip(rows, rows[1:], rows[2:]):
        if a.group == b.group == c.group and a.number.isdigit() and c.number.isdigit():
            if int(c.number) - int(a.number) == 2 and int(b.number) != int(a.number) + 1:
                b.number = str(int(a.number) + 1)


def _statements(fragments: list[tuple[int, int, list[str]]]) -> list[_Statement]:
    """Responsible-unit fragments joined into statements: one ends with a full stop or
    where a new lead opens (a fragment starting with a capital)."""
    out: list[_Statement] = []
    for line, group, words in fragments:
        cur = out[-1] if out else None
        lead = _rules()["lead_marker"]
        new = (cur is None or cur.group != group or cur.words[-1].endswith(".")
               or (words[0][:1].isupper() and (lead in fold(" ".join(cur.words))
                                               or lead in fold(" ".join(words)))))
        if new:
            out.append(_Statement(line, line, group, list(words)))
        else:
            cur.words += words
            cur.last = line
    return out


def _split_statement(words: list[str]) -> tuple[str, str]:
    """'Công chức Văn hóa - Xã hội chủ trì, cùng các tổ dân phố' -> lead, partners."""
    rules = _rules()
    text = squash(_SPECKS.sub("", " ".join(words))).strip(" .")
    folded = fold(text)
    at = folded.find(rules["lead_marker"])
    if at >= 0:
        return text[:at].strip(" ,;"), _partners(text[at + len(rules["lead_marker"]):])
    for marker in rules["partner_markers"]:      # "X phối hợp cùng Y": X leads
        at = (" " + folded + " ").find(" " + marker + " ")
        if at >= 0:
            lead = text[:at].strip(" ,;")
            if not re.search(r"[A-ZĐÀ-Ỹ]\w{2,}", lead):
                lead = ""                            # OCR specks, or the lead is lost
            return lead, _partners(text[at:])
    return text, ""


def _partners(rest: str) -> str:
    """The partner list after its opening words ("phối hợp với", "cùng")."""
    rest = rest.strip(" ,;.")
    opened = True
    while opened:
        opened = False
        for marker in _rules()["partner_markers"]:
            if fold(rest).startswith(marker + " "):
                rest, opened = rest[len(marker):].strip(" ,;"), True
                break
    return rest


def _nearest(row: _Row, statements: list[_Statement]) -> int | None:
    """The statement printed closest to the row, in the row's group."""
    best = None
    for k, s in enumerate(statements):
        if s.group != row.group:
            continue
        d = 0 if s.first <= row.line <= s.last else min(abs(row.line - s.first),
                                                        abs(row.line - s.last))
        if best is None or d < best[0]:
            best = (d, k)
    return best[1] if best else None


def _table(lines: list[str], body: int, labels: list[str], page: int,
           restored: bool = False) -> Table:
    rows, headings, fragments = _read_rows(lines, body, len(labels))
    _mend_numbers(rows)
    for row in rows:
        row.name, row.joins = _without_specks(row.name, row.joins)
        if restored:        # mended, "DA" may read "ĐÃ": a stray word (_without_strays)
            row.name = _without_strays(_mend_joins(row.name, row.joins))
    grid = _grid(rows, headings, _statements(fragments), labels)
    box = (0.0, 0.0, 0.0, 0.0)             # text has no geometry
    return Table(page, box, grid, [box] * len(grid))


def _bare(word: str) -> str:
    return re.sub(r"[\W_]", "", fold(word))


def _lead_ins(lines: list[str], body: int, n: int) -> set[tuple[str, ...]]:
    """Words the table's responsible-unit statements print before an opener ("môi
    trường," before "cùng các", of "Bộ phận địa chính, xây dựng, đô thị và | môi
    trường, cùng các ..."), learnt where the column starts unambiguously: right after a
    row's values. Two words at least, so that no word of a name is taken for them."""
    out = set()
    for i in range(body, len(lines)):
        parsed = _row(i, lines[i].strip(), n, 0)
        words = parsed[1] if parsed else []
        at = _unit_column_start(words)
        if 2 <= at < len(words):
            out.add(tuple(_bare(w) for w in words[:at]))
    return out


def _before_lead_in(tokens: list[str], cut: int, lead_ins: set[tuple[str, ...]]) -> int:
    """The column's start moved back over a lead-in of its statements printed before it."""
    return cut - next((len(w) for w in lead_ins
                       if tuple(_bare(t) for t in tokens[max(cut - len(w), 0):cut]) == w), 0)


def _read_rows(lines: list[str], body: int, n: int):
    """The numbered rows of the table's body with the names wrapped around them, the
    group headings (group -> numeral, text) and the responsible-unit fragments (line,
    group, words) found beside them."""
    rows: list[_Row] = []
    headings: dict[int, tuple[str, str]] = {}     # group -> numeral, text
    fragments: list[tuple[int, int, list[str]]] = []
    pending = _Row(-1, "", "", [], 0)             # lines waiting for their row
    lead_ins = _lead_ins(lines, body, n)
    group = 0
    for i in range(body, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        head = _heading(line)
        if head:
            group += 1
            headings[group] = head
            pending = _Row(-1, "", "", [], group)
            continue
        last = rows[-1] if rows and rows[-1].group == group else None
        expected = str(int(last.number) + 1) if last and last.number.isdigit() else "1"
        parsed = _row(i, line, n, group, expected, lead_ins)
        if parsed:
            row, unit_words = parsed
            if (row.number == "1" and rows and rows[-1].group == group
                    and rows[-1].number != "1" and pending.name):
                group += 1                        # numbering restarts: a lost heading
                headings[group] = ("", squash(" ".join(
                    w for w in pending.name if not _LONE_NUMERAL.fullmatch(w))))
                row.group, pending = group, _Row(-1, "", "", [], group)
            if pending.name and _skips_one(last, row):
                pending.number, pending.values = str(int(last.number) + 1), [""] * n
                rows.append(pending)              # the row between, its number lost
            elif pending.name:
                row.extend(pending.name, front=True)
                row.joins = pending.joins + row.joins
            pending = _Row(-1, "", "", [], group)
            rows.append(row)
            if unit_words:
                fragments.append((i, group, unit_words))
            continue
        tokens = _tokens(line)
        cut = _unit_column_start(tokens)
        if cut == len(tokens) and fragments:
            cut -= _statement_tail(fragments[-1][2], tokens)
        cut = _before_lead_in(tokens, cut, lead_ins)
        name, unit_words = tokens[:cut], tokens[cut:]
        if unit_words:
            fragments.append((i, group, unit_words))
        if not name:
            continue
        if pending.name or name[0][:1].isupper() or not rows:
            if not pending.name:
                pending.line = i
            pending.extend(name)                  # the start of the next row's name
        else:
            rows[-1].extend(name)                 # the rest of the last row's name
    return rows, headings, fragments


def _skips_one(last: _Row | None, row: _Row) -> bool:
    """A numbered row one past the next number (8, then 10) whose own name opens on its
    line: the capitalised name waiting above it is the row between, not its first
    line (OCR lost that row's number, and its values)."""
    return bool(last and last.number.isdigit() and row.number.isdigit()
                and int(row.number) == int(last.number) + 2
                and row.name and row.name[0][:1].isupper())


def _grid(rows: list[_Row], headings: dict[int, tuple[str, str]],
          statements: list[_Statement], labels: list[str]) -> list[list[str | None]]:
    """Header, headings and rows, each row given the statement of the responsible unit
    nearest it (None where the statement of the row above goes on: a merged cell)."""
    n = len(labels)
    header = ["TT", "Chỉ tiêu", "Đơn vị tính", *labels, "Chủ trì", "Phối hợp"]
    grid: list[list[str | None]] = [header]
    numeral = 0
    last_statement: int | None = None
    names = dict(zip(map(id, rows), _house_spelling([_clean_name(r.name) for r in rows])))
    for g in sorted({r.group for r in rows}):
        if g in headings:
            text_numeral, text = headings[g]
            numeral = roman.value(text_numeral) if text_numeral else numeral + 1
            grid.append([roman.to_roman(numeral), text] + [""] * (n + 3))
            last_statement = None
        for r in (r for r in rows if r.group == g):
            k = _nearest(r, statements)
            if k is not None and k == last_statement:
                lead, partners = None, None       # the merged cell goes on
            else:
                lead, partners = (_split_statement(statements[k].words) if k is not None
                                  else ("", ""))
            last_statement = k
            grid.append([r.number, names[id(r)], r.unit, *r.values, lead, partners])
    return grid


def text_tables(page: Page) -> list[Table]:
    """Indicator tables found in a text page's lines (none where no header has years)."""
    lines = [ln.text for ln in page.lines]
    for i, line in enumerate(lines):
        if not _NUMBERED.match(line.strip()):
            continue
        body, labels = _year_labels(lines, i)
        if labels:      # the table runs to the page's end; a next page continues it
            return [_table(lines, body, labels, page.number, page.restored != "none")]
    return []
