"""ZaloOAChannel and the messaging window: declared by the channel, checked by the outbox
before a send (`store.oa_window`), refusals by the API recorded and told."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.window import WindowPolicy
from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.missed import TOLD_KEY, WINDOW_PREFIX
from handlers.types import Address, Outgoing
from scheduler.outbox.dispatcher import OutboxDispatcher, enqueue
from scheduler.outbox.ratelimit import Limits
from store.models import Delivery, DeliveryStatus, Identity, User
from tests.bot.conftest import RecordingSink
from tests.bot.zalo_oa_support import USER, Maker
from tests.bot.zalo_oa_support import make_channel as _channel
from tests.bot.zalo_oa_support import seen_official as _seen
from tests.fakes.recording_channel import FakeClock
from tests.fakes.zalo_oa_server import FakeZaloOAServer

FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


# -- the messaging window ----------------------------------------------------------------------


async def _push(
    sessionmaker: Maker,
    clock: FakeClock,
    channel: ZaloOAChannel,
    text: str,
    *,
    key: str,
    user: str = USER,
    user_id: int | None = None,
) -> Delivery:
    """Queue one push to `user`, run the outbox once, and return the row as recorded."""
    async with sessionmaker() as s, s.begin():
        await enqueue(
            s,
            key=key,
            kind="reminder",
            address=Address("zalo_oa", user),
            outgoing=Outgoing(text),
            user_id=user_id,
            now=clock.now(),
        )
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    await outbox.run_once()
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery).where(Delivery.key == key))
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("ago", "paid", "refused"),
    [
        (timedelta(hours=47), False, None),
        (timedelta(hours=49), False, "free messages end after 48 h"),
        (timedelta(hours=49), True, None),
        (timedelta(days=8), True, "no message from the user for 8 days"),
    ],
)
async def test_window_is_checked_before_sending(
    oa: FakeZaloOAServer,
    sessionmaker: Maker,
    clock: FakeClock,
    sink: RecordingSink,
    ago: timedelta,
    paid: bool,
    refused: str | None,
) -> None:
    user_id = await _seen(sessionmaker, clock, ago)
    channel = _channel(oa, sessionmaker, clock, window=WindowPolicy(paid=paid))
    await channel.start(sink)
    row = await _push(sessionmaker, clock, channel, "nhắc việc", key="push:1", user_id=user_id)
    if refused is None:
        assert row.status is DeliveryStatus.SENT
        assert oa.texts_to(USER) == ["nhắc việc"]
    else:
        assert row.status is DeliveryStatus.UNREACHABLE
        assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
        assert refused in row.last_error
        assert oa.send_calls == []  # refused by the outbox's check, Zalo never asked
    await channel.stop()


async def test_eight_free_messages_then_refused(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    user_id = await _seen(sessionmaker, clock, timedelta(hours=2))
    async with sessionmaker() as s, s.begin():
        for n in range(8):
            await enqueue(
                s,
                key=f"push:{n}",
                kind="reminder",
                address=Address("zalo_oa", USER),
                outgoing=Outgoing(f"tin {n}"),
                user_id=user_id,
                now=clock.now(),
            )
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    assert await outbox.run_once() == 8
    assert len(oa.texts_to(USER)) == 8
    row = await _push(sessionmaker, clock, channel, "tin thứ chín", key="push:9", user_id=user_id)
    await channel.stop()
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
    assert "8 messages already sent" in row.last_error
    assert len(oa.texts_to(USER)) == 8


async def test_api_window_refusal_is_recorded_and_told_next_time(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    """The local check passes, Zalo says -230: the row is unreachable with the reason, the
    person is told when they next write, once."""
    user_id = await _seen(sessionmaker, clock, timedelta(hours=1))
    oa.outside_window.add(USER)
    async with sessionmaker() as s, s.begin():
        await enqueue(
            s,
            key="reminder:2025-07-15:zalo",
            kind="reminder",
            address=Address("zalo_oa", USER),
            outgoing=Outgoing("Nhắc việc: đơn vị còn 2 nhiệm vụ chưa báo cáo hôm nay."),
            user_id=user_id,
            now=clock.now(),
        )
    dispatcher = Dispatcher(sessionmaker, Options(), clock=clock.now)
    channel = _channel(oa, sessionmaker, clock)
    dispatcher.channels["zalo_oa"] = channel
    await channel.start(dispatcher)
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    await outbox.run_once()
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery))
        identity = await s.scalar(select(Identity).where(Identity.external_id == USER))
    assert row is not None and identity is not None
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
    assert "-230" in row.last_error
    assert identity.reachable is False  # so reminders can use another linked app meanwhile
    # The official writes again: the window reopens and the first reply says what was missed.
    oa.outside_window.clear()
    clock.advance(3600)
    url = f"http://127.0.0.1:{channel.webhook_port}/zalo-oa/webhook"
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    await oa.wait_sent(2)
    note = oa.texts_to(USER)[0]
    assert "1 tin nhắn không gửi được" in note
    assert "Nhắc việc: đơn vị còn 2 nhiệm vụ chưa báo cáo hôm nay." in note
    assert "48 giờ" in note
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery).execution_options(populate_existing=True))
        identity = await s.scalar(select(Identity).where(Identity.external_id == USER))
    assert row is not None and TOLD_KEY in row.payload
    assert identity is not None and identity.reachable is True
    before = len(oa.sent)
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    # One more message: its answer comes after anything the previous one caused.
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    await oa.wait_sent(before + 2)
    assert all("không gửi được" not in to_plain(t) for t in oa.texts_to(USER)[before:])
    await channel.stop()


async def test_pushes_to_people_never_seen_are_refused(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    row = await _push(sessionmaker, clock, channel, "x", key="push:stranger", user="stranger")
    await channel.stop()
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error == f"{WINDOW_PREFIX} the user has never written to the OA"
    assert oa.send_calls == []
    async with sessionmaker() as s:
        assert await s.scalar(select(User)) is None
