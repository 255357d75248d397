"""Pushes to Zalo through the outbox and the real channels: the 16:00 reminder, group digests."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channel_setup import group_lookup
from bot.channels.zalo.channel import GROUPS_UNSUPPORTED, ZaloBotChannel
from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.tokens import PROVIDER
from handlers.choices import resolve as resolve_choice
from handlers.missed import WINDOW_PREFIX
from handlers.types import Address, Incoming, Outgoing
from scheduler.jobs import JobConfig, run_job
from scheduler.outbox.dispatcher import OutboxDispatcher, enqueue
from scheduler.outbox.ratelimit import Limits
from scheduler.reminders import REMINDER
from store.models import (
    Chat,
    Delivery,
    DeliveryStatus,
    Directive,
    Identity,
    Role,
    User,
    UserRole,
)
from store.tokens import DatabaseTokenStore
from tests.factories import make_task, make_unit
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.fakes.zalo_bot_server import FakeZaloBotServer
from tests.fakes.zalo_oa_server import OA_SECRET, SECRET_KEY, FakeZaloOAServer
from tests.scheduler.pushworld import AT_1600, TZ

Maker = async_sessionmaker[AsyncSession]
CFG = JobConfig(tz=TZ)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


async def _official(
    s: AsyncSession, unit_id: int, name: str, accounts: dict[str, timedelta], preferred: str
) -> int:
    """An official with one account per channel, each last seen that long before 16:00."""
    user = User(name=name, unit_id=unit_id, role=UserRole.OFFICER, preferred_channel=preferred)
    for channel, ago in accounts.items():
        external = f"{channel}-{name}"
        s.add(
            Identity(
                user=user,
                channel=channel,
                external_id=external,
                chat_id=external,
                last_seen_at=AT_1600 - ago,
            )
        )
    await s.flush()
    return user.id


@pytest.fixture
async def world(sessionmaker: Maker) -> dict[str, int]:
    """Bộ Công an with work due this month and three officials on Zalo."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        d = Directive(number="5/QĐ-ZALO", title="Kế hoạch")
        s.add(d)
        await s.flush()
        await make_task(s, d, "1", "Số hóa hồ sơ hộ tịch", date(2025, 7, 31), [(bca, Role.LEAD)])
        hour, days = timedelta(hours=1), timedelta(days=3)
        return {
            # On Telegram and the Zalo bot, reminders to Zalo: exactly one message, on Zalo.
            "lan": await _official(s, bca.id, "lan", {"telegram": hour, "zalo": days}, "zalo"),
            # Only on the OA, wrote an hour ago: inside the window.
            "minh": await _official(s, bca.id, "minh", {"zalo_oa": hour}, "zalo_oa"),
            # Only on the OA, silent for three days: outside the free window.
            "hoa": await _official(s, bca.id, "hoa", {"zalo_oa": days}, "zalo_oa"),
        }


@pytest.fixture
async def servers() -> AsyncIterator[tuple[FakeZaloBotServer, FakeZaloOAServer]]:
    async with FakeZaloBotServer() as bot, FakeZaloOAServer() as oa:
        yield bot, oa


async def test_reminder_at_1600_reaches_zalo_officials_once(
    sessionmaker: Maker, world: dict[str, int], servers
) -> None:
    bot, oa = servers
    clock = FakeClock(AT_1600)
    access, refresh = oa.authorize()
    zalo = ZaloBotChannel(bot.token, base_url=bot.base_url, request_timeout=2.0)
    zalo_oa = ZaloOAChannel(
        app_id=oa.app_id,
        secret_key=SECRET_KEY,
        oa_secret_key=OA_SECRET,
        tokens=DatabaseTokenStore(sessionmaker, PROVIDER),
        access_token=access,
        refresh_token=refresh,
        api_base=oa.base_url,
        oauth_base=oa.base_url,
        clock=clock.now,
    )
    telegram = RecordingChannel("telegram", clock=clock)
    channels = {"zalo": zalo, "zalo_oa": zalo_oa, "telegram": telegram}
    outbox = OutboxDispatcher(
        sessionmaker, channels, dict.fromkeys(channels, FAST), clock, rng=random.Random(3)
    )

    result = await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    assert result.counts["queued"] == 3
    assert await outbox.run_once() == 3

    # Lan: once, on Zalo (her preferred app), as plain text with numbered choices.
    [reminder] = bot.texts_to("zalo-lan")
    assert "Số hóa hồ sơ hộ tịch" in reminder and "Bộ Công an" in reminder
    assert "\n  1. " in reminder and "<b>" not in reminder
    assert telegram.sent == []
    # Minh: through the OA, inside the window.
    [oa_reminder] = oa.texts_to("zalo_oa-minh")
    assert "Số hóa hồ sơ hộ tịch" in oa_reminder
    # Hoa: outside the window, recorded with the reason (never sent, never dropped).
    assert oa.texts_to("zalo_oa-hoa") == []
    async with sessionmaker() as s:
        rows = {r.user_id: r for r in await s.scalars(select(Delivery))}
    assert rows[world["lan"]].status is DeliveryStatus.SENT
    assert rows[world["lan"]].channel == "zalo"
    assert rows[world["minh"]].status is DeliveryStatus.SENT
    hoa = rows[world["hoa"]]
    assert hoa.status is DeliveryStatus.UNREACHABLE
    assert hoa.last_error is not None and hoa.last_error.startswith(WINDOW_PREFIX)

    # The choice numbers work: "1" from Lan on Zalo is the reminder's first button.
    # (The dispatcher reads them back from the delivered row, so this holds on any replica.)
    async with sessionmaker() as s:
        typed = Incoming(Address("zalo", "zalo-lan", "zalo-lan"), "1")
        first = await resolve_choice(s, typed, clock.now(), timedelta(hours=24))
    assert first is not None and first.startswith("r:")

    # Run again at 16:05 (a restart, a second replica): nothing is sent twice.
    again = await run_job(sessionmaker, REMINDER, AT_1600 + timedelta(minutes=5), CFG)
    assert again.status == "already_ran"
    assert await outbox.run_once() == 0
    assert len(bot.texts_to("zalo-lan")) == 1 and len(oa.texts_to("zalo_oa-minh")) == 1
    await zalo.stop()
    await zalo_oa.stop()


async def test_group_digest_to_zalo_is_skipped_with_a_recorded_reason(
    sessionmaker: Maker, servers
) -> None:
    """getMe says the bot may not post in groups: the push fails once, with the reason."""
    bot, _oa = servers
    clock = FakeClock(AT_1600)
    async with sessionmaker() as s, s.begin():
        s.add(Chat(channel="zalo", chat_id="grp-bca", title="Tổ công tác"))
        await enqueue(
            s,
            key="digest:2025-07-15:grp-bca",
            kind="digest",
            address=Address("zalo", "grp-bca"),
            outgoing=Outgoing("Tổng hợp việc quá hạn"),
            user_id=None,
            now=clock.now(),
        )
    # Never started, as in a send-only process: the channel asks getMe when it needs to know.
    zalo = ZaloBotChannel(
        bot.token, base_url=bot.base_url, group_lookup=group_lookup(sessionmaker)
    )
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo": zalo}, {"zalo": FAST}, clock, rng=random.Random(3)
    )
    assert await outbox.run_once() == 1
    await zalo.stop()
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery))
        chat = await s.scalar(select(Chat))
    assert row is not None and row.status is DeliveryStatus.FAILED
    assert row.last_error == GROUPS_UNSUPPORTED
    assert chat is not None and chat.active  # the group stays linked; only the push is skipped
    assert bot.calls_of("getMe") and not bot.calls_of("sendMessage")
