"""Figures of the weekly and monthly roll-up that the score does not hold: work overdue at the
end of a period, per unit (the score counts completion and reporting; see
handlers.summaries.score)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.batching import UnitsArg, unit_filters
from store.models import Assignment, AssignmentState


async def overdue_counts(session: AsyncSession, units: UnitsArg, as_of: date) -> dict[int, int]:
    """Per unit, assignments past their due date and not done at the end of `as_of`.

    Work done later than `as_of` was still overdue then; units with none are absent.
    """
    not_done = or_(
        Assignment.state == AssignmentState.OPEN,
        and_(Assignment.completed_on.is_not(None), Assignment.completed_on > as_of),
    )
    counts: dict[int, int] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        rows = await session.execute(
            select(Assignment.unit_id, func.count())
            .where(condition, Assignment.due < as_of, not_done)
            .group_by(Assignment.unit_id)
        )
        counts.update({uid: n for uid, n in rows})
    return counts


async def units_with_work(session: AsyncSession) -> list[int]:
    """Every unit that was ever given a task (what a roll-up of all units covers)."""
    return list(
        await session.scalars(select(Assignment.unit_id).distinct().order_by(Assignment.unit_id))
    )
