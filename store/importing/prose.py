"""Tasks written as running text: news articles about a conclusion (tb56, tb171, phiên họp 4).

Sentence by sentence (and clause by clause, at ``;``), a task starts where a unit is the
subject of a task verb:

* ``Bộ Công an chủ trì, phối hợp với ... khẩn trương hoàn thiện ...``;
* ``Bộ trưởng Bộ Y tế chủ trì ...`` and ``Bộ trưởng Công an chỉ đạo ...`` (lead: the ministry);
* ``Ban chỉ đạo ... giao Tổng Thanh tra Chính phủ chỉ đạo ...`` (lead: Thanh tra Chính phủ);
* ``...; các bộ, ngành chủ quản hoàn thành các cơ sở dữ liệu ..., hoàn thành trong tháng
  6/2025`` (a clause).

Sentences without a subject continue the task before them in the same paragraph (that is where
``..., hoàn thành trong tháng 10.`` usually sits); consecutive sentences with the same lead in one
paragraph are one task. An enumeration ``(1) ...; (2) ...; (3) ...`` becomes one task per item
(ref ``n.k``), each with its own deadline. Headlines (lines without final punctuation) are not
tasks but name the group of the tasks below them. Reporting sentences (``Văn phòng Chính phủ vừa
có Thông báo ...``, ``Ban chỉ đạo ... xác định ...``) are not tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.importing.clauses import find_subject
from store.importing.cooperation import cooperating_units
from store.importing.glue import fix_glued
from store.importing.not_tasks import gives_no_work
from store.importing.parsed import ParsedTask
from store.importing.phrases import find_deadline, make_title, sentences
from store.importing.sub_items import reports_back
from store.text import fold

_ENDS_SENTENCE = (".", "!", "?", "…", ":", ";", '"', "”", ")")
_MAX_HEADLINE = 250
_ITEM = re.compile(r"\((\d{1,2})\)\s*")


@dataclass
class _Draft:
    lead: list[str]
    group: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _is_headline(paragraph: str) -> bool:
    return not paragraph.endswith(_ENDS_SENTENCE) and len(paragraph) <= _MAX_HEADLINE


def _same(a: list[str], b: list[str]) -> bool:
    return [fold(x) for x in a] == [fold(x) for x in b]


def _drafts(paragraphs: list[str]) -> list[_Draft]:
    drafts: list[_Draft] = []
    group = ""
    for raw in paragraphs:
        paragraph = fix_glued(raw)
        if _is_headline(paragraph):
            group = paragraph
            continue
        current: _Draft | None = None
        if drafts and reports_back(paragraph):
            current = drafts[-1]  # "Số liệu ... đề nghị gửi về ... trước ngày ...": its date
        for sentence in sentences(paragraph):
            clauses = sentence.split("; ")
            for position, clause in enumerate(clauses):
                piece = clause + (";" if position < len(clauses) - 1 else "")
                found = find_subject(clause)
                if found and not (current and _same(found[0], current.lead)):
                    current = _Draft(lead=found[0], group=group)
                    drafts.append(current)
                if current is not None:
                    current.parts.append(piece)
    return drafts


def _items(text: str) -> list[tuple[str, str]] | None:
    """``... ban hành: (1) A, hoàn thành ...; (2) B ...`` → [("1", "A ..."), ("2", "B ...")]."""
    pieces = _ITEM.split(text)
    if len(pieces) < 5 or pieces[1] != "1" or pieces[3] != "2":
        return None
    numbers = pieces[1::2]
    bodies = [body.strip().rstrip(";").strip() for body in pieces[2::2]]
    return list(zip(numbers, bodies, strict=True))


def count_assignments(paragraphs: list[str]) -> int:
    """How many runs of text name a performer as their subject (tasks or not): how much a
    document reads as running text rather than as an outline."""
    return len(_drafts(paragraphs))


def parse_prose(paragraphs: list[str]) -> tuple[list[ParsedTask], list[str]]:
    """Tasks from running text.

    Args:
        paragraphs: Cleaned paragraphs (`store.importing.cleanup.paragraphs`).

    Returns:
        The tasks (refs ``1``, ``2`` ... in order; ``n.k`` for enumerated items) and warnings.
    """
    tasks: list[ParsedTask] = []
    for number, draft in enumerate(_drafts(paragraphs), start=1):
        if gives_no_work(draft.text):
            continue  # a meeting's agreement, a report, an appeal: numbered all the same
        text = draft.text
        items = _items(text)
        if items is None:
            tasks.append(_task(str(number), text, text, draft))
            continue
        preamble = _ITEM.split(text)[0].strip()
        for k, item in items:
            tasks.append(_task(f"{number}.{k}", item, f"{preamble} ({k}) {item}", draft))
    return tasks, []


def _task(ref: str, own: str, body: str, draft: _Draft) -> ParsedTask:
    return ParsedTask(
        ref=ref,
        title=make_title(own),
        body=body,
        lead=draft.lead,
        cooperating=cooperating_units(body),
        deadline_text=find_deadline(own, closing_sentence=False),
        group=draft.group,
    )
