"""Fixtures for the web app: the world, the app on a test server, signed-in clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import mount_web_app
from bot.web.config import WebConfig
from handlers.tasks.daily import ReportRules
from store.web_scope import identity_of
from store.web_sessions import create_link_token
from tests.factories import NOW
from tests.web.world import TOKEN, World, build_world, fake_fetch

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
async def world(sessionmaker) -> World:
    return await build_world(sessionmaker)


def web_config(**over) -> WebConfig:
    base = dict(
        public_url="http://127.0.0.1",
        cookie_key=b"k" * 32,
        tz=TZ,
        rules=ReportRules(),
        bot_token=TOKEN,
        fetchers={"telegram": fake_fetch},
        clock=lambda: NOW,
        page_size=50,
    )
    return WebConfig(**(base | over))


@pytest.fixture
async def server(sessionmaker, world) -> AsyncIterator[TestServer]:
    parent = web.Application()
    mount_web_app(parent, web_config(), sessionmaker)
    srv = TestServer(parent, host="127.0.0.1")
    await srv.start_server()
    yield srv
    await srv.close()


@pytest.fixture
async def anon(server) -> AsyncIterator[TestClient]:
    async with TestClient(server) as c:
        yield c


async def link_for(sessionmaker, who: str, chat_pk: int | None = None) -> str:
    """A fresh one-time token for a person of the world (by external id)."""
    async with sessionmaker() as s, s.begin():
        found = await identity_of(s, "telegram", who)
        assert found is not None
        return await create_link_token(
            s, user_id=found[0], identity_id=found[1], chat_pk=chat_pk, now=NOW
        )


async def sign_in(client: TestClient, sessionmaker, who: str, chat_pk: int | None = None):
    token = await link_for(sessionmaker, who, chat_pk)
    resp = await client.post("/app/login", data={"token": token}, allow_redirects=False)
    assert resp.status == 303, await resp.text()
    return resp


@pytest.fixture
async def signed_in(server, sessionmaker):
    """`await signed_in("officer_a1")` → a client with that person's session."""
    opened: list[TestClient] = []

    async def make(who: str, chat_pk: int | None = None) -> TestClient:
        c = TestClient(server)
        await c.start_server()
        opened.append(c)
        await sign_in(c, sessionmaker, who, chat_pk)
        return c

    yield make
    for c in opened:
        await c.close()
