"""Excel appendices (.xlsx) read end to end (extractors/sources/xlsx.py): title rows
above the table, a header merged over its year columns, a percentage format, a group
row merged across, a second sheet. The same workbook saved by LibreOffice as Excel
97-2003 (.xls) and OpenDocument (.ods) gives the same rows (extractors/sources/converted.py)."""
from __future__ import annotations

import openpyxl
import pytest

from extractors.sources import libreoffice
from pipeline.cli import main

from .conftest import read


def _workbook(path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Biểu 01"
    ws["A1"] = "BIỂU 01: CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI TỈNH QUẢNG NGÃI NĂM 2026"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện 2025", "Kế hoạch giai đoạn", None])
    ws.merge_cells("E3:F3")
    for col in "ABCD":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([None, None, None, None, "Năm 2026", "Năm 2027"])
    ws.append(["I", "Kinh tế", None, None, None, None])
    ws.merge_cells("B5:F5")
    ws.append([1, "Tốc độ tăng trưởng kinh tế (GRDP)", "%", 7.5, 8, 8.5])
    ws.append([2, "Tỷ lệ hộ nghèo", "%", 0.031, 0.025, 0.02])
    for cell in ws[7][3:]:
        cell.number_format = "0.0%"
    ws.append([3, "Số doanh nghiệp thành lập mới", "doanh nghiệp", 1200, 1350, 1500])
    other = book.create_sheet("Ghi chú")
    other["A1"] = "Số liệu năm 2025 là số ước thực hiện."
    book.save(path)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_an_indicator_workbook(tmp_path, kind):
    raw = tmp_path / "raw"
    raw.mkdir()
    _workbook(tmp_path / "bieu_01.xlsx")
    saved = tmp_path / "bieu_01.xlsx" if kind == "xlsx" else \
        libreoffice.convert(tmp_path / "bieu_01.xlsx", raw, to=kind)
    (raw / f"bieu_01.{kind}").write_bytes(saved.read_bytes())
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet",
                 "--no-cache"]) == 0
    (doc,) = read(tmp_path / "out", "documents")
    assert (doc["input_kind"], doc["page_count"]) == ("xlsx", "2")
    indicators = {r["number"]: r for r in read(tmp_path / "out", "indicators")}
    assert set(indicators) == {"1", "2", "3"}
    assert indicators["1"]["group"] == "Kinh tế" and indicators["3"]["unit"] == "doanh nghiệp"
    targets = {(r["indicator_id"], r["kind"], r["year"]): r for r in read(tmp_path / "out", "targets")}
    poor = indicators["2"]["indicator_id"]
    assert targets[(poor, "baseline", "2025")]["raw"] == "3.1%"
    assert targets[(poor, "target", "2027")]["value_min"] == "2"
    firms = indicators["3"]["indicator_id"]
    assert targets[(firms, "target", "2026")]["value_min"] == "1350"


def test_a_damaged_workbook_is_one_error(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _workbook(raw / "good.xlsx")
    data = (raw / "good.xlsx").read_bytes()
    (raw / "bad.xlsx").write_bytes(data[: len(data) // 2])
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet",
                 "--no-cache"]) == 1
    (err,) = read(tmp_path / "out", "errors")
    assert err["source_file"] == "bad.xlsx" and err["stage"] == "ingest"
