"""What a job queued, read back for the operator (`nhacviec remind|digest --show`).

Deliveries are found by their key prefix (`reminder:2025-07-15:`), so the statements bind one
prefix whatever the run queued; the messages come back in the order they were queued.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Chat, ChatUnit, Delivery, User


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """One delivery: who it is for (a person's or a group's name) and what it says."""

    channel: str
    chat_id: str
    recipient: str
    status: str
    payload: dict


async def count_by_status(session: AsyncSession, prefix: str) -> dict[str, int]:
    """Deliveries whose key starts with `prefix`, counted by status."""
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.key.startswith(prefix, autoescape=True))
        .group_by(Delivery.status)
    )
    return {status.value: n for status, n in rows.all()}


async def queued_messages(
    session: AsyncSession, prefix: str, *, chunk: int = 500
) -> AsyncIterator[QueuedMessage]:
    """The deliveries whose key starts with `prefix`, oldest first, read `chunk` at a time."""
    stmt = (
        select(Delivery, User.name, Chat.title)
        .outerjoin(User, User.id == Delivery.user_id)
        .outerjoin(Chat, and_(Chat.channel == Delivery.channel, Chat.chat_id == Delivery.chat_id))
        .where(Delivery.key.startswith(prefix, autoescape=True))
        .order_by(Delivery.id)
        .execution_options(yield_per=chunk)
    )
    result = await session.stream(stmt)
    async for delivery, user_name, chat_title in result:
        yield QueuedMessage(
            channel=delivery.channel,
            chat_id=delivery.chat_id,
            recipient=user_name or chat_title or "",
            status=delivery.status.value,
            payload=dict(delivery.payload or {}),
        )


async def linked_group_count(session: AsyncSession) -> int:
    """Active group chats linked to at least one unit (the digest's possible readers)."""
    linked = select(ChatUnit.chat_pk).distinct().subquery()
    found = await session.scalar(
        select(func.count())
        .select_from(Chat)
        .join(linked, linked.c.chat_pk == Chat.id)
        .where(Chat.active.is_(True))
    )
    return int(found or 0)


async def linked_official_count(session: AsyncSession) -> int:
    """Active officials linked to a unit (the reminder's possible readers)."""
    found = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.active.is_(True), User.unit_id.is_not(None))
    )
    return int(found or 0)
