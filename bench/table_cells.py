"""Table benchmark: cell accuracy and time per page, ours beside pdfplumber's and
camelot's defaults, on born-digital and scanned renders of the seed tables and of an
assignment table in a layout of our own (TT, nội dung, chủ trì, phối hợp, bắt đầu,
hoàn thành, nguồn lực; cells wrapping over several lines), drawn here with rules and
without any, and degraded (skew, blur, noise, JPEG) into scans; and the same table, ten
tasks long, set at 13 pt with bold headers in the fonts of real plans (Liberation Serif
and Sans: Times New Roman's and Arial's metrics) and in DejaVu Serif, scanned at 250 dpi
as the samples are: rule erasure must leave every letter's stem.

Truth: the grids the PDFs were drawn from (bench/seed_tables.json, written by
scripts/make_samples.py). Ours are the logical tables (pages joined). Score: every
non-empty truth cell of a body row counts (a header repeated on a page is no body row); a
truth row is compared with the extracted row that shares most cells with it, and a
cell is right when its text is equal after whitespace is normalised. Cells covered by
a merged cell are empty in the truth and not counted in the cell score; two more
columns check the structure per seed table: each read as one logical table (pages
joined, repeated headers dropped), and each merged cell's value given to every row it
spans.

    python -m bench.table_cells
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import warnings
from pathlib import Path

import camelot
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from extractors.sources.ingest import ingest
from extractors.model import Document
from pipeline.understand.grids import filled_rows, logical_tables

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "bench" / "seed_tables.json").read_text(encoding="utf-8"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
FONTS = {name: (Path(regular), Path(bold)) for name, regular, bold in [
    ("Liberation Serif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"),
    ("Liberation Sans", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ("DejaVu Serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")]}

OWN = [["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian bắt đầu",
        "Thời gian hoàn thành", "Nguồn lực"]] + [
    [str(i), f"{task} trên địa bàn thành phố, bảo đảm đúng tiến độ và chất lượng", lead,
     "Các sở, ngành liên quan; UBND các quận, huyện", start, end, money]
    for i, (task, lead, start, end, money) in enumerate([
        ("Xây dựng kế hoạch đào tạo nghề cho lao động nông thôn", "Sở Nội vụ", "Quý I/2025",
         "Quý IV/2025", "Ngân sách thành phố"),
        ("Rà soát, cập nhật danh sách hộ nghèo, hộ cận nghèo", "Sở Nội vụ", "Tháng 3/2025",
         "Tháng 12/2025", "Ngân sách địa phương"),
        ("Triển khai cấp thẻ bảo hiểm y tế cho người cao tuổi", "Bảo hiểm xã hội thành phố",
         "Năm 2025", "Năm 2026", "Ngân sách trung ương"),
        ("Nâng cấp cơ sở dữ liệu an sinh xã hội", "Sở Khoa học và Công nghệ", "Quý II/2025",
         "Quý II/2026", "Xã hội hóa"),
        ("Tổ chức hội nghị sơ kết, đánh giá kết quả thực hiện", "Sở Tài chính", "Tháng 6/2026",
         "Tháng 7/2026", "Kinh phí thường xuyên"),
    ], 1)]
MORE = [[str(i), f"{task}, báo cáo kết quả về Ủy ban nhân dân thành phố", lead,
         "Các cơ quan, đơn vị có liên quan", start, end, money]
        for i, (task, lead, start, end, money) in enumerate([
            ("Kiểm tra việc thực hiện chính sách đối với người có công", "Sở Nội vụ",
             "Quý III/2025", "Quý IV/2025", "Ngân sách thành phố"),
            ("Hướng dẫn lập hồ sơ hưởng trợ cấp xã hội hằng tháng", "Sở Y tế", "Tháng 1/2026",
             "Tháng 6/2026", "Kinh phí thường xuyên"),
            ("Phát triển mạng lưới cơ sở trợ giúp xã hội", "Sở Xây dựng", "Năm 2026",
             "Năm 2030", "Ngân sách địa phương"),
            ("Tuyên truyền, phổ biến pháp luật về lao động, việc làm", "Sở Tư pháp",
             "Quý I/2026", "Quý II/2026", "Xã hội hóa"),
            ("Đánh giá, tổng kết việc thực hiện kế hoạch", "Sở Tài chính", "Tháng 10/2030",
             "Tháng 12/2030", "Ngân sách thành phố"),
        ], len(OWN))]


def norm(cell) -> str:
    return " ".join(str(cell or "").split())


def body_rows(table: dict) -> list[list[str]]:
    """A truth table's body: every page segment less the header it repeats."""
    return [[norm(c) for c in r] for s in table["segments"] for r in s[table["header_rows"]:]]


def truth_rows(key: str) -> list[list[str]]:
    return [row for table in TRUTH[key] for row in body_rows(table)]


def score(truth: list[list[str]], found: list[list[str]]) -> tuple[int, int]:
    right = total = 0
    for row in truth:
        cells = [(j, c) for j, c in enumerate(row) if c]
        total += len(cells)
        right += max((sum(1 for j, c in cells if j < len(r) and r[j] == c) for r in found),
                     default=0)
    return right, total


def ours(path: Path) -> tuple[list[list[str]], Document]:
    """Rows as data teams get them: the page tables joined into logical tables (a row
    number lost at a page's foot is mended from the rows around it)."""
    doc = ingest(path, path.name).document
    return [[norm(c) for c in row] for t in logical_tables(doc)
            for row in t.header_rows + [r for r, *_ in t.rows]], doc


def merged_cells(table: dict) -> list[tuple[int, int, str]]:
    """(body row, column, value) of every cell a merged cell covers, by the rule the
    samples were drawn with (scripts/make_samples.py: an empty "Cơ quan ..." cell under
    a value, on a row that has a name, is part of the cell above)."""
    header = table["segments"][0][0]
    cols = [j for j, c in enumerate(header) if norm(c).lower().startswith("cơ quan")]
    rows = body_rows(table)
    out = []
    for j in cols:
        value = ""
        for i, row in enumerate(rows):
            if row[j]:
                value = norm(row[j])
            elif value and row[1]:
                out.append((i, j, value))
            else:
                value = ""
    return out


def structure(key: str, doc: Document) -> tuple[int, int, int, int]:
    """Seed tables read as one logical table each (continued over pages, repeated
    headers dropped), and merged cells given to every row they span: (tables right,
    tables, merged cells right, merged cells)."""
    logical = [[[norm(c) for c in row] if kind == "row" else [norm(row)]
                for kind, row, *_ in filled_rows(t.rows)] for t in logical_tables(doc)]
    joined = merged_ok = merged_n = 0
    used = set()
    for table in TRUTH[key]:
        body = body_rows(table)
        best = []
        for row in body:
            cells = [(j, c) for j, c in enumerate(row) if c]
            hits = [(sum(1 for j, c in cells if j < len(r) and r[j] == c), t, i)
                    for t, rows in enumerate(logical) for i, r in enumerate(rows)]
            top = max(hits, default=(0, None, None))
            best.append(top[1:] if top[0] else (None, None))
        owners = {t for t, _ in best if t is not None}
        if len(owners) == 1 and not owners & used:
            joined += 1
        used |= owners
        for i, j, value in merged_cells(table):
            t, r = best[i]
            merged_n += 1
            merged_ok += t is not None and j < len(logical[t][r]) and logical[t][r][j] == value
    return joined, len(TRUTH[key]), merged_ok, merged_n


def plumber(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as pdf:
        return [[norm(c) for c in row] for page in pdf.pages
                for t in page.extract_tables() for row in t]


def camelot_rows(path: Path) -> list[list[str]]:
    with warnings.catch_warnings():       # "no tables found" on every image-only page
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages="all")
    return [[norm(c) for c in row] for t in tables for row in t.df.values.tolist()]


def draw_own(path: Path, ruled: bool = True, font: str = "", size: float = 9.5) -> None:
    """The own assignment table, ruled, or without a single rule (cells aligned only);
    in a font of FONTS, ten tasks long, with a bold header."""
    regular, bold = FONTS.get(font, (FONT, FONT))
    name = "Bench" + (font or "Serif").replace(" ", "")     # reportlab keeps a name's first font
    pdfmetrics.registerFont(TTFont(name, str(regular)))
    pdfmetrics.registerFont(TTFont(name + "-Bold", str(bold)))
    cell = ParagraphStyle("c", fontName=name, fontSize=size, leading=size * 1.25)
    head = ParagraphStyle("h", parent=cell, fontName=name + "-Bold" if font else name)
    rows = OWN + MORE if font else OWN
    t = Table([[Paragraph(c, head) for c in rows[0]]] + [[Paragraph(c, cell) for c in r]
                                                          for r in rows[1:]],
              colWidths=[30, 230, 110, 150, 80, 80, 100], repeatRows=1)
    rules = [("GRID", (0, 0), (-1, -1), 0.7, "black")] if ruled else []
    t.setStyle(TableStyle(rules + [("VALIGN", (0, 0), (-1, -1), "TOP" if not ruled
                                    else "MIDDLE")]))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([t])


def degrade(src: Path, dest: Path, seed: int = 7, dpi: int = 200) -> None:
    """A scan of src at dpi (200 unless told): 0.7° skew, blur, speckle, JPEG quality 60."""
    rnd = random.Random(seed)
    pages = []
    for page in pdfium.PdfDocument(str(src)):
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(0.7, resample=Image.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        px = img.load()
        for _ in range(img.width * img.height // 2000):
            px[rnd.randrange(img.width), rnd.randrange(img.height)] = rnd.choice((0, 90))
        pages.append(img)
    jpegs = []
    for k, img in enumerate(pages):
        jpg = dest.with_name(f"{dest.stem}-{k}.jpg")
        img.save(jpg, quality=60)
        jpegs.append(Image.open(jpg))
    jpegs[0].save(dest, "PDF", resolution=float(dpi), save_all=True, append_images=jpegs[1:])


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        own = Path(tmp) / "own_assignment.pdf"
        own_scan = Path(tmp) / "own_assignment_scanned.pdf"
        draw_own(own)
        degrade(own, own_scan)
        open_ = Path(tmp) / "own_borderless.pdf"
        open_scan = Path(tmp) / "own_borderless_scanned.pdf"
        draw_own(open_, ruled=False)
        degrade(open_, open_scan)
        own_truth = [[norm(c) for c in r] for r in OWN[1:]]
        fonts = []
        for font in FONTS:
            born = Path(tmp) / f"own_{font.replace(' ', '_')}.pdf"
            draw_own(born, font=font, size=13)
            degrade(born, born.with_suffix(".scan.pdf"), dpi=250)
            fonts.append((f"own, {font} 13pt scan", born.with_suffix(".scan.pdf"),
                          [[norm(c) for c in r] for r in OWN[1:] + MORE]))
        cases = [("000 born-digital", ROOT / "data/raw/000_born_digital.pdf", truth_rows("000")),
                 ("003 born-digital", ROOT / "bench/003_born_digital.pdf", truth_rows("003")),
                 ("own assignment, born-digital", own, own_truth),
                 ("000 scanned", ROOT / "data/raw/000_scanned.pdf", truth_rows("000")),
                 ("003 scanned", ROOT / "data/raw/003_scanned.pdf", truth_rows("003")),
                 ("own assignment, degraded scan", own_scan, own_truth),
                 ("own, no rules, born-digital", open_, own_truth),
                 ("own, no rules, degraded scan", open_scan, own_truth)] + fonts
        print(f"{'input':<31}{'cells':>6}{'ours':>9}{'s/page':>8}{'pdfplumber':>12}"
              f"{'camelot':>9}{'tables joined':>15}{'merged cells':>14}")
        for name, path, truth in cases:
            pages = len(pdfium.PdfDocument(str(path)))
            start = time.perf_counter()
            mine, doc = ours(path)
            per_page = (time.perf_counter() - start) / pages
            r, n = score(truth, mine)
            p = score(truth, plumber(path))[0]
            c = score(truth, camelot_rows(path))[0]
            key = name.split()[0]
            checks = ""
            if key in TRUTH:
                tj, tn, mj, mn = structure(key, doc)
                checks = f"{f'{tj}/{tn}':>15}{f'{mj}/{mn}':>14}"
            print(f"{name:<31}{n:>6}{r / n:>9.1%}{per_page:>8.2f}{p / n:>12.1%}{c / n:>9.1%}"
                  + checks)


if __name__ == "__main__":
    main()
