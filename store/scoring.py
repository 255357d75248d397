"""What the unit scores are computed from, aggregated in the database over one period.

Two reads, both bounded by the period rather than by the history (see `handlers.summaries.score`):

- completion: per unit, how many assignments fell due in the period and how many of those
  were completed on time or late (one GROUP BY);
- discipline: the assignments that needed a daily report on some day of the period, each as a
  span of days, and the reports sent on them before the cut-off in the period.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.batching import UnitsArg, unit_filters
from store.models import Assignment, AssignmentState, Directive, Report, Task, TaskKind


@dataclass(frozen=True, slots=True)
class Completion:
    """A unit's assignments due in the period: how many, done on time, done late."""

    due: int
    on_time: int
    late: int


async def completion_counts(
    session: AsyncSession, units: UnitsArg, *, start: date, due_end: date, done_by: date
) -> dict[int, Completion]:
    """Per unit: assignments due in [start, due_end], completed by their date or by `done_by`.

    Args:
        session: The caller's session.
        units: Unit ids, or a select of them.
        start: First due date judged.
        due_end: Last due date judged.
        done_by: Completions after the due date count as late up to this day.
    """
    done = Assignment.state == AssignmentState.DONE
    on_time = case((and_(done, Assignment.completed_on <= Assignment.due), 1), else_=0)
    late = case(
        (
            and_(
                done,
                Assignment.completed_on > Assignment.due,
                Assignment.completed_on <= done_by,
            ),
            1,
        ),
        else_=0,
    )
    out: dict[int, Completion] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(Assignment.unit_id, func.count(), func.sum(on_time), func.sum(late))
            .where(condition, Assignment.due >= start, Assignment.due <= due_end)
            .group_by(Assignment.unit_id)
        )
        for unit_id, due, ok, lat in await session.execute(stmt):
            out[unit_id] = Completion(int(due), int(ok or 0), int(lat or 0))
    return out


@dataclass(frozen=True, slots=True)
class NeedSpan:
    """The days [first, last] on which one assignment needed a daily report."""

    assignment_id: int
    unit_id: int
    first: date
    last: date


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)


def _need_filter(
    condition: ColumnElement[bool], start: date, last_day: date, horizon_days: int, tz: ZoneInfo
) -> list[ColumnElement[bool]]:
    """Assignments that needed a report on at least one day of [start, last_day]."""
    return [
        condition,
        # Counted from the day its directive was imported.
        Directive.imported_at < _midnight(last_day + timedelta(days=1), tz),
        or_(Assignment.state == AssignmentState.OPEN, Assignment.completed_on >= start),
        or_(
            and_(
                Assignment.due.is_(None),
                Task.kind.in_([TaskKind.RECURRING, TaskKind.ANNUAL]),
            ),
            Assignment.due <= last_day + timedelta(days=horizon_days),
        ),
    ]


async def need_spans(
    session: AsyncSession,
    units: UnitsArg,
    *,
    start: date,
    last_day: date,
    horizon_days: int,
    tz: ZoneInfo,
) -> list[NeedSpan]:
    """The spans of [start, last_day] during which each assignment needed a daily report.

    An assignment needs one from the day its directive was imported (undated recurring and
    annual work) or from `horizon_days` before its due date (dated work), until the day it was
    completed (that day included: the completion report is its report) or for good.
    """
    spans: list[NeedSpan] = []
    # Every assignment of a directive shares its import time: convert each one once.
    local_day: dict[datetime, date] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(
                Assignment.id,
                Assignment.unit_id,
                Assignment.due,
                Assignment.state,
                Assignment.completed_on,
                Directive.imported_at,
            )
            .join(Task, Task.id == Assignment.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(*_need_filter(condition, start, last_day, horizon_days, tz))
        )
        for aid, unit_id, due, state, completed, imported in await session.execute(stmt):
            since = local_day.get(imported)
            if since is None:
                since = local_day[imported] = imported.astimezone(tz).date()
            first = max(start, since)
            if due is not None:
                first = max(first, due - timedelta(days=horizon_days))
            last = last_day
            if state != AssignmentState.OPEN and completed is not None:
                last = min(last, completed)
            if first <= last:
                spans.append(NeedSpan(aid, unit_id, first, last))
    return spans


async def reports_before_cutoff(
    session: AsyncSession,
    units: UnitsArg,
    *,
    start: date,
    last_day: date,
    cutoff: time,
    tz: ZoneInfo,
) -> Iterator[tuple[int, date]]:
    """(assignment id, local day) of each report sent before the cut-off in the period.

    Only reports on the units' assignments, from the first day's midnight to the last day's
    cut-off; a report after the cut-off of its day does not count for that day.
    """
    lo = _midnight(start, tz)
    hi = datetime.combine(last_day, cutoff, tz).astimezone(UTC)
    pairs: list[tuple[int, date]] = []
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(Report.assignment_id, Report.created_at)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .where(condition, Report.created_at >= lo, Report.created_at < hi)
        )
        for aid, created in await session.execute(stmt):
            local = created.astimezone(tz)
            if local.time() < cutoff:
                pairs.append((aid, local.date()))
    return iter(pairs)
