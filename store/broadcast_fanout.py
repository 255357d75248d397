"""The broadcast fan-out's reads and claims: who a broadcast reaches, which ones to start or end.

Data functions take the session first and never commit. The fan-out itself (one rendered
`Delivery` per recipient) is scheduler.broadcasts. A broadcast goes `queued` → `sending` →
`done`, each step a conditional UPDATE, so two replicas cannot both take the same step.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.broadcasts import DONE, QUEUED, SENDING, target_chats, target_users
from store.models import Broadcast, Chat, Delivery, DeliveryStatus, User


async def target_officials(session: AsyncSession, targets: dict[str, Any]) -> list[User] | None:
    """The officials a broadcast's targets name, accounts loaded (None when it targets groups)."""
    stmt = target_users(targets)
    if stmt is None:
        return None
    return list(await session.scalars(stmt.options(selectinload(User.identities))))


async def target_groups(session: AsyncSession, targets: dict[str, Any]) -> list[Chat] | None:
    """The group chats a broadcast's targets name (None when it targets people)."""
    stmt = target_chats(targets)
    if stmt is None:
        return None
    return list(await session.scalars(stmt))


async def queued_ids(session: AsyncSession) -> list[int]:
    """Ids of the broadcasts waiting for their fan-out, oldest first."""
    stmt = select(Broadcast.id).where(Broadcast.status == QUEUED).order_by(Broadcast.id)
    return list(await session.scalars(stmt))


async def claim_queued(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    """Take a queued broadcast for the fan-out (`queued` → `sending`); None if another did."""
    claimed = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == QUEUED)
        .values(status=SENDING)
        .returning(Broadcast.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.first() is None:
        return None
    return await session.get(Broadcast, broadcast_id)


async def finished_ids(session: AsyncSession) -> list[int]:
    """Ids of the broadcasts being sent that have no delivery left pending or in flight."""
    open_rows = exists().where(
        Delivery.broadcast_id == Broadcast.id,
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
    )
    stmt = select(Broadcast.id).where(Broadcast.status == SENDING, ~open_rows)
    return list(await session.scalars(stmt))


async def mark_done(session: AsyncSession, broadcast_id: int, *, now: datetime) -> bool:
    """Mark a broadcast being sent `done` at `now`; False if another process already did."""
    marked = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == SENDING)
        .values(status=DONE, sent_at=now)
        .returning(Broadcast.id)
        .execution_options(synchronize_session=False)
    )
    return marked.first() is not None


async def official_with_accounts(session: AsyncSession, user_id: int) -> User | None:
    """One official with their chat accounts loaded (a broadcast's author, for the report)."""
    return await session.scalar(
        select(User).where(User.id == user_id).options(selectinload(User.identities))
    )
