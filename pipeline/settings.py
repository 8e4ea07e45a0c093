"""Every tuned threshold of reading and understanding, in one object a user can
override (pdfplumber's TableSettings is the model).

Defaults are what the benchmarks were measured with. Override any of them with a
YAML file of `name: value` (`python -m pipeline extract --settings my.yaml`, or the
VNPLAN_SETTINGS environment variable, which worker processes and Dask workers read);
the settings in force are part of the cache key, so a change is never served stale.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

ENV = "VNPLAN_SETTINGS"


@dataclasses.dataclass
class Settings:
    # text layers (extractors/sources/pdf.py)
    min_text_chars: int = 25        # a text layer with fewer characters is no text layer
    scan_image_share: float = 0.6   # an image over this share of a page makes it a scan
    stamp_share: float = 0.15       # a layer over a scan covering less is a stamp's text
    scan_cover: float = 0.9         # share of the page a scan's image covers
    ocr_dpi: int = 300              # pages that are no scan are rendered at this resolution
    # OCR (extractors/ocr/page.py)
    suspect_conf: float = 65.0      # below this mean word confidence, ask OSD for orientation
    suspect_share: float = 0.25     # ... or when this share of the words is unreadable (below
                                    # unreadable_conf): a table on its side, a heading upright
    doubtful_conf: float = 95.0     # a word below this has its diacritics re-read
    unreadable_conf: float = 60.0   # a word below this is cut out and read again in black and white
    number_conf: float = 90.0       # ... and a word with a digit below this: '13,7' read '137'
    upright_line_conf: float = 80.0  # a page turned for a table on its side keeps the upright
                                    # lines read at least this well (its heading)
    table_pad: int = 12             # pixels of margin around a borderless table read again
    seal_hue: int = 12              # OpenCV hue (0-180) this close to red is a seal's ink ...
    seal_saturation: int = 70       # ... when it is this saturated ...
    seal_value: int = 90            # ... and this bright (text under the seal is darker)
    seal_keep_below: int = 160      # grey level of the text kept under and beside a seal
    pen_hue_min: int = 95           # OpenCV hues of blue pen ink (the number and day written
    pen_hue_max: int = 135          # in by hand after signing) ...
    pen_saturation: int = 80        # ... this saturated
    pen_chroma: int = 30            # ... with this much colour (max - min of R, G, B)
    pen_share: float = 0.4          # a word this much in pen ink (of its ink) is handwriting
    # ruled tables in page images (extractors/tables/scanned.py)
    min_table_side: float = 0.08    # of the page's width/height
    rule_present: float = 0.6       # share of a cell side that must be inked for a rule
    # tables without rules (extractors/tables/borderless.py)
    cell_gap: float = 10.0          # points of white space that part two cells (a space ~3)
    gutter: float = 4.5             # an empty strip this wide down every numbered row parts columns
    min_columns: int = 3            # a page header ("ỦY BAN ... CỘNG HÒA ...") has two
    min_rows: int = 3               # lines of cells: a header and two rows at least
    row_spacing: float = 3.5        # a table's lines are at most this many line heights apart
    # tables flattened into text lines (extractors/tables/text.py)
    header_lines: int = 6           # how far above its first row a table's header may start
    unit_match: int = 60            # similarity (0-100) at which a garbled unit word is a unit
    # logical tables (pipeline/understand/grids.py)
    fuzzy_header: int = 85          # similarity at which an OCR-damaged header names its column
    fuzzy_header_len: int = 6       # shorter header words ("tên") must match exactly
    # paragraphs (pipeline/understand/paragraphs.py)
    paragraph_gap: float = 1.25     # a gap this many line pitches wide starts a paragraph
    paragraph_indent: float = 12.0  # points of first-line indent that start a paragraph
    # indicator registry (normalizers/indicators.py, pipeline/output/dataset.py)
    indicator_snap: float = 0.75    # a name this similar to a canonical one gets its id
    indicator_review: float = 0.6   # from here to indicator_snap: a score, no id (review)
    # understanding (pipeline/understand/metadata.py, prose_targets.py, duties.py, budget.py)
    header_paragraphs: int = 14     # paragraphs of the header block searched for metadata
    prose_link_min: int = 70        # similarity of a prose item to the table indicator it restates
    agency_match: float = 0.9       # registry match an agency opening a sentence needs
    agency_words: int = 18          # an agency heading is a short line, not a sentence
    budget_tolerance: float = 0.005  # a reported total may differ from its parts by rounding

    def update(self, values: dict) -> None:
        """Set the fields named in values (a settings file's mapping), type-checked."""
        known = {f.name: f for f in dataclasses.fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}; known: {', '.join(known)}")
            kind = type(getattr(Settings(), name))
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"setting {name} must be a number, not {value!r}")
            setattr(self, name, kind(value))

    def digest(self) -> str:
        """Changes with any value: part of the cache key."""
        return hashlib.sha256(json.dumps(dataclasses.asdict(self), sort_keys=True)
                              .encode()).hexdigest()[:16]


SETTINGS = Settings()


def configure(path: Path | None) -> None:
    """Apply a YAML settings file (and export it to worker processes); None: defaults."""
    fresh = Settings()
    if path is not None:
        import yaml
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read settings file {path}: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"settings file {path} must be a mapping of name: value")
        fresh.update(data)
        os.environ[ENV] = str(Path(path).resolve())
    else:
        os.environ.pop(ENV, None)
    for f in dataclasses.fields(fresh):
        setattr(SETTINGS, f.name, getattr(fresh, f.name))


if os.environ.get(ENV):
    configure(Path(os.environ[ENV]))
