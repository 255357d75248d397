"""Queries over assignments: what a unit owes, by period, overdue, by number."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.batching import UnitsArg, unit_filters
from store.models import Assignment, AssignmentState, Directive, Role, Task, TaskKind
from store.status import Status, classify


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An assignment with what a reply needs about its task and directive."""

    id: int
    seq: int
    unit_id: int
    role: Role
    state: AssignmentState
    progress: int
    due: date | None
    completed_on: date | None
    kind: TaskKind
    ref: str
    title: str
    deadline_text: str
    product: str
    directive_number: str
    status: Status


def view_columns() -> Select[Any]:
    """A select of the columns an `AssignmentView` needs (plain rows, no ORM objects)."""
    return (
        select(
            Assignment.id,
            Assignment.seq,
            Assignment.unit_id,
            Assignment.role,
            Assignment.state,
            Assignment.progress,
            Assignment.due,
            Assignment.completed_on,
            Task.kind,
            Task.ref,
            Task.title,
            Task.deadline_text,
            Task.product,
            Directive.number.label("directive_number"),
        )
        .join(Task, Task.id == Assignment.task_id)
        .join(Directive, Directive.id == Task.directive_id)
    )


def view_of_row(row: Any, today: date) -> AssignmentView:
    """The view of one row selected with `view_columns` (extra columns after them are ignored),
    its status judged on `today`."""
    # Positional: the columns come in the order of the view's fields (this runs for every row
    # a daily job reads, tens of thousands of times).
    return AssignmentView(*row[:_FIELDS], classify(row[4], row[6], row[7], row[8], today))


_FIELDS = 14


async def top_per_unit(
    session: AsyncSession,
    units: UnitsArg,
    where: Sequence[ColumnElement[bool]],
    limit: int,
    today: date,
) -> tuple[dict[int, list[AssignmentView]], dict[int, int]]:
    """The first `limit` matching assignments of each unit (soonest due first) and how many
    match in all, counted by the database: what a digest lists and counts."""
    order = (Assignment.due.is_(None), Assignment.due, Assignment.seq)
    shown: dict[int, list[AssignmentView]] = {}
    totals: dict[int, int] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        ranked = (
            view_columns()
            .add_columns(
                func.row_number()
                .over(partition_by=Assignment.unit_id, order_by=order)
                .label("rank"),
                func.count().over(partition_by=Assignment.unit_id).label("total"),
            )
            .where(condition, *where)
            .subquery()
        )
        stmt = (
            select(ranked).where(ranked.c.rank <= limit).order_by(ranked.c.unit_id, ranked.c.rank)
        )
        # Streamed in partitions: tens of thousands of rows for a digest, and the event loop
        # answers chat messages in between (on PostgreSQL the rows are processed in it).
        result = await session.stream(stmt)
        async for part in result.partitions(2_000):
            for row in part:
                shown.setdefault(row.unit_id, []).append(view_of_row(row, today))
                totals[row.unit_id] = row.total
    return shown, totals


@dataclass(frozen=True, slots=True)
class _Order:
    """A sort order in SQL, and the same in Python for merging chunked results."""

    sql: tuple[Any, ...]
    key: Callable[[AssignmentView], Any]


_BY_DUE = _Order(
    (Assignment.due.is_(None), Assignment.due, Assignment.seq),
    lambda v: (v.due is None, v.due or date.max, v.seq),
)
_BY_SEQ = _Order((Assignment.seq,), lambda v: v.seq)
_BY_UNIT = _Order((Assignment.unit_id,), lambda v: v.unit_id)


async def _views(
    session: AsyncSession,
    units: UnitsArg,
    where: Sequence[ColumnElement[bool]],
    order: _Order,
    today: date,
) -> list[AssignmentView]:
    """Views of the units' assignments matching `where`, unit chunk by unit chunk, sorted."""
    views: list[AssignmentView] = []
    parts = 0
    for condition in unit_filters(Assignment.unit_id, units):
        parts += 1
        stmt = view_columns().where(condition, *where).order_by(*order.sql)
        views += [view_of_row(row, today) for row in await session.execute(stmt)]
    if parts > 1:
        views.sort(key=order.key)  # each chunk came back sorted; merge them (stable)
    return views


async def due_between(
    session: AsyncSession, unit_ids: UnitsArg, start: date, end: date, today: date
) -> list[AssignmentView]:
    """Assignments of the units due in [start, end], done or not, earliest first."""
    where = [Assignment.due.between(start, end)]
    return await _views(session, unit_ids, where, _BY_DUE, today)


async def overdue(session: AsyncSession, unit_ids: UnitsArg, today: date) -> list[AssignmentView]:
    """Open assignments of the units whose due date has passed, oldest first."""
    where = [Assignment.state == AssignmentState.OPEN, Assignment.due < today]
    return await _views(session, unit_ids, where, _BY_DUE, today)


async def open_assignments(
    session: AsyncSession, unit_ids: UnitsArg, today: date
) -> list[AssignmentView]:
    """All open assignments of the units (dated first, by due date; then undated)."""
    where = [Assignment.state == AssignmentState.OPEN]
    return await _views(session, unit_ids, where, _BY_DUE, today)


async def recurring(
    session: AsyncSession, unit_ids: UnitsArg, today: date
) -> list[AssignmentView]:
    """Open recurring and annual assignments of the units (reported on, never "due")."""
    where = [
        Assignment.state == AssignmentState.OPEN,
        Task.kind.in_([TaskKind.RECURRING, TaskKind.ANNUAL]),
    ]
    return await _views(session, unit_ids, where, _BY_SEQ, today)


_SEQ = re.compile(r"^\d{1,6}$")


async def find_for_units(
    session: AsyncSession, unit_ids: Sequence[int], ref: str, today: date
) -> list[AssignmentView]:
    """Assignments of the units matching what a user typed: a number ("7") or a task ref.

    A bare number is the unit's short assignment number (`seq`); anything else is matched
    against the task's position in its directive (`II.5.a`), case-insensitively.
    """
    ref = ref.strip()
    if not ref:
        return []
    if _SEQ.match(ref):
        where = [Assignment.seq == int(ref)]
    else:
        where = [func.lower(Task.ref) == ref.lower()]
    views = await _views(session, unit_ids, where, _BY_UNIT, today)
    return views


async def get_view(
    session: AsyncSession, assignment_id: int, today: date
) -> AssignmentView | None:
    """One assignment by id, or None."""
    row = (await session.execute(view_columns().where(Assignment.id == assignment_id))).first()
    return view_of_row(row, today) if row is not None else None


async def next_seq(session: AsyncSession, unit_id: int) -> int:
    """The next free short number for a unit's assignments."""
    current = await session.scalar(
        select(func.max(Assignment.seq)).where(Assignment.unit_id == unit_id)
    )
    return (current or 0) + 1


async def get_assignment(session: AsyncSession, assignment_id: int) -> Assignment | None:
    """The assignment with this id, or None."""
    return await session.get(Assignment, assignment_id)
