"""A real Dask cluster: `dask scheduler` and `dask worker` started as processes of their
own, the workers in a working folder where the client's relative paths mean nothing;
every CSV must equal the local pool's, also when a worker is killed mid-run."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.runtime.run import extract
from tests.conftest import FIXTURES, RAW, ROOT, read

pytestmark = pytest.mark.slow
TABLES = ("documents", "indicators", "targets", "tasks", "references", "budget", "errors")
DASK = str(Path(sys.executable).with_name("dask"))


def _start(cmd: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.fixture
def cluster(tmp_path):
    """(scheduler address, client) of a scheduler and two nanny-less workers whose
    working folder is elsewhere; torn down whatever the test does."""
    from dask.distributed import Client

    where = tmp_path / "cluster"
    (where / "work").mkdir(parents=True)
    sched_file = where / "scheduler.json"
    procs = [_start([DASK, "scheduler", "--scheduler-file", str(sched_file), "--port", "0",
                     "--no-dashboard"], where, where / "scheduler.log")]
    deadline = time.monotonic() + 60
    while not sched_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    for i in range(2):
        procs.append(_start([DASK, "worker", "--scheduler-file", str(sched_file), "--nthreads",
                             "1", "--no-nanny", "--no-dashboard", "--local-directory",
                             str(where / "work")], where / "work", where / f"worker{i}.log"))
    client = Client(scheduler_file=str(sched_file), timeout=60)
    try:
        client.wait_for_workers(2, timeout=120)
        yield json.loads(sched_file.read_text())["address"], client
    finally:
        client.close()
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def _inputs(folder: Path, names: list[tuple[Path, str]]) -> Path:
    folder.mkdir()
    for src, name in names:
        shutil.copy(src, folder / name)
    return folder


def test_relative_inputs_on_workers_in_another_folder(tmp_path, cluster, monkeypatch):
    """Regression: jobs carried the paths as typed ('raw/x.pdf'), which a worker in
    another working folder cannot open."""
    address, _ = cluster
    _inputs(tmp_path / "raw", [(RAW / "000_born_digital.pdf", "a.pdf"),
                               (RAW / "004_bac_son_ocr.txt", "b.txt"),
                               (FIXTURES / "bad" / "junk.pdf", "junk.pdf")])
    local = extract([tmp_path / "raw"], tmp_path / "local", workers=2, progress=False)
    monkeypatch.chdir(tmp_path)
    remote = extract([Path("raw")], Path("remote"), progress=False, executor="dask",
                     scheduler=address, cache_dir=Path("cache"))
    assert remote.documents == local.documents == 2 and remote.failed == ["junk.pdf"]
    for table in TABLES:
        assert read(tmp_path / "remote", table) == read(tmp_path / "local", table), table


def test_shipped_inputs_survive_a_worker_killed_mid_run(tmp_path, cluster):
    """Inputs sent as bytes (as to workers that cannot see this machine's disk); one
    worker killed by its pid while it works: its jobs run again on the other."""
    address, client = cluster
    raw = _inputs(tmp_path / "raw", [(FIXTURES / "003_scanned_head.pdf", "scan.pdf"),
                                     (RAW / "000_born_digital.pdf", "born.pdf"),
                                     (RAW / "004_bac_son_ocr.txt", "ocr.txt")])
    extract([raw], tmp_path / "local", workers=2, progress=False, cache_dir=None,
            pages_per_job=1)
    cmd = [sys.executable, "-m", "pipeline", "extract", "raw", "--out", "remote", "--no-cache",
           "--quiet", "--executor", "dask", "--scheduler", address, "--ship-inputs",
           "--pages-per-job", "1"]
    run = subprocess.Popen(cmd, cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    pids = client.run(os.getpid)
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and run.poll() is None and time.monotonic() < deadline:
        busy = [w for w, tasks in client.processing().items() if tasks]
        victim = busy[0] if busy else None
        time.sleep(0.05)
    assert victim is not None, "the run never gave the cluster work"
    os.kill(pids[victim], signal.SIGKILL)
    _, err = run.communicate(timeout=400)
    assert run.returncode == 0, err
    assert "3 document(s) extracted" in err
    for table in TABLES:
        assert read(tmp_path / "remote", table) == read(tmp_path / "local", table), table
