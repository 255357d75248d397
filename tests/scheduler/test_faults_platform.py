"""The outbox against a misbehaving Bot API: 429 storms, 5xx, HTML error pages, slow answers
and connection resets. Real dispatcher, real Telegram channel, real HTTP to the fake server.

Asserted: counts (lost, duplicated, rows by status) and that expected platform errors leave no
error-level log with a traceback. Waits are bounds for a stuck test, never a figure.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta

import pytest

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import Address
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.enqueue import delivery_row, enqueue_rows
from scheduler.outbox.ratelimit import Limits
from scheduler.outbox.reply import REPLY_PRIORITY
from store.models import DeliveryStatus
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import FakeTelegramServer
from tests.scheduler.faultkit import Maker, open_rows, queue_fanout, statuses, tally, until

FAST = Limits(global_rate=200.0)


async def _drain(
    sessionmaker: Maker, tg: FakeTelegramServer, *, request_timeout: float = 10.0, **kwargs
) -> OutboxDispatcher:
    """Run a dispatcher until no row is left to send."""
    channel = TelegramChannel(tg.token, base_url=tg.base_url, request_timeout=request_timeout)
    options = {"backoff_base": 0.2, "backoff_cap": 1.0, "poll_interval": 0.05, **kwargs}
    dispatcher = OutboxDispatcher(
        sessionmaker, {"telegram": channel}, {"telegram": FAST}, SystemClock(), **options
    )
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop))
    try:
        await until(lambda: _drained(sessionmaker), within=120)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await channel.stop()
    return dispatcher


async def _drained(sessionmaker: Maker) -> bool:
    return await open_rows(sessionmaker) == 0


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info
    ]


async def test_429_storm_is_retried_until_everything_is_out_once(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    chats = await queue_fanout(sessionmaker, 200)
    async with FakeTelegramServer() as tg:
        tg.fail("sendMessage", Fault.flood(1), times=60)
        dispatcher = await _drain(sessionmaker, tg)
        assert tally(tg, chats) == (0, 0)
    assert await statuses(sessionmaker) == Counter({DeliveryStatus.SENT.value: 200})
    assert dispatcher.stats["retried"] >= 60
    assert not _tracebacks(caplog)


async def test_5xx_and_html_error_pages_are_retried_without_tracebacks(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    chats = await queue_fanout(sessionmaker, 100)
    async with FakeTelegramServer() as tg:
        tg.fail("sendMessage", Fault.server_error(500), times=15)
        tg.fail("sendMessage", Fault.bad_gateway(), times=15)
        await _drain(sessionmaker, tg)
        assert tally(tg, chats) == (0, 0)
        assert sum(1 for c in tg.calls_of("sendMessage") if c.fault) == 30
    assert await statuses(sessionmaker) == Counter({DeliveryStatus.SENT.value: 100})
    assert not _tracebacks(caplog)


async def test_slow_answers_beyond_the_timeout_repeat_each_message_at_most_once(
    sessionmaker: Maker,
) -> None:
    chats = await queue_fanout(sessionmaker, 40)
    async with FakeTelegramServer() as tg:
        # Telegram carries these 8 out but answers after our timeout.
        tg.fail("sendMessage", Fault.slow(1.5), times=8)
        dispatcher = await _drain(sessionmaker, tg, request_timeout=0.3, timeout_wait=1.0)
        received = Counter(m["chat"]["id"] for m in tg.sent)
        lost, duplicated = tally(tg, chats)
    assert lost == 0
    # The 8 slow answers time out; on a loaded machine an ordinary answer may too (0.3 s).
    timeouts = dispatcher.stats["timeouts"]
    assert timeouts >= 8
    # At most one duplicate per timed-out send, none for the others.
    assert duplicated <= timeouts
    assert max(received.values()) <= 2
    rows = await statuses(sessionmaker)
    assert rows == Counter({DeliveryStatus.SENT.value: 40})


async def test_timed_out_send_waits_before_the_retry(sessionmaker: Maker) -> None:
    (chat,) = await queue_fanout(sessionmaker, 1)
    async with FakeTelegramServer() as tg:
        tg.fail("sendMessage", Fault.slow(1.0))
        channel = TelegramChannel(tg.token, base_url=tg.base_url, request_timeout=0.2)
        dispatcher = OutboxDispatcher(
            sessionmaker, {"telegram": channel}, {"telegram": FAST}, SystemClock()
        )
        assert await dispatcher.run_once() == 1
        # The retry is not due before the platform's own timeout has passed (60 s default).
        assert await dispatcher.run_once() == 0
        await tg.wait_for("sendMessage", 1)
        await channel.stop()
    rows = await statuses(sessionmaker)
    assert rows == Counter({DeliveryStatus.PENDING.value: 1})
    assert len(tg.sent_to(chat)) == 1


async def test_connection_resets_lose_nothing_and_repeat_at_most_once(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    chats = await queue_fanout(sessionmaker, 60)
    async with FakeTelegramServer() as tg:
        tg.fail("sendMessage", Fault.connection_reset(), times=5)
        tg.fail("sendMessage", Fault.connection_reset(after_delivery=True), times=5)
        dispatcher = await _drain(sessionmaker, tg, timeout_wait=0.5)
        lost, duplicated = tally(tg, chats)
    assert lost == 0
    assert duplicated <= 5  # only the resets after delivery can repeat a message
    assert dispatcher.stats["timeouts"] == 10
    assert await statuses(sessionmaker) == Counter({DeliveryStatus.SENT.value: 60})
    assert not _tracebacks(caplog)


async def test_replies_waiting_in_the_outbox_go_before_the_fanout(sessionmaker: Maker) -> None:
    await queue_fanout(sessionmaker, 50)
    async with sessionmaker() as s, s.begin():
        row = delivery_row(
            key="reply:telegram:42:x",
            kind="reply",
            address=Address("telegram", "42"),
            payload={"text": "trả lời", "buttons": []},
            user_id=None,
            now=SystemClock().now() + timedelta(milliseconds=1),
        )
        await enqueue_rows(s, [{**row, "priority": REPLY_PRIORITY}])
    async with FakeTelegramServer() as tg:
        await _drain(sessionmaker, tg, concurrency=1, batch=10)
        assert tg.sent[0]["chat"]["id"] == 42
