"""Sign-in to the web app: one-time links, used Mini App `initData`, and browser sessions.

Secrets are random (256 bits) and only their SHA-256 is stored, so a copy of the database
signs nobody in. "Single use" is a conditional UPDATE (link) or a primary-key INSERT
(`initData`) in the shared database, so it holds across replicas. Data functions take the
session first and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import WebSession, WebToken

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)


def digest(secret: str) -> str:
    """The stored form of a secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True, slots=True)
class Grant:
    """Who a consumed link or a live session stands for."""

    user_id: int
    identity_id: int | None
    chat_pk: int | None


async def create_link_token(
    session: AsyncSession,
    *,
    user_id: int,
    identity_id: int | None,
    chat_pk: int | None,
    now: datetime,
    ttl: timedelta = LINK_TTL,
) -> str:
    """Store a new one-time sign-in token and return its secret (for the link)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        WebToken(
            key=digest(secret),
            purpose="link",
            user_id=user_id,
            identity_id=identity_id,
            chat_pk=chat_pk,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.flush()
    return secret


async def peek_link_token(session: AsyncSession, secret: str, now: datetime) -> bool:
    """Whether a link token is still usable (unused, unexpired), without using it."""
    key = await session.scalar(
        select(WebToken.key).where(
            WebToken.key == digest(secret),
            WebToken.purpose == "link",
            WebToken.used_at.is_(None),
            WebToken.expires_at > now,
        )
    )
    return key is not None


async def consume_link_token(session: AsyncSession, secret: str, now: datetime) -> Grant | None:
    """Use a one-time link token: its grant the first time, None ever after or once expired."""
    key = digest(secret)
    result = await session.execute(
        update(WebToken)
        .where(
            WebToken.key == key,
            WebToken.purpose == "link",
            WebToken.used_at.is_(None),
            WebToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    row = await session.get(WebToken, key)
    if row is None or row.user_id is None:
        return None
    return Grant(row.user_id, row.identity_id, row.chat_pk)


async def claim_init_data(
    session: AsyncSession, init_hash: str, *, now: datetime, expires_at: datetime
) -> bool:
    """Record a verified `initData` as used; False when it was used before (a replay)."""
    try:
        async with session.begin_nested():
            session.add(
                WebToken(
                    key=digest("initdata:" + init_hash),
                    purpose="initdata",
                    created_at=now,
                    expires_at=expires_at,
                    used_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def create_session(
    session: AsyncSession,
    grant: Grant,
    *,
    via: str,
    now: datetime,
    ttl: timedelta = SESSION_TTL,
) -> str:
    """Open a browser session for a grant; returns the secret the cookie carries."""
    secret = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            key=digest(secret),
            user_id=grant.user_id,
            identity_id=grant.identity_id,
            chat_pk=grant.chat_pk,
            via=via,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.flush()
    return secret


async def load_session(session: AsyncSession, secret: str, now: datetime) -> Grant | None:
    """The grant of a live session (not expired, not signed out), else None."""
    row = await session.scalar(
        select(WebSession).where(
            WebSession.key == digest(secret),
            WebSession.expires_at > now,
            WebSession.revoked_at.is_(None),
        )
    )
    if row is None:
        return None
    return Grant(row.user_id, row.identity_id, row.chat_pk)


async def revoke_session(session: AsyncSession, secret: str, now: datetime) -> None:
    """Sign a browser session out."""
    await session.execute(
        update(WebSession)
        .where(WebSession.key == digest(secret), WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete expired tokens and sessions (a used `initData` is kept until it expires)."""
    a = await session.execute(delete(WebToken).where(WebToken.expires_at <= now))
    b = await session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    return int(a.rowcount or 0) + int(b.rowcount or 0)
