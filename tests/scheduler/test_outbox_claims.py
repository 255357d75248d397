"""The outbox's claims: busy chats, crashes and restarts, concurrent dispatchers, leases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from handlers.types import Address, Outgoing
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.lease import new_owner
from scheduler.outbox.ratelimit import TELEGRAM_LIMITS
from store.models import Delivery, DeliveryStatus
from store.outbox import Outcome, claim_due, record_outcomes
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.outboxkit import FAST, START, Maker, _dispatcher, _one, _queue, _rows
from tests.support import eventually


async def test_second_message_to_a_busy_chat_is_deferred_not_blocking(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["-100", "-100", "7"])
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    assert await dispatcher.run_once() == 3
    assert sorted(s.address.chat_id for s in channel.sent) == ["-100", "7"]
    deferred = [r for r in await _rows(sessionmaker) if r.status is DeliveryStatus.PENDING]
    assert len(deferred) == 1 and deferred[0].attempts == 0
    # A group's pace (20/min) plus the margin kept between two messages to one chat.
    gap = 3 + TELEGRAM_LIMITS.chat_margin
    assert deferred[0].next_attempt_at == START + timedelta(seconds=gap)
    clock.advance(gap)
    assert await dispatcher.run_once() == 1
    assert [s.address.chat_id for s in channel.sent] == ["-100", "7", "-100"]


async def test_long_pause_gives_the_claimed_row_back(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    dispatcher.limiter("telegram").penalise("42", 280)  # lease 5 min, margin 1 min
    await dispatcher.run_once()
    row = await _one(sessionmaker)
    assert not channel.calls
    assert row.status is DeliveryStatus.PENDING and row.attempts == 0


async def test_restart_mid_fanout_delivers_everything_exactly_once(
    sessionmaker: Maker, clock: FakeClock
) -> None:
    chats = [str(1000 + n) for n in range(20)]
    await _queue(sessionmaker, clock, chats)
    before = RecordingChannel("telegram", clock=clock)
    before.hang_after = 5  # the sixth send never returns: the process dies there
    crashed = _dispatcher(sessionmaker, before, clock, concurrency=4, flush_size=1)
    task = asyncio.create_task(crashed.run_once())

    async def five_recorded() -> bool:
        rows = await _rows(sessionmaker)
        return sum(r.status is DeliveryStatus.SENT for r in rows) == 5

    await eventually(five_recorded)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    statuses = [r.status for r in await _rows(sessionmaker)]
    assert statuses.count(DeliveryStatus.SENDING) == 15

    after = RecordingChannel("telegram", clock=clock)
    restarted = _dispatcher(sessionmaker, after, clock)
    assert await restarted.run_once() == 0  # still leased to the dead process
    clock.advance(5 * 60 + 1)
    assert await restarted.run_once() == 15
    texts = before.texts + after.texts
    assert sorted(texts) == sorted(f"reminder:2025-07-15:{n}" for n in range(20))
    rows = await _rows(sessionmaker)
    assert all(r.status is DeliveryStatus.SENT for r in rows)


async def test_stale_claim_cannot_overwrite_the_new_holder(
    sessionmaker: Maker, clock: FakeClock
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    args = {"lease": timedelta(minutes=5), "limit": 10, "channels": ["telegram"]}
    async with sessionmaker() as s, s.begin():
        (old,) = await claim_due(s, now=clock.now(), **args)
    clock.advance(6 * 60)  # the lease ran out; another dispatcher takes the row over
    async with sessionmaker() as s, s.begin():
        (new,) = await claim_due(s, now=clock.now(), **args)
    assert (old.id, old.attempts, new.attempts) == (new.id, 1, 2)
    async with sessionmaker() as s, s.begin():
        assert await record_outcomes(s, [Outcome(old, DeliveryStatus.SENT, clock.now())]) == 0
        assert await record_outcomes(s, [Outcome(old, DeliveryStatus.FAILED, clock.now())]) == 0
    assert (await _one(sessionmaker)).status is DeliveryStatus.SENDING
    async with sessionmaker() as s, s.begin():
        assert await record_outcomes(s, [Outcome(new, DeliveryStatus.SENT, clock.now())]) == 1
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.SENT and row.sent_at == clock.now()


async def test_row_reclaimed_too_often_fails(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    async with sessionmaker() as s, s.begin():
        await s.execute(
            update(Delivery).values(
                status=DeliveryStatus.SENDING, attempts=5, next_attempt_at=clock.now()
            )
        )
    await _dispatcher(sessionmaker, channel, clock, max_attempts=5).run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.FAILED
    assert row.last_error == "gave up after 5 attempts: lease expired during send"
    assert not channel.calls


class _Gated(RecordingChannel):
    """A channel that sets `started` when asked to send, `sent_once` after its first delivery,
    and holds its sends until `after` is set (when given)."""

    def __init__(self, name: str, *, latency: float) -> None:
        super().__init__(name, latency=latency)
        self.started = asyncio.Event()
        self.sent_once = asyncio.Event()
        self.after: asyncio.Event | None = None

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        self.started.set()
        if self.after is not None:
            await self.after.wait()
        await super().send(address, outgoing)
        self.sent_once.set()


async def test_two_dispatchers_deliver_each_row_once(
    sessionmaker: Maker, clock: FakeClock
) -> None:
    await _queue(sessionmaker, clock, [str(n) for n in range(200)])
    # Both work at once whatever the scheduling: the second sends nothing before the first has
    # claimed rows, and the first holds its claim until the second has delivered one.
    one, two = _Gated("telegram", latency=0.001), _Gated("telegram", latency=0.001)
    one.after, two.after = two.sent_once, one.started
    dispatchers = [
        _dispatcher(sessionmaker, ch, clock, batch=20, limits=FAST) for ch in (one, two)
    ]

    async def drain(d: OutboxDispatcher) -> None:
        while await d.run_once():
            pass

    await asyncio.gather(*(drain(d) for d in dispatchers))
    texts = one.texts + two.texts
    assert len(texts) == 200 and len(set(texts)) == 200
    assert one.sent and two.sent
    assert all(r.status is DeliveryStatus.SENT for r in await _rows(sessionmaker))


async def test_skip_locked_leaves_claimed_rows_to_the_other_dispatcher(
    sessionmaker: Maker, clock: FakeClock, db_url: str
) -> None:
    if not db_url.startswith("postgres"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite runs one dispatcher")
    await _queue(sessionmaker, clock, [str(n) for n in range(10)])
    args = {
        "now": clock.now(),
        "lease": timedelta(minutes=5),
        "limit": 6,
        "channels": ["telegram"],
    }
    async with sessionmaker() as first, first.begin():
        mine = await claim_due(first, **args)  # row locks held until this block commits
        async with sessionmaker() as second, second.begin():
            theirs = await asyncio.wait_for(claim_due(second, **args), timeout=5)
    assert len(mine) == 6 and len(theirs) == 4
    assert not {r.id for r in mine} & {r.id for r in theirs}


async def test_run_forever_stops_cleanly_and_gives_back_unstarted_rows(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, [str(n) for n in range(300)])
    # Virtual time moves on after a number of event-loop turns even when a database write is
    # still under way (a busy machine); a lease longer than the whole run keeps this test about
    # stopping, not about leases running out (tested below).
    dispatcher = _dispatcher(sessionmaker, channel, clock, batch=100, lease=timedelta(hours=1))
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop))
    await eventually(lambda: len(channel.sent) >= 40)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    rows = await _rows(sessionmaker)
    sent = [r for r in rows if r.status is DeliveryStatus.SENT]
    assert len(sent) == len(channel.sent) < 300
    assert not [r for r in rows if r.status is DeliveryStatus.SENDING]
    assert all(r.attempts == 0 for r in rows if r.status is DeliveryStatus.PENDING)


# -- leases: renewed while the sender lives, freed when it died ------------------------------


async def test_live_dispatcher_renews_its_lease_so_no_one_takes_its_rows(
    sessionmaker: Maker,
) -> None:
    clock = SystemClock()
    await _queue(sessionmaker, clock, ["42"])  # type: ignore[arg-type]
    stuck = RecordingChannel("telegram")
    stuck.hang_after = 0  # the send never returns, but the process is alive
    lease = timedelta(seconds=0.4)
    live = OutboxDispatcher(
        sessionmaker,
        {"telegram": stuck},
        {"telegram": FAST},
        clock,
        lease=lease,
        lease_margin=timedelta(seconds=0.1),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(live.run_forever(stop))
    await eventually(lambda: len(stuck.calls) == 1)
    # Renewed again and again: well past the lease of the first claim.
    await eventually(lambda: live.stats["lease_renewals"] >= 6)
    async with sessionmaker() as s, s.begin():
        taken = await claim_due(s, now=clock.now(), lease=lease, limit=10, channels=["telegram"])
    assert taken == []
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.SENDING and row.lease_owner == live.owner
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_rows_of_a_dead_dispatcher_on_this_host_are_taken_over_at_start(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["1", "2"])
    dead = await asyncio.create_subprocess_exec("true")
    await dead.wait()
    owner = f"{new_owner().rsplit(':', 2)[0]}:{dead.pid}:cafe"
    async with sessionmaker() as s, s.begin():
        await claim_due(
            s,
            now=clock.now(),
            lease=timedelta(seconds=20),
            limit=10,
            channels=["telegram"],
            owner=owner,
        )
    restarted = _dispatcher(sessionmaker, channel, clock)
    assert await restarted.run_once() == 0  # leased, and run_once does not look for the dead
    assert await restarted.take_over_dead() == 2
    assert await restarted.run_once() == 2
    assert sorted(channel.texts) == ["reminder:2025-07-15:0", "reminder:2025-07-15:1"]


async def test_rows_of_a_dispatcher_elsewhere_wait_for_the_lease_to_expire(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["1"])
    async with sessionmaker() as s, s.begin():
        args = {"lease": timedelta(seconds=20), "limit": 10, "channels": ["telegram"]}
        await claim_due(s, now=clock.now(), owner="other-host:1:beef", **args)
    restarted = _dispatcher(sessionmaker, channel, clock)
    assert await restarted.take_over_dead() == 0  # it may be alive: another host
    clock.advance(21)
    assert await restarted.run_once() == 1
    assert channel.texts == ["reminder:2025-07-15:0"]
