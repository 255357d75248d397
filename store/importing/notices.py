"""Notices that end by naming who carries them out.

A Government Office notice or a letter often lists its work in items that name no performer,
and says whose work it is only in its closing sentence (``Văn phòng Chính phủ thông báo để Ủy
ban nhân dân tỉnh Phú Thọ và các Bộ, cơ quan liên quan biết, thực hiện./.``). The outline reads
that body as the performer of the items that name none (`notified`); so does a letter whose
items name no performer and whose closing request does (``1. Góp ý dự thảo ...``, ``2. Cử công
chức ...``, then ``Đề nghị Văn phòng UBND tỉnh, Sở Tư pháp ... quan tâm, có văn bản góp ý ...
chậm nhất ngày 27/8/2025./.``, `requested`). An item that took it is
kept only when it opens with work (`without_idle_notified`): a part heading or praise (``Ghi
nhận, đánh giá cao ...``) is no task of that body's.
"""

from __future__ import annotations

import re

from store.importing.not_tasks import REQUEST, is_appeal
from store.importing.outline import Item
from store.importing.parsed import ParsedTask
from store.importing.subjects import addressed
from store.importing.units import is_unit_start, split_units
from store.importing.verbs import NOT_TASK, TASK_VERBS
from store.text import fold

_NOTIFIES = re.compile(
    r"\bthông báo (?:để|đến|tới)\s+(?P<units>.{3,300}?)\s+(?:được\s+)?biết,?\s*(?:và\s+)?"
    r"(?:thực hiện|triển khai|chỉ đạo)",
    re.DOTALL,
)


def notified(paragraphs: list[str]) -> list[str]:
    """The body a notice's closing sentence tells to carry it out (the first one named: a
    conclusion on a province's work is the province's, the ministries named after it act only
    where an item says so); [] without such a sentence."""
    for paragraph in reversed(paragraphs[-12:]):
        match = _NOTIFIES.search(paragraph)
        if match:
            named = re.sub(r"\s+", " ", match.group("units"))
            if re.match(r"(?:các )?đồng chí\b", named, re.IGNORECASE):
                return []  # "để đồng chí Bộ trưởng biết": the person the letter is sent to
            units = split_units(named)
            return units[:1] if units and is_unit_start(units[0]) else []
    return []


def requested(last: Item | None) -> list[str]:
    """The units a letter's closing request after its last item addresses (see above), or []."""
    if last is None or last.children or not last.extra or not REQUEST.match(last.extra[-1]):
        return []
    # "Yêu cầu Giám đốc các sở ... nghiêm túc triển khai thực hiện Chỉ thị này": an appeal.
    return [] if is_appeal(last.extra[-1]) else addressed(last.extra[-1])


#: How work opens: a verb of the genre, folded so that a scan's lost marks (``Khan trương``)
#: still read.
_WORK = tuple(sorted({fold(verb) for verb in TASK_VERBS}, key=len, reverse=True))
_WORK_OPENING = re.compile(rf"^(?:{'|'.join(map(re.escape, _WORK))})\b")
_IDLE_OPENING = re.compile(rf"^(?:{'|'.join(re.escape(fold(verb)) for verb in NOT_TASK)})\b")


def without_idle_notified(tasks: list[ParsedTask], body: list[str]) -> list[ParsedTask]:
    """`tasks` without the items that took the notified `body` and do not open with work."""

    def idle(task: ParsedTask) -> bool:
        title = fold(task.title)
        return (
            task.lead == body
            and "lead_from_heading" in task.flags
            and not (_WORK_OPENING.match(title) and not _IDLE_OPENING.match(title))
        )

    return [task for task in tasks if not (body and idle(task))]
