"""Group chats linked to units, as the channels' wiring asks about them (`Chat` rows)."""

from __future__ import annotations

from sqlalchemy import select

from store.db import Session
from store.models import Chat


async def is_linked_group(session: Session, channel: str, chat_id: str) -> bool:
    """True if a group chat with this id on `channel` was linked (a `Chat` row exists)."""
    found = await session.scalar(
        select(Chat.id).where(Chat.channel == channel, Chat.chat_id == chat_id)
    )
    return found is not None
