from __future__ import annotations

import subprocess
import sys

from pipeline.cli import build_parser, main
from tests.conftest import ROOT


def test_help_documents_every_option():
    sub = build_parser()._subparsers._group_actions[0].choices["extract"]
    text = sub.format_help()
    for action in sub._actions:
        for flag in action.option_strings:
            assert flag in text
        if action.option_strings and action.dest != "help":
            assert action.help, action.dest


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--help"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--workers" in out.stdout


def test_missing_input_is_an_error_row(tmp_path):
    assert main(["extract", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "o"),
                 "--quiet"]) == 1
    rows = (tmp_path / "o" / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and "no such file" in rows[1]


def test_zero_workers_is_a_usage_error(tmp_path):
    assert main(["extract", str(tmp_path), "--workers", "0", "--quiet"]) == 2
