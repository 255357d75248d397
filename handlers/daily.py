"""The daily reporting duty: which assignments need a report today, and which got one.

One rule serves the 16:00 reminder, the earlier nudge, the group digest and the reporting
discipline part of the score, so that "the unit reported today" means the same everywhere:

- an assignment needs a daily report while it is open and it is overdue, recurring (or annual
  without a date), or due within `horizon_days` (work due in half a year is not reported on
  daily; work due this month is);
- it counts as reported on a day when anyone in the unit sent a report on it that day (local
  time), for the discipline score before the cut-off (16:00).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store import assignments as q
from store.assignments import AssignmentView
from store.models import Assignment, AssignmentState, Report, TaskKind


def weekdays_only(day: date) -> bool:
    """Monday to Friday; the app passes the holiday-aware calendar instead."""
    return day.weekday() < 5


@dataclass(frozen=True, slots=True)
class ReportRules:
    """What the daily duty and the score depend on (built by the app from its settings).

    Attributes:
        cutoff: Local time reports are due by (and when the reminder goes out).
        horizon_days: Dated work due within this many days needs a daily report.
        weight_completion: Weight of on-time completion in the score.
        weight_discipline: Weight of daily reporting discipline in the score.
        late_credit: Credit (0–1) for work done after its due date.
        is_workday: Whether officials work on a day (weekends, holidays, swapped days).
    """

    cutoff: time = time(16, 0)
    horizon_days: int = 30
    weight_completion: float = 0.6
    weight_discipline: float = 0.4
    late_credit: float = 0.5
    is_workday: Callable[[date], bool] = weekdays_only

    def __post_init__(self) -> None:
        if self.horizon_days < 0:
            raise ValueError("horizon_days must not be negative")
        if min(self.weight_completion, self.weight_discipline) < 0:
            raise ValueError("score weights must not be negative")
        if self.weight_completion + self.weight_discipline <= 0:
            raise ValueError("at least one score weight must be positive")
        if not 0 <= self.late_credit <= 1:
            raise ValueError("late_credit must be between 0 and 1")


def needs_report(kind: TaskKind, due: date | None, day: date, horizon_days: int) -> bool:
    """Tell whether open work of this kind and due date needs a report on `day`.

    Args:
        kind: The task's kind.
        due: The assignment's due date, if any.
        day: The local day in question.
        horizon_days: Dated work due within this many days of `day` needs a report.

    Returns:
        True for overdue work, work due within the horizon and undated recurring work.
    """
    if due is None:
        return kind in (TaskKind.RECURRING, TaskKind.ANNUAL)
    return due <= day + timedelta(days=horizon_days)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day starts and the next one starts."""
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start.astimezone(UTC), end.astimezone(UTC)


async def reported_between(
    session: AsyncSession, unit_ids: Iterable[int], start: datetime, end: datetime
) -> set[int]:
    """Ids of the units' assignments with at least one report created in [start, end)."""
    ids = list(unit_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(Report.assignment_id)
        .join(Assignment, Assignment.id == Report.assignment_id)
        .where(
            Assignment.unit_id.in_(ids),
            Report.created_at >= start,
            Report.created_at < end,
        )
        .distinct()
    )
    return set(rows)


@dataclass(frozen=True, slots=True)
class UnitDuty:
    """One unit's duty today: what needs a report, and what of it nobody reported yet."""

    unit_id: int
    needed: list[AssignmentView]
    pending: list[AssignmentView]


async def duty_today(
    session: AsyncSession,
    unit_ids: Iterable[int],
    *,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
) -> dict[int, UnitDuty]:
    """Each unit's work that needs a report today and what is still unreported at `now`.

    Args:
        session: The caller's session.
        unit_ids: The units to look at.
        now: The current time (timezone-aware); reports up to it count.
        tz: The zone "today" is taken in.
        rules: The reporting rules (horizon).

    Returns:
        A duty per unit that has work needing a report today; units without any are absent.
    """
    ids = sorted(set(unit_ids))
    today = now.astimezone(tz).date()
    views = await q.open_assignments(session, ids, today) if ids else []
    needed: dict[int, list[AssignmentView]] = {}
    for view in views:
        if view.state == AssignmentState.OPEN and needs_report(
            view.kind, view.due, today, rules.horizon_days
        ):
            needed.setdefault(view.unit_id, []).append(view)
    start, _end = day_bounds(today, tz)
    # `now` rather than midnight as the end, so a job run "for 16:00" after the fact (an
    # operator's `remind --now`) sees the day as it was then.
    done = await reported_between(session, needed, start, now + timedelta(microseconds=1))
    return {
        unit_id: UnitDuty(unit_id, views, [v for v in views if v.id not in done])
        for unit_id, views in needed.items()
    }
