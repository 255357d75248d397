"""Zalo OA token rotation: persisted before use, one refresh across replicas, crash recovery."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo_oa.api import OAClient
from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.tokens import PROVIDER, TokenManager, TokenUnavailable
from handlers.types import Address, Outgoing, SendError, SendErrorKind
from store.tokens import DatabaseTokenStore, get_token
from tests.fakes.recording_channel import FakeClock
from tests.fakes.zalo_oa_server import OA_SECRET, SECRET_KEY, FakeZaloOAServer, Fault

Maker = async_sessionmaker[AsyncSession]
USER = "8436129951312846321"
DAY = 24 * 3600


def _client(oa: FakeZaloOAServer) -> OAClient:
    return OAClient(
        oa.app_id, SECRET_KEY, api_base=oa.base_url, oauth_base=oa.base_url, request_timeout=2
    )


def _manager(sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock) -> TokenManager:
    return TokenManager(DatabaseTokenStore(sessionmaker, PROVIDER), _client(oa), clock=clock.now)


async def _stored(sessionmaker: Maker):  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        return await get_token(s, PROVIDER)


async def test_configured_pair_is_installed_once_and_never_rolled_back(
    sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock
) -> None:
    access, refresh = oa.authorize()
    first = _manager(sessionmaker, oa, clock)
    await first.install(access, refresh)
    assert first.version == 1
    clock.advance(2 * 3600)  # a configured token of unknown age is trusted for two hours
    rotated = await first.access_token()
    assert rotated != access and first.version == 2
    # A restart with the same (now spent) environment keeps the rotated pair...
    second = _manager(sessionmaker, oa, clock)
    await second.install(access, refresh)
    assert second.version == 2 and await second.access_token() == rotated
    # ...and a pair the operator has just issued replaces it.
    new_access, new_refresh = oa.authorize()
    third = _manager(sessionmaker, oa, clock)
    await third.install(new_access, new_refresh)
    assert third.version == 3 and await third.access_token() == new_access
    await first._client.close()
    await second._client.close()
    await third._client.close()


async def test_refresh_is_persisted_before_the_new_token_is_used(
    sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock
) -> None:
    seen: list[tuple[str, str | None]] = []

    async def probe(token: str) -> None:
        stored = await _stored(sessionmaker)
        seen.append((token, stored.access_token if stored else None))

    oa.on_send = probe
    access, refresh = oa.authorize()
    channel = ZaloOAChannel(
        app_id=oa.app_id,
        secret_key=SECRET_KEY,
        oa_secret_key=OA_SECRET,
        tokens=DatabaseTokenStore(sessionmaker, PROVIDER),
        access_token=access,
        refresh_token=refresh,
        api_base=oa.base_url,
        oauth_base=oa.base_url,
        window=None,
        clock=clock.now,
    )

    async def sink(incoming: object) -> None:
        return None

    await channel.start(sink)
    oa.expire_access()  # Zalo now answers -220 to the configured token
    await channel.send(Address("zalo_oa", USER), Outgoing("nhắc việc"))
    await channel.stop()
    assert oa.texts_to(USER) == ["nhắc việc"]
    assert [outcome for _, outcome in oa.refresh_calls] == ["ok"]
    assert oa.refresh_state(refresh) == "used"
    (_, first), (token, stored_then) = seen
    assert first == access  # tried, refused with -220
    assert token != access and token == stored_then  # stored before it was ever used
    stored = await _stored(sessionmaker)
    assert stored is not None and stored.version == 2
    assert stored.access_expires_at == clock.now() + timedelta(seconds=90_000)


async def test_replicas_refresh_once_between_them(
    sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock
) -> None:
    access, refresh = oa.authorize()
    replicas = [_manager(sessionmaker, oa, clock) for _ in range(4)]
    for replica in replicas:
        await replica.install(access, refresh)
    clock.advance(DAY)  # every replica's copy is near its end
    oa.fail("refresh", Fault(delay=0.2))  # a slow refresh: the others arrive meanwhile
    tokens = await asyncio.gather(*(r.access_token() for r in replicas))
    assert len(set(tokens)) == 1 and tokens[0] != access
    assert [outcome for _, outcome in oa.refresh_calls] == ["ok"]
    assert sum(r.refreshes for r in replicas) == 1
    stored = await _stored(sessionmaker)
    assert stored is not None and stored.version == 2 and stored.access_token == tokens[0]
    for replica in replicas:
        await replica._client.close()


async def test_crash_between_refresh_and_persist_is_reported_and_recoverable(
    sessionmaker: Maker,
    oa: FakeZaloOAServer,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A process refreshed (Zalo spent the refresh token) and died before storing the pair."""
    access, refresh = oa.authorize()
    manager = _manager(sessionmaker, oa, clock)
    await manager.install(access, refresh)
    oa.use_refresh(refresh)  # the crashed process's refresh: its new pair is lost
    clock.advance(3900)  # 55 min left of the two trusted hours: time to refresh
    with caplog.at_level(logging.ERROR, "bot.channels.zalo_oa.tokens"):
        # The refresh is refused as already used; nothing newer is stored, so the access
        # token that is still valid keeps the bot working...
        assert await manager.access_token() == access
    assert [o for _, o in oa.refresh_calls] == ["ok", "already used"]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "ZALO_OA_REFRESH_TOKEN" in record.getMessage()
    assert access not in record.getMessage() and refresh not in record.getMessage()
    # ...quietly, without hammering OAuth on every send...
    assert await manager.access_token() == access
    assert len(oa.refresh_calls) == 2
    # ...until it expires: then sends fail with the same clear instruction.
    clock.advance(3600)
    with pytest.raises(TokenUnavailable, match="re-authorise"):
        await manager.access_token()
    # The operator issues a new pair and restarts: everything works again.
    new_access, new_refresh = oa.authorize()
    restarted = _manager(sessionmaker, oa, clock)
    await restarted.install(new_access, new_refresh)
    assert await restarted.access_token() == new_access
    await manager._client.close()
    await restarted._client.close()


async def test_send_reports_dead_credentials_as_retry_with_the_reason(
    sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock
) -> None:
    access, refresh = oa.authorize()
    channel = ZaloOAChannel(
        app_id=oa.app_id,
        secret_key=SECRET_KEY,
        oa_secret_key=OA_SECRET,
        tokens=DatabaseTokenStore(sessionmaker, PROVIDER),
        access_token=access,
        refresh_token=refresh,
        api_base=oa.base_url,
        oauth_base=oa.base_url,
        window=None,
        clock=clock.now,
    )

    async def sink(incoming: object) -> None:
        return None

    await channel.start(sink)
    oa.expire_refresh(refresh)
    oa.expire_access()
    with pytest.raises(SendError) as caught:
        await channel.send(Address("zalo_oa", USER), Outgoing("x"))
    await channel.stop()
    assert caught.value.kind is SendErrorKind.RETRY
    assert "ZALO_OA_REFRESH_TOKEN" in caught.value.reason
    assert caught.value.retry_after == 300
    assert oa.texts_to(USER) == []


async def test_transient_refresh_failure_keeps_the_old_token_then_retries(
    sessionmaker: Maker, oa: FakeZaloOAServer, clock: FakeClock
) -> None:
    access, refresh = oa.authorize()
    manager = _manager(sessionmaker, oa, clock)
    await manager.install(access, refresh)
    clock.advance(3900)
    oa.fail("refresh", Fault(502))
    assert await manager.access_token() == access  # 502: still valid, keep it
    clock.advance(301)  # after the pause it tries again
    fresh = await manager.access_token()
    assert fresh != access and manager.version == 2
    assert [o for _, o in oa.refresh_calls] == ["fault 502", "ok"]
    await manager._client.close()
