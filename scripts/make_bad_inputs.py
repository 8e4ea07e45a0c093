"""Write the bad-input corpus of tests/fixtures/bad/: one small file per way an input can
be bad. Deterministic; re-run after changing it and commit the files.

Each file must give exactly one clear row in errors.csv (tests/test_bad_inputs.py).
"""
from __future__ import annotations

import sys
import zlib
from pathlib import Path

from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "bad"
GOOD = ROOT / "data" / "raw" / "000_born_digital.pdf"
ENGLISH = ("The Provincial People's Committee issues this plan to implement the national "
           "programme on employment and social security for the period 2021 to 2025. The "
           "Department of Labour shall coordinate with the relevant agencies, monitor the "
           "indicators, report every year and propose adjustments when targets are at risk. "
           "Unemployment shall stay below three percent, and health insurance shall cover "
           "more than ninety percent of the population by the end of the period.")

# (file name, stage expected in errors.csv, what it is)
CORPUS = [
    ("empty.pdf", "ingest", "0 bytes"),
    ("truncated.pdf", "ingest", "the first 1,500 bytes of a real plan"),
    ("junk.pdf", "ingest", "binary junk with a .pdf name"),
    ("encrypted.pdf", "ingest", "a PDF with a user password"),
    ("zero_pages.pdf", "ingest", "a well-formed PDF whose page tree is empty"),
    ("huge.png", "ingest", "a 20,000 x 20,000 pixel image (decompression bomb guard)"),
    ("blank.png", "ocr", "a page with nothing on it"),
    ("english.pdf", "language", "a born-digital document in English"),
]


def _text_pdf(path: Path, text: str, encrypt=None) -> None:
    c = canvas.Canvas(str(path), encrypt=encrypt, invariant=1)
    t = c.beginText(72, 760)
    words, line = text.split(), ""
    for w in words:
        if len(line) + len(w) > 85:
            t.textLine(line)
            line = ""
        line += w + " "
    t.textLine(line)
    c.drawText(t)
    c.save()


def _zero_pages_pdf() -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _huge_png(side: int = 20_000) -> bytes:
    """A valid 1-bit PNG of side x side white pixels, written directly (a few KB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    raw = zlib.compress(row * side, 9)
    ihdr = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "empty.pdf").write_bytes(b"")
    (OUT / "truncated.pdf").write_bytes(GOOD.read_bytes()[:1500])
    (OUT / "junk.pdf").write_bytes(bytes(range(256)) * 8)
    _text_pdf(OUT / "encrypted.pdf", "Kế hoạch số 1/KH-UBND",
              StandardEncryption("secret", ownerPassword="owner"))
    (OUT / "zero_pages.pdf").write_bytes(_zero_pages_pdf())
    (OUT / "huge.png").write_bytes(_huge_png())
    Image.new("L", (1200, 1600), 255).save(OUT / "blank.png", dpi=(300, 300))
    _text_pdf(OUT / "english.pdf", ENGLISH)
    for name, stage, what in CORPUS:
        print(f"{name:16} {(OUT / name).stat().st_size:>8,} bytes  {stage:9} {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
