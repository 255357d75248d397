"""TelegramChannel keeps the bot token out of logs, errors and reprs."""

from __future__ import annotations

import logging

import pytest

from bot.channels.redact import REDACTED
from bot.channels.telegram.channel import TelegramChannel
from handlers.types import (
    Outgoing,
    SendError,
)
from tests.bot.conftest import RecordingSink
from tests.bot.telegram_channel_support import USER
from tests.bot.telegram_channel_support import address_to as _to
from tests.bot.telegram_channel_support import make_channel as _channel
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import FakeTelegramServer

# -- the token stays secret ------------------------------------------------------------------


async def test_token_never_reaches_logs(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = _channel(fake_telegram)
    await channel.start(sink)
    try:
        fake_telegram.push_document(b"abc", "a.txt", "text/plain")
        [incoming] = await sink.wait(1)
        assert incoming.file is not None and incoming.file.fetch is not None
        await incoming.file.fetch()  # a download URL has the token too
        await channel.send(_to(USER), Outgoing("xin chào"))
        token = fake_telegram.token
        logging.getLogger("telegram.ext.Updater").error(
            "failed at %s", f"/bot{token}/getUpdates", exc_info=RuntimeError(f"GET /bot{token}")
        )
        logging.getLogger("httpx").info("HTTP Request: POST /bot%s/x", token.replace(":", "%3A"))
        assert repr(channel) == "TelegramChannel(@nhacviec_test_bot, polling)"
    finally:
        await channel.stop()
    assert "/getMe" in caplog.text and "/file/bot" + REDACTED in caplog.text
    assert fake_telegram.token not in caplog.text
    assert fake_telegram.token.split(":", 1)[1] not in caplog.text


async def test_rejected_token_is_not_echoed(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "987654321:AAwrongTOKEN_nobody-should-see"
    channel = TelegramChannel(wrong, base_url=fake_telegram.base_url)
    with pytest.raises(RuntimeError) as caught:
        await channel.start(sink)
    assert "rejected" in str(caught.value)
    assert wrong not in str(caught.value) and caught.value.__cause__ is None
    assert wrong not in caplog.text
    await channel.stop()


async def test_send_error_reason_never_contains_the_token(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    fake_telegram.fail(
        "sendMessage", Fault.bad_request(f"Bad Request: odd URL /bot{fake_telegram.token}/x")
    )
    with pytest.raises(SendError) as caught:
        await sender.send(_to(USER), Outgoing("a"))
    assert fake_telegram.token not in caught.value.reason
    assert REDACTED in caught.value.reason
    assert caught.value.__cause__ is None
