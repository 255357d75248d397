"""Deadline items: ``b) Thời hạn thực hiện tự đánh giá: ... chậm nhất là ngày 23/01/2026``.

Guidance letters often state the work of a section in some items and its time limit in an item
of its own, lettered like the others. That item is no work of its own: its deadline belongs to
the tasks of the same section before it that state none. It is read so only when it closes its
section after such tasks; alone, or followed by other items, it stays a task (it then says who
finishes what by when).
"""

from __future__ import annotations

import re

from store.importing.parsed import ParsedTask
from store.text import fold

_DEADLINE_ITEM = re.compile(r"^(?:thoi han|thoi gian (?:thuc hien|hoan thanh|nop|gui))\b")


def _section(ref: str) -> str | None:
    """``1.b-2`` → ``1``; a top-level ref has no section."""
    base = ref.split("-", 1)[0]
    return base.rsplit(".", 1)[0] if "." in base else None


def with_deadline_items(tasks: list[ParsedTask]) -> list[ParsedTask]:
    """Give each deadline item's deadline to the undated tasks of its section, and drop it."""
    dropped: set[int] = set()
    for index, task in enumerate(tasks):
        section = _section(task.ref)
        if not (section and task.deadline_text and _DEADLINE_ITEM.match(fold(task.title))):
            continue
        inside = [k for k, t in enumerate(tasks) if k != index and t.ref.startswith(section + ".")]
        if not inside or max(inside) > index:
            continue  # it opens or sits inside its section: work of its own (``Thời hạn gửi
            # báo cáo: Các cơ quan ... xây dựng Báo cáo ...`` then ``b) Về cập nhật ...``)
        for other in (tasks[k] for k in inside if k not in dropped):
            if not other.deadline_text:
                other.deadline_text = task.deadline_text
                other.flags.append("deadline_inherited")
        dropped.add(index)
    return [task for k, task in enumerate(tasks) if k not in dropped]
