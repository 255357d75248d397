"""What a unit's export workbook holds: its assignments with their tasks, and every report.

Data functions take the session first and never commit. The workbook itself is written by
bot.export.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import Assignment, Report, Task


async def unit_assignments(session: AsyncSession, unit_id: int) -> list[Assignment]:
    """The unit's assignments in its own numbering, each with its task and directive loaded."""
    return list(
        await session.scalars(
            select(Assignment)
            .where(Assignment.unit_id == unit_id)
            .options(selectinload(Assignment.task).selectinload(Task.directive))
            .order_by(Assignment.seq)
        )
    )


async def assignment_reports(
    session: AsyncSession, assignment_ids: Collection[int]
) -> list[Report]:
    """Every report on these assignments, oldest first, each with its author loaded."""
    if not assignment_ids:
        return []
    return list(
        await session.scalars(
            select(Report)
            .where(Report.assignment_id.in_(list(assignment_ids)))
            .options(selectinload(Report.author))
            .order_by(Report.created_at, Report.id)
        )
    )
