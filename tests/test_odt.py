"""OpenDocument text (.odt) read end to end (extractors/sources/odt.py): a plan written
by odfpy, as LibreOffice saves one: paragraphs, a list, a task table whose group row
spans the table and whose agency spans two rows. The same plan saved by LibreOffice as
Word 97 (.doc) and as RTF, which the pipeline reads through LibreOffice
(extractors/sources/converted.py), gives the same rows."""
from __future__ import annotations

from pathlib import Path

import pytest

from odf.opendocument import OpenDocumentText
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P

from extractors.sources import libreoffice
from extractors.sources.converted import converted_pages
from extractors.sources.odt import odt_pages
from pipeline.cli import main

from .conftest import read


def _cell(text: str = "", **spans) -> TableCell:
    cell = TableCell(**spans)
    for line in text.split("\n") if text else []:
        cell.addElement(P(text=line))
    return cell


def _plan(path: Path) -> None:
    doc = OpenDocumentText()
    body = doc.text
    head = Table(name="head")
    head.addElement(TableColumn(numbercolumnsrepeated=2))
    for left, right in [("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
                        ("Số: 216/KH-UBND", "Bắc Ninh, ngày 17 tháng 3 năm 2025")]:
        row = TableRow()
        row.addElement(_cell(left))
        row.addElement(_cell(right))
        head.addElement(row)
    body.addElement(head)
    body.addElement(H(outlinelevel=1, text="KẾ HOẠCH"))
    body.addElement(P(text="Triển khai chuyển đổi số năm 2025"))
    body.addElement(P(text="Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng "
                           "Chính phủ, Ủy ban nhân dân tỉnh ban hành kế hoạch như sau:"))
    items = List()
    for text in ["Mục đích: bảo đảm hạ tầng số cho các xã.", "Yêu cầu: đúng tiến độ."]:
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    body.addElement(items)
    tasks = Table(name="tasks")
    tasks.addElement(TableColumn(numbercolumnsrepeated=4))
    header = TableRow()
    for h in ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]:
        header.addElement(_cell(h))
    tasks.addElement(header)
    group = TableRow()
    group.addElement(_cell("I. HẠ TẦNG SỐ", numbercolumnsspanned=4))
    group.addElement(CoveredTableCell(numbercolumnsrepeated=3))
    tasks.addElement(group)
    rows = [["1", "Nâng cấp trung tâm dữ liệu của tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2025"],
            ["2", "Kết nối mạng diện rộng đến các xã", None, "Quý IV/2025"],
            ["3", "Đào tạo kỹ năng số cho cán bộ", "Sở Nội vụ", "Năm 2025"]]
    for i, values in enumerate(rows):
        row = TableRow()
        for j, v in enumerate(values):
            if v is None:
                row.addElement(CoveredTableCell())
            elif i == 0 and j == 2:
                row.addElement(_cell(v, numberrowsspanned=2))
            else:
                row.addElement(_cell(v))
        tasks.addElement(row)
    body.addElement(tasks)
    body.addElement(P(text="Trên đây là Kế hoạch triển khai chuyển đổi số năm 2025 của tỉnh."))
    doc.save(str(path))


def test_an_odt_table_keeps_its_merged_cells(tmp_path):
    _plan(tmp_path / "plan.odt")
    [page] = odt_pages(tmp_path / "plan.odt")
    header, tasks = page.tables
    assert tasks.rows[1] == ["I. HẠ TẦNG SỐ", None, None, None]
    assert tasks.rows[2][2] == "Sở Khoa học và Công nghệ" and tasks.rows[3][2] is None
    assert "Số: 216/KH-UBND Bắc Ninh, ngày 17 tháng 3 năm 2025" in page.text
    assert "Yêu cầu: đúng tiến độ." in page.text


def test_an_odt_plan_end_to_end(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    _plan(raw / "ke-hoach.odt")
    (raw / "damaged.odt").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache"]) == 1
    [doc] = read(out, "documents")
    assert (doc["doc_number"], doc["doc_type"], doc["issue_date"], doc["input_kind"]) == \
        ("216/KH-UBND", "Kế hoạch", "2025-03-17", "docx")
    tasks = read(out, "tasks")
    assert [t["number"] for t in tasks] == ["1", "2", "3"]
    assert [t["lead_agency"] for t in tasks][:2] == ["Sở Khoa học và Công nghệ"] * 2
    assert [t["deadline"] for t in tasks] == ["2025-06-30", "2025-12-31", "2025-12-31"]
    [err] = read(out, "errors")
    assert err["source_file"] == "damaged.odt" and "re-export" in err["error"]


def _saved_as(tmp_path: Path, kind: str) -> Path:
    """The .odt plan saved by LibreOffice as `kind` (doc: Word 97-2003, rtf)."""
    _plan(tmp_path / "ke-hoach.odt")
    (tmp_path / "saved").mkdir()
    return libreoffice.convert(tmp_path / "ke-hoach.odt", tmp_path / "saved", to=kind)


@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_a_word_97_or_rtf_table_keeps_its_merged_cells(tmp_path, kind):
    [page] = converted_pages(_saved_as(tmp_path, kind), kind)
    header, tasks = page.tables
    assert tasks.rows[1] == ["I. HẠ TẦNG SỐ", None, None, None]
    assert tasks.rows[2][2] == "Sở Khoa học và Công nghệ" and tasks.rows[3][2] is None
    assert "Số: 216/KH-UBND Bắc Ninh, ngày 17 tháng 3 năm 2025" in page.text


@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_a_word_97_or_rtf_plan_end_to_end(tmp_path, kind):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / f"ke-hoach.{kind}").write_bytes(_saved_as(tmp_path, kind).read_bytes())
    (raw / f"damaged.{kind}").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 if kind == "doc" else b"{\\rtf1 \\")
    assert main(["extract", str(raw), "--out", str(out), "--quiet", "--no-cache"]) == 1
    [doc] = read(out, "documents")
    assert (doc["doc_number"], doc["issue_date"], doc["input_kind"]) == \
        ("216/KH-UBND", "2025-03-17", "docx")
    tasks = read(out, "tasks")
    assert [t["lead_agency"] for t in tasks] == ["Sở Khoa học và Công nghệ"] * 2 + ["Sở Nội vụ"]
    assert [t["deadline"] for t in tasks] == ["2025-06-30", "2025-12-31", "2025-12-31"]
    [err] = read(out, "errors")
    assert err["source_file"] == f"damaged.{kind}" and "save it as .docx" in err["error"]


def test_without_libreoffice_a_doc_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    libreoffice.soffice.cache_clear()
    try:
        with pytest.raises(libreoffice.LibreOfficeMissing,
                           match="apt-get install -y --no-install-recommends libreoffice"):
            libreoffice.convert(tmp_path / "plan.doc", tmp_path)
    finally:
        libreoffice.soffice.cache_clear()
