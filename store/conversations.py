"""State of multi-step flows, kept in the database so it survives restarts and replicas."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ChatChoices, Conversation, Delivery, DeliveryStatus


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


# --- numbered choices -----------------------------------------------------------------------
# Channels without buttons (Zalo, the console) show a reply's buttons as `1. label` lines. The
# last set shown in a chat is kept here, so an answer `2` means the same after a restart and
# on any replica; the dispatcher turns it into the button press.


async def remember_choices(
    session: AsyncSession, key: str, buttons: list[tuple[str, str]], now: datetime
) -> None:
    """Keep the numbered choices just shown in a chat (an empty list: none are shown now)."""
    row = await session.get(ChatChoices, key)
    data = [[label, payload] for label, payload in buttons]
    if row is None and not data:
        return  # nothing shown before, nothing now: no write
    if row is None:
        session.add(ChatChoices(key=key, buttons=data, shown_at=now))
    else:
        row.buttons = data
        row.shown_at = now


async def recall_choice(
    session: AsyncSession, key: str, number: int, now: datetime, ttl: timedelta
) -> str | None:
    """The button payload behind choice `number` shown in a chat within `ttl`, else None."""
    row = await session.get(ChatChoices, key)
    if row is None or row.shown_at < now - ttl:
        return None
    if 1 <= number <= len(row.buttons):
        return str(row.buttons[number - 1][1])
    return None


async def last_pushed_buttons(
    session: AsyncSession, channel: str, chat_id: str, after: datetime
) -> list[tuple[str, str]] | None:
    """Buttons of the newest push the outbox delivered to a chat after `after`, if any.

    Reminders and broadcasts reach a chat through the outbox, not as replies; their numbered
    choices are read back from the delivered row. None when nothing was delivered since.
    """
    payload = await session.scalar(
        select(Delivery.payload)
        .where(
            Delivery.channel == channel,
            Delivery.chat_id == chat_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.sent_at > after,
        )
        .order_by(Delivery.sent_at.desc(), Delivery.id.desc())
        .limit(1)
    )
    if payload is None:
        return None
    rows = payload.get("buttons", []) if isinstance(payload, dict) else []
    return [(str(b[0]), str(b[1])) for row in rows for b in row if len(b) == 2]


async def choices_shown_at(session: AsyncSession, key: str) -> datetime | None:
    """When the numbered choices kept for a chat were shown (None if none are kept)."""
    row = await session.get(ChatChoices, key)
    return row.shown_at if row is not None else None
