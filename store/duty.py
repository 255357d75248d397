"""The daily reporting duty in SQL: which open assignments need a report, and which got one.

The rule (see `handlers.daily`): an open assignment needs a report on a day when it is undated
recurring or annual work, or it is due within `horizon_days` of that day (overdue work
included). It counts as reported when anyone sent a report on it that day.

The database does the filtering: only the assignments that need a report are read, as plain
rows, and units are bound in bounded chunks or as a subquery (`store.batching`), so the cost
follows the work that is due, not the whole history.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.assignments import AssignmentView, view_columns, view_of_row
from store.batching import UnitsArg, unit_filters
from store.models import Assignment, AssignmentState, Report, Task, TaskKind


def needs_report_clause(day: date, horizon_days: int) -> ColumnElement[bool]:
    """SQL for "open work that needs a daily report on `day`" (see `handlers.daily`)."""
    return and_(
        Assignment.state == AssignmentState.OPEN,
        or_(
            and_(
                Assignment.due.is_(None),
                Task.kind.in_([TaskKind.RECURRING, TaskKind.ANNUAL]),
            ),
            Assignment.due <= day + timedelta(days=horizon_days),
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


def _statements(
    units: UnitsArg, day: date, horizon_days: int, extra: list[ColumnElement[bool]]
) -> Iterator[Select[Any]]:
    base = view_columns().where(needs_report_clause(day, horizon_days), *extra)
    for condition in unit_filters(Assignment.unit_id, units):
        yield base.where(condition).order_by(
            Assignment.unit_id, Assignment.due.is_(None), Assignment.due, Assignment.seq
        )


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
    start, end = reported_in
    reported = reported_clause(start, end)
    views: list[AssignmentView] = []
    done: set[int] = set()
    if pending_only:
        for stmt in _statements(units, day, horizon_days, [~reported]):
            views += await _views(session, stmt, day)
        return views, done
    for stmt in _statements(units, day, horizon_days, []):
        views += await _views(session, stmt, day)
    for stmt in _statements(units, day, horizon_days, [reported]):
        done.update(r.id for r in await session.execute(stmt.with_only_columns(Assignment.id)))
    return views, done


async def _views(session: AsyncSession, stmt: Select[Any], today: date) -> list[AssignmentView]:
    """Rows streamed in partitions: a job reading tens of thousands of them lets the event loop
    answer chat messages in between."""
    views: list[AssignmentView] = []
    result = await session.stream(stmt)
    async for part in result.partitions(_PARTITION):
        views += [view_of_row(row, today) for row in part]
    return views


_PARTITION = 2_000


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
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(Assignment.unit_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                condition,
                needs_report_clause(day, horizon_days),
                reported_clause(start, end),
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
    start, end = reported_in
    out: dict[int, list[int]] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(Assignment.unit_id, Assignment.seq)
            .join(Task, Task.id == Assignment.task_id)
            .where(
                condition,
                needs_report_clause(day, horizon_days),
                ~reported_clause(start, end),
            )
            .order_by(Assignment.unit_id, Assignment.due.is_(None), Assignment.due, Assignment.seq)
        )
        result = await session.stream(stmt)
        async for part in result.partitions(_PARTITION):
            for unit_id, seq in part:
                out.setdefault(unit_id, []).append(seq)
    return out
