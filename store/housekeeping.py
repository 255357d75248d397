"""Purging rows that only matter for a while: processed-message marks and expired flows.

Each call deletes at most `limit` rows, so a caller can run it in short transactions until
nothing is left (a long DELETE would hold SQLite's write lock while chat messages wait). The
statements bind a cut-off and a limit, never a list of keys, whatever the table holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, ProcessedMessage


async def purge_processed(session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete up to `limit` processed-message marks created before `before`; return how many.

    A mark only guards against a platform delivering the same update twice, which happens
    within minutes (Telegram keeps undelivered updates for 24 hours at most).
    """
    oldest = (
        select(ProcessedMessage.key)
        .where(ProcessedMessage.created_at < before)
        .order_by(ProcessedMessage.created_at)
        .limit(limit)
    )
    result = await session.execute(
        delete(ProcessedMessage)
        .where(ProcessedMessage.key.in_(oldest.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def purge_conversations(session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete up to `limit` flows that expired before `before`; return how many.

    An expired flow is never resumed (`get_flow` treats it as gone); the row only lingers when
    its participant never wrote again.
    """
    oldest = (
        select(Conversation.key)
        .where(Conversation.expires_at < before)
        .order_by(Conversation.expires_at)
        .limit(limit)
    )
    result = await session.execute(
        delete(Conversation)
        .where(Conversation.key.in_(oldest.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def table_sizes(session: AsyncSession) -> dict[str, int]:
    """Rows in the tables housekeeping keeps small (for its log line and the tests)."""
    processed = await session.scalar(select(func.count()).select_from(ProcessedMessage))
    flows = await session.scalar(select(func.count()).select_from(Conversation))
    return {"processed_messages": int(processed or 0), "conversations": int(flows or 0)}
