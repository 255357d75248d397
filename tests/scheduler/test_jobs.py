"""Job runs: claimed once per day, atomic with their deliveries, safe across crashes."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from handlers.types import Address, Outgoing
from scheduler.jobs import Job, JobConfig, Push, claim_run, enqueue_many, pick_identity, run_job
from scheduler.outbox.dispatcher import OutboxDispatcher, enqueue
from scheduler.outbox.ratelimit import Limits
from scheduler.reminders import REMINDER, reminder_pushes
from store.models import Delivery, DeliveryStatus, Identity, JobRun, User
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.pushworld import AT_1600, DAY, TZ, build, deliveries

CFG = JobConfig(tz=TZ)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


@pytest.fixture
async def world(sessionmaker):
    return await build(sessionmaker)


async def test_claim_is_unique_per_job_and_day(session):
    assert await claim_run(session, "reminder", DAY, AT_1600) is True
    assert await claim_run(session, "reminder", DAY, AT_1600) is False
    assert await claim_run(session, "digest", DAY, AT_1600) is True
    assert await claim_run(session, "reminder", DAY + timedelta(days=1), AT_1600) is True
    assert await session.scalar(select(func.count()).select_from(JobRun)) == 3


async def test_a_run_records_when_it_started_and_finished(sessionmaker, world):
    end = AT_1600 + timedelta(seconds=3)
    await run_job(sessionmaker, REMINDER, AT_1600, CFG, finished=lambda: end)
    async with sessionmaker() as s:
        run = await s.scalar(select(JobRun))
    assert (run.job, run.run_on, run.started_at, run.finished_at) == (
        "reminder",
        DAY,
        AT_1600,
        end,
    )


async def test_concurrent_runs_queue_once(sessionmaker, world):
    # Two processes (the service and `nhacviec remind`, or two replicas) at the same moment.
    results = await asyncio.gather(*(run_job(sessionmaker, REMINDER, AT_1600, CFG) for _ in "ab"))
    assert sorted(r.status for r in results) == ["already_ran", "done"]
    assert len(await deliveries(sessionmaker)) == 3


async def test_a_crash_half_way_rolls_back_the_claim_and_the_rows(sessionmaker, world):
    async def crashing(session, now, cfg, result):
        assert len(await reminder_pushes(session, now, cfg, result, kind="reminder")) == 3
        raise ConnectionResetError("the database went away mid-run")

    broken = Job("reminder", at=lambda cfg: cfg.reminder_time, body=crashing)
    with pytest.raises(ConnectionResetError):
        await run_job(sessionmaker, broken, AT_1600, CFG)
    assert await deliveries(sessionmaker) == []
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(JobRun)) == 0
    # The catch-up after the restart runs it from the beginning.
    again = await run_job(sessionmaker, REMINDER, AT_1600 + timedelta(minutes=2), CFG)
    assert (again.status, again.queued) == ("done", 3)


async def test_restart_mid_fanout_delivers_every_reminder_exactly_once(sessionmaker, world):
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    clock = FakeClock(AT_1600)
    channels = {name: RecordingChannel(name, clock=clock) for name in ("fake", "zalo")}
    channels["fake"].hang_after = 1  # the second private send never returns: the process dies
    limits = {name: FAST for name in channels}
    crashed = OutboxDispatcher(
        sessionmaker, channels, limits, clock, rng=random.Random(1), flush_size=1, concurrency=1
    )
    task = asyncio.create_task(crashed.run_once())
    # Rows go out in id order: 101 and z102 are sent and recorded, then 105 hangs.
    for _ in range(500):
        await asyncio.sleep(0.01)
        rows = await deliveries(sessionmaker)
        if sum(r.status is DeliveryStatus.SENT for r in rows) == 2:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    before = [s.address.chat_id for ch in channels.values() for s in ch.sent]
    assert sorted(before) == ["101", "z102"]
    assert [r.status for r in await deliveries(sessionmaker)].count(DeliveryStatus.SENDING) == 1

    # The restarted process: the catch-up finds the day claimed, the outbox reclaims the rows
    # the dead process held once their lease ran out.
    again = await run_job(sessionmaker, REMINDER, AT_1600 + timedelta(minutes=10), CFG)
    assert again.status == "already_ran"
    after = {name: RecordingChannel(name, clock=clock) for name in channels}
    restarted = OutboxDispatcher(sessionmaker, after, limits, clock, rng=random.Random(2))
    clock.advance(5 * 60 + 1)
    while await restarted.run_once():
        pass
    delivered = before + [s.address.chat_id for ch in after.values() for s in ch.sent]
    assert sorted(delivered) == ["101", "105", "z102"]
    assert all(r.status is DeliveryStatus.SENT for r in await deliveries(sessionmaker))


def _user(preferred: str | None, *identities: tuple[str, bool, int | None]) -> User:
    user = User(name="x", preferred_channel=preferred)
    user.identities = [
        Identity(
            id=n,
            channel=channel,
            external_id=str(n),
            chat_id=str(n),
            reachable=reachable,
            last_seen_at=datetime(2025, 7, day, tzinfo=UTC) if day else None,
        )
        for n, (channel, reachable, day) in enumerate(identities, 1)
    ]
    return user


def test_pick_identity_prefers_the_chosen_channel_then_the_latest_seen():
    both = _user("zalo", ("telegram", True, 14), ("zalo", True, 1))
    assert pick_identity(both).channel == "zalo"
    blocked = _user("zalo", ("telegram", True, 14), ("zalo", False, 1))
    assert pick_identity(blocked).channel == "telegram"
    latest = _user(None, ("telegram", True, 3), ("zalo_oa", True, 9), ("zalo", True, None))
    assert pick_identity(latest).channel == "zalo_oa"
    assert pick_identity(latest, {"telegram", "zalo"}).channel == "telegram"
    assert pick_identity(_user("telegram", ("telegram", False, 1))) is None


async def test_enqueue_many_skips_keys_already_queued(session):
    await enqueue(
        session,
        key="reminder:2025-07-15:user2",
        kind="reminder",
        address=Address("zalo", "z2"),
        outgoing=Outgoing("trước"),
        user_id=None,
        now=AT_1600,
    )
    pushes = [
        Push(
            f"reminder:2025-07-15:user{n}", "reminder", Address("zalo", f"z{n}"), Outgoing(f"#{n}")
        )
        for n in range(1, 1200)
    ]
    inserted = await enqueue_many(session, pushes, AT_1600, batch=500)
    assert len(inserted) == 1198 and "reminder:2025-07-15:user2" not in inserted
    assert await enqueue_many(session, pushes[:3], AT_1600) == set()
    rows = await session.execute(select(Delivery.key, Delivery.payload, Delivery.status))
    by_key = {key: (payload, status) for key, payload, status in rows.all()}
    assert len(by_key) == 1199
    assert by_key["reminder:2025-07-15:user2"][0]["text"] == "trước"
    assert by_key["reminder:2025-07-15:user7"] == (
        {"text": "#7", "buttons": []},
        DeliveryStatus.PENDING,
    )


class _Unserialisable(Outgoing):
    """A message whose payload cannot be written: the write fails after earlier batches."""

    def to_payload(self) -> dict:
        raise RuntimeError("the disk filled up mid fan-out")


async def test_a_crash_while_writing_leaves_no_claim_and_the_rerun_writes_the_rest(
    sessionmaker, monkeypatch
):
    import scheduler.jobs as jobs

    monkeypatch.setattr(jobs, "BATCH", 1)  # one row per transaction
    first = Push("manual:1", "manual", Address("fake", "1"), Outgoing("one"))
    second = Push("manual:2", "manual", Address("fake", "2"), Outgoing("two"))
    broken = Push("manual:2", "manual", Address("fake", "2"), _Unserialisable("two"))
    plan = [first, broken]

    async def body(session, now, cfg, result):
        return list(plan)

    job = Job("manual", at=lambda cfg: None, body=body, any_day=True)
    with pytest.raises(RuntimeError):
        await run_job(sessionmaker, job, AT_1600, CFG)
    assert [d.key for d in await deliveries(sessionmaker)] == ["manual:1"]
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(JobRun)) == 0
    plan[1] = second
    again = await run_job(sessionmaker, job, AT_1600 + timedelta(minutes=1), CFG)
    assert (again.status, again.queued, again.counts["already_queued"]) == ("done", 1, 1)
    assert sorted(d.key for d in await deliveries(sessionmaker)) == ["manual:1", "manual:2"]
