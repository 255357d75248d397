"""The scheduler service: cron triggers in Hà Nội time, catch-up after downtime, one leader.

Time is driven: the service takes a clock, so "the process starts at 17:30" is a clock that
says 17:30; APScheduler itself is exercised by moving a job's next run time to now.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduler.jobs import Job, JobConfig
from scheduler.service import (
    PUSH_JOBS,
    AdvisoryLeader,
    Leadership,
    SchedulerService,
    SoleLeader,
    leadership_for,
)
from store.db import make_engine, make_sessionmaker
from store.models import JobRun
from tests.scheduler.pushworld import AT_1600, DAY, TZ, build, deliveries, local
from tests.support import eventually

CFG = JobConfig(tz=TZ)


@pytest.fixture
async def world(sessionmaker):
    return await build(sessionmaker)


class Clock:
    """A settable clock for the service."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Counted:
    """A leadership that counts its attempts, so a test can wait for "it tried and lost"."""

    def __init__(self, inner: Leadership) -> None:
        self.inner = inner
        self.attempts = 0

    async def acquire(self) -> bool:
        self.attempts += 1
        return await self.inner.acquire()

    async def held(self) -> bool:
        return await self.inner.held()

    async def release(self) -> None:
        await self.inner.release()


# The compiled daily report (issue 13) and the draft reminder have their own tests
# (test_daily_report.py, test_draft_reminders.py); these count the runs and deliveries of the
# reminder, nudge, digest and scoreboard.
CLASSIC_JOBS = tuple(j for j in PUSH_JOBS if j.name not in ("daily_report", "draft_reminder"))


async def _started(sessionmaker, clock, **kwargs) -> SchedulerService:
    """A started service that has finished its catch-up (push jobs only unless `jobs`)."""
    kwargs.setdefault("leadership", SoleLeader())
    kwargs.setdefault("jobs", CLASSIC_JOBS)
    service = SchedulerService(
        sessionmaker, kwargs.pop("cfg", CFG), clock=clock, retry=0.02, **kwargs
    )
    await service.start()
    await eventually(service.caught_up.is_set, message="the catch-up did not finish")
    return service


async def _runs(sessionmaker) -> list[tuple[str, date]]:
    async with sessionmaker() as s:
        return [(r.job, r.run_on) for r in await s.scalars(select(JobRun).order_by(JobRun.id))]


async def test_triggers_fire_daily_at_the_local_times(sessionmaker):
    service = SchedulerService(sessionmaker, CFG, leadership=SoleLeader(), retry=0.02)
    await service.start()
    try:
        jobs = {job.id: job for job in service.scheduler.get_jobs()}
        assert set(jobs) == {
            "nudge",
            "reminder",
            "daily_report",
            "digest",
            "scoreboard",
            "housekeeping",
            "draft_reminder",
        }
        after = local(DAY, 17, 30)
        fire = {name: job.trigger.get_next_fire_time(None, after) for name, job in jobs.items()}
        assert fire["reminder"] == local(DAY + timedelta(days=1), 16)
        assert fire["daily_report"] == local(DAY + timedelta(days=1), 16)  # at the cut-off
        assert fire["nudge"] == local(DAY + timedelta(days=1), 15)
        assert fire["digest"] == local(DAY + timedelta(days=1), 16, 30)
        assert fire["scoreboard"] == local(DAY + timedelta(days=1), 8, 30)
        assert fire["housekeeping"] == local(DAY + timedelta(days=1), 3)
        assert fire["draft_reminder"] == local(DAY + timedelta(days=1), 8)
        # Every day, weekends too: the calendar (Tết, swapped Saturdays) decides in the body.
        friday = local(date(2025, 7, 18), 17)
        saturday = jobs["reminder"].trigger.get_next_fire_time(None, friday)
        assert saturday == local(date(2025, 7, 19), 16)
        assert fire["reminder"].utcoffset() == timedelta(hours=7)
    finally:
        await service.stop()
    assert not service.is_leader


async def test_switched_off_nudge_has_no_trigger(sessionmaker):
    service = SchedulerService(
        sessionmaker, JobConfig(tz=TZ, nudge_time=None), leadership=SoleLeader()
    )
    await service.start()
    try:
        assert service.scheduler.get_job("nudge") is None
    finally:
        await service.stop()


async def test_missed_1600_runs_once_when_the_process_starts_at_1730(sessionmaker, world):
    woken = []
    clock = Clock(local(DAY, 17, 30))
    service = await _started(sessionmaker, clock, on_queued=lambda: woken.append(1))
    await service.stop()
    assert len(service.history) == 3
    done = {r.job: r for r in service.history}
    assert (done["reminder"].status, done["reminder"].queued) == ("done", 3)
    assert (done["digest"].status, done["digest"].queued) == ("done", 2)
    assert done["scoreboard"].status == "not_first_workday"
    assert "nudge" not in done  # at 17:30 the reminder has gone out: no nudge
    assert woken  # the outbox dispatcher was woken
    assert await _runs(sessionmaker) == [("reminder", DAY), ("digest", DAY)]

    # Restarted again the same evening: the catch-up finds both claimed.
    clock.now = local(DAY, 17, 45)
    again = await _started(sessionmaker, clock)
    await again.stop()
    assert {r.job: r.status for r in again.history}["reminder"] == "already_ran"
    assert len(await deliveries(sessionmaker)) == 5


async def test_next_morning_does_not_run_yesterdays_jobs(sessionmaker, world):
    clock = Clock(local(DAY + timedelta(days=1), 9))
    service = await _started(sessionmaker, clock)  # returns once the catch-up is over
    await service.stop()
    assert [r.job for r in service.history] == ["scoreboard"]  # 08:30 passed (not the 1st)
    assert await _runs(sessionmaker) == []
    assert await deliveries(sessionmaker) == []


async def test_start_at_1530_catches_up_the_nudge(sessionmaker, world):
    service = await _started(sessionmaker, Clock(local(DAY, 15, 30)))
    await service.stop()
    assert {r.job: r.queued for r in service.history} == {"nudge": 3, "scoreboard": 0}
    assert {r.kind for r in await deliveries(sessionmaker)} == {"nudge"}


async def test_apscheduler_fires_the_job_through_the_service(sessionmaker, world):
    clock = Clock(local(DAY, 10))  # before every daily job: the catch-up runs nothing
    service = await _started(sessionmaker, clock)
    assert [r.job for r in service.history] == ["scoreboard"]  # "not the 1st"
    clock.now = AT_1600 + timedelta(seconds=2)
    # What the cron trigger does at 16:00, without waiting for 16:00.
    service.scheduler.modify_job("reminder", next_run_time=datetime.now(UTC))
    await eventually(lambda: any(r.job == "reminder" for r in service.history))
    await service.stop()
    (reminder,) = [r for r in service.history if r.job == "reminder"]
    assert (reminder.status, reminder.queued) == ("done", 3)


async def test_a_trigger_that_slips_past_midnight_does_nothing(sessionmaker, world):
    clock = Clock(local(DAY, 10))
    service = await _started(sessionmaker, clock)
    try:
        clock.now = local(DAY + timedelta(days=1), 0, 10)
        assert await service.fire("reminder") is None
        assert await service.fire("digest") is None
    finally:
        await service.stop()
    assert await _runs(sessionmaker) == []


async def test_a_failed_run_is_retried_later(sessionmaker, world):
    async def broken(session, now, cfg, result):
        raise ConnectionResetError("database restarting")

    job = Job("reminder", at=lambda cfg: cfg.reminder_time, body=broken)
    service = await _started(sessionmaker, Clock(AT_1600), jobs=[job])
    try:
        await eventually(lambda: service.scheduler.get_job("reminder-retry") is not None)
        assert await _runs(sessionmaker) == []
    finally:
        await service.stop()


async def test_only_the_leader_fires(sessionmaker, world):
    class Never(SoleLeader):
        async def acquire(self) -> bool:
            return False

    never = Counted(Never())
    service = SchedulerService(
        sessionmaker, CFG, leadership=never, clock=Clock(AT_1600), retry=0.01
    )
    await service.start()
    await eventually(lambda: never.attempts >= 3, message="no leadership attempts")
    assert not service.is_leader
    assert await service.fire("reminder") is None
    await service.stop()
    assert await deliveries(sessionmaker) == []


async def test_sqlite_process_is_its_own_leader(engine, db_url):
    if db_url.startswith("postgres"):
        assert isinstance(leadership_for(engine), AdvisoryLeader)
    else:
        assert isinstance(leadership_for(engine), SoleLeader)


async def test_advisory_lock_elects_one_replica_and_fails_over(db_url, world, sessionmaker):
    if not db_url.startswith("postgres"):
        pytest.skip("advisory locks are PostgreSQL's; on SQLite one process runs everything")
    engines = [make_engine(db_url), make_engine(db_url)]
    clock = Clock(local(DAY, 17, 30))
    locks = [Counted(leadership_for(e, 4242)) for e in engines]
    replicas = [
        SchedulerService(
            make_sessionmaker(e), CFG, leadership=lock, clock=clock, retry=0.02, jobs=CLASSIC_JOBS
        )
        for e, lock in zip(engines, locks, strict=True)
    ]
    try:
        for replica in replicas:
            await replica.start()
        await eventually(lambda: any(r.caught_up.is_set() for r in replicas))
        leader, follower = sorted(replicas, key=lambda r: not r.caught_up.is_set())
        # The other one has tried twice more since: it lost, and keeps losing.
        lost = locks[replicas.index(follower)]
        floor = lost.attempts
        await eventually(lambda: lost.attempts >= floor + 2)
        assert leader.is_leader and not follower.is_leader
        assert len(leader.history) == 3
        assert not follower.history
        # The leader goes away; the other replica takes over and its catch-up repeats nothing.
        await leader.stop()
        await eventually(follower.caught_up.is_set)
        assert len(follower.history) == 3
        assert {r.job: r.status for r in follower.history}["reminder"] == "already_ran"
        assert len(await deliveries(sessionmaker)) == 5
    finally:
        for replica in replicas:
            await replica.stop()
        for e in engines:
            await e.dispose()


async def test_nothing_is_caught_up_after_the_quiet_hour(sessionmaker, world):
    service = await _started(sessionmaker, Clock(local(DAY, 21, 30)))
    try:
        assert await service.catch_up() == []
    finally:
        await service.stop()
    assert not service.history
    assert await deliveries(sessionmaker) == []


async def test_a_job_set_after_the_quiet_hour_still_runs(sessionmaker, world):
    cfg = JobConfig(tz=TZ, digest_time=local(DAY, 21, 45).time())
    service = await _started(sessionmaker, Clock(local(DAY, 21, 50)), cfg=cfg)
    try:
        await eventually(lambda: any(r.job == "digest" for r in service.history))
    finally:
        await service.stop()
    assert {r.job: r.queued for r in service.history}["digest"] == 2
