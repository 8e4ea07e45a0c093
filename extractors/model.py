"""Plain objects for the per-document intermediate: pages -> lines -> words.

Coordinates are PDF points from the top-left corner of the page (pdfplumber's
convention), whatever the source: OCR pixel boxes are scaled by 72/dpi.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from extractors.tables.model import Table

BBox = tuple[float, float, float, float]


def union(boxes: list[BBox]) -> BBox:
    """The smallest box holding all of boxes (a zero box for none)."""
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class Word:
    text: str
    bbox: BBox
    conf: float | None = None   # OCR confidence 0..100; None for a text layer
    # written in pen (blue ink) over the print: the number and day filled in by hand after
    # signing, which OCR reads as something else with confidence ('19' as '12' at 96)
    pen: bool = False


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox:
        return union([w.bbox for w in self.words])


@dataclass
class Page:
    number: int                 # 1-based
    width: float                # points
    height: float
    kind: str                   # born_digital | scanned | text | docx | xlsx
    lines: list[Line] = field(default_factory=list)
    rotation: int = 0           # degrees the page image was turned before OCR
    skew: float = 0.0           # degrees of deskew applied before OCR
    encoding: str | None = None  # legacy encoding converted from (tcvn3, vni, viscii)
    restored: str = "none"      # diacritics restoration applied: none|stripped|garbled
    restore_confidence: float | None = None
    tables: list[Table] = field(default_factory=list)
    # why a text layer the page had was not read (OCR'd instead): "" when none was dropped
    layer_dropped: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def mean_conf(self) -> float | None:
        confs = [w.conf for line in self.lines for w in line.words if w.conf is not None]
        return sum(confs) / len(confs) if confs else None


@dataclass
class Document:
    source: str                 # path relative to the input folder
    sha256: str
    pages: list[Page] = field(default_factory=list)

    @property
    def kind(self) -> str:
        kinds = {p.kind for p in self.pages}
        if kinds == {"text"}:
            return "text"
        if kinds == {"docx"}:
            return "docx"
        if kinds == {"xlsx"}:
            return "xlsx"
        if kinds == {"born_digital"}:
            return "born_digital"
        if kinds == {"scanned"}:
            return "scanned"
        return "mixed" if kinds else "text"

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    @property
    def restored(self) -> bool:
        return any(p.restored != "none" or p.encoding for p in self.pages)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        pages = [Page(**{**p, "lines": [Line([Word(w["text"], tuple(w["bbox"]), w["conf"],
                                                   w["pen"])
                                              for w in ln["words"]]) for ln in p["lines"]],
                         "tables": [Table(t["page"], tuple(t["bbox"]), t["rows"],
                                          [tuple(b) for b in t["row_bboxes"]],
                                          t.get("cell_conf", []),
                                          [[tuple(b) if b else None for b in r]
                                           for r in t.get("cell_bboxes", [])])
                                    for t in p.get("tables", [])]})
                 for p in d["pages"]]
        return cls(source=d["source"], sha256=d["sha256"], pages=pages)
