"""Stable row ids, so that reviewers' corrections keep their row across runs.

A row's id is made from the name of its document in the input folder and the row's own
content (number, name, description ...), not from the document's bytes: a source that
changes elsewhere (a blank line added, a page re-scanned) keeps the ids of the rows
that read the same, and so keeps their corrections. Two files of one plan (a PDF and
its scan) have different names, so their rows never collide."""
from __future__ import annotations

import hashlib


def stable_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def unique_id(seen: set[str], *choices: tuple[str, ...]) -> str:
    """The first id of choices (each the parts of one) not yet in `seen`, which it joins;
    when all are taken, the last with the row's rank among its namesakes, so that a table
    repeating a row ("Trong đó:") never gives two rows one id."""
    for parts in choices:
        if stable_id(*parts) not in seen:
            found = stable_id(*parts)
            break
    else:
        rank = 2
        while stable_id(*choices[-1], str(rank)) in seen:
            rank += 1
        found = stable_id(*choices[-1], str(rank))
    seen.add(found)
    return found
