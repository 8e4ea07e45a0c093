from __future__ import annotations

import os
import subprocess
import sys

from pipeline.cli import build_parser, main
from tests.conftest import ROOT


def test_every_option_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    sub = build_parser()._subparsers._group_actions[0].choices["extract"]
    for action in sub._actions:
        if action.option_strings and action.dest != "help":
            assert action.help and len(action.help) > 10, action.dest
            assert any(f in readme for f in action.option_strings), action.option_strings


def test_help_starts_without_loading_the_pipeline():
    code = ("import sys; from pipeline.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('tesserocr', 'underthesea', 'spacy', 'dask', 'pandas', "
            "'ipywidgets', 'normalizers.restorer.restore', 'pipeline.runtime.run') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--help"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--workers" in out.stdout


def test_missing_input_is_a_usage_error_and_writes_nothing(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "o"),
                 "--quiet"]) == 2
    assert not (tmp_path / "o").exists()
    err = capsys.readouterr().err
    assert "no such file or folder" in err and "nothing was written" in err


def test_zero_workers_is_a_usage_error(tmp_path):
    assert main(["extract", str(tmp_path), "--workers", "0", "--quiet"]) == 2
    assert main(["extract", str(tmp_path), "--pages-per-job", "0", "--quiet"]) == 2


def test_make_targets_that_need_shared_say_so_in_one_line(tmp_path):
    for target in ("eval", "model", "samples"):
        out = subprocess.run(["make", "-s", target, f"SHARED={tmp_path / 'none'}"], cwd=ROOT,
                             capture_output=True, text=True)
        assert out.returncode != 0 and "Traceback" not in out.stdout + out.stderr
        assert f"make {target} needs {tmp_path / 'none'}" in out.stdout, out.stdout


def test_make_lab_passes_its_arguments_and_allows_root():
    out = subprocess.run(["make", "--no-print-directory", "-n", "lab",
                          "ARGS=--no-browser --ip 0.0.0.0"], cwd=ROOT, capture_output=True,
                         text=True)          # (under `make test`, make says where it is)
    [command] = [ln for ln in out.stdout.splitlines() if "jupyter lab" in ln]
    assert command.endswith("--no-browser --ip 0.0.0.0")
    assert ("--allow-root" in command) == (os.geteuid() == 0)
