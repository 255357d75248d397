"""Put back the spaces a web capture dropped between Vietnamese words.

``tb56-vpcp-2025.txt`` reads ``Bộ Công an chủtrì``, ``BộThông tin vàTruyền thông``,
``Chủ tịch Ủy bannhân dân cấp tỉnh``, ``hoàn thành trước ngày30 tháng 6 năm 2025``. Unit names
and deadline phrases have to be whole words again before they can be read. Three repairs:

* a lower-case run followed by a capital (``vàTruyền``, ``BộThông``) is two words;
* digits and lower-case letters touching (``ngày30``, ``tháng5``) are two words;
* a lower-case token with Vietnamese diacritics that is not one syllable but splits into two
  valid syllables is two words (``bannhân`` → ``ban nhân``, ``chủtrì`` → ``chủ trì``), into
  three when two will not do (``uỷchủtrì`` → ``uỷ chủ trì``).
  Tokens without diacritics are left alone so loanwords (``video``, ``email``) survive.
"""

from __future__ import annotations

import re
from itertools import pairwise

from store.text import fold

_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|tr|th|kh|ph|gh|gi|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
_TOKEN = re.compile(r"\S+")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_COMMA = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")
_SHORT_HEADS = ("Bộ", "Ban", "Sở", "Cục", "Vụ", "Tổ")


def _split_case(token: str) -> str:
    for index in range(1, len(token)):
        if token[index].isupper() and token[index - 1].islower():
            left = token[:index]
            # "ĐềnghịUỷban": a capitalised Vietnamese word (diacritics: not "MobiFone").
            capitalised = left[:1].isupper() and left[1:].islower() and not left.isascii()
            if (left.islower() and left.isalpha()) or left in _SHORT_HEADS or capitalised:
                return f"{left} {_split_case(token[index:])}"
            return token
    return token


def _split_syllables(token: str) -> str:
    shaped = token.islower() or (token[:1].isupper() and token[1:].islower())
    if len(token) < 4 or not token.isalpha() or not shaped or fold(token) == token.lower():
        return token
    folded = fold(token)
    if len(folded) != len(token) or _SYLLABLE.fullmatch(folded):
        return token
    points = _split_points(folded, 3)
    if not points:
        return token
    cuts = [0, *points, len(token)]
    return " ".join(token[a:b] for a, b in pairwise(cuts))


def _split_points(folded: str, parts: int) -> list[int] | None:
    """Where `folded` splits into 2 (or up to `parts`) valid syllables. The smallest split
    point gives the next syllable the longest initial (chủ|trì, not chủt|rì), which is how
    glued captures read; three syllables (``uỷchủtrì``) only when two will not do."""
    for index in range(1, len(folded)):
        if _SYLLABLE.fullmatch(folded[:index]) and _SYLLABLE.fullmatch(folded[index:]):
            return [index]
    if parts > 2:
        for index in range(1, len(folded)):
            if _SYLLABLE.fullmatch(folded[:index]):
                rest = _split_points(folded[index:], parts - 1)
                if rest:
                    return [index, *(index + point for point in rest)]
    return None


def _fix_token(match: re.Match[str]) -> str:
    token = match.group(0)
    word = re.match(r"^([^\w]*)(\w+)([^\w]*)$", token)
    if not word:
        return token
    lead, core, tail = word.groups()
    if any(ch.isdigit() for ch in core) and any(ch.islower() for ch in core):
        # "ngày30" and "tháng5": but keep codes such as "5G", "nq57" as they are.
        parts = _DIGIT_LETTER.split(core)
        if all(part.isdigit() or part.islower() for part in parts) and len(parts) == 2:
            core = " ".join(parts)
    return lead + " ".join(_split_syllables(part) for part in _split_case(core).split()) + tail


def fix_glued(text: str) -> str:
    """Re-insert the spaces between glued words (see the module docstring)."""
    text = _COMMA.sub(", ", text)  # "nghiên cứu,tham mưu"
    return _TOKEN.sub(_fix_token, text)
