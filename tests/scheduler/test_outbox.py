"""The outbox: enqueue dedupe, dispatch, retries, unreachable chats, migration and crashes."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.types import Address, Outgoing, SendError, SendErrorKind
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock, enqueue
from scheduler.outbox.lease import new_owner
from scheduler.outbox.ratelimit import TELEGRAM_LIMITS, Limits
from scheduler.outbox.reply import REPLY_PRIORITY, ReplySender
from store.models import Chat, Delivery, DeliveryStatus, Identity, User
from store.outbox import Outcome, claim_due, record_outcomes
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.support import eventually

Maker = async_sessionmaker[AsyncSession]
START = datetime(2025, 7, 15, 9, 0, tzinfo=UTC)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def channel(clock: FakeClock) -> RecordingChannel:
    return RecordingChannel("telegram", clock=clock)


def _dispatcher(
    sessionmaker: Maker, channel: RecordingChannel, clock: FakeClock, **kwargs: object
) -> OutboxDispatcher:
    limits = kwargs.pop("limits", TELEGRAM_LIMITS)
    return OutboxDispatcher(
        sessionmaker,
        {channel.name: channel},
        {channel.name: limits},  # type: ignore[dict-item]
        clock,
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


async def _queue(
    sessionmaker: Maker,
    clock: FakeClock,
    chats: list[str],
    *,
    prefix: str = "reminder:2025-07-15",
    user_id: int | None = None,
    channel: str = "telegram",
) -> None:
    async with sessionmaker() as s, s.begin():
        for n, chat in enumerate(chats):
            await enqueue(
                s,
                key=f"{prefix}:{n}",
                kind="reminder",
                address=Address(channel, chat),
                outgoing=Outgoing(f"{prefix}:{n}"),
                user_id=user_id,
                now=clock.now(),
            )


async def _rows(sessionmaker: Maker) -> list[Delivery]:
    async with sessionmaker() as s:
        return list((await s.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def _one(sessionmaker: Maker) -> Delivery:
    (row,) = await _rows(sessionmaker)
    return row


async def test_enqueue_dedupes_by_key(session: AsyncSession, clock: FakeClock) -> None:
    args = {
        "key": "reminder:2025-07-15:user42",
        "kind": "reminder",
        "address": Address("telegram", "42"),
        "outgoing": Outgoing("Nhắc việc"),
        "user_id": None,
        "now": clock.now(),
    }
    assert await enqueue(session, **args) is True
    assert await enqueue(session, **args) is False
    assert await session.scalar(select(func.count()).select_from(Delivery)) == 1


async def test_concurrent_enqueues_insert_one_row(sessionmaker: Maker, clock: FakeClock) -> None:
    async def one() -> bool:
        async with sessionmaker() as s, s.begin():
            return await enqueue(
                s,
                key="digest:2025-07-15:chat-100",
                kind="digest",
                address=Address("telegram", "-100"),
                outgoing=Outgoing("Tổng hợp"),
                user_id=None,
                now=clock.now(),
            )

    results = await asyncio.gather(*(one() for _ in range(6)))
    assert sorted(results) == [False] * 5 + [True]
    assert len(await _rows(sessionmaker)) == 1


async def test_enqueue_rejects_naive_time(session: AsyncSession) -> None:
    with pytest.raises(ValueError, match="naive"):
        await enqueue(
            session,
            key="k",
            kind="reminder",
            address=Address("telegram", "1"),
            outgoing=Outgoing("x"),
            user_id=None,
            now=datetime(2025, 7, 15, 9, 0),
        )


async def test_dispatch_sends_and_marks_sent(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["1", "2", "-100"])
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    assert await dispatcher.run_once() == 3
    assert sorted(channel.texts) == [f"reminder:2025-07-15:{n}" for n in range(3)]
    for row in await _rows(sessionmaker):
        assert row.status is DeliveryStatus.SENT
        assert row.attempts == 1
        assert row.sent_at is not None and row.sent_at >= START
        assert row.last_error is None
    assert await dispatcher.run_once() == 0
    assert len(channel.calls) == 3


async def test_429_retry_after_is_honoured(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.RETRY, "429 Too Many Requests", retry_after=30))
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    assert await dispatcher.run_once() == 1
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.PENDING
    assert row.attempts == 1
    assert row.last_error == "429 Too Many Requests"
    sent_at_429 = clock.now()
    assert row.next_attempt_at == sent_at_429 + timedelta(seconds=30)

    clock.advance(29)
    assert await dispatcher.run_once() == 0
    clock.advance(1)
    assert await dispatcher.run_once() == 1
    assert (await _one(sessionmaker)).status is DeliveryStatus.SENT
    # The limiter was told too: the chat stayed quiet for the whole retry_after.
    assert channel.sent[0].at is not None and channel.sent[0].at >= 30


async def test_429_from_several_chats_pauses_the_whole_channel(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["1", "2", "3"])
    for chat in ("1", "2", "3"):
        channel.fail(SendError(SendErrorKind.RETRY, "429", retry_after=10), chat_id=chat)
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    await dispatcher.run_once()
    started = clock.monotonic()
    await dispatcher.limiter("telegram").acquire("4", False)
    assert clock.monotonic() - started >= 9.0


async def test_5xx_is_retried_with_backoff_then_sent(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.RETRY, "502 Bad Gateway"))
    dispatcher = _dispatcher(sessionmaker, channel, clock, backoff_base=5.0)
    await dispatcher.run_once()
    row = await _one(sessionmaker)
    delay = (row.next_attempt_at - clock.now()).total_seconds()
    assert 2.5 <= delay <= 5.0  # base 5 s with jitter in [50 %, 100 %]
    clock.advance(2.4)
    assert await dispatcher.run_once() == 0
    clock.advance(2.6)
    assert await dispatcher.run_once() == 1
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.SENT
    assert row.attempts == 2
    assert len(channel.calls) == 2 and len(channel.sent) == 1


async def test_backoff_grows_per_attempt(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.RETRY, "500"), times=3)
    dispatcher = _dispatcher(sessionmaker, channel, clock, backoff_base=4.0)
    delays = []
    for _ in range(3):
        await dispatcher.run_once()
        row = await _one(sessionmaker)
        delay = (row.next_attempt_at - clock.now()).total_seconds()
        delays.append(delay)
        clock.advance(delay)
    assert 2 <= delays[0] <= 4 and 4 <= delays[1] <= 8 and 8 <= delays[2] <= 16


async def test_max_attempts_marks_failed_with_reason(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.RETRY, "502 Bad Gateway"), times=10)
    dispatcher = _dispatcher(sessionmaker, channel, clock, max_attempts=5)
    for _ in range(5):
        assert await dispatcher.run_once() == 1
        clock.advance(3600)
    assert await dispatcher.run_once() == 0
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.FAILED
    assert row.attempts == 5
    assert row.last_error == "gave up after 5 attempts: 502 Bad Gateway"
    assert len(channel.calls) == 5 and not channel.sent


async def test_permanent_error_fails_at_once(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.PERMANENT, "Bad Request: message is too long"))
    await _dispatcher(sessionmaker, channel, clock).run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.FAILED
    assert row.last_error == "Bad Request: message is too long"


async def test_blocked_user_is_unreachable_and_identity_marked(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    async with sessionmaker() as s, s.begin():
        user = User(name="Nguyễn Văn A")
        s.add(user)
        await s.flush()
        s.add(Identity(user_id=user.id, channel="telegram", external_id="42", chat_id="42"))
        s.add(Identity(user_id=user.id, channel="zalo", external_id="42", chat_id="42"))
        user_id = user.id
    await _queue(sessionmaker, clock, ["42"], user_id=user_id)
    channel.fail(SendError(SendErrorKind.UNREACHABLE, "Forbidden: bot was blocked by the user"))
    await _dispatcher(sessionmaker, channel, clock).run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error == "Forbidden: bot was blocked by the user"
    async with sessionmaker() as s:
        reach = dict((await s.execute(select(Identity.channel, Identity.reachable))).all())
    assert reach == {"telegram": False, "zalo": True}


async def test_chat_not_found_deactivates_the_group(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    async with sessionmaker() as s, s.begin():
        s.add(Chat(channel="telegram", chat_id="-100123", title="Tổ công tác"))
    await _queue(sessionmaker, clock, ["-100123"])
    channel.fail(SendError(SendErrorKind.UNREACHABLE, "Bad Request: chat not found"))
    await _dispatcher(sessionmaker, channel, clock).run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error == "Bad Request: chat not found"
    async with sessionmaker() as s:
        assert await s.scalar(select(Chat.active)) is False


async def test_timeout_is_retried_once_and_counted(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.TIMEOUT, "read timeout"))
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    await dispatcher.run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.PENDING
    assert row.last_error == "timeout, may have been delivered: read timeout"
    assert dispatcher.stats["timeouts"] == 1
    clock.advance(60)
    assert await dispatcher.run_once() == 1
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.SENT
    assert row.attempts == 2
    assert row.last_error == "timeout; retried once"
    assert Outgoing.from_payload(row.payload).text == "reminder:2025-07-15:0"


async def test_second_timeout_fails_without_a_third_send(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(SendError(SendErrorKind.TIMEOUT, "read timeout"), times=5)
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    for _ in range(3):
        await dispatcher.run_once()
        clock.advance(3600)
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.FAILED
    assert row.last_error == "timeout; retried once: read timeout"
    assert len(channel.calls) == 2
    assert dispatcher.stats["timeouts"] == 2


async def test_migration_follows_the_new_chat_id(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    async with sessionmaker() as s, s.begin():
        s.add(Chat(channel="telegram", chat_id="-100", title="Nhóm cũ"))
    await _queue(sessionmaker, clock, ["-100"], prefix="digest:a")
    clock.advance(3600)  # a second push to the same group, queued for later
    await _queue(sessionmaker, clock, ["-100"], prefix="digest:b")
    clock.advance(-3600)
    upgraded = SendError(
        SendErrorKind.PERMANENT,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to="-1001234",
    )
    channel.fail(upgraded, chat_id="-100")
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    assert await dispatcher.run_once() == 1
    assert [s.address.chat_id for s in channel.sent] == ["-1001234"]
    first, second = await _rows(sessionmaker)
    assert first.status is DeliveryStatus.SENT and first.chat_id == "-1001234"
    assert second.status is DeliveryStatus.PENDING and second.chat_id == "-1001234"
    async with sessionmaker() as s:
        chat = (await s.execute(select(Chat))).scalar_one()
    assert chat.chat_id == "-1001234" and chat.active
    assert dispatcher.stats["migrated"] == 1


async def test_unexpected_channel_error_is_retried(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["42"])
    channel.fail(ConnectionResetError("peer reset"))
    await _dispatcher(sessionmaker, channel, clock).run_once()
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.PENDING
    assert row.last_error is not None and "peer reset" in row.last_error


async def test_rows_of_other_channels_are_left_alone(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, ["z1"], channel="zalo")
    assert await _dispatcher(sessionmaker, channel, clock).run_once() == 0
    assert (await _one(sessionmaker)).status is DeliveryStatus.PENDING


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


async def test_two_dispatchers_deliver_each_row_once(
    sessionmaker: Maker, clock: FakeClock
) -> None:
    await _queue(sessionmaker, clock, [str(n) for n in range(200)])
    # Real (tiny) latency so the two dispatchers interleave their claims.
    one, two = (
        RecordingChannel("telegram", latency=0.001),
        RecordingChannel("telegram", latency=0.001),
    )
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


async def test_replies_queued_with_priority_are_claimed_before_older_pushes(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    await _queue(sessionmaker, clock, [str(n) for n in range(5)])
    clock.advance(1)
    async with sessionmaker() as s, s.begin():
        await s.execute(
            Delivery.__table__.insert(),
            [
                {
                    "key": "reply:telegram:9:abc",
                    "kind": "reply",
                    "channel": "telegram",
                    "chat_id": "9",
                    "payload": Outgoing("answer").to_payload(),
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": clock.now(),
                    "created_at": clock.now(),
                    "priority": REPLY_PRIORITY,
                }
            ],
        )
    await _dispatcher(sessionmaker, channel, clock, concurrency=1).run_once()
    assert channel.texts[0] == "answer"


# -- replies: sent at once in the urgent lane, queued only when that fails --------------------


def _replies(
    sessionmaker: Maker, channel: RecordingChannel, clock: FakeClock
) -> tuple[OutboxDispatcher, ReplySender]:
    dispatcher = _dispatcher(sessionmaker, channel, clock)
    sender = ReplySender(
        sessionmaker, {"telegram": channel}, dispatcher.limiter, clock, dispatcher.wake
    )
    return dispatcher, sender


async def test_reply_goes_out_at_once_without_an_outbox_row(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    _, sender = _replies(sessionmaker, channel, clock)
    await sender.wrap(channel).send(Address("telegram", "42"), Outgoing("xin chào"))
    assert channel.texts == ["xin chào"]
    assert await _rows(sessionmaker) == []


async def test_reply_refused_with_429_is_queued_and_retried_after_retry_after(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    dispatcher, sender = _replies(sessionmaker, channel, clock)
    channel.fail(SendError(SendErrorKind.RETRY, "Flood control exceeded", retry_after=3))
    await sender.send(Address("telegram", "42"), Outgoing("Đã liên kết"))
    row = await _one(sessionmaker)
    assert (row.kind, row.status, row.priority) == ("reply", DeliveryStatus.PENDING, 10)
    assert row.next_attempt_at == clock.now() + timedelta(seconds=3)
    assert await dispatcher.run_once() == 0
    clock.advance(3)
    assert await dispatcher.run_once() == 1
    assert channel.texts == ["Đã liên kết"]
    assert (await _one(sessionmaker)).status is DeliveryStatus.SENT


async def test_reply_to_a_blocked_chat_is_recorded_not_retried(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    _, sender = _replies(sessionmaker, channel, clock)
    channel.fail(SendError(SendErrorKind.UNREACHABLE, "Forbidden: bot was blocked by the user"))
    await sender.send(Address("telegram", "42"), Outgoing("hi"))
    row = await _one(sessionmaker)
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error == "Forbidden: bot was blocked by the user"


async def test_reply_that_timed_out_waits_before_its_single_retry(
    sessionmaker: Maker, clock: FakeClock, channel: RecordingChannel
) -> None:
    dispatcher, sender = _replies(sessionmaker, channel, clock)
    channel.fail(SendError(SendErrorKind.TIMEOUT, "Timed out"))
    await sender.send(Address("telegram", "42"), Outgoing("hi"))
    row = await _one(sessionmaker)
    assert row.next_attempt_at == clock.now() + timedelta(seconds=60)
    clock.advance(60)
    assert await dispatcher.run_once() == 1
    assert (await _one(sessionmaker)).last_error == "timeout; retried once"
