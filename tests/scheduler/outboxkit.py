"""Shared helpers of the outbox tests: a dispatcher on a fake clock, queued rows."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.types import Address, Outgoing
from scheduler.outbox.dispatcher import OutboxDispatcher, enqueue
from scheduler.outbox.ratelimit import TELEGRAM_LIMITS, Limits
from store.models import Delivery
from tests.fakes.recording_channel import FakeClock, RecordingChannel

Maker = async_sessionmaker[AsyncSession]
START = datetime(2025, 7, 15, 9, 0, tzinfo=UTC)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


def _dispatcher(
    sessionmaker: Maker, channel: RecordingChannel, clock: FakeClock, **kwargs: object
) -> OutboxDispatcher:
    limits = kwargs.pop("limits", TELEGRAM_LIMITS)
    return OutboxDispatcher(
        sessionmaker,
        {channel.name: channel},
        {channel.name: limits},  # type: ignore[dict-item]
        clock,
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


async def _queue(
    sessionmaker: Maker,
    clock: FakeClock,
    chats: list[str],
    *,
    prefix: str = "reminder:2025-07-15",
    user_id: int | None = None,
    channel: str = "telegram",
) -> None:
    async with sessionmaker() as s, s.begin():
        for n, chat in enumerate(chats):
            await enqueue(
                s,
                key=f"{prefix}:{n}",
                kind="reminder",
                address=Address(channel, chat),
                outgoing=Outgoing(f"{prefix}:{n}"),
                user_id=user_id,
                now=clock.now(),
            )


async def _rows(sessionmaker: Maker) -> list[Delivery]:
    async with sessionmaker() as s:
        return list((await s.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def _one(sessionmaker: Maker) -> Delivery:
    (row,) = await _rows(sessionmaker)
    return row
