"""What the unit scores are computed from, aggregated in the database over one period.

Two reads, both bounded by the period rather than by the history (see
`handlers.summaries.score`):

- completion: per unit, how many assignments fell due in the period and how many of those
  were completed on time or late (one GROUP BY);
- discipline: per unit and day of the period, how many assignments needed a daily report and
  how many of those got one before the cut-off. The first part is read as spans of days
  grouped in the database (most of a unit's work needs a report all period long, so a unit is
  a handful of rows), the second is counted by the database per unit and day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from store.batching import UnitsArg, unit_filters
from store.models import (
    Assignment,
    AssignmentState,
    Directive,
    Report,
    Task,
    TaskKind,
    UTCDateTime,
)


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
class DayCounts:
    """One unit over the days of a period (index 0 is the first day): how many assignments
    needed a daily report each day, and how many of those got one before the cut-off."""

    needed: list[int]
    reported: list[int]


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


async def daily_counts(
    session: AsyncSession,
    units: UnitsArg,
    *,
    start: date,
    last_day: date,
    horizon_days: int,
    cutoff: time,
    tz: ZoneInfo,
) -> dict[int, DayCounts]:
    """Per unit, for each day of [start, last_day]: work needing a report, and reported.

    An assignment needs one from the day its directive was imported (undated recurring and
    annual work) or from `horizon_days` before its due date (dated work), until the day it was
    completed (that day included: the completion report is its report) or for good. It counts
    as reported on a day when a report on it was sent that day before the cut-off.
    Units with nothing needing a report in the period are absent.
    """
    n = (last_day - start).days + 1
    diff: dict[int, list[int]] = {}
    for unit_id, first, last, count in await _need_groups(
        session, units, start=start, last_day=last_day, horizon_days=horizon_days, tz=tz
    ):
        d = diff.get(unit_id)
        if d is None:
            d = diff[unit_id] = [0] * (n + 1)
        d[(first - start).days] += count
        d[(last - start).days + 1] -= count
    out: dict[int, DayCounts] = {}
    for i, (uid, d) in enumerate(diff.items()):
        if i % 2_000 == 1_999:
            await asyncio.sleep(0)  # thousands of units: let chat messages in between
        out[uid] = DayCounts(list(accumulate(d[:n])), [0] * n)
    windows = _windows(start, last_day, horizon_days, cutoff, tz)
    # `unit_id + 0`: the same filter, but SQLite no longer walks every assignment of the
    # units to find the few with reports; it starts from the period's reports instead.
    for condition in unit_filters(Assignment.unit_id + 0, units):
        for unit_id, day, count in await session.execute(_reported_stmt(condition, windows)):
            counts = out.get(unit_id)
            if counts is not None:
                counts.reported[day] = count
    return out


async def _need_groups(
    session: AsyncSession,
    units: UnitsArg,
    *,
    start: date,
    last_day: date,
    horizon_days: int,
    tz: ZoneInfo,
) -> list[tuple[int, date, date, int]]:
    """(unit, first day, last day, how many assignments) for the spans of need in the period.

    The database groups the assignments by what decides their span: the directive's import
    time, the due date when it starts the span after `start`, the completion date when it ends
    the span before `last_day`.
    """
    h = timedelta(days=horizon_days)
    late_due = case((Assignment.due > start + h, Assignment.due)).label("late_due")
    done_on = case(
        (
            and_(
                Assignment.state != AssignmentState.OPEN,
                Assignment.completed_on < last_day,
            ),
            Assignment.completed_on,
        )
    ).label("done_on")
    groups: list[tuple[int, date, date, int]] = []
    # Every assignment of a directive shares its import time: convert each one once.
    local_day: dict[datetime, date] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        inner = (
            select(Assignment.unit_id, Directive.imported_at, late_due, done_on)
            .join(Task, Task.id == Assignment.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(*_need_filter(condition, start, last_day, horizon_days, tz))
            .subquery()
        )
        # Grouped outside the subquery: PostgreSQL cannot match a GROUP BY expression with
        # bound parameters to the same expression in the select list.
        stmt = select(*inner.c, func.count()).group_by(*inner.c)
        result = await session.stream(stmt)
        async for part in result.partitions(2_000):
            groups += _spans(part, start, last_day, h, tz, local_day)
    return groups


def _spans(
    rows: Iterable[Any],
    start: date,
    last_day: date,
    h: timedelta,
    tz: ZoneInfo,
    local_day: dict[datetime, date],
) -> list[tuple[int, date, date, int]]:
    """The spans of grouped rows (unit, import time, late due date, completion, count)."""
    groups: list[tuple[int, date, date, int]] = []
    for unit_id, imported, due, done, count in rows:
        since = local_day.get(imported)
        if since is None:
            since = local_day[imported] = imported.astimezone(tz).date()
        first = max(start, since, due - h if due is not None else start)
        last = done if done is not None else last_day
        if first <= last:
            groups.append((unit_id, first, last, count))
    return groups


def _windows(
    start: date, last_day: date, horizon_days: int, cutoff: time, tz: ZoneInfo
) -> Subquery:
    """One row per day of the period: its index, the UTC instants of its midnight, cut-off
    and next midnight, and the last due date that needs a report that day.

    Parameters grow with the period's length, not with the data (a year is 366 rows).
    """
    rows = []
    for i in range((last_day - start).days + 1):
        day = start + timedelta(days=i)
        rows.append(
            select(
                literal(i, Integer).label("day"),
                literal(day, Date).label("on"),
                literal(_midnight(day, tz), UTCDateTime()).label("lo"),
                literal(datetime.combine(day, cutoff, tz), UTCDateTime()).label("hi"),
                literal(_midnight(day + timedelta(days=1), tz), UTCDateTime()).label("next"),
                literal(day + timedelta(days=horizon_days), Date).label("due_limit"),
            )
        )
    return union_all(*rows).subquery("w")


def _reported_stmt(condition: ColumnElement[bool], w: Subquery) -> Select[Any]:
    """Per unit and day index: assignments that needed a report that day and got one before
    the cut-off (each counted once however many reports it got).

    The reports are found day by day through the index on their time (a DISTINCT subquery,
    which the database reads first); only then are their assignments looked at.
    """
    rw = (
        select(Report.assignment_id, w.c.day, w.c.on, w.c.next, w.c.due_limit)
        .select_from(w)
        .join(Report, and_(Report.created_at >= w.c.lo, Report.created_at < w.c.hi))
        .distinct()
        .subquery("rw")
    )
    return (
        select(Assignment.unit_id, rw.c.day, func.count())
        .select_from(rw)
        .join(Assignment, Assignment.id == rw.c.assignment_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Directive, Directive.id == Task.directive_id)
        .where(
            condition,
            Directive.imported_at < rw.c.next,
            or_(Assignment.state == AssignmentState.OPEN, Assignment.completed_on >= rw.c.on),
            or_(
                and_(
                    Assignment.due.is_(None),
                    Task.kind.in_([TaskKind.RECURRING, TaskKind.ANNUAL]),
                ),
                Assignment.due <= rw.c.due_limit,
            ),
        )
        .group_by(Assignment.unit_id, rw.c.day)
    )
