"""Progress reports: recording, undoing and asking who reported when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.audit import audit
from store.models import Assignment, AssignmentState, Report


async def add_report(
    session: AsyncSession,
    *,
    assignment: Assignment,
    author_id: int | None,
    percent: int | None,
    done: bool,
    text: str,
    now: datetime,
    local_day: date,
    attachment: str | None = None,
    source_key: str | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Add a report and move the assignment's progress, without an audit row; never commits.

    `done` (or 100 %) marks the assignment complete on `local_day`, the reporter's "today" in
    the configured time zone; a later report below 100 % reopens it.

    Returns:
        The report (flushed: it has its id) and what the assignment said before it (state,
        progress, completed_on), for the audit row.
    """
    state = AssignmentState.DONE if done or percent == 100 else AssignmentState.OPEN
    report = Report(
        assignment_id=assignment.id,
        author_id=author_id,
        text=text,
        percent=100 if state == AssignmentState.DONE else percent,
        state=state,
        attachment=attachment,
        source_key=source_key,
        created_at=now,
    )
    session.add(report)
    previous = {
        "state": assignment.state.value,
        "progress": assignment.progress,
        "completed_on": assignment.completed_on.isoformat() if assignment.completed_on else None,
    }
    if state == AssignmentState.DONE:
        assignment.state = AssignmentState.DONE
        assignment.progress = 100
        assignment.completed_on = assignment.completed_on or local_day
    else:
        assignment.state = AssignmentState.OPEN
        assignment.completed_on = None
        if percent is not None:
            assignment.progress = percent
    assignment.last_report_at = now
    assignment.updated_at = now
    await session.flush()
    return report, previous


async def last_report(session: AsyncSession, assignment_id: int) -> Report | None:
    """The newest report on an assignment."""
    return await session.scalar(
        select(Report)
        .where(Report.assignment_id == assignment_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1)
    )


async def latest_by_author(
    session: AsyncSession, author_id: int, since: datetime
) -> Report | None:
    """The author's newest report created at or after `since`."""
    return await session.scalar(
        select(Report)
        .where(Report.author_id == author_id, Report.created_at >= since)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1)
    )


async def undo_report(session: AsyncSession, report: Report, *, now: datetime) -> None:
    """Remove a report and put its assignment back to what the previous report said."""
    assignment = await session.get(Assignment, report.assignment_id)
    assert assignment is not None
    await session.delete(report)
    await session.flush()
    before = await last_report(session, assignment.id)
    if before is None:
        assignment.state = AssignmentState.OPEN
        assignment.progress = 0
        assignment.completed_on = None
        assignment.last_report_at = None
    else:
        assignment.state = before.state
        assignment.progress = before.percent or 0
        if before.state == AssignmentState.OPEN:
            assignment.completed_on = None
        assignment.last_report_at = before.created_at
    assignment.updated_at = now
    audit(
        session,
        actor_id=report.author_id,
        action="report_undo",
        target=f"assignment:{assignment.id}",
        detail={"report": report.id},
        now=now,
    )


def overdue_clauses(today: date) -> list[ColumnElement[bool]]:
    """Conditions of open work past its due date on `today`."""
    return [Assignment.state == AssignmentState.OPEN, Assignment.due < today]


def overdue_of(units: Select[Any], today: date) -> Select[tuple[int]]:
    """A select of the ids of the units' open assignments past their due date (a subquery)."""
    return select(Assignment.id).where(Assignment.unit_id.in_(units), *overdue_clauses(today))


async def last_reports(
    session: AsyncSession, assignments: Select[tuple[int]]
) -> dict[int, tuple[datetime, int | None]]:
    """Time and percent of the newest report on each selected assignment that has one.

    Args:
        session: The caller's session.
        assignments: A select of assignment ids (bound as a subquery, never as a list).
    """
    ranked = (
        select(
            Report.assignment_id,
            Report.created_at,
            Report.percent,
            func.row_number()
            .over(
                partition_by=Report.assignment_id,
                order_by=(Report.created_at.desc(), Report.id.desc()),
            )
            .label("n"),
        )
        .where(Report.assignment_id.in_(assignments))
        .subquery()
    )
    result = await session.stream(
        select(ranked.c.assignment_id, ranked.c.created_at, ranked.c.percent).where(
            ranked.c.n == 1
        )
    )
    # In partitions: a digest reads tens of thousands, and chat messages are answered between.
    latest: dict[int, tuple[datetime, int | None]] = {}
    async for part in result.partitions(2_000):
        latest.update((aid, (at, percent)) for aid, at, percent in part)
    return latest
