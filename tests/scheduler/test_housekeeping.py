"""Daily housekeeping: processed-message marks and expired flows do not pile up.

A steady load (new officials writing every day, some leaving a guided report half-way) runs
through the fake channel and the real dispatcher for several simulated days, with the
scheduler service firing housekeeping at 03:00 each morning; the tables it keeps must stop
growing once the retention window is full.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from scheduler.housekeeping import Housekeeping
from scheduler.jobs import JobConfig
from scheduler.service import SchedulerService, SoleLeader
from store.housekeeping import purge_conversations, purge_processed, table_sizes
from store.models import AuditLog, Conversation, JobRun, ProcessedMessage, Role, Unit, WebToken
from tests.factories import make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel
from tests.scheduler.pushworld import TZ
from tests.support import eventually

START = date(2025, 3, 10)
PEOPLE_PER_DAY = 4
KEEP = Housekeeping(processed_age=timedelta(days=3), conversation_age=timedelta(days=1), batch=5)


class Clock:
    """A settable clock shared by the dispatcher and the service."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


async def _one_day(sessionmaker, chan: FakeChannel, clock: Clock, day: date, n: int) -> None:
    """New officials write in the morning; each starts a guided report and walks away."""
    for i in range(PEOPLE_PER_DAY):
        user = f"d{n}p{i}"
        async with sessionmaker() as s, s.begin():
            bca = await s.scalar(select(Unit).where(Unit.code == "bo-cong-an"))
            await make_user(s, user, bca)
        clock.now = _at(day, 9, i)
        await chan.push("tháng này có việc gì đến hạn?", user=user)
        await chan.push("báo cáo", user=user)  # a guided flow, never finished


async def test_tables_stay_the_same_size_under_a_steady_load(sessionmaker):
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        d = await make_directive(s)
        await make_task(s, d, "1", "Báo cáo tháng", date(2025, 3, 31), [(bca, Role.LEAD)])
        await make_task(s, d, "2", "Rà soát", date(2025, 4, 15), [(bca, Role.LEAD)])
    clock = Clock(_at(START, 2))
    chan = FakeChannel(Dispatcher(sessionmaker, Options(tz=TZ), clock=clock))
    service = SchedulerService(
        sessionmaker, JobConfig(tz=TZ), leadership=SoleLeader(), jobs=[KEEP], clock=clock
    )
    await service.start()
    await eventually(service.caught_up.is_set)
    sizes = []
    try:
        for n in range(8):
            day = START + timedelta(days=n)
            clock.now = _at(day, 3, 5)
            result = await service.fire("housekeeping")  # the 03:00 run
            assert result is not None and result.status == "done"
            await _one_day(sessionmaker, chan, clock, day, n)
            async with sessionmaker() as s:
                sizes.append(await table_sizes(s))
    finally:
        await service.stop()
    assert sizes[0]["processed_messages"] == 2 * PEOPLE_PER_DAY  # the load does leave marks
    assert sizes[0]["conversations"] == PEOPLE_PER_DAY  # ...and abandoned flows
    # Once the windows are full (marks kept 3 days, flows 1 day after expiry) nothing grows.
    assert sizes[3] == sizes[5] == sizes[7]
    assert sizes[7] == {
        "processed_messages": 4 * 2 * PEOPLE_PER_DAY,  # today's and those of the 3 days before
        "conversations": 2 * PEOPLE_PER_DAY,  # today's and yesterday's
    }
    async with sessionmaker() as s:
        runs = await s.scalar(select(func.count()).where(JobRun.job == "housekeeping"))
        audits = list(await s.scalars(select(AuditLog).where(AuditLog.action.like("job:house%"))))
    assert runs == 8 and len(audits) == 8
    assert audits[-1].detail == {"processed": 2 * PEOPLE_PER_DAY, "flows": PEOPLE_PER_DAY}


async def test_housekeeping_runs_once_a_day(sessionmaker):
    now = _at(START, 3, 30)
    async with sessionmaker() as s, s.begin():
        for i in range(12):
            s.add(ProcessedMessage(key=f"fake:1:{i}", created_at=now - timedelta(days=30)))
    first = await KEEP.run(sessionmaker, now, JobConfig(tz=TZ))
    assert (first.status, first.counts["processed"]) == ("done", 12)  # in batches of 5
    async with sessionmaker() as s, s.begin():
        s.add(ProcessedMessage(key="fake:1:late", created_at=now - timedelta(days=30)))
    again = await KEEP.run(sessionmaker, now + timedelta(hours=2), JobConfig(tz=TZ))
    assert again.status == "already_ran"
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(ProcessedMessage)) == 1


async def test_purges_are_bounded_and_spare_recent_rows(session):
    now = _at(START, 3)
    old, recent = now - timedelta(days=10), now - timedelta(hours=1)
    for i in range(7):
        session.add(ProcessedMessage(key=f"old{i}", created_at=old))
        session.add(Conversation(key=f"gone{i}", flow="report", data={}, expires_at=old))
    session.add(ProcessedMessage(key="new", created_at=recent))
    session.add(Conversation(key="live", flow="report", data={}, expires_at=now + timedelta(1)))
    await session.flush()
    cutoff = now - timedelta(days=1)
    assert await purge_processed(session, cutoff, 5) == 5
    assert await purge_processed(session, cutoff, 5) == 2
    assert await purge_processed(session, cutoff, 5) == 0
    assert await purge_conversations(session, cutoff, 100) == 7
    assert await table_sizes(session) == {"processed_messages": 1, "conversations": 1}


async def test_expired_web_links_and_sessions_go_too(sessionmaker):
    now = _at(START, 3, 30)
    async with sessionmaker() as s, s.begin():
        for key, expires in (("old", now - timedelta(minutes=1)), ("new", now + timedelta(1))):
            s.add(WebToken(key=key, purpose="link", created_at=now, expires_at=expires))
    run = await KEEP.run(sessionmaker, now, JobConfig(tz=TZ))
    assert run.counts["web_sessions"] == 1
    async with sessionmaker() as s:
        assert list(await s.scalars(select(WebToken.key))) == ["new"]
