"""Items written as records: the work, who leads it, with whom and by when, as fields.

``- Đơn vị chủ trì: Vụ X``, ``- Cơ quan phối hợp: ...``, ``- Thời gian thực hiện: Quý
II/2015`` under an item, or a whole record ``a) Nhiệm vụ: ...`` / ``b) Cơ quan thực hiện:`` (its
fields under it) / ``c) Thời gian thực hiện: ...``. Field labels are named like table columns
(`store.importing.rows.column_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from store.importing.clauses import find_subject
from store.importing.outline import Item
from store.importing.parsed import ParsedTask
from store.importing.rows import column_of
from store.importing.units import split_units

_FIELD = re.compile(r"^(?P<label>[^:.;]{3,50}):\s*(?P<value>.*)$", re.DOTALL)
_FIELD_KINDS = ("lead", "cooperating", "deadline", "product")
#: A second field run into the line of the first (the capture lost the line break).
_RUN_IN = re.compile(r"\s+[-–]\s?(?=[A-ZĐ][^:.;]{3,50}:)")
ACTS = re.compile(r"\b(?:chủ trì|đôn đốc|hướng dẫn|thực hiện|phối hợp)\b")
#: ``Các sở, ngành có liên quan theo chức năng, nhiệm vụ quản lý được giao``.
FIELD_TAIL = re.compile(r"\s+theo (?:chức năng|thẩm quyền|phạm vi).*$")


def field_of(item: Item) -> tuple[str | None, str]:
    """``Đơn vị chủ trì: Vụ X`` → ("lead", "Vụ X"); not a field → (None, "")."""
    match = _FIELD.match(item.text)
    if not match:
        return None, ""
    value = " ".join([match.group("value").strip(), *item.extra]).strip()
    return column_of(match.group("label")), value


def fields_of(item: Item) -> tuple[dict[str, str], Item | None] | None:
    """Sub-items written as the fields of a record: ``- Đơn vị chủ trì: Vụ X``, ``- Thời gian
    thực hiện: Quý II/2015``, fields grouped under ``b) Cơ quan thực hiện:``, and maybe the
    task itself (``a) Nhiệm vụ: ...``). Returns the fields and the task's item, if any."""
    found: dict[str, str] = {}
    task: list[Item] = []

    def scan(children: list[Item]) -> None:
        for child in children:
            kind, value = field_of(child)
            if kind == "title" and not task:
                task.append(child)
            elif kind in _FIELD_KINDS and value:
                first, *more = _RUN_IN.split(value)
                found.setdefault(kind, first)
                for piece in more:  # "... địa phương -Thời gian thực hiện: Thường xuyên"
                    field = _FIELD.match(piece)
                    other = column_of(field.group("label")) if field else None
                    if field and other in _FIELD_KINDS:
                        found.setdefault(other, field.group("value").strip())
            elif child.children and not value and kind in _FIELD_KINDS:
                # "b) Cơ quan thực hiện:" over its fields; not "1.1. <task>:" over a record of
                # its own, which would hide the records of its siblings.
                scan(child.children)

    scan(item.children)
    return (found, task[0] if task else None) if "lead" in found else None


def shared_fields(children: list[Item]) -> dict[int, dict[str, str]]:
    """Items before a field block that have none of their own share it (``1.1.``, ``1.2.``
    then ``- Cơ quan thực hiện: ...`` under the last): their ids → the fields."""
    shared: dict[int, dict[str, str]] = {}
    waiting: list[Item] = []
    for child in children:
        record = fields_of(child) if child.children else None
        if record is not None and record[1] is None:
            for earlier in waiting:
                shared[id(earlier)] = record[0]
            waiting = []
        elif (
            not child.children
            and child.kind not in ("dash", "plus")
            and not find_subject(child.text)
        ):
            waiting.append(child)
        else:
            waiting = []
    return shared


#: Makes a task of an item: (item, text, lead) → the task, recorded by the caller.
Emit = Callable[[Item, str, list[str]], ParsedTask]


def record_tasks(
    item: Item,
    record: tuple[dict[str, str], Item | None] | None,
    borrowed: dict[str, str] | None,
    emit: Emit,
) -> None:
    """The tasks of an item written as a record (`fields_of`), or of one sharing the fields of
    the record after it (`shared_fields`)."""
    fields, task = record or (borrowed or {}, None)
    if task is None:
        _with_fields(item, fields, item.text if record else item.full_text, emit)
    elif task.children:  # "a) Nhiệm vụ:" over bullets: each is a task
        for bullet in task.children:
            _with_fields(bullet, fields, bullet.full_text, emit)
    else:
        _with_fields(task, fields, field_of(task)[1], emit)


def _with_fields(item: Item, fields: dict[str, str], text: str, emit: Emit) -> None:
    """A task whose lead, cooperating units and deadline are written as fields."""
    value = fields["lead"].rstrip(" .;")
    named = find_subject(value) if ACTS.search(value) else None  # "X chủ trì, phối hợp A"
    lead = named[0] if named else split_units(FIELD_TAIL.sub("", value))
    task = emit(item, text, lead)
    _, joint, partners = value.partition("phối hợp")
    partners = re.sub(r"^\s*(?:chặt chẽ\s+)?với\s+", "", partners)
    task.cooperating = split_units(fields.get("cooperating", "") or (partners if joint else ""))
    task.deadline_text = fields.get("deadline", "").rstrip(" .;") or task.deadline_text
    task.product = fields.get("product", "")
    task.source += [child.full_text for child in item.children]
