"""Messages already handled: one row per chat message, so a redelivery is handled once."""

from __future__ import annotations

from datetime import datetime

from store.db import Session
from store.models import ProcessedMessage


async def seen_before(session: Session, key: str, now: datetime) -> bool:
    """Whether the message `key` was handled before; if not, mark it handled now.

    The mark is flushed in the caller's transaction, next to what handling the message
    changes: a concurrent delivery of the same message fails on the key at commit.
    """
    if await session.get(ProcessedMessage, key) is not None:
        return True
    session.add(ProcessedMessage(key=key, created_at=now))
    await session.flush()
    return False
