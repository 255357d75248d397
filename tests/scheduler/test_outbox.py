"""The outbox: enqueue dedupe, dispatch, retries, unreachable chats and migration."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.types import Address, Outgoing, SendError, SendErrorKind
from scheduler.outbox.dispatcher import enqueue
from store.models import Chat, Delivery, DeliveryStatus, Identity, User
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.outboxkit import START, Maker, _dispatcher, _one, _queue, _rows


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
