"""Text the diacritics restorer learns from, and the text held out to measure it.

One place decides the split so that `make model` and `make bench` cannot disagree:
every 25th law and every 25th recent legal document (by name) and seed 003 are held
out as administrative test text;
underthesea's VLSP2013 test corpus is the general-domain test and never trained on.
"""
from __future__ import annotations

import lzma
from pathlib import Path
from typing import Iterator

from normalizers.restorer.vietnamese import diacritic_share

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
HELD_OUT_SEEDS = {"003"}
HELD_OUT_EVERY = 25


def _articles(path: Path) -> Iterator[tuple[str, list[str]]]:
    name, lines = None, []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("### "):
                if name is not None:
                    yield name, lines
                name, lines = line[4:].strip(), []
            elif line.strip():
                lines.append(line.rstrip("\n"))
    if name is not None:
        yield name, lines


def law_texts(held_out: bool) -> list[list[str]]:
    """The laws, each as its lines."""
    articles = sorted(_articles(CORPUS / "laws.txt.xz"))
    return [lines for i, (_, lines) in enumerate(articles)
            if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == held_out]


def laws(held_out: bool) -> list[str]:
    return [line for lines in law_texts(held_out) for line in lines]


def vbpl_texts(held_out: bool) -> list[list[str]]:
    """The 974 recent legal documents (decrees, decisions, plans of 2024-2025), each as
    its lines; every 25th held out, as for the laws."""
    articles = sorted(_articles(CORPUS / "vbpl.txt.xz"))
    return [lines for i, (_, lines) in enumerate(articles)
            if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == held_out]


def vbpl(held_out: bool) -> list[str]:
    return [line for lines in vbpl_texts(held_out) for line in lines]


def wikipedia() -> list[str]:
    return [line for _, lines in _articles(CORPUS / "viwiki.txt.xz") for line in lines]


def seeds(held_out: bool) -> list[str]:
    """Accented seed documents (garbled ones such as 004 are never training text)."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if diacritic_share(text) < 0.3:
            continue
        if (path.name[:3] in HELD_OUT_SEEDS) == held_out:
            out.extend(line for line in text.splitlines() if line.strip())
    return out


def vlsp_sentences() -> list[str]:
    """underthesea's tokenised VLSP2013 test corpus, as plain sentences."""
    import underthesea

    path = (Path(underthesea.__file__).parent / "pipeline" / "pos_tag" / "models"
            / "pos_crf_vlsp2013_20230303" / "test_output.txt")
    sents, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sents.append(" ".join(words))
            words = []
        else:
            words.append(line.split("\t")[0])
    if words:
        sents.append(" ".join(words))
    return sents


def word_list() -> list[str]:
    """Viet74K: every entry a line, for the vocabulary of rare but valid syllables."""
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    return path.read_text(encoding="utf-8").splitlines()
