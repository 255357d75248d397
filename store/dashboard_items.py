"""One directive, one task, one evidence file, as the dashboard shows them, limited to the
units the viewer may see (`store.web_scope.Scope`): another unit's assignment, report or file
is never read into a page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import Assignment, Directive, Extension, Report, Task
from store.web_scope import Scope


def _where_visible(stmt, scope: Scope):  # type: ignore[no-untyped-def]
    cond = scope.condition(Assignment.unit_id)
    return stmt if cond is None else stmt.where(cond)


async def directive_tasks(
    session: AsyncSession, directive_id: int, scope: Scope, *, offset: int, limit: int
) -> tuple[int, list[tuple[Task, list[Assignment]]]]:
    """How many of a directive's tasks have visible work, and one page of them.

    Each task comes with its assignments to visible units only (with their units loaded).
    """
    if scope.empty:
        return 0, []
    with_work = _where_visible(
        select(Assignment.task_id)
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.directive_id == directive_id),
        scope,
    )
    total = await session.scalar(
        select(func.count()).select_from(Task).where(Task.id.in_(with_work))
    )
    tasks = list(
        await session.scalars(
            select(Task)
            .where(Task.id.in_(with_work))
            .order_by(Task.position, Task.id)
            .offset(offset)
            .limit(limit)
        )
    )
    # Not `Task.assignments`: that relationship would load every unit's assignment.
    assignments = await _visible_assignments(session, [t.id for t in tasks], scope)
    return int(total or 0), [(t, assignments.get(t.id, [])) for t in tasks]


async def _visible_assignments(
    session: AsyncSession, task_ids: list[int], scope: Scope
) -> dict[int, list[Assignment]]:
    if not task_ids:
        return {}
    stmt = _where_visible(
        select(Assignment)
        .where(Assignment.task_id.in_(task_ids))
        .options(selectinload(Assignment.unit))
        .order_by(Assignment.role, Assignment.unit_id),
        scope,
    )
    out: dict[int, list[Assignment]] = {}
    for a in await session.scalars(stmt):
        out.setdefault(a.task_id, []).append(a)
    return out


async def get_directive(session: AsyncSession, directive_id: int) -> Directive | None:
    """A directive by id."""
    return await session.get(Directive, directive_id)


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task with the visible assignments, their reports (newest first) and extensions."""

    task: Task
    assignments: list[Assignment]
    reports: dict[int, list[Report]]
    extensions: dict[int, list[Extension]]


async def task_view(
    session: AsyncSession, task_id: int, scope: Scope, *, report_limit: int = 100
) -> TaskView | None:
    """A task as the viewer may see it; None when it has no visible assignment."""
    task = await session.scalar(
        select(Task).where(Task.id == task_id).options(selectinload(Task.directive))
    )
    if task is None or scope.empty:
        return None
    assignments = (await _visible_assignments(session, [task_id], scope)).get(task_id, [])
    if not assignments:
        return None
    ids = [a.id for a in assignments]
    reports: dict[int, list[Report]] = {}
    for r in await session.scalars(
        select(Report)
        .where(Report.assignment_id.in_(ids))
        .options(selectinload(Report.author))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(report_limit)
    ):
        reports.setdefault(r.assignment_id, []).append(r)
    extensions: dict[int, list[Extension]] = {}
    for e in await session.scalars(
        select(Extension)
        .where(Extension.assignment_id.in_(ids))
        .order_by(Extension.created_at.desc())
    ):
        extensions.setdefault(e.assignment_id, []).append(e)
    return TaskView(task, assignments, reports, extensions)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a report keeps about its evidence file (see `handlers.reporting.evidence`)."""

    report_id: int
    unit_id: int
    channel: str
    ref: str
    name: str
    size: int | None
    sha256: str | None


def parse_attachment(report_id: int, unit_id: int, raw: str | None) -> Evidence | None:
    """The evidence reference stored on a report, or None (none, or not a file reference)."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get("ref") or not data.get("channel"):
        return None
    size = data.get("size")
    return Evidence(
        report_id=report_id,
        unit_id=unit_id,
        channel=str(data["channel"]),
        ref=str(data["ref"]),
        name=str(data.get("name") or f"evidence-{report_id}"),
        size=size if isinstance(size, int) else None,
        sha256=data.get("sha256") if isinstance(data.get("sha256"), str) else None,
    )


async def report_evidence(session: AsyncSession, report_id: int, scope: Scope) -> Evidence | None:
    """A report's evidence file if the viewer may see the report's unit, else None."""
    row = (
        await session.execute(
            select(Assignment.unit_id, Report.attachment)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .where(Report.id == report_id)
        )
    ).first()
    if row is None or not scope.allows(row[0]):
        return None
    return parse_attachment(report_id, row[0], row[1])
