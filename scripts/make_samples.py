"""Render the seed texts in ../shared/seeds into the bundled sample inputs.

Reproducible fixtures: the same seeds and this script give the same PDFs (fixed
random seed, fixed fonts). Outputs:

- data/raw/000_born_digital.pdf  Hà Nội plan 207/KH-UBND, text layer, ruled tables
- data/raw/000_scanned.pdf       the same plan, image-only, 250 dpi, skewed, blurred, JPEG
- data/raw/003_scanned.pdf       decision 1362/QĐ-UBND, image-only, 200 dpi, degraded
- data/raw/004_bac_son_ocr.txt   Bắc Sơn ward plan as English-model OCR text (verbatim)
- tests/fixtures/003_scanned_head.pdf  the first pages of the 003 scan (fast tests)
- bench/003_born_digital.pdf      the PDF the 003 scan was made from (OCR ground truth)
- bench/seed_tables.json          the table grids the PDFs were drawn from (for benchmarks)

Seed conventions: paragraphs are separated by blank lines; table rows are
tab-separated, and a blank line followed by a repeated header starts the part of
the table printed on the next page. Seed 003 stores its appendix tables one cell
per line; they are regrouped into rows here. Website chrome around the document
("Hệ thống pháp luật", the "HIỆU LỰC VĂN BẢN" box) is not part of the document and
is dropped.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

TT_CODE = re.compile(r"^(|[A-Z]|[IVX]+|\d+(\.\d+)*|[a-zđ])$")
NUMERIC = re.compile(r"^[-\d.,%\s]*$")


@dataclass
class TableBlock:
    segments: list[list[list[str]]]   # per printed page: rows of cells
    header_rows: int
    merge_cols: set[int] = field(default_factory=set)
    title: str = ""


def clean_markup(line: str) -> str:
    line = re.sub(r"</?i>", "", line)
    line = line.replace("**", "").replace("~~", "")
    return re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", line)


def strip_chrome(lines: list[str]) -> list[str]:
    while lines and lines[0].strip() in ("", "Hệ thống pháp luật"):
        lines = lines[1:]
    for i, line in enumerate(lines):
        if line.strip() == "HIỆU LỰC VĂN BẢN":
            return lines[:i]
    return lines


def is_tt(cell: str) -> bool:
    return bool(TT_CODE.match(cell.strip()))


def is_label(cell: str) -> bool:
    c = cell.strip()
    return bool(c) and not NUMERIC.match(c) and not is_tt(c)


def regroup_flat_table(cells: list[str]) -> tuple[list[list[str]], int, int]:
    """Rebuild rows from one-cell-per-line table text (seed 003).

    Returns (rows, header_rows, consumed). The header is two rows: the first holds a
    group cell ("Chia ra các năm") over the year columns of the second. Body rows have
    ncols cells, or fewer where a merged cell of the rows above covers their last
    columns; a row length is accepted when the next cells look like a row start.
    """
    years = re.compile(r"^(\d{4}|Cuối \d{4}|Cộng.*)$")
    k = 0
    first: list[str] = []
    while not years.match(cells[k].strip()):
        first.append(cells[k].strip())
        k += 1
    second: list[str] = []
    while years.match(cells[k].strip()):
        second.append(cells[k].strip())
        k += 1
    group = next(i for i, c in enumerate(first) if c.startswith("Chia ra"))
    ncols = len(first) - 1 + len(second)
    head1 = first[:group] + [first[group]] + [""] * (len(second) - 1) + first[group + 1:]
    head2 = [""] * group + second + [""] * (len(first) - group - 1)
    rows = [head1, head2]

    def row_start(i: int) -> bool:
        return i + 1 < len(cells) and is_tt(cells[i]) and is_label(cells[i + 1])

    while k < len(cells):
        length = next((n for n in (ncols, ncols - 1, ncols - 2) if row_start(k + n)), None)
        if length is None:
            if not (is_tt(cells[k]) and is_label(cells[k + 1]) if k + 1 < len(cells) else False):
                break
            row = [c.strip() for c in cells[k:k + ncols]]
            k += ncols
            while k < len(cells) and cells[k].strip() and not cells[k].startswith(("[", "PHỤ LỤC")):
                row[-1] = f"{row[-1]} {cells[k].strip()}".strip()
                k += 1
            rows.append(row)
            break
        row = [c.strip() for c in cells[k:k + length]]
        rows.append(row + [""] * (ncols - length))
        k += length
    return rows, 2, k


def parse_seed(text: str) -> list[object]:
    """Seed text -> list of blocks: str paragraphs (may hold '\n'), 'BREAK', TableBlock."""
    lines = strip_chrome([clean_markup(x) for x in text.split("\n")])
    blocks: list[object] = []
    i = 0
    para: list[str] = []

    def flush():
        if para:
            blocks.append("\n".join(para))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            flush()
            table, i = read_tab_table(lines, i)
            blocks.append(table)
            continue
        if line.strip() == "TT" and i + 2 < len(lines) and lines[i + 2].strip() == "Chỉ tiêu":
            flush()
            cells = [lines[j] for j in range(i, len(lines), 2)]
            rows, header_rows, used = regroup_flat_table(cells)
            blocks.append(TableBlock([rows], header_rows))
            i += 2 * used
            continue
        if line.strip() in ("", "\u00a0"):
            flush()
        else:
            para.append(line.strip())
        i += 1
    flush()
    return blocks


def read_tab_table(lines: list[str], i: int) -> tuple[TableBlock, int]:
    segments: list[list[list[str]]] = []
    current: list[list[str]] = []
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            current.append([c.strip() for c in line.split("\t")])
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() == "" and "\t" in nxt and nxt.split("\t")[0].strip() == "TT":
            segments.append(current)
            current = []
            i += 1
            continue
        break
    segments.append(current)
    width = max(len(r) for seg in segments for r in seg)
    segments = [[r + [""] * (width - len(r)) for r in seg] for seg in segments]
    head = segments[0]
    header_rows = 2 if len(head) > 1 and not head[1][0] and not head[1][1] else 1
    merge_cols = {j for j, c in enumerate(head[0]) if c.lower().startswith("cơ quan")}
    return TableBlock(segments, header_rows, merge_cols), i


# ---------------------------------------------------------------- rendering

def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont("Serif", str(FONT_DIR / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("Serif-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))


STYLES = {
    "body": ParagraphStyle("body", fontName="Serif", fontSize=11, leading=14.5,
                           alignment=TA_JUSTIFY, spaceAfter=8, firstLineIndent=28),
    "bullet": ParagraphStyle("bullet", fontName="Serif", fontSize=11, leading=14.5,
                             alignment=TA_JUSTIFY, spaceAfter=8, firstLineIndent=28),
    "center": ParagraphStyle("center", fontName="Serif", fontSize=11, leading=14.5,
                             alignment=TA_CENTER, spaceAfter=8),
    "title": ParagraphStyle("title", fontName="Serif-Bold", fontSize=12, leading=15.5,
                            alignment=TA_CENTER, spaceAfter=8),
    "list": ParagraphStyle("list", fontName="Serif", fontSize=9.5, leading=12,
                           alignment=TA_LEFT),
    "cell": ParagraphStyle("cell", fontName="Serif", fontSize=8, leading=10, alignment=TA_LEFT),
    "cellc": ParagraphStyle("cellc", fontName="Serif", fontSize=8, leading=10,
                            alignment=TA_CENTER),
    "cellh": ParagraphStyle("cellh", fontName="Serif-Bold", fontSize=8, leading=10,
                            alignment=TA_CENTER),
}


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def paragraph_flowables(block: str, in_header: bool) -> list:
    out = []
    lines = block.split("\n")
    listy = len(lines) > 2 and all(len(x) < 120 for x in lines)
    for line in lines:
        if listy:
            style = STYLES["list"]
        elif is_caps(line) and len(line) < 200:
            style = STYLES["title"]
        elif in_header and len(line) < 120:
            style = STYLES["center"]
        elif line.startswith(("- ", "+ ", "* ")):
            style = STYLES["bullet"]
        else:
            style = STYLES["body"]
        out.append(Paragraph(esc(line), style))
    if listy:
        out.append(Spacer(1, 6))
    return out


def column_widths(rows: list[list[str]], total: float) -> list[float]:
    """Every column at least as wide as its longest word; the rest shared by text length."""
    ncols = len(rows[0])
    minimum, weight = [], []
    for j in range(ncols):
        words = [w for r in rows for w in r[j].split()]
        longest = max((pdfmetrics.stringWidth(w, "Serif-Bold", 8) for w in words), default=8)
        minimum.append(min(longest, 90) + 8)
        lengths = sorted(len(r[j]) for r in rows)
        weight.append(lengths[int(len(lengths) * 0.8)] ** 0.9 + 1)
    spare = max(total - sum(minimum), 0)
    s = sum(weight)
    return [m + spare * w / s for m, w in zip(minimum, weight)]


def spans_for(rows: list[list[str]], header_rows: int, merge_cols: set[int]) -> list[tuple]:
    """TableStyle SPAN commands: header groups, full-width group rows, merged body cells."""
    cmds = []
    ncols = len(rows[0])
    h0 = rows[0]
    if header_rows == 2:
        h1 = rows[1]
        j = 0
        while j < ncols:
            if h0[j]:
                end = j
                while end + 1 < ncols and not h0[end + 1] and h1[end + 1]:
                    end += 1
                if end > j:
                    cmds.append(("SPAN", (j, 0), (end, 0)))
                elif not h1[j]:
                    cmds.append(("SPAN", (j, 0), (j, 1)))
                j = end + 1
            else:
                j += 1
    for r in range(header_rows, len(rows)):
        row = rows[r]
        if row[0] and not is_tt(row[0]) and not any(row[1:]):
            cmds.append(("SPAN", (0, r), (ncols - 1, r)))
    for j in merge_cols:
        r = header_rows
        while r < len(rows):
            if rows[r][j]:
                end = r
                while end + 1 < len(rows) and not rows[end + 1][j] and rows[end + 1][1]:
                    end += 1
                if end > r:
                    cmds.append(("SPAN", (j, r), (j, end)))
                r = end + 1
            else:
                r += 1
    return cmds


def table_flowable(rows: list[list[str]], header_rows: int, merge_cols: set[int],
                   width: float) -> Table:
    data = []
    for r, row in enumerate(rows):
        cells = []
        for j, c in enumerate(row):
            if r < header_rows:
                style = STYLES["cellh"]
            elif j == 0 or NUMERIC.match(c):
                style = STYLES["cellc"]
            else:
                style = STYLES["cell"]
            cells.append(Paragraph(esc(c), style))
        data.append(cells)
    t = Table(data, colWidths=column_widths(rows, width), repeatRows=header_rows)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans_for(rows, header_rows, merge_cols),
    ]))
    return t


def appendix_start(blocks: list[object]) -> int:
    """Index of the first block of the appendix: the title blocks just before the first table."""
    first = next((i for i, b in enumerate(blocks) if isinstance(b, TableBlock)), len(blocks))
    i = first
    while i > 0 and isinstance(blocks[i - 1], str) and (
            is_caps(blocks[i - 1].split("\n")[0]) or blocks[i - 1].startswith("Đơn vị tính")):
        i -= 1
    return i


def render_pdf(blocks: list[object], out: Path, title: str) -> None:
    register_fonts()
    portrait_frame = Frame(2.5 * cm, 2 * cm, A4[0] - 4.5 * cm, A4[1] - 4 * cm, id="p")
    land = landscape(A4)
    land_frame = Frame(1.5 * cm, 1.5 * cm, land[0] - 3 * cm, land[1] - 3 * cm, id="l")

    def number_page(canvas, doc):
        canvas.setFont("Serif", 9)
        canvas.drawCentredString(doc.pagesize[0] / 2, 1 * cm, str(doc.page))

    doc = BaseDocTemplate(str(out), title=title, author="vnplan samples", invariant=1,
                          pageCompression=1)
    doc.addPageTemplates([
        PageTemplate("portrait", [portrait_frame], pagesize=A4, onPage=number_page),
        PageTemplate("landscape", [land_frame], pagesize=land, onPage=number_page),
    ])
    story: list = []
    start = appendix_start(blocks)
    table_width = land[0] - 3 * cm - 4
    in_header = True
    for i, block in enumerate(blocks):
        if i == start and i < len(blocks):
            story += [NextPageTemplate("landscape"), PageBreak()]
        if isinstance(block, TableBlock):
            for s, seg in enumerate(block.segments):
                if s:
                    story.append(PageBreak())
                story.append(table_flowable(seg, block.header_rows if s == 0 or
                                            seg[0][0] == "TT" else 0,
                                            block.merge_cols, table_width))
            story.append(Spacer(1, 10))
            continue
        if len(block) > 150:
            in_header = False
        story += paragraph_flowables(block, in_header)
    doc.build(story)


def degrade(pdf: Path, out: Path, dpi: int, skew: float, seed: int,
            pages: int | None = None) -> None:
    """Rasterise a PDF into an image-only 'scan': skew, blur, noise, JPEG artefacts."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    src = pdfium.PdfDocument(str(pdf))
    images = []
    for n in range(len(src) if pages is None else min(pages, len(src))):
        img = src[n].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        angle = skew + rng.uniform(-0.3, 0.3)
        img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(radius=0.7 * dpi / 300))
        arr = np.asarray(img, dtype=np.float32)
        h, w = arr.shape
        shade = np.linspace(0, 18, w, dtype=np.float32)[None, :]      # uneven lighting
        arr = arr * 0.9 + 8 - shade * (arr > 128)
        specks = nprng.random(arr.shape) < 0.0004                      # dust
        arr[specks] = nprng.uniform(40, 140, int(specks.sum()))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=55)
        images.append(Image.open(io.BytesIO(buf.getvalue())))
    fixed = time.gmtime(1_704_067_200)   # 2024-01-01: reproducible bytes
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi,
                   creationDate=fixed, modDate=fixed)


def table_grids(blocks: list[object]) -> list[dict]:
    return [{"header_rows": b.header_rows, "segments": b.segments}
            for b in blocks if isinstance(b, TableBlock)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="folder of seed .txt files")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "raw")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    seed000 = (args.seeds / "000_fb55ab29a5b32adb.txt").read_text(encoding="utf-8")
    seed003 = (args.seeds / "003_d6c2364c70631bfc.txt").read_text(encoding="utf-8")
    seed004 = (args.seeds / "004_9eded21b72258ddd.txt").read_text(encoding="utf-8")

    b000, b003 = parse_seed(seed000), parse_seed(seed003)
    born000 = args.out / "000_born_digital.pdf"
    render_pdf(b000, born000, "Kế hoạch 207/KH-UBND")
    degrade(born000, args.out / "000_scanned.pdf", dpi=250, skew=0.8, seed=0)

    born003 = ROOT / "bench" / "003_born_digital.pdf"    # the scan's ground truth
    render_pdf(b003, born003, "Quyết định 1362/QĐ-UBND")
    degrade(born003, args.out / "003_scanned.pdf", dpi=200, skew=-1.2, seed=3)
    degrade(born003, ROOT / "tests" / "fixtures" / "003_scanned_head.pdf", dpi=200,
            skew=-1.2, seed=3, pages=3)

    (args.out / "004_bac_son_ocr.txt").write_text(seed004, encoding="utf-8")

    grids = {"000": table_grids(b000), "003": table_grids(b003)}
    (ROOT / "bench").mkdir(exist_ok=True)
    (ROOT / "bench" / "seed_tables.json").write_text(
        json.dumps(grids, ensure_ascii=False, indent=1), encoding="utf-8")
    for p in sorted(args.out.glob("*")):
        print(f"{p.relative_to(ROOT)}\t{p.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
