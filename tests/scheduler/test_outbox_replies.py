"""The outbox's urgent lane: replies sent at once, queued with priority only when that fails."""

from __future__ import annotations

from datetime import timedelta

from handlers.types import Address, Outgoing, SendError, SendErrorKind
from scheduler.outbox.dispatcher import OutboxDispatcher
from scheduler.outbox.reply import REPLY_PRIORITY, ReplySender
from store.models import Delivery, DeliveryStatus
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.outboxkit import Maker, _dispatcher, _one, _queue, _rows


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
