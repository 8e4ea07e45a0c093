"""Reviewer workflow: corrections through the review module survive re-extraction; stale
ones are reported; both notebooks execute headlessly on a real run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, strategies as st
from nbclient import NotebookClient

from pipeline.output import corrections
from pipeline.cli import main
from pipeline.output.corrections import Correction
from pipeline.review.session import ReviewSession, row_checks

from tests.conftest import RAW, ROOT, read



@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A researcher's folders after one `make extract` of a born-digital plan and 004."""
    root = tmp_path_factory.mktemp("ws")
    raw = root / "raw"
    raw.mkdir()
    for name in ("000_born_digital.pdf", "004_bac_son_ocr.txt"):
        shutil.copy(RAW / name, raw / name)
    paths = {"raw": raw, "out": root / "out", "cache": root / "cache",
             "corrections": root / "corrections", "figures": root / "figures"}
    assert extract(paths) == 0
    return paths


def extract(paths: dict[str, Path]) -> int:
    paths["corrections"].mkdir(exist_ok=True)
    return main(["extract", str(paths["raw"]), "--out", str(paths["out"]), "--cache-dir",
                 str(paths["cache"]), "--corrections", str(paths["corrections"]), "--quiet",
                 "--workers", "1"])


@pytest.fixture
def session(workspace):
    shutil.rmtree(workspace["corrections"], ignore_errors=True)
    return ReviewSession(workspace["out"], workspace["corrections"], workspace["raw"],
                         reviewer="Nguyễn Văn A")


def test_corrections_survive_the_next_extract(workspace, session):
    indicators = read(workspace["out"], "indicators")
    edited, rejected = indicators[0], indicators[1]
    task = read(workspace["out"], "tasks")[0]
    session.edit("indicators", edited["indicator_id"], "unit", "phần trăm", note="test")
    session.edit("tasks", task["task_id"], "deadline", "2021-12-31")
    session.reject("indicators", rejected["indicator_id"])
    session.add("indicators", {"indicator_id": "manual-1", "doc_id": edited["doc_id"],
                               "name": "Tỷ lệ hộ nghèo đa chiều", "unit": "%"})
    assert extract(workspace) == 0

    after = {r["indicator_id"]: r for r in read(workspace["out"], "indicators")}
    assert after[edited["indicator_id"]]["unit"] == "phần trăm"
    assert rejected["indicator_id"] not in after
    assert after["manual-1"]["name"] == "Tỷ lệ hộ nghèo đa chiều"
    # a rejected indicator takes its targets with it
    assert all(t["indicator_id"] != rejected["indicator_id"]
               for t in read(workspace["out"], "targets"))
    tasks = {r["task_id"]: r for r in read(workspace["out"], "tasks")}
    assert tasks[task["task_id"]]["deadline"] == "2021-12-31"
    report = read(workspace["out"], "corrections")
    assert [r["status"] for r in report] == ["applied"] * 4
    # the reviewer's file is append-only and named after the reviewer
    log = workspace["corrections"] / "Nguyễn_Văn_A.csv"
    assert len(read(log.parent, log.stem)) == 4


def test_stale_correction_is_reported_not_dropped(workspace, session, capsys):
    session.edit("indicators", read(workspace["out"], "indicators")[0]["indicator_id"],
                 "unit", "%")
    corrections.append(workspace["corrections"], Correction(
        "tasks", "gone-0000", "edit", "deadline", "2021-06-30", "2021-09-30",
        reviewer="Nguyễn Văn A"))
    assert extract(workspace) == 0
    report = {r["row_id"]: r for r in read(workspace["out"], "corrections")}
    assert report["gone-0000"]["status"] == "stale"
    assert "no longer extracted" in report["gone-0000"]["detail"]
    assert "stale" in capsys.readouterr().err
    kept = read(workspace["corrections"], "Nguyễn_Văn_A")
    assert [r["row_id"] for r in kept][-1] == "gone-0000"


def test_key_columns_cannot_be_edited_in_place(workspace, session):
    rid = read(workspace["out"], "indicators")[0]["indicator_id"]
    with pytest.raises(ValueError):
        session.edit("indicators", rid, "indicator_id", "x")
    tables = {"indicators": [{"indicator_id": rid, "name": "a"}], "targets": []}
    report = corrections.apply(tables, [("f.csv", 2, Correction("indicators", rid, "edit",
                                                                "indicator_id", rid, "x"))])
    assert report[0]["status"] == "invalid" and tables["indicators"][0]["indicator_id"] == rid


def test_queue_puts_failed_checks_first_and_drops_reviewed_rows(workspace, session):
    queue = session.queue()
    checks = [bool(c) for c in queue["checks"]]
    assert checks == sorted(checks, reverse=True) and any(checks)
    first = queue.iloc[0]
    session.accept(first["table"], first["row_id"])
    assert first["row_id"] not in set(session.queue()["row_id"])
    assert first["row_id"] in set(session.queue(include_reviewed=True)["row_id"])


def test_source_crop_and_text_show_the_row(workspace, session):
    row = read(workspace["out"], "indicators")[0]
    crop = session.source_image("indicators", row["indicator_id"])
    assert crop is not None and crop.width > 300 and 20 < crop.height < 600
    assert crop.getextrema()[0] < 128          # ink, not a blank margin
    assert row["name"][:20] in session.source_text("indicators", row["indicator_id"])


def test_checks_name_what_is_wrong():
    row = {"lead_agency": "", "coordinating_agencies": "Sở Không Tồn Tại", "confidence": "0.5"}
    assert row_checks("indicators", row) == ["no lead agency",
                                             "unmatched agency: Sở Không Tồn Tại",
                                             "low confidence 0.50"]
    assert row_checks("targets", {"comparator": "text", "raw": "khoảng 5%"}) == [
        "number in an unparsed target"]


@given(st.lists(st.tuples(st.sampled_from(["name", "unit"]), st.text(max_size=8)),
                max_size=12))
def test_last_edit_of_a_field_wins_and_reapplying_changes_nothing(edits):
    found = [("r.csv", i + 2, Correction("indicators", "a", "edit", f, "", v,
                                         time=f"2026-01-01T00:00:{i:02d}"))
             for i, (f, v) in enumerate(edits)]
    tables = {"indicators": [{"indicator_id": "a", "name": "n", "unit": "u"}], "targets": []}
    corrections.apply(tables, found)
    once = json.dumps(tables, sort_keys=True)
    corrections.apply(tables, found)
    assert json.dumps(tables, sort_keys=True) == once
    expect = {"name": "n", "unit": "u"} | {f: v for f, v in edits}
    assert {k: tables["indicators"][0][k] for k in ("name", "unit")} == expect


def run_notebook(name: str, paths: dict[str, Path], monkeypatch, extra: str = "") -> None:
    for key, value in paths.items():
        monkeypatch.setenv(f"VNPLAN_{key.upper()}", str(value))
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


@pytest.mark.slow
def test_explore_notebook_renders_its_figures(workspace, monkeypatch):
    run_notebook("explore", workspace, monkeypatch)
    pngs = sorted(workspace["figures"].glob("*.png"))
    assert {p.stem for p in pngs} == {"sectors", "targets", "tasks_per_agency", "deadlines",
                                      "references"}
    assert all(p.stat().st_size > 5000 for p in pngs)


@pytest.mark.slow
def test_review_notebook_correction_survives_extract(workspace, session, monkeypatch):
    # What a reviewer's clicks do: change the first field shown, press "Save edits".
    click = """table, rid = app.current
field = next(iter(app.fields))
app.fields[field].value = "sửa bởi người duyệt"
app.buttons["Save edits"].click()
print(table, rid, field)"""
    run_notebook("review", workspace, monkeypatch, click)
    edit = session.corrections().iloc[-1]
    assert edit["new_value"] == "sửa bởi người duyệt"
    assert extract(workspace) == 0
    rows = read(workspace["out"], edit["table"])
    row = next(r for r in rows if corrections.row_id(edit["table"], r) == edit["row_id"])
    assert row[edit["field"]] == "sửa bởi người duyệt"


def test_notebooks_are_committed_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                assert c.outputs == [] and c.execution_count is None, path.name
