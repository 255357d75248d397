"""Officials and their channel identities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import Identity, Unit, User, UserRole


async def find_identity(session: AsyncSession, channel: str, external_id: str) -> Identity | None:
    """The identity of a channel account, with its user and unit loaded."""
    return await session.scalar(
        select(Identity)
        .where(Identity.channel == channel, Identity.external_id == external_id)
        .options(selectinload(Identity.user).selectinload(User.unit))
    )


async def ensure_identity(
    session: AsyncSession,
    *,
    channel: str,
    external_id: str,
    chat_id: str,
    name: str,
    now: datetime,
) -> Identity:
    """Get or create the identity (and its user) of a channel account that wrote to us."""
    identity = await find_identity(session, channel, external_id)
    if identity is None:
        user = User(name=name, preferred_channel=channel, role=UserRole.OFFICER)
        identity = Identity(
            user=user, channel=channel, external_id=external_id, chat_id=chat_id, last_seen_at=now
        )
        session.add(identity)
        await session.flush()
        # Mark the relationship as loaded (empty): a lazy load here would be IO in async code.
        user.unit = None
        return identity
    identity.last_seen_at = now
    # A user who writes again can be reached again (they may have unblocked the bot).
    identity.reachable = True
    if chat_id and identity.chat_id != chat_id:
        identity.chat_id = chat_id
    if name and not identity.user.name:
        identity.user.name = name
    return identity


async def link_user(session: AsyncSession, user: User, unit: Unit, role: UserRole) -> None:
    """Link a user to a unit with a role (an admin stays admin)."""
    user.unit = unit
    user.unit_id = unit.id
    if user.role != UserRole.ADMIN:
        user.role = role


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    """The user with this id, or None."""
    return await session.get(User, user_id)
