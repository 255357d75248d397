"""Shared helpers of the Zalo OA channel tests (against the fake OA server)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.tokens import PROVIDER
from store.models import Identity
from store.tokens import DatabaseTokenStore
from tests.factories import make_unit, make_user
from tests.fakes.recording_channel import FakeClock
from tests.fakes.zalo_oa_server import OA_SECRET, SECRET_KEY, FakeZaloOAServer

Maker = async_sessionmaker[AsyncSession]
USER = "8436129951312846321"


def make_channel(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, **kwargs: object
) -> ZaloOAChannel:
    """A ZaloOAChannel on the fake server, authorized, tokens kept in the database."""
    access, refresh = oa.authorize()
    options: dict[str, object] = {
        "app_id": oa.app_id,
        "secret_key": SECRET_KEY,
        "oa_secret_key": OA_SECRET,
        "tokens": DatabaseTokenStore(sessionmaker, PROVIDER),
        "access_token": access,
        "refresh_token": refresh,
        "api_base": oa.base_url,
        "oauth_base": oa.base_url,
        "request_timeout": 1.0,
        "clock": clock.now,
    }
    options.update(kwargs)
    return ZaloOAChannel(**options)  # type: ignore[arg-type]


async def seen_official(
    sessionmaker: Maker, clock: FakeClock, ago: timedelta, user: str = USER
) -> int:
    """An official with a Zalo OA account whose last message was `ago` before now."""
    async with sessionmaker() as s, s.begin():
        unit = await make_unit(s, f"u-{user}", "Bộ Tư pháp")
        person = await make_user(s, user, unit, channel="zalo_oa")
        await s.execute(
            update(Identity)
            .where(Identity.external_id == user)
            .values(last_seen_at=clock.now() - ago)
        )
        return person.id
