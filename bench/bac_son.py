"""The Bắc Sơn ward plan (seed 004, English-model OCR of a real scan) against our hand gold.

  python -m bench.bac_son

tests/golden/bac_son/body.tsv holds 175 lines of the body (seed lines 1-226: header,
purposes, tasks 1-5.1) restored by hand; appendix.csv the appendix table's 80 rows
(indicator names, 2025 and 2030 targets; a blank is a cell the scan leaves unreadable,
not scored). Neither was ever training text.

Body: the file is restored as the pipeline restores a document (one garbled-mode
document); a gold syllable counts when the output has it at the aligned place with its
letters, marks and tone (tone placement free), so a split or merged token costs only its
own syllables. Appendix: `make extract` on the file; extracted indicator rows are lined
up with the gold rows in order (names compared without marks), a name counts when it
equals the gold name syllable for syllable, a target when its text equals the gold cell;
and the canonical indicator id each garbled name snapped to (indicators.csv) against
the id the registry gives the gold name: a held-out measure of the snapping threshold.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import tempfile
import time
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from pipeline.settings import SETTINGS

from normalizers.indicators import best_match
from normalizers.restorer.restore import default_restorer, detect_mode
from normalizers.restorer.vietnamese import WORD, decompose, strip_marks

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "golden" / "bac_son"
SOURCE = ROOT / "data" / "raw" / "004_bac_son_ocr.txt"
YEARS = ("2025", "2030")


def body_gold() -> list[dict]:
    with (GOLD / "body.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def syllables(text: str) -> list[tuple]:
    """Word tokens as (letters, shape marks, tone), lower case: 'hoà' equals 'hòa'."""
    return [decompose(w.lower()) for w in WORD.findall(text)]


def syllable_score(gold: list[str], output: list[str]) -> tuple[int, int]:
    """Gold syllables found at their aligned place in the output, and gold syllables."""
    right = total = 0
    for want, got in zip(gold, output):
        a, b = syllables(want), syllables(got)
        total += len(a)
        right += sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False)
                     .get_matching_blocks())
    return right, total


def restored_body(text: str) -> tuple[list[str], float]:
    """The whole file restored as one document, and the seconds it took."""
    restorer = default_restorer()
    start = time.process_time()
    out = restorer.restore_many([text], detect_mode(text))[0].text
    return out.split("\n"), time.process_time() - start


def body_scores() -> dict[str, float]:
    gold = body_gold()
    source = SOURCE.read_text(encoding="utf-8")
    lines, seconds = restored_body(source)
    ocr = [row["ocr"] for row in gold]
    want = [row["restored"] for row in gold]
    out = [lines[int(row["line"]) - 1] for row in gold]
    raw_right, total = syllable_score(want, ocr)
    right, _ = syllable_score(want, out)
    exact = sum(syllables(w) == syllables(o) for w, o in zip(want, out))
    words = len(WORD.findall(source))
    return {"syllables": total, "raw": raw_right / total, "restored": right / total,
            "lines_exact": exact / len(gold), "syll_per_s": words / max(seconds, 1e-9)}


def same_name(a: str, b: str) -> bool:
    return syllables(a) == syllables(b) and a.split() and len(a.split()) == len(b.split())


def _plain(name: str) -> str:
    return strip_marks(str(name)).lower()


def line_up(gold: list[str], found: list[str], least: float = 60.0) -> list[int | None]:
    """For each gold name, the index of its extracted row: the order-keeping matching
    with the largest total similarity (names compared without marks), pairs below
    `least` left out; a blank gold name gets the one row between its neighbours' rows."""
    n, m = len(gold), len(found)
    sim = [[fuzz.ratio(_plain(g), _plain(f)) for f in found] for g in gold]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= least else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: list[int | None] = [None] * n
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= least and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            out[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    for i in range(1, n - 1):       # a name the scan left unreadable: the row between
        if not gold[i] and out[i - 1] is not None and out[i + 1] == out[i - 1] + 2:
            out[i] = out[i - 1] + 1     # its neighbours' rows, where one lies there
    return out


def _cell(value: str) -> str:
    return str(value).replace(" ", "").replace("≥", ">=").replace("≤", "<=")


def appendix_scores(structured: Path) -> dict[str, float]:
    gold = pd.read_csv(GOLD / "appendix.csv", dtype=str, keep_default_na=False)
    ind = pd.read_csv(structured / "indicators.csv", dtype=str, keep_default_na=False)
    tgt = pd.read_csv(structured / "targets.csv", dtype=str, keep_default_na=False)
    found = ind["name"].tolist()
    match = line_up(gold["name"].tolist(), found)
    names = right_names = targets = right_targets = 0
    for (_, row), j in zip(gold.iterrows(), match):
        if row["name"]:
            names += 1
            right_names += j is not None and bool(same_name(row["name"], found[j]))
        for year in YEARS:
            want = row[f"target_{year}"]
            if not want:
                continue
            targets += 1
            if j is not None:
                got = tgt[(tgt.indicator_id == ind.iloc[j]["indicator_id"]) & (tgt.year == year)]
                right_targets += any(_cell(r) == _cell(want) for r in got["raw"])
    known = snapped = agree = 0         # canonical ids: the gold name's, the extracted one's
    for (_, row), j in zip(gold.iterrows(), match):
        want_id, score = best_match(row["name"]) if row["name"] else ("", 0.0)
        if score < SETTINGS.indicator_snap:
            continue
        known += 1
        got_id = ind.iloc[j]["canonical_indicator_id"] if j is not None else ""
        snapped += bool(got_id)
        agree += got_id == want_id
    return {"names": names, "names_exact": right_names / names,
            "targets": targets, "targets_right": right_targets / targets,
            "rows_found": sum(j is not None for j in match) / len(gold),
            "ids_known": known, "ids_snapped": snapped, "ids_agree": agree}


def extract(out: Path) -> None:
    from pipeline.cli import main as cli

    cli(["extract", str(SOURCE), "--out", str(out), "--quiet", "--no-cache"])


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    body = body_scores()
    print(f"Bắc Sơn body, hand gold ({body['syllables']:,} syllables, 175 lines): "
          f"OCR as given {body['raw']:.1%} -> restored {body['restored']:.1%} "
          f"(target 96%); lines exactly right {body['lines_exact']:.1%}; "
          f"{body['syll_per_s']:,.0f} syll/s")
    with tempfile.TemporaryDirectory() as tmp:
        extract(Path(tmp))
        app = appendix_scores(Path(tmp))
    print(f"Bắc Sơn appendix, hand gold: indicator names exactly right "
          f"{app['names_exact']:.1%} of {app['names']} (target 90%); 2025/2030 targets "
          f"{app['targets_right']:.1%} of {app['targets']} (target 95%); rows found "
          f"{app['rows_found']:.1%}")
    print(f"Bắc Sơn appendix, canonical indicator ids: of {app['ids_known']} gold names the "
          f"registry knows, {app['ids_snapped']} extracted names snapped to an id, "
          f"{app['ids_agree']} to the gold name's")


if __name__ == "__main__":
    main()
