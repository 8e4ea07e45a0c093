"""Letter-level candidates for OCR tokens that no change of marks explains.

A bad scan destroys letters: 'ning' for 'năng' (ă read i), 'Pay' for 'Đẩy', 'nghi¢p' for
'nghiệp', 'vệ€' with a table rule glued on, 'x hoi' for 'xã hội' (the vowel lost). The
channel's rewrites cover the confusions its training pairs showed; this module adds what
they did not: every syllable key one letter edit away (substitute, insert, delete), any
symbol inside a word read as a lost letter or as debris, and the keys a lone consonant
opens. Lookups go through a deletion index (SymSpell, Garbe 2012):
the keys one deletion away from each lexicon key, so a neighbour costs a few dict hits,
not a scan of the lexicon.
"""
from __future__ import annotations

from collections import defaultdict
from string import ascii_lowercase

LETTERS = ascii_lowercase
VOWELS = "aeiouy"


def _deletions(s: str) -> list[tuple[str, int]]:
    return [(s[:i] + s[i + 1:], i) for i in range(len(s))]


class EditIndex:
    """Syllable keys (mark-free letters) and the keys one deletion away from each."""

    def __init__(self, keys):
        self.keys = frozenset(keys)
        self.deleted: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.onsets: dict[str, list[str]] = defaultdict(list)
        for k in self.keys:
            for d, i in _deletions(k):
                self.deleted[d].append((k, i))
            if len(k) > 1 and k[0] not in VOWELS:
                self.onsets[k[0]].append(k)

    def neighbours(self, s: str) -> set[str]:
        """Keys one edit from s: s with a letter too many, one missing, or one changed."""
        out = {d for d, _ in _deletions(s) if d in self.keys}
        out.update(k for k, _ in self.deleted.get(s, ()))
        for d, i in _deletions(s):
            out.update(k for k, j in self.deleted.get(d, ()) if j == i)
        out.discard(s)
        return out

    def with_onset(self, letter: str) -> list[str]:
        """Keys a lone consonant may be all that is left of, those opening with it ('s'
        sở, 'x' xã, 't' thực: a bad scan lost the marked vowel, and what stood by it)."""
        return self.onsets.get(letter, [])

    def fill_symbols(self, s: str, symbols: str, any_letter: bool) -> set[str]:
        """s with each character of `symbols` it contains (at most two) read as a vowel
        (any letter if `any_letter`) or as nothing: 'nghi¢p' -> nghiep, 'vê€' -> ve,
        '¢o' -> co; only keys are kept."""
        spots = [i for i, c in enumerate(s) if c in symbols][:2]
        if not spots:
            return {s} if s in self.keys else set()
        options = [""] + list(LETTERS if any_letter else VOWELS)
        out: set[str] = set()
        stems = [s]
        for i in reversed(spots):       # right to left: earlier positions stay put
            stems = [t[:i] + o + t[i + 1:] for t in stems for o in options]
        out.update(t for t in stems if t in self.keys)
        return out
