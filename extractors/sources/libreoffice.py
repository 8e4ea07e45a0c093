"""LibreOffice headless: word-processor files python-docx cannot open (legacy Word 97-2003
.doc, .rtf) converted to .docx, which extractors/sources/docx.py then reads, merged cells
and all. One external tool, this module.

Each conversion runs with a profile of its own in a temporary folder: LibreOffice locks
its profile, so two workers converting at once with the default one would fail. It says
"source file could not be loaded" and exits 0 on a file it cannot read; the missing
output is what tells.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from extractors.errors import CorruptInput, InputError

TIMEOUT_S = 180
INSTALL = ("sudo apt-get install -y --no-install-recommends libreoffice-writer-nogui "
           "libreoffice-calc-nogui")


class LibreOfficeMissing(InputError):
    stage = "setup"


@lru_cache(maxsize=1)
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise LibreOfficeMissing(f"LibreOffice is not installed, so .doc, .rtf, .xls and .ods "
                                 f"files cannot be read; run: {INSTALL} (or `make setup` as "
                                 f"root), or save the file as .docx or .xlsx")
    return found


def convert(path: Path, workdir: Path, to: str = "docx") -> Path:
    """The file of type `to` (docx, doc, rtf, pdf ...) LibreOffice makes of `path`, written
    into `workdir`; CorruptInput when it cannot read the file."""
    kind = path.suffix.lower() or "file"
    with tempfile.TemporaryDirectory(prefix="vnplan-lo-profile-") as profile:
        try:
            run = subprocess.run(
                [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                 "--norestore", "--convert-to", to, "--outdir", str(workdir), str(path)],
                capture_output=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise CorruptInput(f"LibreOffice took over {TIMEOUT_S} s on this {kind}; open it in "
                               "Word or LibreOffice, save it as .docx and re-run") from None
    out = workdir / f"{path.stem}.{to}"
    if not out.is_file():
        said = [line for line in (run.stdout + run.stderr).decode("utf-8", "replace").splitlines()
                if line.startswith("Error")]
        raise CorruptInput(f"{kind} file cannot be read (LibreOffice: "
                           f"{said[-1].removeprefix('Error: ')[:80] if said else 'no output'}); "
                           "the file is damaged: open it in Word and save it as .docx")
    return out
