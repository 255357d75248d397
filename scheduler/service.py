"""The scheduler service: fires the daily and monthly jobs on one leader, and catches up.

APScheduler 3 (`AsyncIOScheduler`, a `CronTrigger` per job in the local zone) is only the
alarm clock: it calls `SchedulerService.fire`, and the job body claims its run in the database
(scheduler.jobs), so a trigger that fires twice, a restart or a manual run cannot repeat a job.
Triggers fire every day; the body skips weekends and holidays with the work calendar, because
a cron expression cannot know Tết or the Saturdays the Government swaps into working days.

Catch-up: jobs live in memory, so a process that was down at 16:00 would never hear that
trigger. Whenever this process becomes the leader it runs every job whose time today has
passed (the claim makes that a no-op for jobs that already ran); yesterday's runs are never
made up, a nudge is pointless once the reminder time has come, and nothing is caught up after
the quiet hour (21:00 by default: a reminder at 23:00 helps nobody).

Leadership: with several replicas on PostgreSQL, only the one holding a session-level advisory
lock fires jobs; the others retry every `retry` seconds and take over when the leader's
connection goes away. On SQLite the single process is the leader. The outbox dispatcher is not
part of this service: it runs on every replica (rows are claimed with SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from scheduler.daily_report import DAILY_REPORT
from scheduler.digest import DIGEST
from scheduler.draft_reminders import DRAFT_REMINDER
from scheduler.housekeeping import HOUSEKEEPING, Housekeeping
from scheduler.jobs import Job, JobConfig, JobResult, run_job
from scheduler.reminders import NUDGE, REMINDER
from scheduler.scoreboard import SCOREBOARD
from store import leadership as leader_lock
from store.db import Engine, SessionMaker

if TYPE_CHECKING:  # APScheduler is imported when a service is built (`nhacviec run`)
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

logger = logging.getLogger(__name__)

#: The jobs that push messages (run through `run_job`: claim and outbox rows at the end).
PUSH_JOBS: tuple[Job, ...] = (NUDGE, REMINDER, DAILY_REPORT, DIGEST, SCOREBOARD, DRAFT_REMINDER)


class Maintenance(Protocol):
    """A job that writes as it goes (housekeeping) and runs itself, claim included."""

    @property
    def name(self) -> str:
        """The job's name (its claim row)."""
        ...

    def at(self, cfg: JobConfig) -> time | None:
        """Local time of the daily run, None when switched off."""
        ...

    def until(self, cfg: JobConfig) -> time | None:
        """Local time after which a late run is skipped, or None."""
        ...

    async def run(self, sessionmaker: SessionMaker, now: datetime, cfg: JobConfig) -> JobResult:
        """Claim the day's run and do the work."""
        ...


ScheduledJob = Job | Maintenance
JOBS: tuple[ScheduledJob, ...] = (*PUSH_JOBS, HOUSEKEEPING)


def scheduled_jobs(housekeeping: Housekeeping = HOUSEKEEPING) -> tuple[ScheduledJob, ...]:
    """Every job the service fires: the push jobs and housekeeping with its settings."""
    return (*PUSH_JOBS, housekeeping)


# "nhac" in ASCII: the advisory lock key replicas of this app compete for.
DEFAULT_LOCK_ID = 0x6E686163


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Leadership(Protocol):
    """Who may fire jobs: `acquire` tries to become leader, `held` checks it still is."""

    async def acquire(self) -> bool:
        """Try to become the leader; True when this process is (or already was)."""
        ...

    async def held(self) -> bool:
        """Whether leadership is still ours (False once the lock's connection is lost)."""
        ...

    async def release(self) -> None:
        """Give leadership up."""
        ...


class SoleLeader:
    """A single process (SQLite): always the leader."""

    async def acquire(self) -> bool:
        """Always succeeds."""
        return True

    async def held(self) -> bool:
        """Always true."""
        return True

    async def release(self) -> None:
        """Nothing to release."""


class AdvisoryLeader:
    """Leadership as a PostgreSQL session-level advisory lock on a dedicated connection.

    The lock lives as long as the connection: if the leader dies or its connection drops, the
    server releases it and the next replica to try gets it.

    Args:
        engine: The app's engine (one pooled connection is kept for the lock).
        lock_id: The 64-bit key every replica of this deployment uses.
    """

    def __init__(self, engine: Engine, lock_id: int = DEFAULT_LOCK_ID) -> None:
        self._engine = engine
        self._lock_id = lock_id
        self._conn: leader_lock.LockConnection | None = None
        self._held = False

    async def acquire(self) -> bool:
        """Try the lock without waiting."""
        if self._held:
            return await self.held()
        try:
            if self._conn is None:
                self._conn = await leader_lock.lock_connection(self._engine)
            got = await leader_lock.try_lock(self._conn, self._lock_id)
        except Exception as exc:  # the database may be restarting; try again later
            logger.warning("leader election failed: %s", type(exc).__name__)
            await self._drop()
            return False
        self._held = got
        return self._held

    async def held(self) -> bool:
        """Check the lock's connection is alive (the lock goes with it)."""
        if not self._held or self._conn is None:
            return False
        try:
            await leader_lock.ping(self._conn)
        except Exception as exc:
            logger.warning("lost the leader lock's connection: %s", type(exc).__name__)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Unlock and close the connection."""
        if self._conn is not None and self._held:
            try:
                await leader_lock.unlock(self._conn, self._lock_id)
            except Exception:  # closing the connection releases it anyway
                logger.debug("advisory unlock failed", exc_info=True)
        await self._drop()

    async def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:
                logger.debug("closing the leader connection failed", exc_info=True)


def leadership_for(engine: Engine, lock_id: int = DEFAULT_LOCK_ID) -> Leadership:
    """An advisory lock on PostgreSQL; on SQLite (one process) always the leader."""
    if leader_lock.is_postgresql(engine):
        return AdvisoryLeader(engine, lock_id)
    return SoleLeader()


class SchedulerService:
    """Fires the jobs at their local times while this process is the leader.

    Args:
        sessionmaker: Session factory for the jobs.
        cfg: Job times and rules.
        leadership: Who may fire (see `leadership_for`).
        jobs: The jobs to schedule (the push jobs and housekeeping by default).
        clock: Current time; injectable so tests choose "now".
        on_queued: Called after a run queued deliveries (wakes the outbox dispatcher).
        retry: Seconds between leadership attempts and checks.
        retry_failed: Delay before a job whose run raised is tried again (same day only).
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        cfg: JobConfig,
        *,
        leadership: Leadership,
        jobs: Sequence[ScheduledJob] = JOBS,
        clock: Callable[[], datetime] = utc_now,
        on_queued: Callable[[], None] | None = None,
        retry: float = 15.0,
        retry_failed: timedelta = timedelta(minutes=5),
    ) -> None:
        self._sessionmaker = sessionmaker
        self._cfg = cfg
        self._leadership = leadership
        self._jobs = {job.name: job for job in jobs}
        self._clock = clock
        self._on_queued = on_queued
        self._retry = retry
        self._retry_failed = retry_failed
        self._locks = {name: asyncio.Lock() for name in self._jobs}
        self._leader = False
        self._loop_task: asyncio.Task[None] | None = None
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self.scheduler: AsyncIOScheduler = AsyncIOScheduler(
            timezone=cfg.tz,
            # One run at a time per job, late runs coalesced into one, and no lateness limit:
            # `fire` itself decides whether a late run still belongs to today.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.history: deque[JobResult] = deque(maxlen=200)
        # Set once this process, as the leader, has run its catch-up (tests and logs wait on it).
        self.caught_up = asyncio.Event()

    @property
    def is_leader(self) -> bool:
        """Whether this process currently fires the jobs."""
        return self._leader

    async def start(self) -> None:
        """Register the triggers and start competing for leadership (returns at once)."""
        from apscheduler.triggers.cron import CronTrigger

        for job in self._jobs.values():
            at = job.at(self._cfg)
            if at is None:
                logger.info("job %s is switched off", job.name)
                continue
            self.scheduler.add_job(
                self.fire,
                CronTrigger(
                    hour=at.hour, minute=at.minute, second=at.second, timezone=self._cfg.tz
                ),
                args=[job.name],
                id=job.name,
                name=job.name,
            )
        self.scheduler.start(paused=True)
        self._loop_task = asyncio.create_task(self._lead(), name="scheduler-leadership")

    async def stop(self) -> None:
        """Stop firing, wait for a job in progress, give leadership up."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for lock in self._locks.values():
            async with lock:  # a job in progress finishes its transaction first
                pass
        self._leader = False
        await self._leadership.release()

    async def _lead(self) -> None:
        while True:
            try:
                if not self._leader:
                    if await self._leadership.acquire():
                        self._leader = True
                        logger.info("this process now runs the scheduled jobs")
                        self.scheduler.resume()
                        await self.catch_up()
                        self.caught_up.set()
                elif not await self._leadership.held():
                    self._leader = False
                    self.scheduler.pause()
                    logger.warning("scheduler leadership lost; jobs paused here")
            except asyncio.CancelledError:
                raise
            except Exception:  # keep competing whatever happened
                logger.exception("scheduler leadership loop failed")
            await asyncio.sleep(self._retry)

    async def catch_up(self) -> list[JobResult]:
        """Run today's jobs whose time has passed (a no-op for those that already ran)."""
        results = []
        for name in self._jobs:
            result = await self.fire(name)
            if result is not None:
                results.append(result)
        return results

    async def fire(self, name: str) -> JobResult | None:
        """Run one job for the current moment, if it is due today and we lead (the trigger).

        Returns:
            The run's result, or None when nothing was attempted (not the leader, before the
            job's time today, too late for it, or the run failed and will be retried).
        """
        job = self._jobs[name]
        at = job.at(self._cfg)
        if not self._leader or at is None:
            return None
        now = self._clock()
        local = now.astimezone(self._cfg.tz).time()
        # A trigger that fires after midnight for yesterday, or a catch-up before today's time.
        if local < at:
            return None
        until = job.until(self._cfg)
        if until is not None and local >= until:
            return None  # e.g. a nudge once the reminder itself is due would only repeat it
        quiet = self._cfg.quiet_after
        if quiet is not None and local >= quiet and at < quiet:
            logger.info("job %s not caught up: it is past %s", name, quiet.strftime("%H:%M"))
            return None
        async with self._locks[name]:
            try:
                if isinstance(job, Job):
                    result = await run_job(self._sessionmaker, job, now, self._cfg)
                else:
                    result = await job.run(self._sessionmaker, now, self._cfg)
            except Exception:
                logger.exception("job %s failed; it will be tried again", name)
                self._retry_later(name)
                return None
        self.history.append(result)
        if result.queued and self._on_queued is not None:
            self._on_queued()
        return result

    def _retry_later(self, name: str) -> None:
        if not self.scheduler.running:
            return
        # APScheduler counts in wall time whatever clock the jobs are given.
        self.scheduler.add_job(
            self.fire,
            "date",
            run_date=utc_now() + self._retry_failed,
            args=[name],
            id=f"{name}-retry",
            replace_existing=True,
        )
