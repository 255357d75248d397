"""The units a group chat sees: the ones it is linked to, read on every message in a group."""

from __future__ import annotations

from sqlalchemy import select

from store.db import Session
from store.models import Chat, ChatUnit


async def group_unit_ids(session: Session, channel: str, chat_id: str) -> list[int]:
    """Units an active group chat is linked to (empty for an unknown or removed group)."""
    rows = await session.scalars(
        select(ChatUnit.unit_id)
        .join(Chat, Chat.id == ChatUnit.chat_pk)
        .where(Chat.channel == channel, Chat.chat_id == chat_id, Chat.active.is_(True))
    )
    return sorted(set(rows))
