"""Who an item names as its performers, and what its introducing sentence dates.

* ``Về việc ...: Giao Bộ A, Bộ B nghiên cứu ...``: a topic, then the sentence that assigns it
  (a unit named inside the topic is not the performer; `own_subject`);
* ``Thường trực Đảng uỷ nhất trí ...; giao Ban Xây dựng Đảng tham mưu ...``: work handed over
  further on in the item (`handed_over`);
* the deadline an introducing sentence sets for the items under it (`intro_deadline`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject
from store.importing.not_tasks import AGREES
from store.importing.outline import Item
from store.importing.phrases import find_deadline, sentences

HANDOVER = re.compile(r"(?:^|[\s;,.:])(?:giao|đề nghị|yêu cầu)\s+", re.IGNORECASE)


def handed_over(text: str) -> tuple[list[str], str] | None:
    """``Thường trực Đảng uỷ nhất trí ...; giao Ban Xây dựng Đảng tham mưu ...``: work handed
    to a unit further on in the item, after what its opening says."""
    for match in HANDOVER.finditer(text):
        if text[: match.start() + 1].rstrip().endswith("quyền"):
            continue  # "được quyền yêu cầu ...": a power, not work handed over
        found = find_subject(text[match.end() :], delegation=False)
        if found:
            return found
    return None


def topic_subject(item: Item, text: str) -> tuple[list[str], str] | None:
    """``Quyết liệt trong chỉ đạo ...: Các đồng chí Bộ trưởng ... phải ...`` -- a topic, then
    the sentence that assigns it (on the same line, or the paragraph under a topic heading)."""
    head, colon, body = text.partition(": ")
    if colon and len(head) < 200:
        found = find_subject(body)
        if found:
            return found
    if text.rstrip().endswith(":") and item.extra and not item.children:
        return find_subject(item.extra[0])
    if _TOPIC_LINE.match(text) and item.extra and not item.children:
        # "2. Về công tác cán bộ" over "Thường trực ... nhất trí ... Giao Ban X tham mưu ...".
        first = item.extra[0]
        found = find_subject(first)
        if found is None or AGREES.match(found[1]):
            return handed_over(first[first.find(found[1]) :] if found else first)
        return found
    return None


#: ``Về việc ...: Giao Bộ A, Bộ B nghiên cứu ...``: a topic, then the sentence that assigns it.
_TOPIC = re.compile(r"^(?:Về|Đối với)\s[^:]{0,200}:\s")
#: ``Về công tác cán bộ``: a topic heading with no colon over the paragraph that assigns it.
_TOPIC_LINE = re.compile(r"^(?:Về|Đối với)\s[^.;:]{0,200}$")


#: ``Thành phố Hà Nội là đơn vị đi đầu ...``: what a unit is, not work it is given.
_COPULA = re.compile(r"^[^,.;:]{3,80}?\slà\s+(?:đơn vị|cơ quan|địa phương|một|những|nơi)\b")


def own_subject(item: Item, text: str) -> tuple[list[str], str] | None:
    """The units an item names as its performers; after a topic, those of the sentence that
    follows it (a unit named inside the topic is not the performer)."""
    if _TOPIC.match(text):
        found = topic_subject(item, text)
        if found and not AGREES.match(found[1]):
            return found
    found = find_subject(text)
    if found and (AGREES.match(found[1]) or _COPULA.match(text)):
        # "Ban Thường vụ Đảng uỷ thống nhất ...": what the meeting agreed; "Thành phố là đơn
        # vị đi đầu ...": what a unit is. The performers are those it hands work to, if any.
        return handed_over(text[text.find(found[1]) :])
    return found


def intro_deadline(text: str) -> str:
    """The deadline an introducing sentence sets for the items under it: one stated where it
    hands the work over or after, not in the background or purpose before that (``Từ nay đến
    hết năm 2025 chỉ còn gần 2 tháng, ...; do vậy, yêu cầu các bộ, ngành ...:`` and ``Để ...,
    phấn đấu hoàn thành trước ngày 30/11/2025 ..., đề nghị Bộ Y tế ...:`` set none)."""
    last = sentences(text)[-1] if text.strip() else ""
    handovers = list(HANDOVER.finditer(last))
    return find_deadline(last[handovers[-1].start() :] if handovers else last)
