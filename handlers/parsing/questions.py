"""Is a chat message a question? Run before a report is read, so a question never becomes one.

`nv 1 xong chưa?`, `nhiệm vụ 7 đạt bao nhiêu phần trăm`, `ai phối hợp nv 3`, `is task 2 done`
ask; `nv 1 đã xong`, `nv 5 chưa xong` tell. The signals, strongest first: a question mark; a
final particle (`chưa`, `không`, `hả`, `yet`) as the last word that matters; a question word
(`bao nhiêu`, `khi nào`, `ai`, `nào`, `gì`, `đâu`, `what`, `how`); an opening that asks to see
something (`cho hỏi`, `xem`, `thông tin`) or an English auxiliary (`is`, `did`). A question word
that only appears inside the free note of an otherwise plain report is *weak*: the bot then asks
before recording anything.
"""

from __future__ import annotations

import enum
import re

from handlers.parsing import vocab
from handlers.parsing.scan import Scan


class Asks(enum.Enum):
    """How surely a message asks something."""

    NO = "no"
    WEAK = "weak"  # a question word inside what would otherwise be a report's note
    YES = "yes"


# Tokens that look like question words but, as typed, are not: `AI` (artificial intelligence),
# `bản sao` (a copy), `đầu` (head, start) which folds like `đâu` (where).
_NOT_WH_BEFORE = {"sao": {"ban", "sao"}}
# `đâu` (where) and `mấy` (how many) fold like `đầu` (head) and `máy` (machine): typed with their
# tone marks they ask.
_WHERE = re.compile(r"(?<!\w)(?:đâu|mấy)(?!\w)", re.I)
# Final particles told apart from statements only by their tone marks: `xong rồi à?` asks,
# `xong rồi ạ` tells politely.
_TONED_FINALS = frozenset({"à", "hả", "ư", "hử", "nhỉ", "chăng", "sao", "hở", "hông"})


def _words(t: Scan) -> list[str]:
    return [tok for tok, _, _ in t.tokens]


def _final_particle(words: list[str]) -> bool:
    """True when the last word that matters is a yes/no particle (`xong chưa vậy anh`)."""
    i = len(words) - 1
    while i > 0 and words[i] in vocab.TAIL_FILLERS and words[i] not in vocab.FINAL_PARTICLES:
        i -= 1
    if i < 1 or words[i] not in vocab.FINAL_PARTICLES:
        return False
    if words[i] == "yet" and "not" in words[max(0, i - 3) : i]:
        return False  # `not done yet` tells
    return words[i] != "chu" or i == len(words) - 1  # `chứ` asks only as the very last word


def _wh_positions(t: Scan) -> list[int]:
    """Folded start positions of question words, typed-as-such only."""
    found: list[int] = []
    words = _words(t)
    for phrase in vocab.WH_WORDS:
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] != parts:
                continue
            start = t.tokens[i][1]
            typed = t.cut(start, t.tokens[i + len(parts) - 1][2])
            if phrase == "ai" and typed.isupper():
                continue  # `AI`, artificial intelligence
            if i > 0 and words[i - 1] in _NOT_WH_BEFORE.get(phrase, ()):
                continue
            if phrase == "gi" and typed.lower() not in ("gì", "gi"):
                continue
            found.append(start)
    for m in _WHERE.finditer(t.orig):
        found.append(next((k for k, p in enumerate(t.pos) if p >= m.start()), 0))
    return found


def _opens_with_question(t: Scan) -> bool:
    words = _words(t)
    if words and words[0] in vocab.EN_OPENERS and len(words) > 1:
        return True
    for phrase in vocab.ASK_OPENERS:
        parts = phrase.split()
        if words[: len(parts)] == parts:
            return True
    return False


def asks(t: Scan, note_start: int | None = None) -> Asks:
    """How surely `t` asks something.

    Args:
        t: The scanned message.
        note_start: Folded position where a report's free note begins, if a report was read;
            a question word only after it is a weak signal.
    """
    if "?" in t.orig:
        return Asks.YES
    words = _words(t)
    if not words:
        return Asks.NO
    last = t.cut(t.tokens[-1][1], t.tokens[-1][2]).lower()
    if _final_particle(words) or _opens_with_question(t) or last in _TONED_FINALS:
        return Asks.YES
    positions = _wh_positions(t)
    if not positions:
        return Asks.NO
    if note_start is None or min(positions) < note_start:
        return Asks.YES
    return Asks.WEAK
