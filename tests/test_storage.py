"""Inputs by URL (a real HTTP server, file:// URLs) and an output folder by URL give the
dataset a local run gives."""
from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

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
