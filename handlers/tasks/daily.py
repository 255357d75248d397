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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.assignments import AssignmentView
from store.batching import UnitsArg
from store.db import Session
from store.duty import needing_report
from store.models import TaskKind


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


@dataclass(frozen=True, slots=True)
class UnitDuty:
    """One unit's duty today: what needs a report, and what of it nobody reported yet."""

    unit_id: int
    needed: list[AssignmentView]
    pending: list[AssignmentView]


async def duty_today(
    session: Session,
    units: UnitsArg,
    *,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
    pending_only: bool = False,
) -> dict[int, UnitDuty]:
    """Each unit's work that needs a report today and what is still unreported at `now`.

    Args:
        session: The caller's session.
        units: The units to look at: ids, or a select of ids (bound as a subquery).
        now: The current time (timezone-aware); reports up to it count.
        tz: The zone "today" is taken in.
        rules: The reporting rules (horizon).
        pending_only: Read only the unreported work (`needed` then holds just that), which is
            all a reminder or a digest shows.

    Returns:
        A duty per unit that has work needing a report today (with `pending_only`: unreported
        work); other units are absent.
    """
    today = now.astimezone(tz).date()
    start, _end = day_bounds(today, tz)
    # `now` rather than midnight as the end, so a job run "for 16:00" after the fact (an
    # operator's `remind --now`) sees the day as it was then.
    views, done = await needing_report(
        session,
        units,
        day=today,
        horizon_days=rules.horizon_days,
        reported_in=(start, now + timedelta(microseconds=1)),
        pending_only=pending_only,
    )
    needed: dict[int, list[AssignmentView]] = {}
    for view in views:
        needed.setdefault(view.unit_id, []).append(view)
    return {
        unit_id: UnitDuty(unit_id, items, [v for v in items if v.id not in done])
        for unit_id, items in needed.items()
    }
