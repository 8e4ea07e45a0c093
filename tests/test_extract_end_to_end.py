"""The whole pipeline on real PDFs, a real scan through real Tesseract, and bad files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import Package

from pipeline.cli import main
from pipeline.output.schema import TABLES

from tests.conftest import RAW, read

CONTRACT_COLUMNS = {
    "documents": "doc_id source_file doc_number doc_type issuer place issue_date title signer "
                 "signer_title page_count input_kind restored",
    "indicators": "indicator_id doc_id group number name unit lead_agency coordinating_agencies "
                  "page confidence",
    "targets": "indicator_id kind year raw comparator value_min value_max unit page",
    "tasks": "task_id doc_id group number description lead_agency lead_agency_raw "
             "coordinating_agencies start_date deadline deadline_raw recurrence funding_sources "
             "page confidence",
    "agencies": "agency_id canonical_name level jurisdiction aliases successor_id successor_since",
    "references": "doc_id ref_number ref_type ref_date ref_issuer page",
    "budget": "doc_id table row_code item unit year raw value value_vnd funding_source page",
    "errors": "source_file page stage error",
}



@pytest.fixture(scope="module")
def run(sample_inputs, tmp_path_factory):
    folder, bad = sample_inputs
    out = tmp_path_factory.mktemp("out")
    cache = tmp_path_factory.mktemp("cache")
    code = main(["extract", str(folder), "--out", str(out), "--cache-dir", str(cache),
                 "--workers", "2", "--quiet"])
    return code, out, cache, folder, bad


def test_exit_status_reports_failures(run):
    code, *_ = run
    assert code == 1


def test_every_contract_file_and_column(run):
    _, out, *_ = run
    for table, cols in CONTRACT_COLUMNS.items():
        with open(out / f"{table}.csv", encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split(",")
        assert set(cols.split()) <= set(header), table
    assert (out / "datapackage.json").is_file()


def test_documents_metadata(run):
    _, out, *_ = run
    docs = {d["source_file"]: d for d in read(out, "documents")}
    assert set(docs) == {"000_born_digital.pdf", "003_scanned_head.pdf", "004_bac_son_ocr.txt"}
    plan = docs["000_born_digital.pdf"]
    assert (plan["doc_number"], plan["doc_type"], plan["issue_date"]) == \
        ("207/KH-UBND", "Kế hoạch", "2021-09-08")
    assert plan["issuer"] == "Ủy ban nhân dân thành phố Hà Nội"
    assert (plan["signer"], plan["signer_title"]) == ("Chu Ngọc Anh", "Chủ tịch")
    assert plan["title"].startswith("Thực hiện Chương trình số 08-CTr/TU ngày 17/3/2021")
    assert plan["input_kind"] == "born_digital" and plan["page_count"] == "27"
    decision = docs["003_scanned_head.pdf"]
    assert (decision["doc_number"], decision["doc_type"], decision["issue_date"]) == \
        ("1362/QĐ-UBND", "Quyết định", "2022-04-22")
    assert decision["issuer"] == "Ủy ban nhân dân thành phố Hà Nội"
    assert (decision["signer"], decision["signer_title"]) == ("Chu Ngọc Anh", "Chủ tịch")
    assert decision["input_kind"] == "scanned" and float(decision["ocr_confidence"]) > 0.85
    ward = docs["004_bac_son_ocr.txt"]
    assert (ward["doc_number"], ward["doc_type"], ward["issue_date"]) == \
        ("82/KH-UBND", "Kế hoạch", "2024-07-20")
    assert ward["input_kind"] == "text" and ward["signer_title"] == "Phó Chủ tịch"
    # English-model OCR text: detected and restored (issue 4)
    assert ward["restored"] == "true" and plan["restored"] == "false"
    assert ward["issuer"] == "Ủy ban nhân dân phường Bắc Sơn"
    assert ward["title"].startswith("Thực hiện Chương trình hành động số 73-CTr/TU")


def test_references_of_the_plan_and_the_decision(run):
    _, out, *_ = run
    docs = {d["doc_id"]: d["source_file"] for d in read(out, "documents")}
    refs: dict[str, dict[str, dict]] = {}
    for r in read(out, "references"):
        refs.setdefault(docs[r["doc_id"]], {})[r["ref_number"] or r["ref_title"]] = r
    plan = refs["000_born_digital.pdf"]
    assert {"08-CTr/TU", "92-KL/TW", "14-CT/TW", "20-NQ/TW", "27-NQ/TW", "28-NQ/TW",
            "14-CTr/TU", "07/2019/NQ-HĐND"} <= set(plan)
    assert "207/KH-UBND" not in plan and "2017/KH-UBND" not in plan   # itself, and its appendix
    assert plan["92-KL/TW"]["ref_date"] == "2020-11-05"
    assert plan["92-KL/TW"]["ref_issuer"] == "Bộ Chính trị"
    assert plan["14-CT/TW"]["ref_type"] == "Chỉ thị"
    decision = refs["003_scanned_head.pdf"]
    for number, date, issuer in [("90/QĐ-TTg", "2022-01-18", "Thủ tướng Chính phủ"),
                                 ("07/2021/NĐ-CP", "2021-01-27", "Chính phủ"),
                                 ("05-CT/TW", "2021-06-23", "Ban Bí thư"),
                                 ("17/2021/NQ-HĐND", "2021-12-08",
                                  "Hội đồng nhân dân thành phố Hà Nội"),
                                 ("13/2021/QĐ-UBND", "2021-09-05",
                                  "Ủy ban nhân dân thành phố Hà Nội"),
                                 ("1164/TTr-LĐTBXH", "2022-03-22",
                                  "Sở Lao động - Thương binh và Xã hội")]:
        assert decision[number]["ref_date"] == date, number
        assert decision[number]["ref_issuer"] == issuer, number
    assert "51-KH/TU" in decision and "1362/QĐ-UBND" not in decision
    law = decision["Luật Tổ chức chính quyền địa phương"]
    assert (law["ref_type"], law["ref_date"]) == ("Luật", "2015-06-19")


def test_one_error_row_per_bad_input(run):
    _, out, _, _, bad = run
    rows = read(out, "errors")
    by_file = {r["source_file"]: r for r in rows}
    assert set(by_file) == set(bad)
    assert len(rows) == len(bad)
    for name, stage in bad.items():
        assert by_file[name]["stage"] == stage, name
        assert "\n" not in by_file[name]["error"]
    assert "decrypt" in by_file["bad/encrypted.pdf"]["error"]
    assert "empty" in by_file["bad/empty.pdf"]["error"]
    assert "no text" in by_file["bad/blank.png"]["error"]
    assert "no pages" in by_file["bad/zero_pages.pdf"]["error"]
    assert "pixel limit" in by_file["bad/huge.png"]["error"]
    assert "not Vietnamese" in by_file["bad/english.pdf"]["error"]


def test_texts_written(run):
    _, out, *_ = run
    for d in read(out, "documents"):
        text = (out / "text" / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
        assert d["doc_number"].split("/")[0] in text
        if d["source_file"] == "000_born_digital.pdf":     # tables follow, as Markdown
            assert "Bảng (trang 15):\n\n| TT | Tiêu chí |" in text
            assert "| 1 | Tỷ lệ thất nghiệp | 2,3% (Thành thị 3,22%, nông thôn 1,57%) |" in text


def test_datapackage_validates(run):
    _, out, *_ = run
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]


@pytest.mark.slow
def test_second_run_uses_the_cache_and_changes_nothing(run, tmp_path):
    _, out, cache, folder, _ = run
    out2 = tmp_path / "again"
    from pipeline.runtime.run import extract
    summary = extract([folder], out2, workers=1, cache_dir=cache, progress=False)
    assert summary.cached == 3
    for table in ("documents", "references", "errors"):
        assert (out / f"{table}.csv").read_bytes() == (out2 / f"{table}.csv").read_bytes()


@pytest.mark.slow
def test_all_good_inputs_exit_zero(tmp_path):
    code = main(["extract", str(RAW / "004_bac_son_ocr.txt"), "--out", str(tmp_path),
                 "--no-cache", "--quiet", "--excel"])
    assert code == 0
    assert (tmp_path / "excel" / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_issuers_are_in_the_agency_table(run):
    _, out, *_ = run
    agencies = {a["canonical_name"]: a for a in read(out, "agencies")}
    for d in read(out, "documents"):
        assert d["issuer"] in agencies
    hanoi = agencies["Ủy ban nhân dân thành phố Hà Nội"]
    assert (hanoi["level"], hanoi["jurisdiction"]) == ("province", "Hà Nội")


GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"


@pytest.mark.skipif(not (GOLD / "000_fb55ab29a5b32adb").is_dir(), reason="../shared/gold not found: the gold comparison did NOT run")
def test_plan_tables_against_the_gold_extraction(run):
    from pipeline.evaluate import evaluate

    _, out, *_ = run
    scores = {(s.table, s.column): s for s in evaluate(out, GOLD)["000_born_digital.pdf"]}
    for table in ("indicators", "targets", "tasks"):
        assert scores[(table, "(row)")].f1 == 1.0, table
    for column in ("value_min", "value_max", "comparator"):
        assert scores[("targets", column)].f1 == 1.0, column
    assert scores[("tasks", "deadline")].f1 == 1.0
    for column in ("unit", "lead_agency", "coordinating_agencies"):
        assert scores[("indicators", column)].f1 >= 0.95, column
    assert scores[("targets", "unit")].f1 >= 0.95


def test_indicator_rows_keep_merged_cells_and_sub_numbers(run):
    _, out, *_ = run
    docs = {d["doc_id"]: d["source_file"] for d in read(out, "documents")}
    rows = {r["number"]: r for r in read(out, "indicators")
            if docs[r["doc_id"]] == "000_born_digital.pdf"}
    assert {"3.1", "3.2"} <= set(rows)
    assert rows["2"]["lead_agency"] == "Sở Lao động - Thương binh và Xã hội"   # merged cell
    assert rows["2"]["page"] == "15" and rows["2"]["bbox"]
    # Regression: a merged cell open at the foot of page 16 goes on over page 17's rows.
    assert rows["4"]["page"] == "17" and rows["4"]["lead_agency"] == "Bảo hiểm xã hội Thành phố"
    assert rows["6"]["lead_agency"] == "Bảo hiểm xã hội Thành phố"
    assert rows["7"]["lead_agency"] == "Sở Lao động - Thương binh và Xã hội"
    # Units: from the cells, else from the name; none for a qualitative indicator.
    assert rows["7"]["unit"] == "%" and rows["11"]["unit"] == "giường/vạn dân"
    assert rows["15"]["unit"] == "tuổi" and rows["20"]["unit"] == ""
    targets = [t for t in read(out, "targets") if t["indicator_id"] == rows["1"]["indicator_id"]]
    assert {(t["kind"], t["year"]) for t in targets} >= {("baseline", "2020"), ("target", "2025")}


def test_ward_appendix_indicators_from_english_model_ocr_text(run):
    """004 (Bắc Sơn): its appendix is English-model OCR text with "|" cell marks; the
    rows come out restored, grouped, with 2025/2030 targets and the responsible unit."""
    _, out, *_ = run
    docs = {d["doc_id"]: d["source_file"] for d in read(out, "documents")}
    rows = [r for r in read(out, "indicators") if docs[r["doc_id"]] == "004_bac_son_ocr.txt"]
    assert len(rows) >= 60
    by_name = {r["name"]: r for r in rows}
    jobless = by_name["Tỉ lệ thất nghiệp khu vực thành thị"]
    assert (jobless["group"], jobless["number"], jobless["unit"]) == (
        "Lao động, việc làm, phát triển thị trường lao động", "2", "%")
    assert jobless["lead_agency"] == "Công chức Văn hóa - Xã hội"       # merged, 4 rows down
    assert "Các tổ dân phố" in jobless["coordinating_agencies"]
    targets = {(t["year"], t["raw"], t["comparator"], float(t["value_max"]))
               for t in read(out, "targets") if t["indicator_id"] == jobless["indicator_id"]}
    assert targets == {("2025", "3,5", "=", 3.5), ("2030", "<3", "<", 3.0)}
    assert jobless["bbox"] == "" and jobless["page"] == "1"          # text: no geometry
    life = by_name["Tuổi thọ trung bình"]
    assert (life["group"], life["unit"], life["lead_agency"]) == (
        "Y tế", "tuổi", "Công chức Văn phòng - Thống kê")           # "Tubi" in the OCR text
    groups = {r["group"] for r in rows}
    assert {"Giáo dục", "Trợ giúp xã hội và giảm nghèo", "Phát triển nguồn nhân lực"} <= groups
    agencies = {a["canonical_name"]: a for a in read(out, "agencies")}
    assert agencies["Công chức Văn hóa - Xã hội"]["level"] == "commune"


def test_duties_of_the_organisation_section(run):
    """000's "IV. TỔ CHỨC THỰC HIỆN": 23 numbered agencies and their duties, in duties.csv
    (tasks.csv keeps the assignment table: the gold's 38 tasks)."""
    _, out, *_ = run
    docs = {d["doc_id"]: d["source_file"] for d in read(out, "documents")}
    rows = [r for r in read(out, "duties") if docs[r["doc_id"]] == "000_born_digital.pdf"]
    assert len(rows) >= 30
    by_number = {r["number"]: r for r in rows}
    assert by_number["1.1"]["agency"] == "Sở Lao động - Thương binh và Xã hội"
    assert by_number["15.1"]["agency"] == "Sở Ngoại vụ"        # regression: fuzzily Sở Nội vụ
    assert by_number["20.4"]["agency"] == "Liên đoàn Lao động Thành phố"   # "Đề nghị ..."
    assert not any(r["description"].isdigit() for r in rows)     # page numbers are no duty
    named = {a["canonical_name"] for a in read(out, "agencies")}
    assert "Sở Ngoại vụ" in named
