"""Inspection schedules: ``STT | Đơn vị được kiểm tra | Thời gian kiểm tra``.

A Kế hoạch kiểm tra (an inspection plan: administrative reform, public duties, a sector's
compliance) gives the inspecting to one body in its text (``Giao Sở Nội vụ chủ trì, phối hợp với
các ngành có liên quan tổ chức kiểm tra ...``) and lists in an appendix the units to inspect, each
with its month. Each row is then a piece of work of the inspecting body, due in that month: the
inspected unit is its object, not its performer (it prepares its report under its own item).

The schedule names no performer, so its rows take the lead and cooperating units of the first
item of the text that gives the inspecting to a body; with no such item the rows are left out
(nobody could report on them). The rows carry ``lead_from_heading`` so the reviewer checks them.
"""

from __future__ import annotations

import re

from store.importing.parsed import ParsedTask
from store.importing.rows import column_of, rows_to_tasks
from store.importing.table_model import Table
from store.text import fold

#: The inspected (audited, supervised) unit's column.
_INSPECTED = re.compile(r"\b(?:duoc|bi) (?:kiem tra|thanh tra|giam sat|khao sat)\b")
_INSPECTING = re.compile(r"\b(?:kiem tra|thanh tra|giam sat)\b")
_MAX_HEADER_ROW = 3


def schedule_columns(table: Table) -> tuple[int, dict[str, int]] | None:
    """(header row, field → column) of an inspection schedule, else None."""
    for index, row in enumerate(table.rows[:_MAX_HEADER_ROW]):
        keys = [fold(cell) for cell in row]
        inspected = [i for i, key in enumerate(keys) if _INSPECTED.search(key) and len(key) < 60]
        deadline = [i for i, cell in enumerate(row) if column_of(cell) == "deadline"]
        if inspected and deadline:
            columns = {"title": inspected[0], "deadline": deadline[0]}
            ref = [i for i, cell in enumerate(row) if column_of(cell) == "ref"]
            return index, columns | ({"ref": ref[0]} if ref else {})
    return None


def inspector(body: list[ParsedTask]) -> ParsedTask | None:
    """The first item of the text that gives the inspecting to a body (not to the inspected)."""
    for task in body:
        text = fold(task.body)
        if task.lead and _INSPECTING.search(text) and not _INSPECTED.search(fold(task.lead[0])):
            return task
    return None


def schedule_tasks(tables: list[Table], body: list[ParsedTask]) -> list[ParsedTask]:
    """The rows of the inspection schedules among `tables` (the document's tables read or set
    aside, in order), as tasks of the inspecting body; refs ``T<n>:`` by the table's place."""
    by = inspector(body)
    if by is None:
        return []
    tasks: list[ParsedTask] = []
    for number, table in enumerate(tables, 1):
        found = schedule_columns(table)
        if found is None:
            continue
        index, columns = found
        rows = []
        for cells in table.rows[index + 1 :]:
            row = {f: cells[c] if c < len(cells) else "" for f, c in columns.items()}
            timed = bool(row.get("deadline")) and bool(row.get("title"))
            row["lead"] = "; ".join(by.lead) if timed else ""
            row["cooperating"] = "; ".join(by.cooperating) if timed else ""
            row["source"] = "| " + " | ".join(cells) + " |"
            rows.append(row)
        found_tasks, _ = rows_to_tasks(rows)
        for task in found_tasks:
            task.ref = f"T{number}:{task.ref}"
            task.flags.append("lead_from_heading")
        tasks.extend(found_tasks)
    return tasks
