"""Unit scores: on-time completion and daily reporting discipline, ranked; and /score.

The formula (documented in the README, "Scheduler"), for a unit and a period:

- completion C = (on time + late_credit × done late) / assignments due in the period, where a
  task due in the period counts as on time when completed on or before its due date, as done
  late when completed after it but by the end of the period (or today), and as missed otherwise;
- discipline D = reported days / required days, where a required day is a working day of the
  period on which the unit had work needing a daily report (see `handlers.daily`), and it is
  a reported day when every one of those assignments got a report before the cut-off (the
  day the 16:00 reminder would not have been needed);
- score = 100 × (w_c × C + w_d × D) / (w_c + w_d); a component without anything to measure
  (nothing due, no required day) is left out and the other one stands alone; a unit with
  neither is not ranked.

An assignment is counted from the day its directive was imported, and open on a day until the
day it was completed (that day included: the completion report is its report).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.daily import ReportRules, needs_report
from handlers.i18n import _
from handlers.intents import Intent
from handlers.periods import parse_period
from handlers.pushes import score_text
from handlers.scope import visible_units_or_explain
from store.models import Assignment, AssignmentState, Directive, Report, Task, TaskKind, Unit

_Item = tuple[Assignment, TaskKind, date]


@dataclass(frozen=True, slots=True)
class UnitScore:
    """One unit's figures for a period; `score` is None when there was nothing to measure."""

    unit_id: int
    name: str
    due: int
    on_time: int
    late: int
    required_days: int
    reported_days: int
    completion: float | None
    discipline: float | None
    score: float | None
    rank: int | None = None

    @property
    def missed(self) -> int:
        """Tasks due in the period and not done by its end."""
        return self.due - self.on_time - self.late


@dataclass(frozen=True, slots=True)
class Window:
    """What a period means on a given day: which due dates and which days are judged."""

    start: date
    due_end: date  # last due date judged
    done_by: date  # completions up to this day count
    last_day: date  # last day whose reporting is judged

    @classmethod
    def of(cls, start: date, end: date, now_local: datetime, rules: ReportRules) -> Window:
        """Judge [start, end] as of `now_local`: only what has already happened."""
        today = now_local.date()
        if end < today:
            return cls(start, end, end, end)
        # Work due today is still in time; today's reporting is judged once the cut-off passed.
        last_day = today if now_local.time() >= rules.cutoff else today - timedelta(days=1)
        return cls(start, min(end, today - timedelta(days=1)), today, min(end, last_day))


def combine(c: float | None, d: float | None, rules: ReportRules) -> float | None:
    """The weighted score out of 100, renormalised over the components that exist."""
    parts = [(rules.weight_completion, c), (rules.weight_discipline, d)]
    parts = [(w, v) for w, v in parts if v is not None and w > 0]
    total = sum(w for w, _v in parts)
    if not parts or total <= 0:
        return None
    return round(100 * sum(w * v for w, v in parts) / total, 1)


def rank(scores: Iterable[UnitScore]) -> list[UnitScore]:
    """Order by score (then completion, then name) and number them; ties share a rank."""
    scores = list(scores)
    scored = sorted(
        (s for s in scores if s.score is not None),
        key=lambda s: (-(s.score or 0), -(s.completion or 0), s.name),
    )
    out: list[UnitScore] = []
    for i, s in enumerate(scored):
        same = out and out[-1].score == s.score
        out.append(replace(s, rank=out[-1].rank if same else i + 1))
    return out + sorted((s for s in scores if s.score is None), key=lambda s: s.name)


async def compute_scores(
    session: AsyncSession,
    unit_ids: Iterable[int],
    *,
    start: date,
    end: date,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
) -> list[UnitScore]:
    """Score units over [start, end] as of `now`, ranked (unranked units last).

    Args:
        session: The caller's session.
        unit_ids: The units to score.
        start: First day of the period.
        end: Last day of the period.
        now: The current time (timezone-aware); nothing after it is judged.
        tz: The local zone (days, the cut-off).
        rules: Weights, late credit, cut-off, horizon and working days.

    Returns:
        A score per unit, best first.
    """
    ids = sorted(set(unit_ids))
    window = Window.of(start, end, now.astimezone(tz), rules)
    units = {
        u.id: u.short_name or u.name
        for u in await session.scalars(select(Unit).where(Unit.id.in_(ids)))
    }
    rows = (
        await session.execute(
            select(Assignment, Task.kind, Directive.imported_at)
            .join(Task, Task.id == Assignment.task_id)
            .join(Directive, Directive.id == Task.directive_id)
            .where(Assignment.unit_id.in_(ids))
        )
    ).all()
    lo = datetime.combine(window.start, datetime.min.time(), tz)
    hi = datetime.combine(window.last_day, rules.cutoff, tz)
    reports: defaultdict[date, set[int]] = defaultdict(set)
    if window.last_day >= window.start:
        found = await session.execute(
            select(Report.assignment_id, Report.created_at)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .where(Assignment.unit_id.in_(ids), Report.created_at >= lo, Report.created_at < hi)
        )
        for assignment_id, created in found:
            local = created.astimezone(tz)
            if local.time() < rules.cutoff:
                reports[local.date()].add(assignment_id)
    days = []
    day = window.start
    while day <= window.last_day:
        if rules.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    by_unit: defaultdict[int, list[_Item]] = defaultdict(list)
    for a, kind, imported in rows:
        by_unit[a.unit_id].append((a, kind, imported.astimezone(tz).date()))
    scores = [
        _score(uid, units.get(uid, "?"), by_unit[uid], reports, days, window, rules)
        for uid in ids
        if uid in units
    ]
    return rank(scores)


def _score(
    unit_id: int,
    name: str,
    items: list[_Item],
    reports: dict[date, set[int]],
    days: list[date],
    window: Window,
    rules: ReportRules,
) -> UnitScore:
    due = on_time = late = 0
    for a, _kind, _since in items:
        if a.due is None or not window.start <= a.due <= window.due_end:
            continue
        due += 1
        done = a.completed_on if a.state == AssignmentState.DONE else None
        if done is not None and done <= a.due:
            on_time += 1
        elif done is not None and done <= window.done_by:
            late += 1
    required = reported = 0
    for day in days:
        needed = {
            a.id
            for a, kind, since in items
            if since <= day
            and _open_on(a, day)
            and needs_report(kind, a.due, day, rules.horizon_days)
        }
        if needed:
            required += 1
            reported += needed <= reports.get(day, set())
    c = (on_time + rules.late_credit * late) / due if due else None
    d = reported / required if required else None
    return UnitScore(
        unit_id, name, due, on_time, late, required, reported, c, d, combine(c, d, rules)
    )


def _open_on(a: Assignment, day: date) -> bool:
    if a.state == AssignmentState.OPEN:
        return True
    return a.completed_on is not None and a.completed_on >= day


async def answer_score(ctx: Context, intent: Intent) -> None:
    """Triggered by /score [period] or "bảng xếp hạng tháng 9": scores of the units seen here."""
    unit_ids = await visible_units_or_explain(ctx)
    if unit_ids is None:
        return
    period = intent.period or parse_period("tháng này", ctx.today)
    assert period is not None
    if period.start > ctx.today:
        ctx.reply(_("That period has not started yet, so there is nothing to score."))
        return
    scores = await compute_scores(
        ctx.session,
        unit_ids,
        start=period.start,
        end=period.end,
        now=ctx.now,
        tz=ctx.options.tz,
        rules=ctx.options.reporting,
    )
    ctx.reply(score_text(scores, period, ctx.options.reporting, ctx.today))
