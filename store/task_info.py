"""What one task's card shows beyond the assignment: its directive, every unit on it, and the
last reports with their authors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Assignment, Directive, Report, Role, Task, Unit, User


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """The task and directive of an assignment, and the units given the task by role."""

    task: Task
    directive: Directive
    lead: list[str]
    support: list[str]


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One report as the card lists it."""

    created_at: datetime
    author: str
    percent: int | None
    text: str
    attachment: str | None


async def task_facts(session: AsyncSession, assignment_id: int) -> TaskFacts | None:
    """The task, its directive and the names of its lead and supporting units."""
    row = (
        await session.execute(
            select(Task, Directive)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(Assignment.id == assignment_id)
        )
    ).first()
    if row is None:
        return None
    task, directive = row
    units = await session.execute(
        select(Unit.name, Unit.short_name, Assignment.role)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .where(Assignment.task_id == task.id)
        .order_by(Assignment.id)
    )
    lead: list[str] = []
    support: list[str] = []
    for name, short, role in units:
        (lead if role == Role.LEAD else support).append(short or name)
    return TaskFacts(task, directive, lead, support)


async def recent_reports(
    session: AsyncSession, assignment_id: int, limit: int = 3
) -> list[ReportLine]:
    """The newest reports on an assignment, newest first, with their authors' names."""
    rows = await session.execute(
        select(Report, User.name)
        .outerjoin(User, User.id == Report.author_id)
        .where(Report.assignment_id == assignment_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    return [
        ReportLine(r.created_at, name or "", r.percent, r.text, r.attachment) for r, name in rows
    ]
