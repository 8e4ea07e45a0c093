"""Word files read end to end (extractors/sources/docx.py): header table, paragraphs,
tables with merged cells; the real Lâm Đồng plans of ../shared/real where present."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from extractors.sources.docx import docx_pages
from pipeline.cli import main
from pipeline.understand.metadata import _doc_number

from .conftest import ROOT, header_lines, read

REAL = ROOT.parent / "shared" / "real"


def _plan(path: Path) -> None:
    """A plan as provinces type it in Word: a two-column header table, then the body
    and a task table whose group row spans the table and whose agency spans two rows."""
    d = docx.Document()
    head = d.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 215/KH-UBND"
    head.cell(1, 1).text = "Bắc Ninh, ngày 14 tháng 3 năm 2025"
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Triển khai chuyển đổi số năm 2025")
    d.add_paragraph("Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ, "
                    "Ủy ban nhân dân tỉnh ban hành kế hoạch như sau:")
    t = d.add_table(rows=5, cols=4)
    for j, h in enumerate(["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]):
        t.cell(0, j).text = h
    group = t.cell(1, 0).merge(t.cell(1, 3))
    group.text = "I. HẠ TẦNG SỐ"
    rows = [["1", "Nâng cấp trung tâm dữ liệu của tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2025"],
            ["2", "Kết nối mạng diện rộng đến các xã", "", "Quý IV/2025"],
            ["3", "Đào tạo kỹ năng số cho cán bộ", "Sở Nội vụ", "Năm 2025"]]
    for i, row in enumerate(rows, 2):
        for j, v in enumerate(row):
            if v:
                t.cell(i, j).text = v
    t.cell(2, 2).merge(t.cell(3, 2))
    d.add_paragraph("Trên đây là Kế hoạch triển khai chuyển đổi số năm 2025 của tỉnh.")
    d.save(str(path))


def test_a_word_table_keeps_its_merged_cells(tmp_path):
    _plan(tmp_path / "plan.docx")
    [page] = docx_pages(tmp_path / "plan.docx")
    header, tasks = page.tables
    assert tasks.rows[1] == ["I. HẠ TẦNG SỐ", None, None, None]            # gridSpan
    assert tasks.rows[2][2] == "Sở Khoa học và Công nghệ" and tasks.rows[3][2] is None  # vMerge
    assert "Số: 215/KH-UBND Bắc Ninh, ngày 14 tháng 3 năm 2025" in page.text


def test_a_word_plan_end_to_end(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    _plan(raw / "ke-hoach.docx")
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache"]) == 0
    [doc] = read(out, "documents")
    assert (doc["doc_number"], doc["doc_type"], doc["issue_date"], doc["input_kind"]) == \
        ("215/KH-UBND", "Kế hoạch", "2025-03-14", "docx")
    assert doc["issue_date_precision"] == "day"
    assert doc["issuer"] == "Ủy ban nhân dân tỉnh Bắc Ninh"
    tasks = read(out, "tasks")
    assert [t["number"] for t in tasks] == ["1", "2", "3"]
    assert {t["group"] for t in tasks} == {"I. HẠ TẦNG SỐ"}
    assert [t["lead_agency"] for t in tasks][:2] == ["Sở Khoa học và Công nghệ"] * 2
    assert [t["deadline"] for t in tasks] == ["2025-06-30", "2025-12-31", "2025-12-31"]
    # no geometry: each row says its table (the header table is the first) and row
    assert [(t["locator"], t["bbox"]) for t in tasks] == [
        ("table 2, row 3", ""), ("table 2, row 4", ""), ("table 2, row 5", "")]
    assert [r["ref_number"] for r in read(out, "references")] == ["749/QĐ-TTg"]


def test_a_damaged_legacy_doc_file_says_how_to_convert_it(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    _plan(raw / "new.docx")
    assert main(["extract", str(raw), "--out", str(tmp_path / "o"), "--quiet",
                 "--no-cache"]) == 1
    [err] = read(tmp_path / "o", "errors")
    assert err["source_file"] == "old.doc" and "save it as .docx" in err["error"]


def test_a_number_the_text_cites_is_never_the_documents_own():
    assert _doc_number(header_lines("ỦY BAN NHÂN DÂN", "Số: /KH-UBND Lâm Đồng, ngày tháng 01 năm 2026",
                        "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021")) == ("", 1, "number_blank")
    assert _doc_number(header_lines("Thực hiện Kế hoạch số 9669/KH-UBND ngày 24/12/2025")) == ("", -1, "")
    # a number written by hand after signing, that OCR read as a smudge, is no cited one
    assert _doc_number(header_lines("Số: ‹§ /2019/NQ-HĐND Đắk Nông, ngày A3 tháng 7 năm 2019",
                        "Căn cứ Nghị quyết số 202/2025/QH15")) == ("", 0, "number_illegible")
    assert _doc_number(header_lines("S6:82 /KH-UBND Bdc Son, ngay 20 thang 7 nam 2024"))[0] == "82/KH-UBND"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not found: the real Word "
                                              "plans were NOT read")
def test_the_real_lam_dong_word_plans(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in ("lamdong-kh-tuyen-truyen-cchc-2026.docx", "lamdong-kh-kiem-tra-cchc-2026.docx",
                 "lamdong-kh-pcmt-2030.docx"):
        (raw / name).write_bytes((REAL / name).read_bytes())
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache"]) == 0
    docs = {d["source_file"]: d for d in read(out, "documents")}
    for d in docs.values():        # signed before numbering: no number, never a cited one
        assert d["doc_number"] == "" and d["doc_type"] == "Kế hoạch"
        assert d["issuer"] == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert docs["lamdong-kh-tuyen-truyen-cchc-2026.docx"]["title"] == \
        "Tuyên truyền Cải cách hành chính năm 2026"
    # the day (and in one the month) left blank for the signer: dated no finer than given
    dated = {name: (d["issue_date"], d["issue_date_precision"]) for name, d in docs.items()}
    assert dated == {"lamdong-kh-tuyen-truyen-cchc-2026.docx": ("2026-01-01", "month"),
                     "lamdong-kh-kiem-tra-cchc-2026.docx": ("2026-01-01", "year"),
                     "lamdong-kh-pcmt-2030.docx": ("2025-10-01", "month")}
    text = (out / "text" / f"{docs['lamdong-kh-tuyen-truyen-cchc-2026.docx']['doc_id']}.txt")
    assert "Lãnh đạo Sở Công Thương" in text.read_text("utf-8")      # its tables are read
    refs = {r["ref_number"] for r in read(out, "references")}
    assert {"76/NQ-CP", "9669/KH-UBND", "7619/QĐ-BCA"} <= refs


@pytest.mark.skipif(not (REAL / "lamdong-kh-kmt-2026.doc").exists(),
                    reason="../shared/real not found: the real Word 97 plan is needed")
def test_a_legacy_word_plan(tmp_path):
    """The real Lâm Đồng plan saved as Word 97 (.doc), read through LibreOffice."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "kmt.doc").write_bytes((REAL / "lamdong-kh-kmt-2026.doc").read_bytes())
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet",
                 "--no-cache"]) == 0
    (d,) = read(tmp_path / "out", "documents")
    assert (d["doc_type"], d["issuer"], d["input_kind"]) == (
        "Kế hoạch", "Ủy ban nhân dân tỉnh Lâm Đồng", "docx")
    assert d["title"] == ("Tăng cường công tác đấu tranh phòng, chống ma túy và xây dựng "
                          "xã, phường, đặc khu không ma túy năm 2026")     # two paragraphs
    assert (d["issue_date"], d["issue_date_precision"]) == ("2026-02-01", "month")
    duties = read(tmp_path / "out", "duties")
    assert any(r["agency"] == "Công an tỉnh" or "Công an tỉnh" in r["agency_raw"] for r in duties)


def test_a_file_named_doc_that_is_no_word_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plan.doc").write_bytes(b"just some text, not a Word 97 file")
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet"]) == 2


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not found: the real Word "
                                              "plan was NOT read")
def test_a_real_plan_saved_as_word_97_or_rtf_gives_the_tasks_of_its_docx(tmp_path):
    """LibreOffice saves the real Lâm Đồng inspection plan as .doc and .rtf; read back
    through LibreOffice, each gives the .docx's 29 tasks, field for field."""
    from extractors.sources import libreoffice

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    plan = raw / "lamdong-kh-kiem-tra-cchc-2026.docx"
    plan.write_bytes((REAL / plan.name).read_bytes())
    for kind in ("doc", "rtf"):
        libreoffice.convert(plan, raw, to=kind)
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache"]) == 0
    source = {d["doc_id"]: d["source_file"].rsplit(".", 1)[1] for d in read(out, "documents")}
    fields = ("number", "description", "lead_agency", "coordinating_agencies", "deadline", "locator")
    tasks = {kind: [tuple(t[f] for f in fields) for t in read(out, "tasks")
                    if source[t["doc_id"]] == kind] for kind in ("docx", "doc", "rtf")}
    assert len(tasks["docx"]) == 29
    assert tasks["doc"] == tasks["docx"] and tasks["rtf"] == tasks["docx"]
