"""Fixtures for channel tests: fake servers, a recording sink, channels and bot environments."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import Incoming
from tests.bot.telegram_channel_support import make_channel
from tests.bot.telegram_e2e_support import ADMIN, SECRET
from tests.bot.telegram_harness import free_port
from tests.fakes.recording_channel import FakeClock
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_oa_server import FakeZaloOAServer
from tests.support import PATIENCE


class RecordingSink:
    """A sink that keeps every `Incoming` and lets a test wait for the n-th one."""

    def __init__(self) -> None:
        self.items: list[Incoming] = []
        self._changed = asyncio.Event()

    async def __call__(self, incoming: Incoming) -> None:
        self.items.append(incoming)
        self._changed.set()

    async def wait(self, count: int = 1, within: float = PATIENCE) -> list[Incoming]:
        """Wait (at most `within` seconds) until `count` items arrived; return them all."""
        async with asyncio.timeout(within):
            while len(self.items) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.items


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegramServer]:
    """A started fake Bot API server on an ephemeral port."""
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def sink() -> RecordingSink:
    """A fresh recording sink."""
    return RecordingSink()


# -- TelegramChannel tests (test_telegram_receiving, _sending, _token_secrecy) -----------------


@pytest.fixture
async def polling(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> AsyncIterator[TelegramChannel]:
    """A channel receiving by long polling."""
    channel = make_channel(fake_telegram)
    await channel.start(sink)
    yield channel
    await channel.stop()


@pytest.fixture
async def sender(fake_telegram: FakeTelegramServer) -> AsyncIterator[TelegramChannel]:
    """A channel that is never started: sends only (as CLI jobs do), short timeouts."""
    channel = make_channel(fake_telegram, request_timeout=0.5)
    yield channel
    await channel.stop()


# -- Telegram end to end (test_telegram_e2e_*); other modules define their own `env` ------------


@pytest.fixture
def env(tmp_path, monkeypatch, fake_telegram: FakeTelegramServer) -> Path:
    """Environment of `nhacviec run`: a token, the fake API, a SQLite file, one admin."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nhacviec.sqlite3'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_telegram.base_url)
    monkeypatch.setenv("NHACVIEC_ADMINS", f"telegram:{ADMIN}")
    # The scheduler would push catch-up reminders mid-test after 16:00 on a working day.
    monkeypatch.setenv("NHACVIEC_SCHEDULER_ENABLED", "false")
    return tmp_path


@pytest.fixture
def webhook_env(env, monkeypatch) -> str:
    """Webhook mode: the runner's own server on a free loopback port; returns the URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("HTTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HTTP_PORT", str(port))
    return url


# -- Zalo OA channel tests (test_zalo_oa_channel, test_zalo_oa_window) --------------------------


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock the OA channel and the outbox read."""
    return FakeClock()


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOAServer]:
    """A started fake OA server."""
    async with FakeZaloOAServer() as server:
        yield server
