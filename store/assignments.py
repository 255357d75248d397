"""Queries over assignments: what a unit owes, by period, overdue, by number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from store.models import Assignment, AssignmentState, Role, Task, TaskKind
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


def _base() -> Select[tuple[Assignment]]:
    return (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.directive)
        .options(contains_eager(Assignment.task).contains_eager(Task.directive))
    )


def _view(a: Assignment, today: date) -> AssignmentView:
    t = a.task
    return AssignmentView(
        id=a.id,
        seq=a.seq,
        unit_id=a.unit_id,
        role=a.role,
        state=a.state,
        progress=a.progress,
        due=a.due,
        completed_on=a.completed_on,
        kind=t.kind,
        ref=t.ref,
        title=t.title,
        deadline_text=t.deadline_text,
        product=t.product,
        directive_number=t.directive.number,
        status=classify(a.state, a.due, a.completed_on, t.kind, today),
    )


async def _views(session: AsyncSession, stmt: Select, today: date) -> list[AssignmentView]:
    rows = (await session.execute(stmt)).unique().scalars().all()
    return [_view(a, today) for a in rows]


async def due_between(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date, today: date
) -> list[AssignmentView]:
    """Assignments of the units due in [start, end], done or not, earliest first."""
    stmt = (
        _base()
        .where(Assignment.unit_id.in_(list(unit_ids)), Assignment.due.between(start, end))
        .order_by(Assignment.due, Assignment.seq)
    )
    return await _views(session, stmt, today)


async def overdue(
    session: AsyncSession, unit_ids: Iterable[int], today: date
) -> list[AssignmentView]:
    """Open assignments of the units whose due date has passed, oldest first."""
    stmt = (
        _base()
        .where(
            Assignment.unit_id.in_(list(unit_ids)),
            Assignment.state == AssignmentState.OPEN,
            Assignment.due < today,
        )
        .order_by(Assignment.due, Assignment.seq)
    )
    return await _views(session, stmt, today)


async def open_assignments(
    session: AsyncSession, unit_ids: Iterable[int], today: date
) -> list[AssignmentView]:
    """All open assignments of the units (dated first, by due date; then undated)."""
    stmt = (
        _base()
        .where(Assignment.unit_id.in_(list(unit_ids)), Assignment.state == AssignmentState.OPEN)
        .order_by(Assignment.due.is_(None), Assignment.due, Assignment.seq)
    )
    return await _views(session, stmt, today)


async def recurring(
    session: AsyncSession, unit_ids: Iterable[int], today: date
) -> list[AssignmentView]:
    """Open recurring and annual assignments of the units (reported on, never "due")."""
    stmt = (
        _base()
        .where(
            Assignment.unit_id.in_(list(unit_ids)),
            Assignment.state == AssignmentState.OPEN,
            Task.kind.in_([TaskKind.RECURRING, TaskKind.ANNUAL]),
        )
        .order_by(Assignment.seq)
    )
    return await _views(session, stmt, today)


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
    stmt = _base().where(Assignment.unit_id.in_(list(unit_ids)))
    if _SEQ.match(ref):
        stmt = stmt.where(Assignment.seq == int(ref))
    else:
        stmt = stmt.where(func.lower(Task.ref) == ref.lower())
    return await _views(session, stmt.order_by(Assignment.unit_id), today)


async def get_view(
    session: AsyncSession, assignment_id: int, today: date
) -> AssignmentView | None:
    """One assignment by id, or None."""
    views = await _views(session, _base().where(Assignment.id == assignment_id), today)
    return views[0] if views else None


async def next_seq(session: AsyncSession, unit_id: int) -> int:
    """The next free short number for a unit's assignments."""
    current = await session.scalar(
        select(func.max(Assignment.seq)).where(Assignment.unit_id == unit_id)
    )
    return (current or 0) + 1
