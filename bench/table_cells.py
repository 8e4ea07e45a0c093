"""Table benchmark: cell accuracy and time per page, ours beside pdfplumber's and
camelot's defaults, on born-digital and scanned renders of the seed tables and of an
assignment table in a layout of our own (TT, nội dung, chủ trì, phối hợp, bắt đầu,
hoàn thành, nguồn lực; cells wrapping over several lines), drawn here and degraded
(skew, blur, noise, JPEG) into a scan.

Truth: the grids the PDFs were drawn from (bench/seed_tables.json, written by
scripts/make_samples.py). Score: every non-empty truth cell of a body row counts; a
truth row is compared with the extracted row that shares most cells with it, and a
cell is right when its text is equal after whitespace is normalised. Cells covered by
a merged cell are empty in the truth and not counted.

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

from extractors.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "bench" / "seed_tables.json").read_text(encoding="utf-8"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

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


def norm(cell) -> str:
    return " ".join(str(cell or "").split())


def truth_rows(key: str) -> list[list[str]]:
    rows = []
    for table in TRUTH[key]:
        for k, segment in enumerate(table["segments"]):
            rows += segment[table["header_rows"]:] if k == 0 else segment
    return [[norm(c) for c in r] for r in rows]


def score(truth: list[list[str]], found: list[list[str]]) -> tuple[int, int]:
    right = total = 0
    for row in truth:
        cells = [(j, c) for j, c in enumerate(row) if c]
        total += len(cells)
        right += max((sum(1 for j, c in cells if j < len(r) and r[j] == c) for r in found),
                     default=0)
    return right, total


def ours(path: Path) -> list[list[str]]:
    doc = ingest(path, path.name).document
    return [[norm(c) for c in row] for p in doc.pages for t in p.tables for row in t.rows]


def plumber(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as pdf:
        return [[norm(c) for c in row] for page in pdf.pages
                for t in page.extract_tables() for row in t]


def camelot_rows(path: Path) -> list[list[str]]:
    with warnings.catch_warnings():       # "no tables found" on every image-only page
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages="all")
    return [[norm(c) for c in row] for t in tables for row in t.df.values.tolist()]


def draw_own(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("BenchSerif", str(FONT)))
    cell = ParagraphStyle("c", fontName="BenchSerif", fontSize=9.5, leading=12)
    t = Table([[Paragraph(c, cell) for c in r] for r in OWN],
              colWidths=[30, 230, 110, 150, 80, 80, 100], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.7, "black"),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([t])


def degrade(src: Path, dest: Path, seed: int = 7) -> None:
    """A scan of src: 200 dpi, 0.7° skew, blur, speckle, JPEG quality 60."""
    rnd = random.Random(seed)
    pages = []
    for page in pdfium.PdfDocument(str(src)):
        img = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
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
    jpegs[0].save(dest, "PDF", resolution=200.0, save_all=True, append_images=jpegs[1:])


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        own = Path(tmp) / "own_assignment.pdf"
        own_scan = Path(tmp) / "own_assignment_scanned.pdf"
        draw_own(own)
        degrade(own, own_scan)
        own_truth = [[norm(c) for c in r] for r in OWN[1:]]
        cases = [("000 born-digital", ROOT / "data/raw/000_born_digital.pdf", truth_rows("000")),
                 ("003 born-digital", ROOT / "bench/003_born_digital.pdf", truth_rows("003")),
                 ("own assignment, born-digital", own, own_truth),
                 ("000 scanned", ROOT / "data/raw/000_scanned.pdf", truth_rows("000")),
                 ("003 scanned", ROOT / "data/raw/003_scanned.pdf", truth_rows("003")),
                 ("own assignment, degraded scan", own_scan, own_truth)]
        print(f"{'input':<31}{'cells':>6}{'ours':>9}{'s/page':>8}{'pdfplumber':>12}"
              f"{'camelot':>9}")
        for name, path, truth in cases:
            pages = len(pdfium.PdfDocument(str(path)))
            start = time.perf_counter()
            mine = ours(path)
            per_page = (time.perf_counter() - start) / pages
            r, n = score(truth, mine)
            p = score(truth, plumber(path))[0]
            c = score(truth, camelot_rows(path))[0]
            print(f"{name:<31}{n:>6}{r / n:>9.1%}{per_page:>8.2f}{p / n:>12.1%}{c / n:>9.1%}")


if __name__ == "__main__":
    main()
