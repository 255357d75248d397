"""The monthly scoreboard: last month's scores, ranked, with a chart, to oversight groups.

Runs on the first working day of the month (a run missed while the bot was down is caught up
that same day, like the daily jobs; `nhacviec score --send` sends it by hand later). The run is
claimed for the month scored, so it goes out once per month whichever way it is started.
Each oversight group sees only the units it is linked to, ranked among themselves.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from datetime import date, datetime

from handlers.i18n import DEFAULT_LOCALE, _, use_locale
from handlers.parsing.periods import Period, month_period, shift_month
from handlers.summaries.pushes import score_text
from handlers.summaries.score import UnitScore, compute_scores, rank
from handlers.types import Address, Attachment, Outgoing
from scheduler.chart import Bar, scoreboard_png
from scheduler.jobs import Job, JobConfig, JobResult, Push
from store.db import Session
from store.recipients import linked_chats, oversight_units

logger = logging.getLogger(__name__)


def previous_month(day: date) -> Period:
    """The calendar month before the one `day` falls in."""
    year, month = shift_month(day.year, day.month, -1)
    return month_period(year, month, "last_month")


def render_scoreboard(
    scores: list[UnitScore], period: Period, cfg: JobConfig, today: date
) -> list[Outgoing]:
    """The scoreboard for one group, in the current locale: the text, then the chart.

    Two messages, queued as two deliveries: a send is all or nothing for the outbox, and a
    text that went out must not be sent again because the picture after it failed.
    """
    text = score_text(scores, period, cfg.rules, today)
    ranked = [s for s in scores if s.score is not None]
    if not ranked:
        return [Outgoing(text)]
    month = f"{period.start.month:02d}/{period.start.year}"
    png = scoreboard_png(
        [Bar(s.name, s.score or 0.0) for s in ranked],
        title=_("Scores for {month}").format(month=month),
        xlabel=_("Score (out of 100)"),
    )
    name = f"bang-xep-hang-{period.start.year}-{period.start.month:02d}.png"
    return [Outgoing(text), Outgoing("", attachments=[Attachment(name, png, "image/png")])]


async def scoreboard_pushes(
    session: Session, now: datetime, cfg: JobConfig, result: JobResult, *, period: Period
) -> list[Push]:
    """A scoreboard for `period` to every oversight group with scored units.

    Args:
        session: The job's (read-only) session.
        now: The current time; the period is judged as of it.
        cfg: Job settings (weights, cut-off, working days).
        result: Counters to fill.
        period: The month (or any period) to score.
    """
    today = now.astimezone(cfg.tz).date()
    chats = await linked_chats(session, oversight_only=True)
    scores = await compute_scores(
        session,
        oversight_units(),
        start=period.start,
        end=period.end,
        now=now,
        tz=cfg.tz,
        rules=cfg.rules,
    )
    by_unit = {s.unit_id: s for s in scores}
    label = f"{period.start.year}-{period.start.month:02d}"
    pushes: list[Push] = []
    for chat, units in chats:
        await asyncio.sleep(0)  # ranking thousands of units is CPU-bound: let chat messages in
        if cfg.channels is not None and chat.channel not in cfg.channels:
            result.counts["skipped_channel_unavailable"] += 1
            continue
        # A group that oversees every scored unit (the standing agency's) reads the ranking
        # already made; the others rank their units among themselves.
        seen = [by_unit[u] for u in units if u in by_unit]
        mine = scores if len(seen) == len(scores) else rank(seen)
        if not any(s.score is not None for s in mine):
            result.counts["skipped_nothing_to_score"] += 1
            continue
        # Groups have no language setting; they read the default (Vietnamese). Drawing takes
        # a few hundred milliseconds: a worker thread (which inherits the locale) does it.
        with use_locale(DEFAULT_LOCALE):
            messages = await asyncio.to_thread(render_scoreboard, mine, period, cfg, today)
        key = f"scoreboard:{label}:chat{chat.id}"
        address = Address(chat.channel, chat.chat_id)
        # The chart's row comes second (a higher id), so the group reads the text first.
        for part, message in zip(("", ":chart"), messages, strict=False):
            pushes.append(Push(key + part, "scoreboard", address, message))
    return pushes


async def _monthly(session: Session, now: datetime, cfg: JobConfig, r: JobResult) -> list[Push]:
    period = previous_month(now.astimezone(cfg.tz).date())
    return await scoreboard_pushes(session, now, cfg, r, period=period)


def _not_first_workday(day: date, cfg: JobConfig) -> str | None:
    first = cfg.calendar.first_workday_of_month(day.year, day.month)
    return None if day == first else "not_first_workday"


SCOREBOARD = Job(
    "scoreboard",
    at=lambda cfg: cfg.scoreboard_time,
    body=_monthly,
    claim_day=lambda day: previous_month(day).start,
    skip=_not_first_workday,
)


def scoreboard_for(period: Period) -> Job:
    """The scoreboard job for a chosen month, on any day (for `nhacviec score --send`)."""
    return Job(
        "scoreboard",
        at=lambda cfg: None,
        body=functools.partial(scoreboard_pushes, period=period),
        claim_day=lambda day: period.start,
        any_day=True,
    )
