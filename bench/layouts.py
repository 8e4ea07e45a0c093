"""Layout-variety benchmark: task and indicator tables the code has never seen.

A generator builds 48 tables from the header wordings of bench/layout_wordings.yaml:
random column orders, wordings, two-row headers (a "Thời gian" group over start and end,
a plan period over its year columns), merged group rows, tables continued over a page
with their header repeated, money, product, monitoring and funding columns, several
deadline formats, borderless tables, two fonts (Liberation Serif, Times New Roman's
metric twin, and DejaVu Serif). Each is rendered born-digital and as a degraded scan
(bench/table_cells.py's degrade: skew, blur, speckle, JPEG), with its truth.

Held-out wordings: every third wording of each role is taken out of the code's column
vocabulary for the run (columns._vocabulary), and half the tables use only held-out
wordings: their score shows how the code reads headers it does not know, from their
other words and from what their cells hold.

Score: a truth row pairs with the extracted row of the same table whose description
(tasks) or name (indicators) is closest (fuzzy ratio >= 85); row F1 over pairs; per role,
the share of truth cells whose value came out right in the paired row (a target: its
comparator and bounds as the printed cell gives them).

    python -m bench.layouts [--tables 48] [--no-scans]
"""
from __future__ import annotations

import argparse
import csv
import html
import random
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml
from rapidfuzz import fuzz
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bench.table_cells import degrade
from normalizers.targets import parse_target
from normalizers.text import fold
from pipeline.cli import main as pipeline_main
from pipeline.understand import columns

ROOT = Path(__file__).resolve().parent.parent
WORDINGS = yaml.safe_load((ROOT / "bench" / "layout_wordings.yaml").read_text("utf-8"))["roles"]
FONTS = {"LiberationSerif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "DejaVuSerif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"}

TASKS = ["Xây dựng kế hoạch chuyển đổi số trong các cơ quan nhà nước của tỉnh",
         "Rà soát, cập nhật danh sách hộ nghèo, hộ cận nghèo trên địa bàn",
         "Tổ chức tập huấn nghiệp vụ cho cán bộ, công chức cấp xã",
         "Nâng cấp cơ sở dữ liệu đất đai và kết nối với hệ thống quốc gia",
         "Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở",
         "Tuyên truyền, phổ biến pháp luật về phòng, chống ma túy trong trường học",
         "Đầu tư trang thiết bị cho các trạm y tế xã",
         "Triển khai cấp thẻ bảo hiểm y tế cho người cao tuổi",
         "Xây dựng đề án phát triển du lịch cộng đồng gắn với bảo tồn văn hóa",
         "Đánh giá kết quả thực hiện chương trình mục tiêu quốc gia",
         "Hỗ trợ doanh nghiệp nhỏ và vừa tiếp cận vốn tín dụng ưu đãi",
         "Cải tạo hệ thống thoát nước tại khu dân cư tập trung",
         "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
         "Tổ chức hội nghị sơ kết, đánh giá kết quả thực hiện kế hoạch",
         "Xây dựng mô hình điểm về phân loại rác thải tại nguồn",
         "Đào tạo nghề cho lao động nông thôn gắn với nhu cầu doanh nghiệp"]
# (as printed, canonical)
AGENCIES = [("Sở Y tế", "Sở Y tế"), ("Sở Tài chính", "Sở Tài chính"), ("Sở Nội vụ", "Sở Nội vụ"),
            ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"), ("Sở Xây dựng", "Sở Xây dựng"),
            ("Sở Tư pháp", "Sở Tư pháp"), ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
            ("Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường"),
            ("Công an tỉnh", "Công an tỉnh"), ("Sở Công Thương", "Sở Công thương"),
            ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
            ("Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội tỉnh"),
            ("UBND cấp xã", "Ủy ban nhân dân cấp xã"),
            ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh")]
# (as printed, start, deadline, recurrence)
DEADLINES = [("Quý II/2026", "2026-04-01", "2026-06-30", ""),
             ("Tháng 9/2026", "2026-09-01", "2026-09-30", ""),
             ("Trước ngày 30/11/2026", "", "2026-11-30", ""),
             ("Năm 2027", "2027-01-01", "2027-12-31", ""),
             ("6 tháng đầu năm 2026", "2026-01-01", "2026-06-30", ""),
             ("Quý IV năm 2026", "2026-10-01", "2026-12-31", ""),
             ("Thường xuyên", "", "", "continuous"),
             ("2026 - 2027", "2026-01-01", "2027-12-31", ""),
             ("Tháng 12 năm 2026", "2026-12-01", "2026-12-31", ""),
             ("31/12/2026", "", "2026-12-31", ""),
             ("Hằng năm", "", "", "annual")]
STARTS = [("Quý I/2026", "2026-01-01"), ("Tháng 3/2026", "2026-03-01"), ("Năm 2026", "2026-01-01"),
          ("Quý III/2026", "2026-07-01")]
ENDS = [d for d in DEADLINES if d[2]]
FUNDING = [("Ngân sách tỉnh", "Ngân sách địa phương"), ("Ngân sách trung ương", "Ngân sách trung ương"),
           ("Xã hội hóa", "Xã hội hóa"), ("Nguồn vốn ODA", "Vốn ODA và vay ưu đãi")]
PRODUCTS = ["Kế hoạch của UBND tỉnh", "Báo cáo kết quả", "Quyết định phê duyệt", "Đề án",
            "Hệ thống phần mềm", "Hội nghị"]
INDICATORS = [("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "%", ["Dưới 2", "Dưới 1,5", "Dưới 1"]),
              ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", ["93", "94,5", "95"]),
              ("Số lao động được giải quyết việc làm", "người", ["25.000", "26.000", "27.500"]),
              ("Tỷ lệ trường đạt chuẩn quốc gia", "%", ["60", "65", "Trên 70"]),
              ("Thu nhập bình quân đầu người", "triệu đồng", ["85", "92", "100"]),
              ("Số bác sĩ trên một vạn dân", "bác sỹ/vạn dân", ["11", "12", "13"]),
              ("Tỷ lệ xã đạt chuẩn nông thôn mới", "%", ["80", "85", "90"]),
              ("Diện tích trồng rừng mới", "ha", ["1.200", "1.350", "1.500"]),
              ("Tỷ lệ thất nghiệp khu vực thành thị", "%", ["Dưới 3,5", "Dưới 3,2", "Dưới 3"]),
              ("Số doanh nghiệp thành lập mới", "doanh nghiệp", ["1.800", "2.000", "2.200"]),
              ("Tỷ lệ chất thải rắn được thu gom, xử lý", "%", ["92", "95", "98"]),
              ("Số giường bệnh trên một vạn dân", "giường/vạn dân", ["32", "33", "35"])]
MISSES: list[tuple[str, str, str, str]] = []      # (table, role, truth, ours) for --misses
GROUPS = ["I. LĨNH VỰC KINH TẾ", "II. LĨNH VỰC VĂN HÓA - XÃ HỘI", "III. CẢI CÁCH HÀNH CHÍNH"]


def split_wordings() -> tuple[dict, dict]:
    """(known, held out) wordings per role: every third one is held out."""
    known = {r: [w for i, w in enumerate(ws) if i % 3 != 2] for r, ws in WORDINGS.items()}
    held = {r: [w for i, w in enumerate(ws) if i % 3 == 2] for r, ws in WORDINGS.items()}
    return known, held


def hold_out(held: dict) -> None:
    """Take the held-out wordings out of the code's column vocabulary for this process."""
    vocab = columns._vocabulary()
    words = {fold(w) for ws in held.values() for w in ws if "{y}" not in w}
    for spec in vocab["roles"].values():
        spec["words"] = [(n, rx) for n, rx in spec["words"]
                         if rx.pattern.replace("(?<!\\w)", "").replace("(?!\\w)", "") not in words]
        if spec["exact"] is not None:
            spec["exact"] -= words


def _task_table(rnd: random.Random, words: dict) -> tuple[list[list[str]], list[dict], dict]:
    """(grid rows, truth rows, layout) of an assignment table."""
    optional = [r for r in ("coordinating", "product", "funding_source", "amount", "monitoring")
                if rnd.random() < 0.5]
    timing = rnd.choice(["period", "end", "start_end"])
    roles = ["description", "lead"] + optional + (["start", "end"] if timing == "start_end"
                                                  else [timing])
    rnd.shuffle(roles)
    roles = ["number"] + roles
    header = [rnd.choice(words[r]) for r in roles]
    two_rows = timing == "start_end" and rnd.random() < 0.5
    grouped = rnd.random() < 0.4
    n = rnd.choice([4, 6, 8] + ([22] if rnd.random() < 0.2 else []))
    rows, truth, group = [], [], ""
    descs = rnd.sample(TASKS * 2, n)
    for i in range(n):
        if grouped and i % 4 == 0:
            group = GROUPS[(i // 4) % len(GROUPS)]
            rows.append(["__group__", group])
        lead, lead_c = rnd.choice(AGENCIES)
        coord = rnd.sample([a for a in AGENCIES if a[0] != lead], 2)
        monitor = rnd.choice([a for a in AGENCIES if a[0] != lead])
        deadline = rnd.choice(DEADLINES if timing != "start_end" else ENDS)
        start = rnd.choice(STARTS)
        funding = rnd.choice(FUNDING)
        product = rnd.choice(PRODUCTS)
        amount = rnd.choice([150, 300, 1200, 2500, 48000])
        desc = f"{descs[i]} ({i + 1})"
        cells = {"number": str(i + 1), "description": desc, "lead": lead,
                 "coordinating": f"{coord[0][0]}; {coord[1][0]}", "product": product,
                 "funding_source": funding[0], "amount": f"{amount:,}".replace(",", "."),
                 "monitoring": monitor[0], "period": deadline[0], "end": deadline[0],
                 "start": start[0]}
        rows.append([cells[r] for r in roles])
        t = {"description": desc, "lead": lead_c, "deadline": deadline[2]}
        if timing == "start_end":
            t["start"] = start[1]
        elif deadline[3]:
            t["recurrence"] = deadline[3]
        if "coordinating" in roles:
            t["coordinating"] = ";".join(sorted([coord[0][1], coord[1][1]]))
        for role, value in (("product", product), ("funding_source", funding[1]),
                            ("amount", f"{amount}"), ("monitoring", monitor[1])):
            if role in roles:
                t[role] = value
        truth.append(t)
    layout = {"kind": "tasks", "roles": roles, "header": header, "two_rows": two_rows}
    return [header] + rows, truth, layout


def _indicator_table(rnd: random.Random, words: dict) -> tuple[list[list[str]], list[dict], dict]:
    years = [2026, 2027, 2028][:rnd.choice([1, 2, 3])]
    baseline = rnd.random() < 0.5
    target_word = rnd.choice(words["target"])
    roles = ["indicator", "unit"] + (["baseline"] if baseline else []) + [f"y{y}" for y in years]
    if rnd.random() < 0.3:
        roles = [f"y{y}" for y in years] + ["indicator", "unit"] + (["baseline"] if baseline else [])
    if rnd.random() < 0.3:
        roles.append("lead")
    roles = ["number"] + roles
    names = {"baseline": rnd.choice(words["baseline"]).format(y=2025)}
    header = []
    for r in roles:
        if r.startswith("y"):
            header.append(target_word.format(y=r[1:]))
        else:
            header.append(names.get(r) or rnd.choice(words[r]))
    two_rows = rnd.random() < 0.4 and len(years) > 1
    picked = rnd.sample(INDICATORS, rnd.choice([4, 6, 8]))
    rows, truth = [], []
    for i, (name, unit, values) in enumerate(picked):
        lead, lead_c = rnd.choice(AGENCIES)
        cells = {"number": str(i + 1), "indicator": name, "unit": unit, "lead": lead,
                 "baseline": values[0]}
        cells.update({f"y{y}": values[k] for k, y in enumerate(years)})
        rows.append([cells[r] for r in roles])
        t = {"name": name, "unit": unit}
        t.update({f"target {y}": values[k] for k, y in enumerate(years)})
        if baseline:
            t["baseline 2025"] = values[0]
        if "lead" in roles:
            t["lead"] = lead_c
        truth.append(t)
    layout = {"kind": "indicators", "roles": roles, "header": header, "two_rows": two_rows,
              "years": years}
    return [header] + rows, truth, layout


def render(path: Path, grid: list[list[str]], layout: dict, font: str, ruled: bool) -> None:
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, FONTS[font]))
    cell = ParagraphStyle("c", fontName=font, fontSize=9.5, leading=12)
    head, body = grid[0], grid[1:]
    width = len(head)
    header_rows = [head]
    spans = []
    if layout["two_rows"]:          # a group title over the time or year columns
        roles = layout["roles"]
        if layout["kind"] == "tasks":
            cols = [j for j, r in enumerate(roles) if r in ("start", "end")]
            title = "Thời gian"
        else:
            cols = [j for j, r in enumerate(roles) if r.startswith("y")]
            title = "Kế hoạch giai đoạn 2026 - 2028"
        if cols == list(range(cols[0], cols[-1] + 1)):
            top = [h if j not in cols else (title if j == cols[0] else "") for j, h in enumerate(head)]
            lower = ["" if j not in cols else h for j, h in enumerate(head)]
            header_rows = [top, lower]
            spans = [("SPAN", (cols[0], 0), (cols[-1], 0))] + [
                ("SPAN", (j, 0), (j, 1)) for j in range(width) if j not in cols]
    rows = []
    for r in body:
        if r[0] == "__group__":
            rows.append([r[1]] + [""] * (width - 1))
            spans.append(("SPAN", (0, len(header_rows) + len(rows) - 1),
                          (width - 1, len(header_rows) + len(rows) - 1)))
        else:
            rows.append(r)
    data = [[Paragraph(html.escape(c), cell) for c in r] for r in header_rows + rows]
    page_w = landscape(A4)[0] - 72
    weights = [0.6 if r == "number" else 3.2 if r in ("description", "indicator") else 1.5
               for r in layout["roles"]]
    widths = [page_w * w / sum(weights) for w in weights]
    t = Table(data, colWidths=widths, repeatRows=len(header_rows))
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")] + spans
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.7, "black"))
    t.setStyle(TableStyle(style))
    title = ParagraphStyle("t", fontName=font, fontSize=11, leading=14)
    story = [Paragraph("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", title), Paragraph("KẾ HOẠCH", title),
             Paragraph("Thực hiện nhiệm vụ năm 2026", title), Spacer(1, 10), t]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)


def generate(n: int, seed: int = 16) -> list[dict]:
    """n tables: half from known wordings, half from held-out ones."""
    rnd = random.Random(seed)
    known, held = split_wordings()
    out = []
    for k in range(n):
        words = held if k % 2 else known
        # a role with no held-out wording keeps its known ones
        words = {r: ws or known[r] for r, ws in words.items()}
        maker = _task_table if k % 4 < 2 else _indicator_table
        grid, truth, layout = maker(rnd, words)
        out.append({"name": f"layout_{k:02d}", "grid": grid, "truth": truth, "layout": layout,
                    "held_out": bool(k % 2), "font": rnd.choice(list(FONTS)),
                    "ruled": rnd.random() < 0.8})
    return out


def _read(folder: Path, table: str) -> list[dict]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _same(role: str, ours: str, truth: str) -> bool:
    if role == "coordinating":
        return ";".join(sorted(x for x in ours.split(";") if x)) == truth
    if role == "amount":
        return bool(ours) and abs(float(ours) - float(truth)) < 1e-6
    return fold(ours or "") == fold(truth or "")


def _same_value(ours: dict, printed: str) -> bool:
    """A target row against the cell it was drawn from: comparator and bounds."""
    want = parse_target(printed)
    bounds = [float(ours[k]) if ours[k] else None for k in ("value_min", "value_max")]
    return (ours["comparator"], *bounds) == (want.comparator, want.value_min, want.value_max)


def score(out: Path, specs: list[dict]) -> dict:
    """Per (held_out, kind): row counts and per-role right/total."""
    docs = {d["source_file"]: d["doc_id"] for d in _read(out, "documents")}
    tasks, inds, tgts = _read(out, "tasks"), _read(out, "indicators"), _read(out, "targets")
    by_ind = defaultdict(list)
    for t in tgts:
        by_ind[t["indicator_id"]].append(t)
    result: dict = defaultdict(lambda: {"truth": 0, "ours": 0, "paired": 0,
                                        "roles": defaultdict(lambda: [0, 0])})
    field = {"description": "description", "lead": "lead_agency", "deadline": "deadline",
             "start": "start_date", "recurrence": "recurrence",
             "coordinating": "coordinating_agencies", "product": "product",
             "funding_source": "funding_sources", "amount": "amount",
             "monitoring": "monitoring_agencies", "name": "name", "unit": "unit"}
    for spec in specs:
        for suffix in ("", "_scan"):
            doc = docs.get(spec["name"] + suffix + ".pdf")
            if doc is None:
                continue
            kind = spec["layout"]["kind"]
            cell = result[(suffix or "_born", spec["held_out"], kind)]
            ours = [r for r in (tasks if kind == "tasks" else inds) if r["doc_id"] == doc]
            key = "description" if kind == "tasks" else "name"
            cell["truth"] += len(spec["truth"])
            cell["ours"] += len(ours)
            free = list(ours)
            for truth in spec["truth"]:
                best = max(free, key=lambda r: fuzz.ratio(fold(r[key]), fold(truth[key])), default=None)
                if best is None or fuzz.ratio(fold(best[key]), fold(truth[key])) < 85:
                    for role in truth:
                        cell["roles"][role.split(" ")[0]][1] += 1
                    continue
                free.remove(best)
                cell["paired"] += 1
                values = {f"{t['kind']} {t['year']}": t for t in by_ind.get(best.get("indicator_id"), [])}
                for role, want in truth.items():
                    name = role.split(" ")[0]
                    if " " in role:         # a target or baseline: its value as read
                        value = values.get(role)
                        got = value["raw"] if value else ""
                        ok = value is not None and _same_value(value, want)
                    else:
                        got = best.get(field[role], "")
                        ok = (fuzz.ratio(fold(got), fold(want)) >= 90
                              if role in ("description", "name") else _same(role, got, want))
                    cell["roles"][name][0] += ok
                    cell["roles"][name][1] += 1
                    if not ok:
                        MISSES.append((spec["name"] + suffix, role, want, got))
    return result


def report(result: dict) -> None:
    def f1(c):
        p = c["paired"] / c["ours"] if c["ours"] else 0.0
        r = c["paired"] / c["truth"] if c["truth"] else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    print(f"{'render':8} {'wordings':9} {'table':11} {'truth':>5} {'ours':>5} {'F1':>6}  roles (share right)")
    for (render_, held, kind), c in sorted(result.items()):
        roles = "  ".join(f"{r} {ok / n:.3f}" for r, (ok, n) in sorted(c["roles"].items()) if n)
        print(f"{render_.strip('_'):8} {'held-out' if held else 'known':9} {kind:11} "
              f"{c['truth']:>5} {c['ours']:>5} {f1(c):>6.3f}  {roles}")
    for render_ in ("born", "scan"):
        for held in (False, True):
            cells = [c for (r, h, _), c in result.items() if r.strip("_") == render_ and h == held]
            if cells:
                total = {k: sum(c[k] for c in cells) for k in ("truth", "ours", "paired")}
                worst = min((ok / n, r) for c in cells for r, (ok, n) in c["roles"].items() if n)
                print(f"{render_:8} {'held-out' if held else 'known':9} all: row F1 {f1(total):.3f}, "
                      f"weakest role {worst[1]} {worst[0]:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=48)
    ap.add_argument("--no-scans", action="store_true", help="born-digital renders only")
    ap.add_argument("--keep", type=Path, help="write the PDFs and the output here, to look at")
    ap.add_argument("--misses", type=int, default=0, help="print this many wrong cells")
    args = ap.parse_args(argv)
    specs = generate(args.tables)
    hold_out(split_wordings()[1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        raw, out = folder / "raw", folder / "out"
        shutil.rmtree(raw, ignore_errors=True)
        raw.mkdir(parents=True)
        for spec in specs:
            pdf = raw / f"{spec['name']}.pdf"
            render(pdf, spec["grid"], spec["layout"], spec["font"], spec["ruled"])
            if not args.no_scans:
                degrade(pdf, raw / f"{spec['name']}_scan.pdf")
        for jpg in raw.glob("*.jpg"):
            jpg.unlink()
        started = time.perf_counter()
        # workers are forked from this process, so they read with the held-out vocabulary
        code = pipeline_main(["extract", str(raw), "--out", str(out), "--no-cache", "--quiet",
                              "--workers", "2"])
        print(f"{len(specs)} tables, {len(list(raw.iterdir()))} PDFs extracted in "
              f"{time.perf_counter() - started:.0f} s (exit {code})")
        report(score(out, specs))
        for miss in MISSES[:args.misses]:
            print("miss: %s %s: truth %r, ours %r" % miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
