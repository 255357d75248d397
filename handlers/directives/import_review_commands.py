"""The short messages an admin types while reviewing an import draft.

`3 chủ trì Bộ Tài chính`, `3 phối hợp Bộ Tư pháp, Bộ Công an`, `3 hạn 30/9/2025`, `bỏ 5`,
`giữ 5`, `5` (show task 5), `tiếp`, `xác nhận`, `hủy nháp`; with or without diacritics, and
in English (`3 lead ...`, `3 support ...`, `3 due ...`, `drop 5`, `keep 5`, `next`, `confirm`,
`discard`). Positions count the draft's tasks from 1.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from store.text import fold

logger = logging.getLogger(__name__)

LEAD, SUPPORT, DEADLINE = "lead", "support", "deadline"
DROP, KEEP, SHOW, NEXT, CONFIRM, DISCARD, SUMMARY = (
    "drop",
    "keep",
    "show",
    "next",
    "confirm",
    "discard",
    "summary",
)

# Field words after the position, folded; the value is everything after them.
_FIELDS: dict[str, str] = {
    "chu tri": LEAD,
    "lead": LEAD,
    "phoi hop": SUPPORT,
    "support": SUPPORT,
    "cooperating": SUPPORT,
    "han": DEADLINE,
    "thoi han": DEADLINE,
    "due": DEADLINE,
    "deadline": DEADLINE,
}
_VERBS: dict[str, str] = {"bo": DROP, "drop": DROP, "giu": KEEP, "keep": KEEP}
_WORDS: dict[str, str] = {
    "tiep": NEXT,
    "tiep theo": NEXT,
    "next": NEXT,
    "xac nhan": CONFIRM,
    "confirm": CONFIRM,
    "huy nhap": DISCARD,
    "huy ban nhap": DISCARD,
    "bo nhap": DISCARD,
    "discard": DISCARD,
    "tom tat": SUMMARY,
    "summary": SUMMARY,
}
_NUMBER = re.compile(r"^(?:nv\s*|so\s+|#)?(\d{1,4})$")


@dataclass(frozen=True, slots=True)
class ReviewCommand:
    """One parsed review message; `value` keeps the text as typed (diacritics included)."""

    action: str
    position: int | None = None
    value: str = ""


def parse_review(text: str) -> ReviewCommand | None:
    """Understand a review message, or None when it is none of the forms above."""
    words = text.split()
    folded = [fold(w).strip(".,:;") for w in words]
    if not words:
        return None
    whole = " ".join(f for f in folded if f)
    if whole in _WORDS:
        return ReviewCommand(_WORDS[whole])
    if m := _NUMBER.match(whole):
        return ReviewCommand(SHOW, int(m.group(1)))
    if len(folded) == 2 and folded[0] in _VERBS and folded[1].isdigit():
        return ReviewCommand(_VERBS[folded[0]], int(folded[1]))
    if len(folded) == 2 and folded[1] in _VERBS and folded[0].isdigit():
        return ReviewCommand(_VERBS[folded[1]], int(folded[0]))
    if not folded[0].isdigit():
        return None
    for size in (2, 1):
        key = " ".join(folded[1 : 1 + size])
        if key in _FIELDS and len(words) > 1 + size:
            value = " ".join(words[1 + size :]).strip(" :")
            return ReviewCommand(_FIELDS[key], int(folded[0]), value) if value else None
    return None


def split_names(value: str) -> list[str]:
    """Unit names typed by a reviewer, separated by commas, semicolons or new lines."""
    return [part.strip() for part in re.split(r"[,;\n]+", value) if part.strip()]
