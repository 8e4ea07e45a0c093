"""Reviewer workflow: corrections through the review module survive re-extraction; stale
ones are reported; both notebooks execute headlessly on a real run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings, strategies as st
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
    # a rejected indicator takes its targets with it, and only its own
    before = read(workspace["out"], "targets")
    assert all(t["indicator_id"] != rejected["indicator_id"] for t in before)
    assert any(t["indicator_id"] == edited["indicator_id"] for t in before)
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


def test_corrections_stay_with_their_document(workspace, session, tmp_path):
    """Reviewed samples, then an unrelated document extracted elsewhere with the same
    corrections folder: nothing of the review reaches it (a regression: added rows were
    put into it and every other correction was called stale)."""
    ind = read(workspace["out"], "indicators")[0]
    session.edit("indicators", ind["indicator_id"], "unit", "phần trăm")
    session.add("indicators", {"indicator_id": "manual-2", "doc_id": ind["doc_id"],
                               "name": "Tỷ lệ hộ nghèo", "unit": "%"})
    [line] = [r for r in read(workspace["corrections"], "Nguyễn_Văn_A") if r["action"] == "add"]
    assert line["doc_id"] == ind["doc_id"] and line["source_file"] == "000_born_digital.pdf"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(RAW / "004_bac_son_ocr.txt", other / "004.txt")
    out = tmp_path / "out"
    assert main(["extract", str(other), "--out", str(out), "--cache-dir",
                 str(workspace["cache"]), "--corrections", str(workspace["corrections"]),
                 "--quiet", "--workers", "1"]) == 0
    assert "manual-2" not in {r["indicator_id"] for r in read(out, "indicators")}
    statuses = {r["status"] for r in read(out, "corrections")}
    assert statuses == {"not in this run"}
    assert all("delete" not in r["detail"] for r in read(out, "corrections"))


def test_a_correction_survives_a_change_elsewhere_in_its_source(tmp_path):
    """The file changes (a line added above the table) but the row reads the same: its
    correction still applies."""
    from tests.test_repair import LINES, draw
    raw, out, fixes = tmp_path / "raw", tmp_path / "out", tmp_path / "fixes"
    raw.mkdir()
    fixes.mkdir()
    draw(raw / "plan.pdf", lambda s: s)
    run = ["extract", str(raw), "--out", str(out), "--no-cache", "--quiet", "--workers", "1",
           "--corrections", str(fixes)]
    assert main(run) == 0
    review = ReviewSession(out, fixes, raw, reviewer="B")
    first = read(out, "indicators")[0]
    review.edit("indicators", first["indicator_id"], "unit", "phần trăm")
    LINES.insert(1, "Văn bản này được sửa đổi lần thứ hai")
    try:
        draw(raw / "plan.pdf", lambda s: s)
    finally:
        LINES.pop(1)
    assert main(run) == 0
    [doc] = read(out, "documents")
    assert doc["doc_id"] != first["doc_id"]                   # other bytes, other doc_id
    after = {r["name"]: r for r in read(out, "indicators")}
    assert after[first["name"]]["unit"] == "phần trăm"
    assert [r["status"] for r in read(out, "corrections")] == ["applied"]


def test_edits_are_checked_and_dates_normalised(workspace, session):
    task = read(workspace["out"], "tasks")[0]
    c = session.edit("tasks", task["task_id"], "deadline", "31/12/2025")
    assert c.new_value == "2025-12-31"
    with pytest.raises(ValueError, match="must be a date"):
        session.edit("tasks", task["task_id"], "deadline", "cuối năm sau")
    with pytest.raises(ValueError, match="needs doc_id"):
        session.add("tasks", {"task_id": "t-1", "description": "Tổ chức hội nghị"})
    with pytest.raises(ValueError, match="no document"):
        session.add("tasks", {"task_id": "t-1", "doc_id": "0000", "description": "x"})
    bad = Correction("tasks", task["task_id"], "edit", "deadline", "", "31/13/2025")
    tables = {"tasks": [dict(task)], "documents": [{"doc_id": task["doc_id"],
                                                    "source_file": "x"}]}
    [report] = corrections.apply(tables, [("f.csv", 2, bad)])
    assert report["status"] == "invalid" and tables["tasks"][0]["deadline"] == task["deadline"]


_EDITABLE = {"indicators": ["name", "unit", "lead_agency", "page", "confidence"],
             "tasks": ["description", "deadline", "start_date", "recurrence", "page"],
             "targets": ["raw", "value_min", "value_max", "comparator"],
             "budget": ["value", "value_vnd", "year", "is_total", "item"]}
_VALUES = {"string": st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                             max_size=30),
           "date": st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
           "integer": st.integers(0, 10_000).map(str),
           "number": st.floats(-1e9, 1e9, allow_nan=False).map(lambda v: f"{v:.3f}"),
           "boolean": st.sampled_from(["true", "false"])}


@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_any_valid_corrections_leave_a_valid_datapackage(workspace, data):
    import tempfile

    from frictionless import validate

    from pipeline.output.schema import TABLES, column_type
    from pipeline.output.writer import write_datapackage, write_table
    tables = {t: read(workspace["out"], t) for t in TABLES if t != "corrections"}
    docs = [d["doc_id"] for d in tables["documents"]]
    found = []
    for k in range(data.draw(st.integers(1, 8))):
        table = data.draw(st.sampled_from(sorted(_EDITABLE)))
        row = data.draw(st.sampled_from(tables[table]))
        rid = corrections.row_id(table, row)
        action = data.draw(st.sampled_from(["edit", "edit", "reject", "add", "foreign"]))
        if action == "edit":
            field = data.draw(st.sampled_from(_EDITABLE[table]))
            value = data.draw(_VALUES[column_type(table, field)])
            c = Correction(table, rid, "edit", field, "", value)
        elif action == "reject":
            c = Correction(table, rid, "reject")
        else:
            doc = "f" * 16 if action == "foreign" else data.draw(st.sampled_from(docs))
            new = {"indicator_id": f"manual-{k}", "doc_id": doc, "name": "Tỷ lệ", "unit": "%"}
            c = Correction("indicators", f"manual-{k}", "add", new_value=json.dumps(new),
                           doc_id=doc, source_file="elsewhere.pdf" if action == "foreign" else "")
        c.time = f"2026-01-01T00:00:{k:02d}"
        found.append(("r.csv", k + 2, c))
    report = corrections.apply(tables, found)
    assert all(r["status"] == "not in this run" for r, (_, _, c) in zip(report, found)
               if c.doc_id == "f" * 16)
    assert not [r for r in tables["indicators"] if r["doc_id"] not in docs]
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in {**tables, "corrections": report}.items():
            write_table(Path(tmp), name, rows)
        write_datapackage(Path(tmp))
        result = validate(Path(tmp) / "datapackage.json")
        assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_a_missing_crop_says_why(workspace, tmp_path):
    """The reviewed folder's sources are found through its manifest, wherever the raw
    folder is; when a source is gone, the session says so (it used to return None)."""
    elsewhere = ReviewSession(workspace["out"], tmp_path / "c", tmp_path / "no-raw-here")
    row = read(workspace["out"], "indicators")[0]
    assert elsewhere.source_image("indicators", row["indicator_id"]) is not None
    copy = tmp_path / "raw"
    shutil.copytree(workspace["raw"], copy)
    moved = ReviewSession(workspace["out"], tmp_path / "c", copy)
    (workspace["raw"] / "000_born_digital.pdf").rename(tmp_path / "away.pdf")
    try:
        assert moved.crop_problem("indicators", row["indicator_id"]) == ""   # found in raw
        shutil.rmtree(copy)
        problem = moved.crop_problem("indicators", row["indicator_id"])
        assert "not there" in problem and "000_born_digital.pdf" in problem
        assert moved.source_image("indicators", row["indicator_id"]) is None
    finally:
        (tmp_path / "away.pdf").rename(workspace["raw"] / "000_born_digital.pdf")


def test_rejecting_a_row_drops_only_the_rows_that_refer_to_it():
    """Regression: a foreign key's column name was read letter by letter, so rejecting
    one indicator dropped the targets of every indicator."""
    tables = {"indicators": [{"indicator_id": "a"}, {"indicator_id": "b"}],
              "targets": [{"indicator_id": "a", "kind": "target", "year": 2025},
                          {"indicator_id": "b", "kind": "target", "year": 2025}],
              "documents": []}
    corrections.apply(tables, [("f.csv", 2, Correction("indicators", "a", "reject"))])
    assert [t["indicator_id"] for t in tables["targets"]] == ["b"]
