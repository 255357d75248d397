"""Unit scores: on-time completion and daily reporting discipline, ranked.

The chat's /score is handlers.summaries.score_chat; the scheduler's scoreboard and the web
read the same figures.

The formula (documented in the README, "Scheduler"), for a unit and a period:

- completion C = (on time + late_credit × done late) / assignments due in the period, where a
  task due in the period counts as on time when completed on or before its due date, as done
  late when completed after it but by the end of the period (or today), and as missed otherwise;
- discipline D = reported days / required days, where a required day is a working day of the
  period on which the unit had work needing a daily report (see `handlers.tasks.daily`), and it is
  a reported day when every one of those assignments got a report before the cut-off (the
  day the 16:00 reminder would not have been needed);
- score = 100 × (w_c × C + w_d × D) / (w_c + w_d); a component without anything to measure
  (nothing due, no required day) is left out and the other one stands alone; a unit with
  neither is not ranked.

An assignment is counted from the day its directive was imported, and open on a day until the
day it was completed (that day included: the completion report is its report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.tasks.daily import ReportRules
from store.batching import UnitsArg
from store.db import Session
from store.scoring import Completion, DayCounts, completion_counts, daily_counts
from store.units import unit_names


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
    session: Session,
    unit_ids: UnitsArg,
    *,
    start: date,
    end: date,
    now: datetime,
    tz: ZoneInfo,
    rules: ReportRules,
) -> list[UnitScore]:
    """Score units over [start, end] as of `now`, ranked (unranked units last).

    The database aggregates over the period only (`store.scoring`); what is left here is
    arithmetic over one small record per unit and day.

    Args:
        session: The caller's session.
        unit_ids: The units to score: ids, or a select of ids.
        start: First day of the period.
        end: Last day of the period.
        now: The current time (timezone-aware); nothing after it is judged.
        tz: The local zone (days, the cut-off).
        rules: Weights, late credit, cut-off, horizon and working days.

    Returns:
        A score per unit, best first.
    """
    window = Window.of(start, end, now.astimezone(tz), rules)
    names = await unit_names(session, unit_ids)
    completion = await completion_counts(
        session, unit_ids, start=window.start, due_end=window.due_end, done_by=window.done_by
    )
    days = _days(window.start, window.last_day)
    workdays = [i for i, day in enumerate(days) if rules.is_workday(day)]
    counts: dict[int, DayCounts] = {}
    if days:
        counts = await daily_counts(
            session,
            unit_ids,
            start=window.start,
            last_day=window.last_day,
            horizon_days=rules.horizon_days,
            cutoff=rules.cutoff,
            tz=tz,
        )
    scores = []
    for uid, name in names.items():
        done = completion.get(uid, Completion(0, 0, 0))
        per_day = counts.get(uid)
        needed = [i for i in workdays if per_day.needed[i]] if per_day else []
        ok = sum(1 for i in needed if per_day and per_day.reported[i] >= per_day.needed[i])
        scores.append(_score(uid, name, done, len(needed), ok, rules))
    return rank(scores)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _score(
    unit_id: int, name: str, done: Completion, required: int, reported: int, rules: ReportRules
) -> UnitScore:
    c = (done.on_time + rules.late_credit * done.late) / done.due if done.due else None
    d = reported / required if required else None
    return UnitScore(
        unit_id,
        name,
        done.due,
        done.on_time,
        done.late,
        required,
        reported,
        c,
        d,
        combine(c, d, rules),
    )
