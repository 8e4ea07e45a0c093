"""The cache is keyed by what computed it: a change to any module, lexicon or model on
the cached path misses it, with no version number to bump by hand."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.runtime.cache import CACHED_PATH, Cache, fingerprint

from tests.conftest import RAW, ROOT


def _copy_tree(dest: Path) -> Path:
    for part in ("extractors", "normalizers", "pipeline"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_a_lexicon_edit_changes_the_fingerprint(tmp_path):
    copy = _copy_tree(tmp_path)
    before = fingerprint(copy)
    assert before == fingerprint(ROOT)
    lexicon = copy / "normalizers" / "data" / "periods.yaml"
    lexicon.write_text(lexicon.read_text("utf-8") + "\n# a reviewer's note\n", "utf-8")
    assert fingerprint(copy) != before


def test_every_cached_stage_is_on_the_cached_path():
    for part in CACHED_PATH:
        assert (ROOT / part).exists(), part


def test_keys_differ_by_code_input_language_and_batch(tmp_path):
    a, b = Cache(tmp_path, code="a"), Cache(tmp_path, code="b")
    assert a.key("s", "vie", "pages 1-2") != b.key("s", "vie", "pages 1-2")
    assert a.key("s", "vie", "pages 1-2") != a.key("t", "vie", "pages 1-2")
    assert a.key("s", "vie", "pages 1-2") != a.key("s", "eng", "pages 1-2")
    assert a.key("s", "vie", "pages 1-2") != a.key("s", "vie", "pages 3-4")
    assert Cache(None).key("s", "vie") == ""      # no folder: nothing keyed, nothing hashed


def _extract(code: Path, raw: Path, out: Path, cache: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out",
                           str(out), "--cache-dir", str(cache), "--quiet", "--workers", "1"],
                          cwd=code, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.slow
def test_a_lexicon_edit_misses_the_cache_of_a_real_run(tmp_path):
    code = _copy_tree(tmp_path / "code")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "000_born_digital.pdf", raw)
    cache = tmp_path / "cache"
    assert "(0 from cache)" in _extract(code, raw, tmp_path / "o1", cache)
    assert "(1 from cache)" in _extract(code, raw, tmp_path / "o2", cache)
    lexicon = code / "extractors" / "tables" / "data" / "text_tables.yaml"
    lexicon.write_text(lexicon.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert "(0 from cache)" in _extract(code, raw, tmp_path / "o3", cache)
