"""The weekly and monthly roll-up for the oversight group: per unit, work completed on time and
late, overdue at the end, reporting discipline, and the change since the period before.

The figures come from the score (`handlers.summaries.score.compute_scores`, reused, not re-derived)
for the period and the one before it, plus the work overdue at each end
(store.daily_report_rollup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.parsing.periods import Period, month_period, shift_month, week_period
from handlers.summaries.score import UnitScore, compute_scores, rank
from handlers.tasks.daily import ReportRules
from store.daily_report_rollup import overdue_counts
from store.db import Session


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One unit in a roll-up; `previous` is its score the period before (None: not scored)."""

    score: UnitScore
    overdue: int
    previous: UnitScore | None
    previous_overdue: int

    @property
    def change(self) -> float | None:
        """Score points gained since the period before (None when either is unscored)."""
        if self.score.score is None or self.previous is None or self.previous.score is None:
            return None
        return round(self.score.score - self.previous.score, 1)


@dataclass(frozen=True, slots=True)
class Rollup:
    """A period's roll-up, best unit first."""

    period: Period
    previous: Period
    rows: list[RollupRow]

    @property
    def kind(self) -> str:
        """`week` or `month`."""
        return "week" if self.period.label.endswith("week") else "month"


def previous_period(period: Period) -> Period:
    """The week or month just before `period`."""
    if period.label.endswith("week"):
        return week_period(period.start - timedelta(days=7), "week")
    year, month = shift_month(period.start.year, period.start.month, -1)
    return month_period(year, month, "month")


def parse_rollup_period(text: str) -> Period | None:
    """`2025-12` (a month) or `2025-W49` (an ISO week); None when neither."""
    text = text.strip()
    try:
        if "-W" in text.upper():
            year, week = text.upper().split("-W")
            return week_period(date.fromisocalendar(int(year), int(week), 1), "week")
        year, month = (int(p) for p in text.split("-"))
        return month_period(year, month, "month")
    except ValueError:
        return None


def period_key(period: Period) -> str:
    """`2025-12` or `2025-W49`: the period in file names and delivery keys."""
    if period.label.endswith("week"):
        iso = period.start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{period.start.year}-{period.start.month:02d}"


async def compute_rollup(
    session: Session,
    units: Sequence[int],
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
) -> Rollup:
    """The roll-up of the units for `period`, judged as of `now`."""
    unit_ids = sorted(set(units))
    before = previous_period(period)
    scores = await compute_scores(
        session, unit_ids, start=period.start, end=period.end, now=now, tz=tz, rules=rules
    )
    earlier = await compute_scores(
        session, unit_ids, start=before.start, end=before.end, now=now, tz=tz, rules=rules
    )
    today = now.astimezone(tz).date()
    overdue = await overdue_counts(session, unit_ids, min(period.end, today))
    overdue_before = await overdue_counts(session, unit_ids, min(before.end, today))
    by_unit = {s.unit_id: s for s in earlier}
    rows = [
        RollupRow(
            s, overdue.get(s.unit_id, 0), by_unit.get(s.unit_id), overdue_before.get(s.unit_id, 0)
        )
        for s in scores
    ]
    return Rollup(period, before, rows)


def for_units(rollup: Rollup, unit_ids: Sequence[int]) -> Rollup:
    """The roll-up of some of its units (one oversight group's), ranked among themselves."""
    wanted = set(unit_ids)
    rows = {r.score.unit_id: r for r in rollup.rows if r.score.unit_id in wanted}
    ranked = rank(r.score for r in rows.values())
    return Rollup(
        rollup.period,
        rollup.previous,
        [replace(rows[s.unit_id], score=s) for s in ranked],
    )
