"""Shared helpers of the TelegramChannel tests (against the fake Bot API)."""

from __future__ import annotations

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import Address
from tests.fakes.telegram_server import FakeTelegramServer

SECRET = "s3cret-Webhook_token"
USER = FakeTelegramServer.default_user_id
SUPERGROUP = -1001234567890123  # 64-bit: beyond any 32-bit int
GROUP = -4001234


def make_channel(tg: FakeTelegramServer, **kwargs: object) -> TelegramChannel:
    """A TelegramChannel pointed at the fake server, with short timeouts."""
    options: dict[str, object] = {"poll_timeout": 2, "request_timeout": 2.0}
    options.update(kwargs)
    return TelegramChannel(tg.token, base_url=tg.base_url, **options)  # type: ignore[arg-type]


def address_to(chat_id: int) -> Address:
    """The address of a Telegram chat (private when the id is positive)."""
    return Address("telegram", str(chat_id), str(chat_id) if chat_id > 0 else None)
