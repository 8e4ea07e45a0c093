"""The dataset is never lost: a run that has nothing to extract writes nothing, and a
run that has replaces the whole dataset at once (pipeline/output/writer.py:publish)."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from pipeline.cli import main

from .conftest import read
from .test_repair import draw


def _plans(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        draw(folder / f"plan{k}.pdf", lambda s, k=k: s.replace("12/KH", f"{12 + k}/KH"))
    return folder


def _extract(*args: str) -> int:
    return main(["extract", *args, "--quiet", "--no-cache", "--workers", "1"])


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_mistyped_input_or_an_empty_folder_leaves_the_dataset_as_it_was(tmp_path, capsys):
    out = tmp_path / "out"
    assert _extract(str(_plans(tmp_path / "raw", 1)), "--out", str(out)) == 0
    before = _snapshot(out)
    assert _extract(str(tmp_path / "typo.pdf"), "--out", str(out)) == 2
    (tmp_path / "empty").mkdir()
    assert _extract(str(tmp_path / "empty"), "--out", str(out)) == 2
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    assert _extract(str(junk), "--out", str(out)) == 2        # no document at all
    assert _snapshot(out) == before
    assert "left as it was" in capsys.readouterr().err


def test_a_corrections_folder_named_but_missing_is_an_error(tmp_path, capsys):
    assert _extract(str(_plans(tmp_path / "raw", 1)), "--out", str(tmp_path / "out"),
                    "--corrections", str(tmp_path / "no-such-folder")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_run_replaces_texts_and_excel_files_of_the_run_before(tmp_path):
    raw, out = _plans(tmp_path / "raw", 2), tmp_path / "out"
    assert _extract(str(raw), "--out", str(out), "--excel") == 0
    assert len(list((out / "text").iterdir())) == 2 and (out / "excel").is_dir()
    (raw / "plan1.pdf").unlink()
    (out / "notes.txt").write_text("a data team's own file", "utf-8")
    assert _extract(str(raw), "--out", str(out)) == 0
    docs = read(out, "documents")
    assert [p.stem for p in (out / "text").iterdir()] == [d["doc_id"] for d in docs]
    assert not (out / "excel").exists()                 # not asked for this time
    assert (out / "notes.txt").read_text("utf-8") == "a data team's own file"
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


def test_the_manifest_says_what_the_dataset_was_made_from(tmp_path):
    raw, out = _plans(tmp_path / "raw", 1), tmp_path / "out"
    assert _extract(str(raw), "--out", str(out)) == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    [entry] = manifest["inputs"]
    assert entry["source_file"] == "plan0.pdf" and Path(entry["path"]) == raw / "plan0.pdf"
    assert entry["doc_id"] == read(out, "documents")[0]["doc_id"]
    assert manifest["pipeline_version"] and manifest["code"] and manifest["created"]
    assert manifest["settings"]["cell_gap"] == 10.0


def test_files_are_readable_by_the_group(tmp_path):
    old = os.umask(0o022)
    try:
        assert _extract(str(_plans(tmp_path / "raw", 1)), "--out", str(tmp_path / "out")) == 0
    finally:
        os.umask(old)
    for f in (tmp_path / "out").rglob("*"):
        mode = f.stat().st_mode
        assert mode & stat.S_IRGRP and mode & stat.S_IROTH, (f, oct(mode))


def test_progress_in_a_log_is_one_plain_line_a_document(tmp_path, capsys):
    assert main(["extract", str(_plans(tmp_path / "raw", 2)), "--out", str(tmp_path / "out"),
                 "--no-cache", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err                                  # no bar redrawn in place
    assert "[1/2] plan0.pdf: extracted" in err and "[2/2] plan1.pdf: extracted" in err


def test_the_same_plan_twice_is_flagged_and_counted_once(tmp_path):
    from pipeline.review import explore
    from pipeline.review.session import load_tables
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    draw(raw / "a_plan.pdf", lambda s: s)
    draw(raw / "b_copy.pdf", lambda s: s)
    (raw / "b_copy.pdf").write_bytes((raw / "b_copy.pdf").read_bytes() + b"\n%% re-saved\n")
    assert _extract(str(raw), "--out", str(out)) == 0
    docs = {d["source_file"]: d for d in read(out, "documents")}
    assert docs["a_plan.pdf"]["duplicate_of"] == ""
    assert docs["b_copy.pdf"]["duplicate_of"] == docs["a_plan.pdf"]["doc_id"]
    tables = explore.distinct_plans(load_tables(out))
    assert len(tables["documents"]) == 1 and len(tables["indicators"]) == 3


def test_money_is_whole_dong_and_every_key_unique(tmp_path):
    from pipeline.output.schema import TABLES
    out = tmp_path / "out"
    assert _extract(str(Path(__file__).parent.parent / "data/raw/000_born_digital.pdf"),
                    "--out", str(out)) == 0
    budget = read(out, "budget")
    assert budget and all(r["value_vnd"] == "" or r["value_vnd"].isdigit() for r in budget)
    for name, spec in TABLES.items():
        key = spec["primary_key"]
        rows = [tuple(r[c] for c in key) for r in read(out, name)]
        assert not key or len(rows) == len(set(rows)), name


def test_the_duckdb_database_and_parquet_files_match_the_csvs(tmp_path):
    import duckdb
    import pandas as pd

    from pipeline.output.database import SQL_NAMES, VIEWS
    from pipeline.output.schema import TABLES
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    draw(raw / "plan.pdf", lambda s: s)
    (raw / "004.txt").write_bytes((Path(__file__).parent.parent / "data/raw/004_bac_son_ocr.txt")
                                  .read_bytes())
    assert _extract(str(raw), "--out", str(out)) == 0
    con = duckdb.connect(str(out / "vnplan.duckdb"), read_only=True)
    for name in TABLES:
        n = con.execute(f"SELECT count(*) FROM {SQL_NAMES.get(name, name)}").fetchone()[0]
        assert n == len(read(out, name)), name
        assert len(pd.read_parquet(out / "parquet" / f"{name}.parquet")) == n, name
    for view in VIEWS:
        con.execute(f"SELECT * FROM {view}").fetchall()
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'indicators'").fetchall())
    assert types["number"] == "VARCHAR" and types["page"] == "BIGINT"
    assert con.execute("SELECT count(*) FROM tasks_with_documents").fetchone()[0] == \
        len(read(out, "tasks"))


def test_rows_name_their_agencies_by_id(tmp_path):
    out = tmp_path / "out"
    assert _extract(str(Path(__file__).parent.parent / "data/raw/000_born_digital.pdf"),
                    "--out", str(out)) == 0
    agencies = {a["agency_id"]: a for a in read(out, "agencies")}
    tasks = read(out, "tasks")
    assert tasks and all(agencies[t["lead_agency_id"]]["canonical_name"] == t["lead_agency"]
                         for t in tasks if t["lead_agency"])
    links = read(out, "task_agencies")
    for t in tasks:
        named = {(r["agency"], r["role"]) for r in links if r["task_id"] == t["task_id"]}
        coordinating = {(n, "coordinating") for n in t["coordinating_agencies"].split(";") if n}
        assert named == {(t["lead_agency"], "lead")} | coordinating, t["task_id"]
    duties = read(out, "duties")
    assert all(agencies[d["agency_id"]]["canonical_name"] == d["agency"] for d in duties
               if d["agency"])
