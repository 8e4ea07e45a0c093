"""Ruled tables of scanned pages: ruling lines found with OpenCV, cells filled with the
page's OCR words.

The grid is read from the image: long horizontal and vertical strokes (morphological
opening) give the row and column rules; a rule missing between two neighbouring cells
means a merged cell, kept as None in the covered position, as pdfplumber does for
born-digital pages. A page with tables is read once, with its rules erased and in
sparse-text mode; each word goes to the cell that holds its centre. Only the lone row
numbers that mode misses cost one more, small, Tesseract call per table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from normalizers import roman
from normalizers.text import squash

from pipeline.settings import SETTINGS

from extractors.tables.grid import build_table
from extractors.model import Line
from extractors.tables.model import ROW_NUMBER, Table
from extractors.ocr.crops import otsu, read_stacked

def _rule_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                   31, 15)
    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // 60))))
    # bridge the small gaps a scan leaves in a rule
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horizontal, _meeting(vertical, horizontal)


def _meeting(vertical: np.ndarray, horizontal: np.ndarray) -> np.ndarray:
    """The vertical strokes that meet a horizontal rule. A letter's stem in a large or
    sans font ('h', 'l', 'p' at 13 pt, 250 dpi) is as tall as the shortest rule the
    opening keeps, and erasing it cut 'Nhiệm' to 'N riiệm'; a column rule always runs
    into the rules above and below its cells, a stem stands free in its cell."""
    n, labels = cv2.connectedComponents(vertical)
    if n <= 1:
        return vertical
    touching = np.unique(labels[(horizontal > 0) & (vertical > 0)])
    return np.where(np.isin(labels, touching[touching > 0]), vertical, 0).astype(vertical.dtype)


def _positions(profile: np.ndarray, min_ink: float) -> list[int]:
    """Centres of the runs where a row/column profile of a rule mask is inked enough."""
    inked = profile >= min_ink
    out, start = [], None
    for i, on in enumerate(np.append(inked, False)):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    return out


def _inked(mask: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> bool:
    region = mask[max(0, y0):y1 + 1, max(0, x0):x1 + 1]
    if region.size == 0:
        return False
    along = region.max(axis=0) if region.shape[1] >= region.shape[0] else region.max(axis=1)
    return float((along > 0).mean()) >= SETTINGS.rule_present


def _grid(h_mask, v_mask, box) -> tuple[list[int], list[int]]:
    x, y, w, h = box
    ys = _positions((h_mask[y:y + h, x:x + w] > 0).sum(axis=1), 0.2 * w)
    xs = _positions((v_mask[y:y + h, x:x + w] > 0).sum(axis=0), 0.3 * h)
    return [y + v for v in ys], [x + v for v in xs]


@dataclass
class Rules:
    """The ruling lines of a page image and the boxes (x, y, w, h pixels) of its tables."""
    horizontal: np.ndarray
    vertical: np.ndarray
    boxes: list[tuple[int, int, int, int]]

    def erase(self, image: Image.Image) -> Image.Image:
        """The page without its rules: OCR then reads cells without '|' and clipped
        letters, and sparse-text mode finds every cell's words."""
        gray = np.asarray(image.convert("L")).copy()
        gray[(self.horizontal > 0) | (self.vertical > 0)] = 255
        return Image.fromarray(gray)


def _table_boxes(h_mask: np.ndarray, v_mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    H, W = h_mask.shape
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(h_mask, v_mask))
    return sorted((tuple(int(v) for v in stats[i][:4]) for i in range(1, n)
                   if stats[i][2] >= SETTINGS.min_table_side * W and stats[i][3] >= SETTINGS.min_table_side * H),
                  key=lambda b: b[1])


def find_rules(image: Image.Image) -> Rules | None:
    """Rules and table boxes, or None for a page without a ruled table. A quarter-size
    look decides first, so pages of prose pay ~10 ms."""
    gray = np.asarray(image.convert("L"))
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if not _table_boxes(*_rule_masks(small)):
        return None
    h_mask, v_mask = _rule_masks(gray)
    boxes = _table_boxes(h_mask, v_mask)
    return Rules(h_mask, v_mask, boxes) if boxes else None


def image_tables(rules: Rules, erased: Image.Image, dpi: int, lines: list[Line],
                 number: int, lang: str) -> list[Table]:
    """Ruled tables of a page image (rules erased) whose OCR words are `lines`."""
    scale = 72.0 / dpi
    tables = []
    for box in rules.boxes:
        ys, xs = _grid(rules.horizontal, rules.vertical, box)
        if len(ys) < 3 or len(xs) < 3:
            continue
        row_boxes = [(round(xs[0] * scale, 1), round(ys[i] * scale, 1), round(xs[-1] * scale, 1),
                      round(ys[i + 1] * scale, 1)) for i in range(len(ys) - 1)]
        table = build_table(number, _cells(ys, xs, rules.horizontal, rules.vertical, scale),
                            lines, row_boxes, clean=clean_cell)
        _read_empty_first_cells(table, erased, ys, xs, lang)
        mend_roman_numbers(table)
        mend_quarter_numerals(table)
        tables.append(table)
    return tables


def _read_empty_first_cells(table: Table, erased: Image.Image, ys, xs, lang: str) -> None:
    """Row numbers ('4', '11') stand alone in narrow cells, where sparse-text OCR of the
    page misses or misreads them ('TÔI'); the first-column cells that hold no row number
    are cropped, cleaned, stacked and read again in one Tesseract call, and a reading
    that is a row number replaces what was there."""
    empty = [i for i, row in enumerate(table.rows) if row and row[0] is not None
             and not ROW_NUMBER.match(row[0])]
    if not empty:
        return
    gray = np.asarray(erased)
    crops = []
    for i in empty:
        crop = gray[ys[i] + 4: ys[i + 1] - 3, xs[0] + 4: xs[1] - 3]
        if crop.size == 0:
            return
        crops.append(cv2.medianBlur(otsu(crop), 3))
    for i, (text, _) in zip(empty, read_stacked(crops, lang)):
        if ROW_NUMBER.match(text):
            table.rows[i][0] = text


def mend_roman_numbers(table: Table) -> None:
    """First-column cells of a table numbered in Roman numerals that OCR read as look-
    alikes ("H", "IH", "li" for II, III, II) become the numerals; a table with no true
    numeral of two letters or more is left as it is (its "H" may be a letter)."""
    firsts = [row[0] for row in table.rows if row and row[0]]
    if not any(roman.NUMERAL.fullmatch(c.rstrip(".)")) and len(c.rstrip(".)")) > 1 for c in firsts):
        return
    for row in table.rows:
        cell = (row[0] or "").rstrip(".)") if row else ""
        if (cell and not cell.isdigit() and not roman.NUMERAL.fullmatch(cell)
                and roman.LOOKALIKE.fullmatch(cell)):
            row[0] = roman.from_strokes(cell) or row[0]


_GLUED_SPECK = re.compile(r"(?<=[^\W\d_])[:;·](?=[^\W\d_])")   # "tiến:độ": a speck
_QUARTER = re.compile(r"\b(Quý|QUÝ|quý)\s+([IVXlLH1]{1,4})(?=\s*[/⁄\-–]|\s+(?:năm|NĂM)\b)")


def mend_quarter_numerals(table: Table) -> None:
    """In a table that writes quarters in Roman numerals ("Quý IV/2025"), OCR's "1" for
    "I" is mended ("Quý 1/2025" -> "Quý I/2025"), in every column: a plan keeps one
    convention, and a start column of "Quý I" and "Quý II" alone has no letter left to
    show it. "Quý 11/2026" is II wherever it stands: there is no eleventh quarter. A
    table of Arabic quarters ("Quý 1/2025" beside "Quý 3/2025") is left alone."""
    cells = [(row, j) for row in table.rows for j, c in enumerate(row) if c]
    numerals = [m[2] for row, j in cells for m in _QUARTER.finditer(row[j])]
    # "IV", "I1" half read, "11": Roman; "2", "3", "4": Arabic; a lone "1" is either
    romans = sum(1 for n in numerals if n not in ("1", "2", "3", "4"))
    all_roman = romans > 0 and romans >= sum(1 for n in numerals if n in ("2", "3", "4"))
    for row, j in cells:
        row[j] = _QUARTER.sub(lambda m: _roman_quarter(m, all_roman), row[j])


def _roman_quarter(m: re.Match, all_roman: bool) -> str:
    if not all_roman and not re.fullmatch(r"1{2,3}", m[2]):
        return m[0]
    mended = roman.from_strokes(m[2])
    return f"{m[1]} {mended}" if mended else m[0]


_NOISE_TOKEN = re.compile(r"^[^\w%+\-–]+$")          # "~", "^", ".", "|" alone
_LABEL_SPECK = re.compile(r"\b(Năm|năm|NĂM|Quý|quý|Tháng|tháng)\s+[-–.,'`]\s+(?=\d)")  # "Năm - 2026"
_PADDED_NUMBER = re.compile(r"^[.:;,'`]*\s*(?P<n>\d[\d.,]*\d|\d)(?P<pct>%?)\s*[.:;,'`]*$")


def clean_cell(text: str) -> str:
    """OCR specks in a cell: lone symbols dropped, but a lone ";" or "," after a word is
    its punctuation, read apart ("quan ;" -> "quan;"); a colon glued between two words
    is a speck ("tiến:độ"), and so is a dash between a period's word and its number
    ("Năm - 2026"); stray dots and colons around a bare number removed
    ("448.046." -> "448.046", ". 478" -> "478")."""
    kept: list[str] = []
    for t in text.replace("⁄", "/").split():     # OCR's fraction slash in "I1⁄2026"
        if t in (";", ",") and kept and kept[-1][-1:].isalpha():
            kept[-1] += t
        elif not _NOISE_TOKEN.match(t):
            kept.append(t)
    cell = _LABEL_SPECK.sub(r"\1 ", _GLUED_SPECK.sub(" ", squash(" ".join(kept))))
    m = _PADDED_NUMBER.match(cell)
    return m["n"] + m["pct"] if m else cell


def _cells(ys, xs, h_mask, v_mask, scale) -> list[list[tuple | None]]:
    """Each cell's box in points from the grid of rules, None where a merged cell covers
    the position: a rule missing between two neighbours merges them."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # owner[i][j]: the top-left cell of the merged cell covering (i, j)
    owner = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    for i in range(n_rows):
        for j in range(n_cols):
            if j > 0 and not _inked(v_mask, ys[i] + 4, ys[i + 1] - 4, xs[j] - 3, xs[j] + 3):
                owner[i][j] = owner[i][j - 1]
            elif i > 0 and not _inked(h_mask, ys[i] - 3, ys[i] + 3, xs[j] + 4, xs[j + 1] - 4):
                owner[i][j] = owner[i - 1][j]
    ends: dict[tuple[int, int], tuple[int, int]] = {}     # owner -> its last row, column
    for i in range(n_rows):
        for j in range(n_cols):
            o = owner[i][j]
            ends[o] = (max(ends.get(o, o)[0], i), max(ends.get(o, o)[1], j))
    pt = lambda v: round(v * scale, 1)  # noqa: E731
    return [[(pt(xs[j]), pt(ys[i]), pt(xs[ends[(i, j)][1] + 1]), pt(ys[ends[(i, j)][0] + 1]))
             if owner[i][j] == (i, j) else None for j in range(n_cols)] for i in range(n_rows)]
