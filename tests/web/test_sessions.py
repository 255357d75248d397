"""Store rules behind sign-in: scopes per role, single-use links across replicas."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from store.db import make_engine, make_sessionmaker
from store.models import Chat
from store.web_scope import identity_of, load_viewer
from store.web_sessions import (
    claim_init_data,
    consume_link_token,
    create_session,
    load_session,
    purge_expired,
    revoke_session,
)
from tests.factories import NOW
from tests.web.conftest import link_for


async def _scope(sessionmaker, who: str, chat_pk=None, admins=frozenset()):
    async with sessionmaker() as s:
        user_id, identity_id = await identity_of(s, "telegram", who)
        viewer = await load_viewer(
            s, user_id, identity_id=identity_id, chat_pk=chat_pk, admin_ids=admins
        )
        return viewer.scope


async def test_each_role_sees_its_units(sessionmaker, world):
    w = world
    officer = await _scope(sessionmaker, "officer_a1")
    assert officer.unit_ids == {w.unit_a1} and not officer.all_units
    head = await _scope(sessionmaker, "head_a")
    assert head.unit_ids == {w.unit_a, w.unit_a1}
    async with sessionmaker() as s:
        chat_pk = await s.scalar(select(Chat.id).where(Chat.chat_id == w.oversight_chat))
    watcher = await _scope(sessionmaker, "watcher", chat_pk)
    assert watcher.unit_ids == {w.unit_b} and watcher.allows(w.unit_b)
    assert not watcher.allows(w.unit_a1)
    assert (await _scope(sessionmaker, "admin")).all_units
    listed = await _scope(sessionmaker, "stranger", admins=frozenset({("telegram", "stranger")}))
    assert listed.all_units
    assert (await _scope(sessionmaker, "stranger")).empty


async def test_a_link_is_single_use_across_replicas(sessionmaker, world, db_url):
    token = await link_for(sessionmaker, "officer_a1")
    engines = [make_engine(db_url) for _ in range(2)]  # two replicas, one database
    try:

        async def replica(engine):
            async with make_sessionmaker(engine)() as s, s.begin():
                return await consume_link_token(s, token, NOW)

        grants = await asyncio.gather(*(replica(e) for e in engines))
    finally:
        for e in engines:
            await e.dispose()
    assert sum(g is not None for g in grants) == 1


async def test_init_data_is_claimed_once_and_sessions_end(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        assert await claim_init_data(s, "h" * 64, now=NOW, expires_at=NOW + timedelta(minutes=10))
        assert not await claim_init_data(
            s, "h" * 64, now=NOW, expires_at=NOW + timedelta(minutes=10)
        )
        user_id, identity_id = await identity_of(s, "telegram", "officer_a1")
        from store.web_sessions import Grant

        secret = await create_session(s, Grant(user_id, identity_id, None), via="link", now=NOW)
        assert (await load_session(s, secret, NOW)).user_id == user_id
        assert await load_session(s, secret, NOW + timedelta(hours=13)) is None
        await revoke_session(s, secret, NOW)
        assert await load_session(s, secret, NOW) is None
        assert await purge_expired(s, NOW + timedelta(days=1)) >= 2
