"""Helpers of the fault-injection suite: queue a fan-out, run the dispatcher as a process.

The sender process is `tests.fakes.outbox_sender` (the real dispatcher and Telegram channel);
the fake Bot API runs in the test's process, so it keeps counting while the sender is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.types import Outgoing
from store.models import Delivery, DeliveryStatus
from tests.fakes.telegram_server import FakeTelegramServer

Maker = async_sessionmaker[AsyncSession]
FIRST_CHAT = 7_000_001


async def queue_fanout(
    sessionmaker: Maker, count: int, *, first_chat: int = FIRST_CHAT
) -> list[int]:
    """Queue one reminder to each of `count` private chats; returns the chat ids."""
    chats = [first_chat + n for n in range(count)]
    now = datetime.now(UTC)
    async with sessionmaker() as s, s.begin():
        await s.execute(
            Delivery.__table__.insert(),
            [
                {
                    "key": f"reminder:2025-07-15:user{chat}",
                    "kind": "reminder",
                    "channel": "telegram",
                    "chat_id": str(chat),
                    "payload": Outgoing(f"Nhắc việc #{chat}").to_payload(),
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for chat in chats
            ],
        )
    return chats


async def open_rows(sessionmaker: Maker) -> int:
    """Rows still to send (pending or sending)."""
    async with sessionmaker() as s:
        return int(
            await s.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
            )
            or 0
        )


async def statuses(sessionmaker: Maker) -> Counter[str]:
    """Rows by status."""
    async with sessionmaker() as s:
        rows = await s.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return Counter({status.value: n for status, n in rows.all()})


def tally(server: FakeTelegramServer, chats: list[int]) -> tuple[int, int]:
    """(lost, duplicated) among `chats` from what the fake stored."""
    received = Counter(m["chat"]["id"] for m in server.sent)
    lost = sum(1 for c in chats if not received[c])
    duplicated = sum(received[c] - 1 for c in chats if received[c] > 1)
    return lost, duplicated


async def until(predicate: Callable[[], object], within: float) -> None:
    """Wait until `predicate()` (a bool or an awaitable of one) holds; fail after `within` s."""
    async with asyncio.timeout(within):
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return
            await asyncio.sleep(0.02)


class SenderProcess:
    """`python -m tests.fakes.outbox_sender` against a database and a fake Bot API."""

    def __init__(self, url: str, base_url: str, *, concurrency: int, rate: float) -> None:
        self.args = [
            "-m",
            "tests.fakes.outbox_sender",
            "--url",
            url,
            "--base-url",
            base_url,
            "--concurrency",
            str(concurrency),
            "--rate",
            str(rate),
        ]
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it and wait until it dispatches."""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, *self.args, stdout=asyncio.subprocess.PIPE
        )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        assert line.startswith(b"READY"), line

    async def kill(self) -> None:
        """kill -9, and wait until it is gone."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> bytes:
        """SIGTERM (a clean stop); returns what it printed after READY."""
        assert self.proc is not None and self.proc.stdout is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        out = await asyncio.wait_for(self.proc.stdout.read(), 60)
        await self.proc.wait()
        return out

    async def __aenter__(self) -> SenderProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(Exception):
                await self.stop()
