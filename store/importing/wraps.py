"""Where a hard-wrapped line goes on with the paragraph before it, and where it starts a new one.

Text copied out of a PDF, or saved from some websites, breaks lines wherever the page ended
them: inside a sentence, inside a unit's name (``Tập đoàn Công nghiệp`` / ``- Viễn thông Quân
đội``), right after an item's marker. `continues` decides, line by line, for
`store.importing.cleanup.paragraphs`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from store.importing.clauses import find_subject
from store.importing.units import is_unit_start

#: A line that opens a list item (``a)``, ``(1)``, ``2.``, ``-``, ``+``, ``II.``).
LIST_MARKER = re.compile(
    r"^(?:[a-zđ]{1,2}\)|[a-zđ][./]\s|\(\d+\)|\d+(?:\.\d+)*[.)]|\d{1,2}/\s|\d{1,2}\s?-\s"
    r"|[-+•–*]\s?|[IVXLC]+[.)]|[IVXLC]+\s?-\s|[A-H]\.\s)"
)


_CONNECTORS = ("và", "của", "các", "với", "tại", "theo", "cho", "về", "trong", "đến", "từ", "là")


def wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped text was wrapped at, or 0 when lines are whole paragraphs."""
    lengths = sorted(len(line) for line in lines if len(line) > 20)
    if len(lengths) < 10:
        return 0
    width = lengths[int(len(lengths) * 0.9)]
    return width if width <= 110 else 0


_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
#: A line that opens with a dash then a capital: a bullet, or a name wrapped at its dash.
_WRAPPED_DASH = re.compile(r"^[-–]\s+[A-ZĐÀ-Ỹ]")


def name_pairs(lines: list[str]) -> set[str]:
    """Pairs of capitalised words that stand together inside a line (``Điện Biên``, ``Sơn
    La``), words joined by a dash (``nghiệp - Viễn``) and runs of three words with a capital
    after the first (``Văn phòng Trung``): parts of a name, which a hard wrap elsewhere may
    have split over two lines."""
    pairs: set[str] = set()
    for line in lines:
        words = line.split()
        for first, second, third in zip(words, words[1:], words[2:], strict=False):
            if second in ("-", "–") and third[:1].isupper():
                pairs.add(f"{first} - {third}")
            elif third[:1].isupper() or second[:1].isupper():
                pairs.add(f"{first} {second} {third}".rstrip(",.;:"))
        for first, second in pairwise(words):
            if _NAME_WORD.match(first) and _NAME_WORD.match(second.rstrip(",.;:")):
                pairs.add(f"{first} {second.rstrip(',.;:')}")
    return pairs


def _splits_name(previous: str, line: str, names: set[str]) -> bool:
    """``... kiến nghị của tỉnh Điện`` / ``Biên vào các ...``: a wrap inside a name."""
    tail = previous.rsplit(" ", 1)[-1]
    if _WRAPPED_DASH.match(line):
        head = line.split()[1].rstrip(",.;:")
        return f"{tail} - {head}" in names
    head = line.split(" ", 1)[0].rstrip(",.;:")
    if f"{tail} {head}" in names:
        return True
    # "4.6. Văn phòng" / "Trung ương Đảng phối hợp ...": three words the document writes
    # together on one line elsewhere.
    before, after = previous.split()[-2:], line.split()[:2]
    return (
        len(before) == 2
        and len(after) == 2
        and (
            f"{before[0]} {before[1]} {after[0]}".rstrip(",.;:") in names
            or f"{before[1]} {after[0]} {after[1]}".rstrip(",.;:") in names
        )
    )


#: The rest of a short heading: a few capitalised words ending with a colon.
_HEADING_TAIL = re.compile(r"^[A-ZĐÀ-Ỹ][^.;:]{0,70}:$")


#: Words after which a line that names a body goes on with the sentence (``... giao`` /
#: ``Bộ Tài chính chủ trì``).
_HANDING_OVER = ("giao", "nghị", "cầu", "đó", "thể", "là", "đồng", "chí", "thời", "đồng thời")


_DOCUMENT_ITEM = re.compile(
    r"^(?:Nghị quyết|Kế hoạch|Chương trình|Đề án|Báo cáo|Quy chế|Quy định|Chỉ thị|Kết luận"
    r"|Tờ trình|Dự thảo)\b"
)


def _names_a_document(paragraph: str) -> bool:
    """``1.1. Nghị quyết về ...``: an item that names the document to draw up (a programme of
    work), whose performer the next line names."""
    marker = LIST_MARKER.match(paragraph)
    return marker is not None and bool(_DOCUMENT_ITEM.match(paragraph[marker.end() :].lstrip()))


def _opens_sentence(line: str) -> bool:
    """Whether a line opens with a body and the work it does (a sentence of its own)."""
    if not (line[:1].isupper() and is_unit_start(line)):
        return False
    found = find_subject(line, delegation=False, lexical=False)
    return found is not None and found[1][:1].islower()


def continues(
    previous: str, line: str, width: int, last: str = "", names: set[str] | None = None
) -> bool:
    """Whether `line` goes on with the paragraph `previous` (a hard wrap), not a new one.

    `last` is the paragraph's last line as read (its length tells a wrap); `names` the pairs
    of name words the document writes together (`name_pairs`)."""
    if previous.endswith((".", ";", ":", "!", "?")) and not previous.endswith("..."):
        return False
    if _WRAPPED_DASH.match(line) and names and _splits_name(previous, line, names):
        # "... và các Tập đoàn: Công nghiệp" / "- Viễn thông Quân đội theo ...": a wrap at
        # the dash inside a name the document writes whole elsewhere, not a bullet.
        return True
    if LIST_MARKER.match(line) and not re.match(r"^\d{3,}", line):
        return False
    if names and _splits_name(previous, line, names):
        return True
    if previous.endswith((" -", " –")):
        return True  # "Tập đoàn Công nghiệp -" / "Viễn thông Quân đội": a name goes on
    opened = LIST_MARKER.match(previous)
    if opened and len(previous[opened.end() :].split()) <= 3 and _HEADING_TAIL.match(line):
        return True  # "1. Thường trực" / "Hội đồng nhân dân tỉnh:": a heading wrapped
    first = line[0]
    if first.islower() or first.isdigit() or first in "(\"“'":
        return True
    last_word = previous.rsplit(" ", 1)[-1]
    if previous.endswith(",") or last_word in _CONNECTORS:
        return True
    if _names_a_document(previous) and _opens_sentence(line) and last_word not in _HANDING_OVER:
        return False  # "1.1. Nghị quyết về ..." / "Ban Xây dựng Đảng chủ trì, ...": who does it
    if previous.isupper() and line.isupper():
        return True  # a heading in capitals wrapped over lines
    return bool(width) and len(last or previous) >= 0.75 * width
