"""A chat message folded for matching, with a map back to what the user typed.

Keywords are matched on the fold (no diacritics, lower case), while anything the bot keeps, a
task ref or a report note, is cut from the original text through the position map.
"""

from __future__ import annotations

import itertools
import re

from rapidfuzz.distance import OSA

from handlers.parsing import vocab
from store.text import fold

MAX_TOKENS = 200  # keywords are looked for near the start; a long note is not scanned


class Scan:
    """A message and its fold with a map back to the original characters."""

    def __init__(self, text: str) -> None:
        self.orig = text
        chars: list[str] = []
        self.pos: list[int] = []  # folded index -> original index
        for i, ch in enumerate(text):
            for c in " " if ch.isspace() else fold(ch):
                chars.append(c)
                self.pos.append(i)
        self.low = "".join(chars)
        found = itertools.islice(re.finditer(r"[a-z0-9]+", self.low), MAX_TOKENS)
        self.tokens = [(m[0], m.start(), m.end()) for m in found]

    def cut(self, start: int, end: int) -> str:
        """Return the original text behind folded span [start, end)."""
        if not 0 <= start < end <= len(self.pos):
            return ""
        return self.orig[self.pos[start] : self.pos[end - 1] + 1]

    def find(self, phrases: tuple[str, ...]) -> tuple[int, int] | None:
        """Return the span of the leftmost phrase (longest on ties); exact beats typo."""
        best: dict[bool, tuple[int, int]] = {}
        for phrase in phrases:
            words = phrase.split()
            joined = phrase.replace(" ", "")
            for i, (tok, start, end) in enumerate(self.tokens):
                exact = fuzzy = False
                if len(words) > 1 and tok == joined:
                    exact, stop = True, end
                else:
                    window = self.tokens[i : i + len(words)]
                    if len(window) < len(words):
                        break
                    stop = window[-1][2]
                    same = [w[0] == word for w, word in zip(window, words, strict=True)]
                    exact = all(same)
                    # A lone short word must be exact (`hoan` is not `han`); in a phrase,
                    # one word typed right anchors typos in the others (`den hna`).
                    anchored = any(same) if len(words) > 1 else len(joined) >= 5
                    fuzzy = (
                        not exact
                        and anchored
                        and all(typo(w[0], word) for w, word in zip(window, words, strict=True))
                    )
                if exact or fuzzy:
                    old = best.get(exact)
                    if old is None or (start, -stop) < (old[0], -old[1]):
                        best[exact] = (start, stop)
        return best.get(True) or best.get(False)

    def has(self, phrases: tuple[str, ...]) -> bool:
        """True when any of `phrases` occurs, allowing typos as `find` does."""
        return self.find(phrases) is not None

    def only(self, phrases: tuple[str, ...] | dict[str, str]) -> str | None:
        """Return the phrase that is the whole message, politeness words aside."""
        said = [t for t, _, _ in self.tokens if t not in vocab.FILLERS]
        for phrase in phrases:
            words = [w for w in phrase.split() if w not in vocab.FILLERS] or phrase.split()
            if said == words or "".join(said) == "".join(words):
                return phrase
            if len(said) == len(words) and all(map(typo, said, words)):
                return phrase
        return None


def typo(token: str, word: str) -> bool:
    """True when `token` is `word` or one slip away from it (`hna` for `han`)."""
    if token == word:
        return True
    if len(word) < 3 or token in vocab.NOT_TYPOS or token.isdigit() or word.isdigit():
        return False
    return OSA.distance(token, word) <= 1 and (len(word) >= 5 or token[0] == word[0])
