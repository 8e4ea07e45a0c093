#!/usr/bin/env bash
# Make a fresh Debian machine ready: system packages (as root) and the virtualenv.
# Called by `make` before every target that runs Python; cheap when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

missing_system() {
    local missing=()
    command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
    if command -v tesseract >/dev/null 2>&1; then
        tesseract --list-langs 2>/dev/null | grep -qx vie || missing+=(tesseract-ocr-vie)
        tesseract --list-langs 2>/dev/null | grep -qx eng || missing+=(tesseract-ocr-eng)
    else
        missing+=(tesseract-ocr-vie tesseract-ocr-eng)
    fi
    command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    # legacy .doc, .rtf, .xls and .ods, converted (extractors/sources/libreoffice.py)
    command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
    [ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
    # Times New Roman's metric twin with every Vietnamese letter (fixtures, make bench)
    [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)
    echo "${missing[@]:-}"
}

need=$(missing_system)
if [ -n "$need" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "bootstrap: installing system packages: $need" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends $need >/dev/null
    else
        echo "bootstrap: missing system packages; run: sudo apt-get install -y $need" >&2
        exit 1
    fi
fi

stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "bootstrap: installing Python packages into $VENV" >&2
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q -e '.[dev]'
    touch "$stamp"
fi
