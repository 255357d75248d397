"""The push machinery: what `nhacviec run` starts, and what one-shot commands send with.

`PushRuntime` runs the outbox dispatcher on every replica and the scheduler on the leader. A
one-shot command (`nhacviec remind`, `nhacviec broadcast`) queues its deliveries as the
scheduler does, then sends them itself with `sending_channels` and `drain`: the outbox's leases
and delivery keys make that safe next to a running `nhacviec run`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from bot.app import App, report_rules_from, work_calendar_from
from bot.config import Settings
from handlers.types import Channel
from scheduler.housekeeping import Housekeeping
from scheduler.jobs import JobConfig
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.reply import ReplySender
from scheduler.outbox.send import Clock
from scheduler.service import SchedulerService, leadership_for, scheduled_jobs, utc_now
from store.db import SessionMaker
from store.outbox import next_due

logger = logging.getLogger(__name__)

# How long a one-shot command waits for retries (a 429's retry_after, a busy group) before it
# leaves the rest to the running service.
DRAIN_PATIENCE = 30.0


def job_config(settings: Settings, channels: Iterable[str] | None = None) -> JobConfig:
    """The jobs' settings; `channels` limits pushes to the channels this process has."""
    calendar = work_calendar_from(settings)
    return JobConfig(
        tz=settings.tz,
        calendar=calendar,
        rules=report_rules_from(settings, calendar),
        nudge_time=settings.nudge_time if settings.nudge_enabled else None,
        digest_time=settings.digest_time,
        scoreboard_time=settings.scoreboard_time,
        channels=frozenset(channels) if channels is not None else None,
        quiet_after=settings.quiet_after,
    )


def housekeeping_from(settings: Settings) -> Housekeeping:
    """The housekeeping job with its configured time, ages and batch size."""
    return Housekeeping(
        at_time=settings.housekeeping_time,
        processed_age=timedelta(days=settings.processed_retention_days),
        conversation_age=timedelta(days=settings.conversation_retention_days),
        batch=settings.housekeeping_batch,
    )


def sending_channels(
    settings: Settings, sessionmaker: SessionMaker | None = None
) -> dict[str, Channel]:
    """Channels to push with from a one-shot command (send only: nothing is received).

    Telegram initialises lazily on the first send, so no webhook or polling is set up. The
    Zalo channels need the database (group lookups, the OA's rotating token): they are built
    only when `sessionmaker` is given.
    """
    channels: dict[str, Channel] = {}
    if settings.telegram_bot_token is not None:
        from bot.channels.telegram.channel import TelegramChannel

        channels["telegram"] = TelegramChannel(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
        )
    if sessionmaker is not None:
        from bot.channel_setup import zalo_channels

        for channel in zalo_channels(settings, None, sessionmaker):
            channels[channel.name] = channel
    return channels


class PushRuntime:
    """What `nhacviec run` adds to the channels: the outbox dispatcher and the scheduler.

    The dispatcher runs on every replica; the scheduler fires jobs only on the leader (and
    not at all with NHACVIEC_SCHEDULER_ENABLED=false).

    Args:
        app: The running app, with every channel already added.
        clock: The outbox's clock.
        job_clock: The scheduler's idea of "now" (tests pick the moment).
    """

    def __init__(
        self,
        app: App,
        *,
        clock: Clock | None = None,
        job_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._app = app
        self._clock = clock or SystemClock()
        self._job_clock = job_clock or utc_now
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.dispatcher: OutboxDispatcher | None = None
        self.replies: ReplySender | None = None
        self.service: SchedulerService | None = None

    async def start(self) -> None:
        """Start dispatching, and compete for running the jobs."""
        app, settings = self._app, self._app.settings
        channels = dict(app.channels)
        self.dispatcher = OutboxDispatcher(app.sessionmaker, channels, {}, self._clock)
        self.replies = ReplySender(
            app.sessionmaker,
            channels,
            self.dispatcher.limiter,
            self._clock,
            self.dispatcher.wake_urgent,
        )
        self._task = asyncio.create_task(self.dispatcher.run_forever(self._stop), name="outbox")
        if settings.scheduler_enabled:
            self.service = SchedulerService(
                app.sessionmaker,
                job_config(settings, channels),
                leadership=leadership_for(app.engine, settings.leader_lock_id),
                jobs=scheduled_jobs(housekeeping_from(settings)),
                clock=self._job_clock,
                on_queued=self.dispatcher.wake,
                retry=settings.leader_retry_seconds,
            )
            await self.service.start()
        logger.info("outbox dispatcher started for %s", ", ".join(channels) or "no channel")

    def route_replies(self, channels: dict[str, Channel]) -> None:
        """Make the conversation's replies in `channels` go through the shared limiter."""
        if self.replies is None:
            raise RuntimeError("start the push runtime first")
        for name, channel in list(channels.items()):
            channels[name] = self.replies.wrap(channel)

    async def stop(self, grace: float = 15.0) -> None:
        """Stop the jobs, then let sends in flight finish and record them.

        Args:
            grace: Seconds to wait for sends in flight; after that they are cancelled (their
                rows stay leased and another dispatcher takes them over when the lease ends).
        """
        if self.service is not None:
            await self.service.stop()
        self._stop.set()
        if self._task is None:
            return
        done, _pending = await asyncio.wait({self._task}, timeout=grace)
        if not done:
            logger.warning("outbox dispatcher did not stop within %.0f s; cancelling", grace)
            self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def drain(
    sessionmaker: SessionMaker,
    channels: Mapping[str, Channel],
    prefix: str,
    *,
    clock: Clock | None = None,
    patience: float = DRAIN_PATIENCE,
) -> None:
    """Send what is due now, then wait for this job's retries that fall due within `patience`.

    Args:
        sessionmaker: Session factory.
        channels: Channels to send with.
        prefix: Key prefix of the job's deliveries (`reminder:2025-07-15:`).
        clock: Wall time, monotonic time and sleep.
        patience: Seconds to wait for a retry at most.
    """
    clock = clock or SystemClock()
    dispatcher = OutboxDispatcher(sessionmaker, channels, {}, clock)
    give_up = clock.monotonic() + patience
    while True:
        if await dispatcher.run_once():
            continue
        async with sessionmaker() as s:
            due = await next_due(s, prefix, channels)
        if due is None:
            return
        wait = max((due - clock.now()).total_seconds(), 0.05)
        if clock.monotonic() + wait > give_up:
            return
        await clock.sleep(wait)
