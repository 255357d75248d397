"""Group chats and the units they are linked to (`Chat` and `ChatUnit` rows).

Data functions take the session first and never commit. Linking and unlinking themselves, with
their audit rows, are actions (store.actions.groups); these are the queries they are made of.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from store.db import Session
from store.models import Chat, ChatUnit, Unit


async def find_chat(session: Session, channel: str, chat_id: str) -> Chat | None:
    """The group chat with this id on `channel` (active or not), or None."""
    return await session.scalar(
        select(Chat).where(Chat.channel == channel, Chat.chat_id == chat_id)
    )


async def get_or_create_chat(session: Session, channel: str, chat_id: str) -> Chat:
    """The group chat with this id, created (active, untitled) when it is new."""
    chat = await find_chat(session, channel, chat_id)
    if chat is None:
        chat = Chat(channel=channel, chat_id=chat_id, title="", active=True)
        session.add(chat)
        await session.flush()
    return chat


async def linked_unit_ids(session: Session, chat_pk: int) -> list[int]:
    """Ids of the units a chat (by `Chat.id`) is linked to, whether it is active or not."""
    return list(await session.scalars(select(ChatUnit.unit_id).where(ChatUnit.chat_pk == chat_pk)))


async def linked_units(session: Session, channel: str, chat_id: str) -> list[Unit]:
    """Units an active group chat is linked to, by name (none for an unknown or removed one)."""
    return list(
        await session.scalars(
            select(Unit)
            .join(ChatUnit, ChatUnit.unit_id == Unit.id)
            .join(Chat, Chat.id == ChatUnit.chat_pk)
            .where(Chat.channel == channel, Chat.chat_id == chat_id, Chat.active.is_(True))
            .order_by(Unit.name)
        )
    )


def add_link(session: Session, chat_pk: int, unit_id: int) -> None:
    """Link a chat to a unit (the caller knows it is not linked yet)."""
    session.add(ChatUnit(chat_pk=chat_pk, unit_id=unit_id))


async def remove_link(session: Session, chat_pk: int, unit_id: int) -> bool:
    """Unlink a chat from a unit; False when it was not linked."""
    result = await session.execute(
        delete(ChatUnit).where(ChatUnit.chat_pk == chat_pk, ChatUnit.unit_id == unit_id)
    )
    return bool(result.rowcount)


async def count_links(session: Session, chat_pk: int) -> int:
    """How many units a chat is linked to."""
    n = await session.scalar(
        select(func.count()).select_from(ChatUnit).where(ChatUnit.chat_pk == chat_pk)
    )
    return n or 0


async def clear_links(session: Session, chat_pk: int) -> list[int]:
    """Unlink a chat from every unit; the ids it was linked to."""
    units = await linked_unit_ids(session, chat_pk)
    await session.execute(delete(ChatUnit).where(ChatUnit.chat_pk == chat_pk))
    return units
