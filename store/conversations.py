"""State of multi-step flows, kept in the database so it survives restarts and replicas."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation


async def get_flow(
    session: AsyncSession, key: str, now: datetime
) -> tuple[str, dict[str, Any]] | None:
    """The active flow and its data for a participant, or None (expired flows are gone)."""
    row = await session.get(Conversation, key)
    if row is None:
        return None
    if row.expires_at < now:
        await session.delete(row)
        return None
    return row.flow, dict(row.data)


async def set_flow(
    session: AsyncSession,
    key: str,
    flow: str,
    data: dict[str, Any],
    now: datetime,
    ttl: timedelta = timedelta(minutes=30),
) -> None:
    """Start or advance a flow."""
    row = await session.get(Conversation, key)
    if row is None:
        session.add(Conversation(key=key, flow=flow, data=data, expires_at=now + ttl))
    else:
        row.flow = flow
        row.data = data
        row.expires_at = now + ttl


async def clear_flow(session: AsyncSession, key: str) -> None:
    """End any flow of a participant."""
    await session.execute(delete(Conversation).where(Conversation.key == key))
