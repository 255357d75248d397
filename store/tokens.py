"""Rotating OAuth credentials (the Zalo OA access + single-use refresh token), one row per app.

Data functions take the session first and never commit; the caller owns the transaction.

Rotation is optimistic: `rotate_token` writes the new pair only if the row still has the version
the caller read, so of two replicas that both refreshed, exactly one persists (the other learns
it lost and re-reads). `lock_token` additionally takes the row's write lock (PostgreSQL) or the
database write lock (SQLite) for the rest of the transaction, so replicas, and a CLI job running
next to the bot, queue for the refresh instead of racing for it.

`DatabaseTokenStore` wraps these for one provider as the Zalo OA channel's token-store interface
(`bot.channels.zalo_oa.token_store.TokenStore`): it owns its short transactions, so the channel
never sees a session.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.audit import audit
from store.db import SessionMaker
from store.models import AuditLog, OAuthToken

# Audit action recording which configured pairs were installed (by fingerprint), so a restart
# with the same, long since rotated, environment never overwrites the newer stored pair.
SEED_ACTION = "oauth_seed"


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A stored credential pair and the version it had when read."""

    provider: str
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime | None
    version: int

    def __repr__(self) -> str:
        # Never let a token reach a log line through a repr.
        return f"TokenPair({self.provider!r}, v{self.version}, until {self.access_expires_at})"


def fingerprint(secret: str) -> str:
    """A short, non-reversible name for a secret (safe for logs and the audit log)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def _pair(row: OAuthToken) -> TokenPair:
    return TokenPair(
        row.provider,
        row.access_token,
        row.refresh_token,
        row.access_expires_at,
        row.refresh_expires_at,
        row.version,
    )


async def get_token(session: AsyncSession, provider: str) -> TokenPair | None:
    """The stored pair of a provider, read fresh from the database (None if none)."""
    row = await session.scalar(
        select(OAuthToken)
        .where(OAuthToken.provider == provider)
        .execution_options(populate_existing=True)
    )
    return _pair(row) if row is not None else None


async def lock_token(session: AsyncSession, provider: str) -> TokenPair | None:
    """Read the pair and hold a write lock on it until the transaction ends.

    A no-op UPDATE takes the lock: a row lock on PostgreSQL, the database write lock on SQLite
    (where SELECT ... FOR UPDATE does not exist). Others calling this wait, then read whatever
    the holder committed.
    """
    await session.execute(
        update(OAuthToken)
        .where(OAuthToken.provider == provider)
        .values(version=OAuthToken.version)
        .execution_options(synchronize_session=False)
    )
    return await get_token(session, provider)


async def rotate_token(
    session: AsyncSession,
    provider: str,
    *,
    expected_version: int,
    access_token: str,
    refresh_token: str,
    access_expires_at: datetime,
    refresh_expires_at: datetime | None,
    now: datetime,
) -> TokenPair | None:
    """Replace the pair if it is still at `expected_version`.

    Returns:
        The new pair (version + 1), or None when someone else rotated it first.
    """
    result = await session.execute(
        update(OAuthToken)
        .where(OAuthToken.provider == provider, OAuthToken.version == expected_version)
        .values(
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=access_expires_at,
            refresh_expires_at=refresh_expires_at,
            version=expected_version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return TokenPair(
        provider,
        access_token,
        refresh_token,
        access_expires_at,
        refresh_expires_at,
        expected_version + 1,
    )


async def seed_token(
    session: AsyncSession,
    provider: str,
    *,
    access_token: str,
    refresh_token: str,
    access_expires_at: datetime,
    refresh_expires_at: datetime | None,
    now: datetime,
) -> tuple[TokenPair, bool]:
    """Install a configured pair (from the environment) unless it was installed before.

    The first start stores the pair. Later starts with the same configuration keep the stored
    pair, which has rotated since (the configured refresh token is used up by then). A pair
    never seen before is an operator's re-authorisation and replaces the stored one.

    Returns:
        The pair now stored, and whether the configured one was installed.
    """
    mark = fingerprint(refresh_token)
    stored = await get_token(session, provider)
    if stored is not None:
        if stored.refresh_token == refresh_token or mark in await _seeded(session, provider):
            return stored, False
        fresh = await rotate_token(
            session,
            provider,
            expected_version=stored.version,
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=access_expires_at,
            refresh_expires_at=refresh_expires_at,
            now=now,
        )
        if fresh is None:  # rotated under us: the next start will try again
            return await get_token(session, provider) or stored, False
        _remember(session, provider, mark, now)
        return fresh, True
    try:
        async with session.begin_nested():
            session.add(
                OAuthToken(
                    provider=provider,
                    access_token=access_token,
                    refresh_token=refresh_token,
                    access_expires_at=access_expires_at,
                    refresh_expires_at=refresh_expires_at,
                    version=1,
                    updated_at=now,
                )
            )
    except IntegrityError:  # another replica seeded it at the same moment
        stored = await get_token(session, provider)
        assert stored is not None
        return stored, False
    _remember(session, provider, mark, now)
    return TokenPair(
        provider, access_token, refresh_token, access_expires_at, refresh_expires_at, 1
    ), True


async def _seeded(session: AsyncSession, provider: str) -> set[str]:
    rows = await session.scalars(
        select(AuditLog.detail).where(
            AuditLog.action == SEED_ACTION, AuditLog.target == f"oauth:{provider}"
        )
    )
    return {str(d.get("fingerprint")) for d in rows if isinstance(d, dict)}


def _remember(session: AsyncSession, provider: str, mark: str, now: datetime) -> None:
    audit(
        session,
        actor_id=None,
        action=SEED_ACTION,
        target=f"oauth:{provider}",
        detail={"fingerprint": mark},
        now=now,
    )


class LockedToken:
    """A provider's pair read under `lock_token`, rotated within the same transaction."""

    def __init__(self, session: AsyncSession, provider: str, pair: TokenPair | None) -> None:
        self._session = session
        self._provider = provider
        self.pair = pair

    async def rotate(
        self,
        *,
        access_token: str,
        refresh_token: str,
        access_expires_at: datetime,
        refresh_expires_at: datetime | None,
        now: datetime,
    ) -> TokenPair | None:
        """Replace the locked pair (see `rotate_token`); None if it changed meanwhile."""
        if self.pair is None:
            return None
        return await rotate_token(
            self._session,
            self._provider,
            expected_version=self.pair.version,
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=access_expires_at,
            refresh_expires_at=refresh_expires_at,
            now=now,
        )


class DatabaseTokenStore:
    """One provider's pair in `oauth_tokens`, each call in a transaction of its own.

    Args:
        sessionmaker: Database sessions.
        provider: Row key in `oauth_tokens` (the channel's `PROVIDER`).
    """

    def __init__(self, sessionmaker: SessionMaker, provider: str) -> None:
        self._sessionmaker = sessionmaker
        self._provider = provider

    async def get(self) -> TokenPair | None:
        """The stored pair, read fresh (None if none)."""
        async with self._sessionmaker() as s:
            return await get_token(s, self._provider)

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[LockedToken]:
        """Hold the pair's write lock (`lock_token`) for the block; commit when it ends."""
        async with self._sessionmaker() as s, s.begin():
            yield LockedToken(s, self._provider, await lock_token(s, self._provider))

    async def seed(
        self,
        *,
        access_token: str,
        refresh_token: str,
        access_expires_at: datetime,
        refresh_expires_at: datetime | None,
        now: datetime,
    ) -> tuple[TokenPair, bool]:
        """Install a configured pair unless it was installed before (see `seed_token`)."""
        async with self._sessionmaker() as s, s.begin():
            return await seed_token(
                s,
                self._provider,
                access_token=access_token,
                refresh_token=refresh_token,
                access_expires_at=access_expires_at,
                refresh_expires_at=refresh_expires_at,
                now=now,
            )
