"""Invite codes: how an official links their chat account to a unit."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import Invite, UserRole

# No 0/O, 1/I/L: codes are read aloud over the phone and typed on small keyboards.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class InviteError(enum.StrEnum):
    NOT_FOUND = "not_found"
    EXPIRED = "expired"
    USED_UP = "used_up"


def new_code(length: int = 8) -> str:
    """A random invite code that is easy to read and type."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


async def create_invite(
    session: AsyncSession,
    *,
    unit_id: int,
    role: UserRole,
    now: datetime,
    ttl: timedelta = timedelta(days=14),
    max_uses: int = 1,
    created_by: int | None = None,
) -> Invite:
    """Create an invite for a unit and role."""
    invite = Invite(
        code=new_code(),
        unit_id=unit_id,
        role=role,
        expires_at=now + ttl,
        max_uses=max_uses,
        created_by=created_by,
    )
    session.add(invite)
    await session.flush()
    return invite


async def redeem_invite(session: AsyncSession, code: str, now: datetime) -> Invite | InviteError:
    """Use up one use of an invite; returns the invite or why it cannot be used."""
    code = code.strip().upper()
    invite = await session.scalar(
        select(Invite).where(Invite.code == code).options(selectinload(Invite.unit))
    )
    if invite is None:
        return InviteError.NOT_FOUND
    if invite.expires_at is not None and invite.expires_at < now:
        return InviteError.EXPIRED
    # Conditional update: two people racing for the last use cannot both get it.
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses < Invite.max_uses)
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return InviteError.USED_UP
    invite.uses += 1
    return invite
