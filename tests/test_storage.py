"""Inputs by URL (a real HTTP server, file:// URLs, a real S3 API), an output folder and
a page cache by URL give the dataset a local run gives."""
from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.runtime.run import collect_inputs
from tests.conftest import FIXTURES, RAW, read

TABLES = ("documents", "indicators", "targets", "tasks", "references", "errors")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(tmp_path):
    """A folder of inputs and the URL an HTTP server on this machine serves it at."""
    folder = tmp_path / "site"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(RAW / "000_born_digital.pdf", folder / "plan.pdf")
    shutil.copy(FIXTURES / "bad" / "junk.pdf", folder / "sub" / "junk.pdf")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def test_urls_in_and_out_give_the_local_dataset(tmp_path, served):
    folder, url = served
    assert main(["extract", str(folder), "--out", str(tmp_path / "local"), "--quiet",
                 "--no-cache"]) == 1                       # junk.pdf fails, as it should
    out_url = (tmp_path / "remote").as_uri()
    assert main(["extract", url, "--out", out_url, "--quiet", "--no-cache"]) == 1
    assert main(["extract", folder.as_uri(), "--out", str(tmp_path / "file"), "--quiet",
                 "--no-cache"]) == 1
    for table in TABLES:
        want = read(tmp_path / "local", table)
        assert read(tmp_path / "remote", table) == want, table
        assert read(tmp_path / "file", table) == want, table


def test_an_input_url_that_names_nothing_is_one_error_line(served):
    _, url = served
    assert collect_inputs([url + "plan.pdf"]) == ([(url + "plan.pdf", "plan.pdf")], [])
    inputs, errors = collect_inputs([url + "missing.pdf", "/no/such/folder"])
    assert inputs == [] and [e.error for e in errors] == [
        "no such file or folder; check the path or URL", "no such file or folder; check the path"]


@pytest.fixture
def s3(tmp_path, monkeypatch):
    """A real S3 API on this machine (moto's server, started as its own process), a bucket
    in it, and the environment a user sets for an S3-compatible store."""
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-p",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        for name, value in (("AWS_ENDPOINT_URL", endpoint), ("AWS_ACCESS_KEY_ID", "test"),
                            ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_DEFAULT_REGION", "us-east-1")):
            monkeypatch.setenv(name, value)
        fs = _wait_for_s3()
        fs.mkdir("plans")
        yield fs
    finally:
        server.terminate()
        server.wait(10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_s3(seconds: float = 20.0):
    import s3fs

    deadline = time.monotonic() + seconds
    while True:
        fs = s3fs.S3FileSystem(skip_instance_cache=True)
        try:
            fs.ls("")
            return fs
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_inputs_output_and_cache_on_s3_give_the_local_dataset(tmp_path, s3, capsys):
    """Input, output folder and page cache all in an S3 bucket; the second run reads
    every page from the bucket's cache and gives the same dataset."""
    plan = RAW / "000_born_digital.pdf"
    s3.put_file(str(plan), f"plans/raw/{plan.name}")
    assert main(["extract", str(plan), "--out", str(tmp_path / "local"), "--quiet",
                 "--no-cache"]) == 0
    args = ["extract", "s3://plans/raw/", "--out", "s3://plans/structured",
            "--cache-dir", "s3://plans/cache", "--quiet"]
    assert main(args) == 0
    assert s3.find("plans/cache")                          # entries written to the bucket
    s3.rm("plans/structured", recursive=True)
    capsys.readouterr()
    assert main(args) == 0
    assert "(1 from cache)" in capsys.readouterr().err
    s3.get("plans/structured/", str(tmp_path / "remote") + "/", recursive=True)
    for table in TABLES:
        assert read(tmp_path / "remote", table) == read(tmp_path / "local", table), table
