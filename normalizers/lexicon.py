"""Lexicons: the YAML files of rules and vocabularies beside the code that reads them.

Loaded once per process and checked against the shape their reader expects, so a
lexicon edited by hand that lost a key or turned a list into a string fails at once
with the file and the key named, not later as a KeyError deep in a stage.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

# key -> the type of its value, or (list, keys every item of the list must have)
Shape = dict[str, "type | tuple[type, tuple[str, ...]]"]


class LexiconError(ValueError):
    """A lexicon file that does not have the shape its reader needs."""


def load(path: Path, shape: Shape) -> dict:
    """The file's data (a copy the caller may extend), checked against shape."""
    return copy.deepcopy(_load(path, tuple((k, v) for k, v in shape.items())))


@lru_cache(maxsize=None)
def _load(path: Path, shape: tuple) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML ({exc}); undo the last edit") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: must be a mapping of keys to values")
    for key, want in shape:
        kind, item_keys = want if isinstance(want, tuple) else (want, ())
        if key not in data:
            raise LexiconError(f"{path}: key {key!r} is missing")
        if not isinstance(data[key], kind):
            raise LexiconError(f"{path}: {key!r} must be a {kind.__name__}, "
                               f"not {type(data[key]).__name__}")
        for i, item in enumerate(data[key] if item_keys else []):
            missing = [k for k in item_keys if not isinstance(item, dict) or k not in item]
            if missing:
                raise LexiconError(f"{path}: item {i + 1} of {key!r} lacks {', '.join(missing)}")
    return data
