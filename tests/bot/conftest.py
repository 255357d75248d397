"""Fixtures for channel tests: the fake Telegram server and a recording sink."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from handlers.types import Incoming
from tests.fakes.telegram_server import FakeTelegramServer
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
