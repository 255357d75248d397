"""TelegramChannel receiving by webhook: registration, secrets, malformed bodies, draining."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.webhook import WebhookOptions
from handlers.types import (
    Kind,
)
from tests.bot.conftest import RecordingSink
from tests.bot.telegram_channel_support import GROUP, SECRET, SUPERGROUP
from tests.bot.telegram_channel_support import make_channel as _channel
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer


@dataclass
class Hook:
    """A webhook-mode channel mounted on our own aiohttp app, and the URL it answers on."""

    channel: TelegramChannel
    url: str
    runner: web.AppRunner


async def _mounted(tg: FakeTelegramServer, **kwargs: object) -> Hook:
    # Bind first so the public URL (given to the channel before the app starts) has the port.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/webhook"
    app = web.Application()
    webhook = WebhookOptions(url=url, secret=SECRET, app=app)
    channel = _channel(tg, webhook=webhook, **kwargs)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return Hook(channel, url, runner)


@pytest.fixture
async def hook(fake_telegram: FakeTelegramServer, sink: RecordingSink) -> AsyncIterator[Hook]:
    """A started webhook-mode channel; the fake server delivers updates to it."""
    mounted = await _mounted(fake_telegram)
    await mounted.channel.start(sink)
    yield mounted
    await mounted.channel.stop()
    await mounted.runner.cleanup()


# -- receiving: webhook ---------------------------------------------------------------------


async def test_webhook_start_registers_url_secret_and_update_types(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    [call] = fake_telegram.calls_of("setWebhook")
    assert call.params["url"] == hook.url
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert not fake_telegram.calls_of("getUpdates")
    fake_telegram.push_text("qua webhook")
    [incoming] = await sink.wait(1)
    assert incoming.text == "qua webhook"


async def test_webhook_translates_every_kind(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_command("list", chat_id=SUPERGROUP)
    fake_telegram.push_callback("page:2")
    fake_telegram.push_document(b"data", "kq.xlsx", "application/vnd.ms-excel")
    fake_telegram.push_migration(GROUP, SUPERGROUP)
    fake_telegram.push_member_status(GROUP, "left")
    items = await sink.wait(5)
    assert [(i.kind, i.payload) for i in items] == [
        (Kind.COMMAND, "list"),
        (Kind.BUTTON, "page:2"),
        (Kind.FILE, ""),
        (Kind.EVENT, f"migrated:{SUPERGROUP}"),
        (Kind.EVENT, "removed"),
    ]
    assert items[2].file is not None and items[2].file.fetch is not None
    assert await items[2].file.fetch() == b"data"
    assert len(fake_telegram.answered) == 1


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", "sécret"])
async def test_webhook_rejects_missing_or_forged_secret(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink, secret: str | None
) -> None:
    forged = fake_telegram.push_text("giả mạo", queue=False)
    status, _ = await fake_telegram.post_update(hook.url, forged, secret=secret)
    assert status == 401
    # Updates are processed in order: once the genuine one arrives, nothing else did.
    fake_telegram.push_text("thật")
    await sink.wait(1)
    assert [i.text for i in sink.items] == ["thật"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"no": "id"}'])
async def test_webhook_rejects_malformed_bodies(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink, body: bytes
) -> None:
    status, _ = await fake_telegram.post_update(hook.url, body, secret=SECRET)
    assert status == 400
    fake_telegram.push_text("sau")
    await sink.wait(1)
    assert [i.text for i in sink.items] == ["sau"]


async def test_webhook_processes_a_redelivered_update_once(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    update = fake_telegram.push_text("một lần", queue=False)
    for _ in range(2):
        status, _ = await fake_telegram.post_update(hook.url, update, secret=SECRET)
        assert status == 200
    fake_telegram.push_text("tiếp")
    await sink.wait(2)
    assert [i.text for i in sink.items] == ["một lần", "tiếp"]


async def test_webhook_acknowledges_before_processing_and_stop_drains(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram)
    gate = asyncio.Event()
    done: list[str] = []

    async def slow_sink(incoming: object) -> None:
        await gate.wait()
        done.append(getattr(incoming, "text", ""))

    await mounted.channel.start(slow_sink)
    try:
        update = fake_telegram.push_text("chậm", queue=False)
        status, _ = await fake_telegram.post_update(mounted.url, update, secret=SECRET)
        assert status == 200 and done == []  # acknowledged while the sink still waits
        stopping = asyncio.create_task(mounted.channel.stop())
        await asyncio.sleep(0)
        gate.set()
        await stopping
    finally:
        await mounted.runner.cleanup()
    assert done == ["chậm"]


async def test_stop_cancels_processing_that_outlives_the_drain_timeout(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram, drain_timeout=0.05)
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def stuck_sink(incoming: object) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    await mounted.channel.start(stuck_sink)
    try:
        update = fake_telegram.push_text("kẹt", queue=False)
        await fake_telegram.post_update(mounted.url, update, secret=SECRET)
        await asyncio.wait_for(started.wait(), 5)
        await mounted.channel.stop()
    finally:
        await mounted.runner.cleanup()
    assert cancelled == [True]


async def test_webhook_before_start_answers_503_so_telegram_retries(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram)
    try:
        update = fake_telegram.push_text("sớm", queue=False)
        assert (await fake_telegram.post_update(mounted.url, update, secret=SECRET))[0] == 503
        assert (await fake_telegram.post_update(mounted.url, update, secret="bad"))[0] == 401
    finally:
        await mounted.channel.stop()
        await mounted.runner.cleanup()


async def test_webhook_on_the_channels_own_server(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    channel = _channel(
        fake_telegram,
        webhook=WebhookOptions(url="https://nhacviec.example.org/tg", secret=SECRET, path="/tg"),
    )
    await channel.start(sink)
    try:
        assert channel.webhook_port
        url = f"http://127.0.0.1:{channel.webhook_port}/tg"
        update = fake_telegram.push_text("cổng riêng", queue=False)
        assert (await fake_telegram.post_update(url, update, secret="nope"))[0] == 401
        assert (await fake_telegram.post_update(url, update, secret=SECRET))[0] == 200
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "cổng riêng"
    assert channel.webhook_port is None
    # Stopping leaves the webhook in place so Telegram queues updates while we are down.
    assert fake_telegram.webhook_url == "https://nhacviec.example.org/tg"


def test_webhook_needs_a_valid_secret() -> None:
    for secret in (None, "", "có dấu", "x" * 257):
        with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
            TelegramChannel(
                DEFAULT_TOKEN, webhook=WebhookOptions(url="https://h/tg", secret=secret)
            )
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_URL"):
        TelegramChannel(DEFAULT_TOKEN, webhook=WebhookOptions(secret=SECRET))
