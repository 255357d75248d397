"""Unmarked paragraphs after an item that are tasks of their own.

An unmarked paragraph after an item belongs to it when it goes on with the item or names the
lead the item lacked (labelling rules, "Several performers in one item"). It is a task of its
own, with the ref ``<item>+<n>``, when it follows the last item of a list and names another
performer in any way (``Văn phòng Chính phủ theo dõi, đôn đốc ...``, ``Trên đây là ..., Ban
Chỉ đạo đề nghị các đồng chí Bộ trưởng ... báo cáo ... trước ngày ...``): the list is over and
the paragraph is not one of its items. (A paragraph that hands work over in a sentence of its
own, ``Giao Bộ Tư pháp ...``, is made an item of its own by `store.importing.outline`.)

Closing appeals, clauses on difficulties, reports of past events and meetings' agreements
stay where they are (`store.importing.not_tasks`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject
from store.importing.not_tasks import (
    NOT_A_TASK,
    answers_for,
    gives_no_work,
    is_appeal,
    resolution_closing,
)
from store.importing.outline import Item
from store.importing.subjects import addressed, handed_over, intro_deadline, opens_list
from store.text import fold

#: ``Trên đây là một số nội dung trọng tâm ..., Ban Chỉ đạo đề nghị ...``: the paragraph speaks of
#: the whole list, not of its last item, even to the same performers.
_SUMS_UP = re.compile(r"^(?:Trên đây|Trên cơ sở (?:các )?nội dung (?:nêu )?trên)")
#: A sentence of its own that hands work over (``Giao Văn phòng ...``, ``Yêu cầu các đồng chí
#: bí thư ...``): a task of its own after any item.
_STANDALONE = re.compile(r"^(?:Giao|Yêu cầu|Đề nghị)\s")
#: The issuer speaking of itself (``Thành phố đánh giá, xem xét trách nhiệm ...``).
_SELF = {"thanh pho", "tinh", "huyen", "xa", "phuong"}


def is_last(item: Item) -> bool:
    """Whether the item is the last of its list."""
    parent = item.parent
    return parent is not None and parent.children[-1] is item


def _performers(paragraph: str) -> list[str] | None:
    """The lead a paragraph hands work to on its own, or None."""
    if NOT_A_TASK.match(paragraph) or answers_for(paragraph) or resolution_closing(paragraph):
        return None
    if gives_no_work(paragraph):
        return None
    found = handed_over(paragraph) or find_subject(paragraph, delegation=False)
    if not found or all(fold(unit) in _SELF for unit in found[0]):
        return None
    return found[0]


def own_paragraphs(item: Item, lead: list[str]) -> list[tuple[list[str], list[str]]]:
    """The item's unmarked paragraphs that are tasks of their own, as (lead, paragraphs)
    groups in order: each group opens with the paragraph that names its lead and takes the
    paragraphs after it up to the next such one. Empty when the item has sub-items (what
    follows them is the last one's) or no lead of its own to differ from."""
    if item.children or not item.extra or not lead:
        return []
    last = is_last(item)
    mine = {fold(unit) for unit in lead}
    groups: list[tuple[list[str], list[str]]] = []
    for paragraph in item.extra:
        units = _performers(paragraph) if last or _STANDALONE.match(paragraph) else None
        if units and (_SUMS_UP.match(paragraph) or not {fold(unit) for unit in units} <= mine):
            groups.append((units, [paragraph]))
        elif groups and not groups[-1][1][-1].rstrip().endswith("./."):
            groups[-1][1].append(paragraph)  # not what follows the signed text's end
    return groups


def staying_text(item: Item, groups: list[tuple[list[str], list[str]]]) -> str:
    """The item's text with the paragraphs that stay with it (not those of `groups`)."""
    moved = [p for _, paragraphs in groups for p in paragraphs]
    return "\n".join(p for p in [item.text, *item.extra] if p and p not in moved)


def work_in_passing(item: Item) -> list[tuple[str, list[str], str]]:
    """Work handed over inside a section that gives no tasks, as (ref suffix, performers,
    text): the item itself when it hands work over by name (``3. Tiêu chí`` over ``a) ...,
    giao Sở Y tế thành lập đoàn kiểm tra ...``, suffix ``""``), and requests in the paragraphs
    after the section's last item (``4. Cách thức thực hiện: ...`` then ``Bộ Tài chính đề nghị
    Ủy ban nhân dân các tỉnh ... trước ngày 24/11/2025.``, suffix ``+n``)."""
    if item.children or not item.text:
        return []
    out: list[tuple[str, list[str], str]] = []
    found = handed_over(item.text)
    if found and not NOT_A_TASK.match(item.text) and not is_appeal(item.full_text):
        out.append(("", found[0], item.full_text))
    for number, paragraph in enumerate(item.extra if is_last(item) else [], start=1):
        found = handed_over(paragraph)
        if found and not NOT_A_TASK.match(paragraph):
            out.append((f"+{number}", found[0], paragraph))
    return out


def closes_list(child: Item) -> tuple[list[str], str] | None:
    """``- <last finding>`` then ``Để ..., Tổng cục Thuế yêu cầu Cục Thuế các tỉnh thực hiện
    một số giải pháp sau:`` then ``1/ ...``: an unmarked paragraph that closes one list and
    introduces the next (of another marker kind) names the lead, and may date, the items
    that follow. Returns (lead, deadline) or None."""
    if child.children or not child.extra or not opens_list(child.extra[-1]):
        return None
    units = addressed(child.extra[-1])
    return (units, intro_deadline(child.extra[-1])) if units else None
