"""antiword: the text of a legacy Word 97-2003 file (.doc), tables as "|cell|cell|" lines.

Run with the UTF-8 map and no line wrapping (-w 0), so a paragraph is one line and
Vietnamese letters come through as they are. One external tool, this module.
"""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from extractors.errors import CorruptInput, InputError

TIMEOUT_S = 120


class AntiwordMissing(InputError):
    stage = "setup"


@lru_cache(maxsize=1)
def check_installed() -> None:
    if shutil.which("antiword") is None:
        raise AntiwordMissing("antiword is not installed, so .doc files cannot be read; run: "
                              "sudo apt-get install -y antiword (or `make setup` as root), or "
                              "save the file as .docx")


def doc_text(path: Path) -> str:
    """The file's text; CorruptInput when antiword cannot read it."""
    check_installed()
    try:
        run = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)],
                             capture_output=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise CorruptInput(f"antiword took over {TIMEOUT_S} s on this .doc; save it as .docx "
                           "and re-run") from None
    if run.returncode != 0 or not run.stdout.strip():
        why = run.stderr.decode("utf-8", "replace").replace(str(path), "").strip().splitlines()
        raise CorruptInput("legacy Word file cannot be read (antiword: " + (
            why[-1].strip(" .")[:80] if why else "no text") + "); open it in Word, or run "
            "`libreoffice --headless --convert-to docx FILE`, and re-run with the .docx")
    return run.stdout.decode("utf-8", "replace")
