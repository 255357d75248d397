"""Start-up that survives a bad minute, and settings checked in one line each.

Real TelegramChannel against the fake Bot API: getMe and setWebhook answering 500, an HTML
502 or 429 are retried with backoff and logged as warnings without tracebacks; a refused token
ends start-up at once. Webhook bodies over 1 MB are refused before they are read.
"""

from __future__ import annotations

import asyncio
import io
import logging

import aiohttp
import pytest

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.webhook import WebhookOptions
from bot.config import ConfigError, load_settings
from bot.runner import run_channels
from tests.bot.conftest import RecordingSink
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import FakeTelegramServer

SECRET = "wh-Secret_for-startup-0123456789"


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [f"{r.name}: {r.getMessage()}" for r in bad]


async def test_getme_failing_for_a_while_is_retried_with_warnings(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    fake_telegram.fail("getMe", Fault.server_error(500))
    fake_telegram.fail("getMe", Fault.bad_gateway())
    fake_telegram.fail("getMe", Fault.flood(1))
    channel = TelegramChannel(
        fake_telegram.token, base_url=fake_telegram.base_url, poll_timeout=0, start_wait=0.01
    )
    await channel.start(sink)
    try:
        assert channel.bot_username == "nhacviec_test_bot"
        assert len(fake_telegram.calls_of("getMe")) == 4
    finally:
        await channel.stop()
    warnings = [r for r in caplog.records if "getMe failed" in r.getMessage()]
    assert len(warnings) == 3 and all(r.levelno == logging.WARNING for r in warnings)
    assert "<html>" not in caplog.text
    _no_tracebacks(caplog)


async def test_setwebhook_500_is_retried_and_the_webhook_set(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    fake_telegram.fail("setWebhook", Fault.server_error(500), times=2)
    channel = TelegramChannel(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        webhook=WebhookOptions(url="https://nhacviec.example.org/tg", secret=SECRET),
        start_wait=0.01,
    )
    await channel.start(sink)
    try:
        assert fake_telegram.webhook_url == "https://nhacviec.example.org/tg"
        assert len(fake_telegram.calls_of("setWebhook")) == 3
    finally:
        await channel.stop()
    _no_tracebacks(caplog)


async def test_a_refused_token_is_not_retried(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    channel = TelegramChannel("999:wrong-token", base_url=fake_telegram.base_url, start_wait=0.01)
    with pytest.raises(RuntimeError, match="Telegram rejected TELEGRAM_BOT_TOKEN"):
        await channel.start(sink)
    assert "retrying" not in caplog.text


async def test_platform_down_for_good_ends_start_up_in_one_line(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.fail("getMe", Fault.server_error(503), times=3)
    channel = TelegramChannel(
        fake_telegram.token, base_url=fake_telegram.base_url, start_attempts=3, start_wait=0.01
    )
    with pytest.raises(RuntimeError) as caught:
        await channel.start(sink)
    assert str(caught.value) == "could not start the Telegram channel: Internal Server Error"


async def test_webhook_body_over_one_megabyte_is_refused_before_it_is_read(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    channel = TelegramChannel(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        webhook=WebhookOptions(url="https://nhacviec.example.org/tg", secret=SECRET),
    )
    await channel.start(sink)
    try:
        url = f"http://127.0.0.1:{channel.webhook_port}/telegram/webhook"
        big = b'{"update_id": 1, "message": {"text": "' + b"x" * 1_500_000 + b'"}}'
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=io.BytesIO(big), headers=headers) as resp:
                assert resp.status == 413

            async def chunks():  # no Content-Length: refused after 1 MB, not read to the end
                for _ in range(30):
                    yield b"x" * 100_000

            async with http.post(url, data=chunks(), headers=headers) as resp:
                assert resp.status == 413
        # The next update goes through as usual.
        update = fake_telegram.push_text("xin chào", queue=False)
        status, _ = await fake_telegram.post_update(url, update, secret=SECRET)
        assert status == 200
        (incoming,) = await sink.wait(1)
        assert incoming.text == "xin chào"
    finally:
        await channel.stop()


async def test_invalid_webhook_secret_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://nhacviec.example.org/tg")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "has spaces and ü")
    with pytest.raises(ConfigError) as caught:
        await run_channels(load_settings(), asyncio.Event())
    assert str(caught.value).startswith("invalid setting TELEGRAM_WEBHOOK_SECRET")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "db.sqlite3").exists()  # stopped before opening the database


def test_a_disabled_nudge_is_not_validated(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NHACVIEC_NUDGE_ENABLED", "false")
    monkeypatch.setenv("NHACVIEC_NUDGE_TIME", "17:30")  # after the 16:00 reminder
    assert load_settings().nudge_time is None
    monkeypatch.setenv("NHACVIEC_NUDGE_TIME", "not a time")
    assert load_settings().nudge_enabled is False
    monkeypatch.setenv("NHACVIEC_NUDGE_ENABLED", "true")
    with pytest.raises(ConfigError, match=r"^invalid setting NHACVIEC_NUDGE_TIME: "):
        load_settings()
