"""One person across channels: their accounts (`Identity` rows), merging two people into one,
and finding admins' accounts to tell them something.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from store.db import Session
from store.models import Base, Identity, User, UserRole

logger = logging.getLogger(__name__)

_RANK = {UserRole.OFFICER: 0, UserRole.HEAD: 1, UserRole.ADMIN: 2}


async def user_with_identities(session: Session, user_id: int) -> User | None:
    """The user with this id, their accounts and their unit loaded; None if there is none."""
    return await session.scalar(
        select(User)
        .where(User.id == user_id)
        .options(selectinload(User.identities), selectinload(User.unit))
    )


async def is_reachable(session: Session, user_id: int, channel: str) -> bool | None:
    """Whether the person's account on `channel` can be reached; None if they have none."""
    return await session.scalar(
        select(Identity.reachable).where(Identity.user_id == user_id, Identity.channel == channel)
    )


async def identity_with_user(session: Session, channel: str, external_id: str) -> Identity | None:
    """The account `external_id` on `channel`, with its user loaded, or None."""
    return await session.scalar(
        select(Identity)
        .where(Identity.channel == channel, Identity.external_id == external_id)
        .options(selectinload(Identity.user))
    )


async def reachable_admin_identities(session: Session) -> list[Identity]:
    """The reachable accounts of active users with the admin role, each with its user loaded."""
    rows = await session.scalars(
        select(Identity)
        .join(User, User.id == Identity.user_id)
        .where(User.role == UserRole.ADMIN, User.active.is_(True), Identity.reachable.is_(True))
        .options(selectinload(Identity.user))
    )
    return list(rows)


async def merge_users(session: Session, keep: User, drop: User) -> None:
    """Make `drop`'s accounts and history `keep`'s, then delete `drop`.

    Both users need their accounts and unit loaded (`user_with_identities`). Every foreign key
    to users (reports, audit log, deliveries, invites, ...) is moved, found from the schema so
    a table added later is not forgotten.
    """
    for identity in list(drop.identities):
        identity.user = keep
    keep.unit_id = keep.unit_id or drop.unit_id
    if keep.unit is None and drop.unit is not None:
        keep.unit = drop.unit
    keep.role = max(keep.role, drop.role, key=lambda r: _RANK[r])
    keep.locale = keep.locale or drop.locale
    keep.name = keep.name or drop.name
    keep.active = keep.active and drop.active
    keep.preferred_channel = keep.preferred_channel or drop.preferred_channel
    await session.flush()
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == User.__tablename__ and table.name != "identities":
                await session.execute(
                    update(table).where(fk.parent == drop.id).values({fk.parent.name: keep.id})
                )
    await session.delete(drop)
    await session.flush()
    logger.info("user %s merged into user %s", drop.id, keep.id)
