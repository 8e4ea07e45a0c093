"""Execution: the supervised pool stops runaway jobs and survives crashes; the Dask
executor gives the same dataset; a killed run resumes from what it had finished."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.runtime.executor import Job, ProcessPool
from pipeline.runtime.run import extract

from tests.conftest import FIXTURES, RAW, ROOT, read


def square(x):
    return x * x


def sleep_forever(_):
    time.sleep(600)


def hog_memory(mb):
    block = bytearray(mb * 2**20)
    time.sleep(5)
    return len(block)


def crash(code):
    os._exit(code)


PRELOADED: list[bytes] = []


def load_model():
    PRELOADED.append(os.urandom(300 * 2**20))       # pages of real data, not zero pages


def model_bytes_and_private_mb(_):
    time.sleep(2.5)             # past SHARE_EVERY_S: the pool measures the shared pages
    mem = psutil.Process().memory_full_info()
    return len(PRELOADED[0]), mem.uss / 2**20, mem.rss / 2**20


def test_what_the_pool_preloads_is_shared_by_its_workers():
    """The restorer's model is loaded once, before the workers fork: each worker sees
    it, holds it in pages shared with the others, and is measured by its share."""
    with ProcessPool(2, preload=load_model) as pool:
        for i in range(2):
            pool.submit(Job(i, model_bytes_and_private_mb, (i,)))
        outcomes = [o.value for o in pool.as_completed()]
    PRELOADED.clear()
    assert [size for size, _, _ in outcomes] == [300 * 2**20] * 2
    assert all(private < 200 for _, private, _ in outcomes), outcomes
    # measured by its share: the model's pages count a part, not whole, in each worker
    assert pool.peak_mb < min(rss for _, _, rss in outcomes) - 100, (pool.peak_mb, outcomes)


def test_jobs_run_by_rank_then_in_the_order_submitted():
    with ProcessPool(1) as pool:
        for key, rank in [("a", 2), ("b", 1), ("c", 2), ("d", 0)]:
            pool.submit(Job(key, square, (3,), rank))
        order = [o.key for o in pool.as_completed()]
    assert order == ["d", "b", "a", "c"]


def test_runaway_and_crashing_jobs_are_stopped_and_the_rest_go_on():
    jobs = [Job(("ok", i), square, (i,)) for i in range(6)] + [
        Job("slow", sleep_forever, (0,)), Job("hog", hog_memory, (800,)),
        Job("crash", crash, (3,)), Job("raises", square, (None,))]
    start = time.monotonic()
    with ProcessPool(2, timeout_s=3, memory_mb=500) as pool:
        for job in jobs:
            pool.submit(job)
        outcomes = {o.key: o for o in pool.as_completed()}
    assert time.monotonic() - start < 30
    assert [outcomes[("ok", i)].value for i in range(6)] == [0, 1, 4, 9, 16, 25]
    assert "longer than 3 s" in outcomes["slow"].error
    assert "more than 500 MB" in outcomes["hog"].error
    assert "crashed" in outcomes["crash"].error
    assert outcomes["raises"].error.startswith("TypeError")
    assert pool.peak_mb > 500



@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_dataset(tmp_path, caplog):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_born_digital.pdf", "004_bac_son_ocr.txt"):
        shutil.copy(RAW / name, raw / name)
    shutil.copy(FIXTURES / "bad" / "junk.pdf", raw / "junk.pdf")
    local = extract([raw], tmp_path / "local", workers=2, progress=False)
    caplog.set_level(logging.INFO)
    dask = extract([raw], tmp_path / "dask", workers=2, progress=False, executor="dask")
    assert dask.documents == local.documents == 2 and dask.failed == ["junk.pdf"]
    assert dask.peak_worker_mb > 0              # the workers' memory is measured on Dask too
    chatter = [r.getMessage() for r in caplog.records if r.name.startswith("distributed")]
    assert not chatter, chatter[:3]          # quiet is quiet on a Dask cluster too
    for table in ("documents", "indicators", "targets", "tasks", "references", "errors"):
        assert read(tmp_path / "dask", table) == read(tmp_path / "local", table), table


def tesseract_threads_and_model_in_memory(_):
    from normalizers.restorer.restore import default_restorer
    return os.environ.get("OMP_THREAD_LIMIT"), default_restorer().lm.logp.complete


def test_dask_workers_run_one_tesseract_thread_and_share_the_mapped_model():
    """Regression: the limit was set on a pickled copy of os.environ, and Tesseract reads
    the real one: Tesseract's threads spun against each other's worker (a run
    took 2.3 times the local pool's). A Dask worker keeps the model memory-mapped."""
    from pipeline.runtime.executor import DaskPool
    with DaskPool(2, quiet=True) as pool:
        for i in range(2):
            pool.submit(Job(i, tesseract_threads_and_model_in_memory, (i,)))
        outcomes = [o.value for o in pool.as_completed()]
    assert outcomes == [("1", False)] * 2
    with ProcessPool(1) as pool:
        pool.submit(Job(0, tesseract_threads_and_model_in_memory, (0,)))
        assert [o.value for o in pool.as_completed()] == [("1", True)]


def _processes_writing(out) -> list[int]:
    """Live processes of a run writing to `out` (a worker carries its run's command line)."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        cmd = proc.info["cmdline"] or []
        if str(out) in cmd and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc.info["pid"])
    return found


@pytest.mark.slow
def test_killed_run_leaves_no_partial_output_and_resumes(tmp_path):
    raw, out, cache = tmp_path / "raw", tmp_path / "out", tmp_path / "cache"
    raw.mkdir()
    shutil.copy(FIXTURES / "003_scanned_head.pdf", raw / "a.pdf")
    shutil.copy(RAW / "000_born_digital.pdf", raw / "b.pdf")
    cmd = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
           "--cache-dir", str(cache), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(cache.rglob("*.json.gz")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)          # the run (its workers have own groups)
    proc.wait()
    # Regression: the workers outlived a killed run, each holding the restorer's model.
    deadline = time.monotonic() + 10
    while _processes_writing(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_writing(out)
    kept = {p: p.stat().st_mtime_ns for p in cache.rglob("*.json.gz")}
    assert kept and proc.returncode == -signal.SIGKILL
    assert not out.exists() or not list(out.rglob("*"))      # nothing half-written

    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {r["source_file"] for r in read(out, "documents")} == {"a.pdf", "b.pdf"}
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())   # reused, not redone
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_hostile_file_names_never_reach_output_paths_or_a_shell(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    hostile = "$(touch pwned); `id` ..%2f..%2fevil |rm -rf x.txt"
    shutil.copy(RAW / "004_bac_son_ocr.txt", raw / hostile)
    summary = extract([raw], tmp_path / "out", workers=1, progress=False)
    assert summary.documents == 1
    assert read(tmp_path / "out", "documents")[0]["source_file"] == hostile
    names = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")}
    assert all(n.endswith((".csv", ".json", ".duckdb", "text", "parquet"))
               or n.startswith(("text/", "parquet/")) for n in names), names
    assert not [n for n in names if "pwned" in n or "evil" in n or "$" in n]
    assert not list(tmp_path.rglob("pwned")) and not (ROOT / "pwned").exists()
