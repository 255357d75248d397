"""Zalo OA's messaging window: whether the OA may message a person now, and if not, why.

Zalo lets an OA send consultation messages to a person only after that person wrote to it: a
few free messages within a while of their last message; after that, until a hard limit, only
from a paid quota; after it not at all (error -230). What the database knows decides: the
person's last message (`Identity.last_seen_at`, updated by the dispatcher on every message) and
the pushes sent to them since (`Delivery` rows). Replies sent straight after a message are not
counted, so the API can still refuse first.

The channel declares the rules (`bot.channels.zalo_oa.window.WindowPolicy`); the outbox checks
them here before each send (`scheduler.outbox.send`), so a refusal is recorded on the row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select

from store.db import Session
from store.models import Delivery, DeliveryStatus, Identity


class WindowRules(Protocol):
    """An OA's sending rules (the channel's `WindowPolicy` has this shape)."""

    @property
    def free_window(self) -> timedelta:
        """How long after a person's message free messages are allowed."""
        ...

    @property
    def free_messages(self) -> int:
        """How many free messages fit in that window."""
        ...

    @property
    def hard_window(self) -> timedelta:
        """After this long without a message nothing can be sent."""
        ...

    @property
    def paid(self) -> bool:
        """Whether a paid quota covers messages between the two windows."""
        ...


async def window_refusal(
    session: Session, rules: WindowRules, *, channel: str, chat_id: str, now: datetime
) -> str | None:
    """None if the OA may message `chat_id` on `channel` now, else why not (in English)."""
    last_seen = await session.scalar(
        select(Identity.last_seen_at).where(
            Identity.channel == channel, Identity.chat_id == chat_id
        )
    )
    if last_seen is None:
        return "the user has never written to the OA"
    quiet = now - last_seen
    if quiet > rules.hard_window:
        return (
            f"no message from the user for {quiet.days} days "
            f"(Zalo refuses after {rules.hard_window.days})"
        )
    if rules.paid:
        return None
    free_hours = int(rules.free_window.total_seconds() // 3600)
    if quiet > rules.free_window:
        hours = int(quiet.total_seconds() // 3600)
        return f"last message from the user {hours} h ago; free messages end after {free_hours} h"
    sent = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.chat_id == chat_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.sent_at >= last_seen,
        )
    )
    if (sent or 0) >= rules.free_messages:
        return (
            f"{sent} messages already sent since the user's last message "
            f"({rules.free_messages} free within {free_hours} h)"
        )
    return None
