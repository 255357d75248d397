"""The daily reporting duty in SQL: which open assignments need a report, and which got one.

The rule (see `handlers.tasks.daily`): an open assignment needs a report on a day when it is
undated recurring or annual work, or it is due within `horizon_days` of that day (overdue work
included). It counts as reported when anyone sent a report on it that day.

The database does the filtering: only the assignments that need a report are read, as plain
rows, and units are bound in bounded chunks or as a subquery (`store.batching`), so the cost
follows the work that is due, not the whole history. The daily jobs read tens of thousands of
these rows, so the hot statements touch the assignments table alone: the day's reports are one
uncorrelated subquery (a few thousand ids, read once) rather than a lookup per assignment, and
the task and directive columns are read once per task (ten units share a task) instead of
being joined into every row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.assignments import AssignmentView
from store.batching import UnitsArg, chunks, unit_filters
from store.models import Assignment, AssignmentState, Directive, Report, Task, TaskKind
from store.status import classify

_UNDATED_KINDS = (TaskKind.RECURRING, TaskKind.ANNUAL)


def needs_report_clause(day: date, horizon_days: int) -> ColumnElement[bool]:
    """SQL for "open work that needs a daily report on `day`" (see `handlers.tasks.daily`).

    For a statement that joins `Task`; `needs_report_where` is the same rule without the join.
    """
    return and_(
        Assignment.state == AssignmentState.OPEN,
        or_(
            and_(Assignment.due.is_(None), Task.kind.in_(_UNDATED_KINDS)),
            Assignment.due <= day + timedelta(days=horizon_days),
        ),
    )


def needs_report_where(day: date, horizon_days: int) -> ColumnElement[bool]:
    """`needs_report_clause` on the assignments table alone (the kind through a subquery)."""
    undated = select(Task.id).where(Task.kind.in_(_UNDATED_KINDS))
    return and_(
        Assignment.state == AssignmentState.OPEN,
        or_(
            Assignment.due <= day + timedelta(days=horizon_days),
            and_(Assignment.due.is_(None), Assignment.task_id.in_(undated)),
        ),
    )


def reported_clause(start: datetime, end: datetime) -> ColumnElement[bool]:
    """SQL for "the assignment got a report in [start, end)" (a correlated EXISTS)."""
    return exists(
        select(Report.id).where(
            Report.assignment_id == Assignment.id,
            Report.created_at >= start,
            Report.created_at < end,
        )
    )


def reported_in_clause(start: datetime, end: datetime) -> ColumnElement[bool]:
    """`reported_clause` as `id IN (assignments reported in [start, end))`.

    The subquery does not depend on the row: the database reads the interval's reports once
    (index on `created_at`), which beats one index lookup per assignment when most of the
    assignments read have no report that day.
    """
    return Assignment.id.in_(
        select(Report.assignment_id).where(Report.created_at >= start, Report.created_at < end)
    )


_ORDER = (Assignment.unit_id, Assignment.due.is_(None), Assignment.due, Assignment.seq)


async def needing_report(
    session: AsyncSession,
    units: UnitsArg,
    *,
    day: date,
    horizon_days: int,
    reported_in: tuple[datetime, datetime],
    pending_only: bool,
) -> tuple[list[AssignmentView], set[int]]:
    """Assignments of the units that need a report on `day`, and which of them got one.

    Args:
        session: The caller's session.
        units: Unit ids, or a select of unit ids (bound as a subquery).
        day: The local day.
        horizon_days: Dated work due within this many days needs a report.
        reported_in: The UTC interval [start, end) in which a report counts for the day.
        pending_only: Read only the assignments nobody reported on (what a reminder lists).

    Returns:
        The assignments (per unit: overdue and soonest due first, then undated), and the ids of
        those that were reported on (always empty with `pending_only`).
    """
    reported = reported_in_clause(*reported_in)
    columns = _ROW_COLUMNS + (() if pending_only else (reported.label("reported"),))
    extra = [~reported] if pending_only else []
    rows: list[Any] = []
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(*columns)
            .where(condition, needs_report_where(day, horizon_days), *extra)
            .order_by(*_ORDER)
        )
        result = await session.stream(stmt)
        # Streamed in partitions: a job reading tens of thousands of rows lets the event loop
        # answer chat messages in between.
        async for part in result.partitions(_PARTITION):
            rows += part
    tasks = await task_details(session, {row[8] for row in rows})
    views: list[AssignmentView] = []
    for i in range(0, len(rows), _PARTITION):
        if i:
            await asyncio.sleep(0)  # tens of thousands of rows: let chat messages in between
        views += [_view(row, tasks[row[8]], day) for row in rows[i : i + _PARTITION]]
    done = set() if pending_only else {row[0] for row in rows if row[9]}
    return views, done


_PARTITION = 2_000

#: An assignment's own columns, in the order of `AssignmentView`'s, then its task.
_ROW_COLUMNS = (
    Assignment.id,
    Assignment.seq,
    Assignment.unit_id,
    Assignment.role,
    Assignment.state,
    Assignment.progress,
    Assignment.due,
    Assignment.completed_on,
    Assignment.task_id,
)

#: What an `AssignmentView` holds of its task: kind, ref, title, deadline text, product and
#: the directive's number.
TaskDetails = tuple[TaskKind, str, str, str, str, str]


async def task_details(session: AsyncSession, task_ids: Iterable[int]) -> dict[int, TaskDetails]:
    """The task columns an `AssignmentView` needs, by task id (ids bound in bounded chunks)."""
    out: dict[int, TaskDetails] = {}
    for part in chunks(task_ids):
        stmt = (
            select(
                Task.id,
                Task.kind,
                Task.ref,
                Task.title,
                Task.deadline_text,
                Task.product,
                Directive.number,
            )
            .join(Directive, Directive.id == Task.directive_id)
            .where(Task.id.in_(part))
        )
        for task_id, *details in await session.execute(stmt):
            out[task_id] = tuple(details)  # type: ignore[assignment]
    return out


def _view(row: Any, task: TaskDetails, today: date) -> AssignmentView:
    aid, seq, unit_id, role, state, progress, due, completed_on = row[:8]
    status = classify(state, due, completed_on, task[0], today)
    return AssignmentView(
        aid, seq, unit_id, role, state, progress, due, completed_on, *task, status
    )


async def units_all_reported(
    session: AsyncSession,
    units: UnitsArg,
    *,
    day: date,
    horizon_days: int,
    reported_in: tuple[datetime, datetime],
) -> set[int]:
    """Units that had work needing a report on `day` and got a report on some of it.

    With `needing_report(..., pending_only=True)` this tells "everything was reported"
    (needed work, nothing pending) from "nothing needed a report" without reading the work.
    """
    start, end = reported_in
    found: set[int] = set()
    # From the day's reports (a range of the index on their time) to their assignments: a
    # few thousand rows whatever the size of the history, and no plan that depends on
    # statistics the database may not have gathered yet (a freshly loaded table).
    # `unit_id + 0` keeps SQLite from starting at the units instead.
    for condition in unit_filters(Assignment.unit_id + 0, units):
        stmt = (
            select(Assignment.unit_id)
            .select_from(Report)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                Report.created_at >= start,
                Report.created_at < end,
                condition,
                needs_report_clause(day, horizon_days),
            )
            .distinct()
        )
        found.update(await session.scalars(stmt))
    return found


async def pending_numbers(
    session: AsyncSession,
    units: UnitsArg,
    *,
    day: date,
    horizon_days: int,
    reported_in: tuple[datetime, datetime],
) -> dict[int, list[int]]:
    """Per unit, the numbers (`seq`) of the work nobody reported on yet, soonest due first.

    The light form of `needing_report(..., pending_only=True)` for a digest, which names the
    unreported tasks by number only.
    """
    out: dict[int, list[int]] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(Assignment.unit_id, Assignment.seq)
            .where(
                condition,
                needs_report_where(day, horizon_days),
                ~reported_in_clause(*reported_in),
            )
            .order_by(*_ORDER)
        )
        result = await session.stream(stmt)
        async for part in result.partitions(_PARTITION):
            for unit_id, seq in part:
                out.setdefault(unit_id, []).append(seq)
    return out
