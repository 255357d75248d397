"""Pushes that did not reach their recipient, and whether the person was told about them.

The outbox records a refused push (a closed messaging window, a blocked bot) on its `Delivery`
row as unreachable or failed; the conversation tells the person the next time they write, and
marks each row as told (a `TOLD_KEY` key in its payload, next to the outbox's own `_timeouts`
key) so it is mentioned once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from store.db import Session
from store.models import Delivery, DeliveryStatus

TOLD_KEY = "_told_at"


async def untold(session: Session, user_id: int, since: datetime) -> list[Delivery]:
    """Pushes to a person since `since` that were not delivered and not yet told about.

    Timeouts are left out: such a message may well have arrived.
    """
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.user_id == user_id,
            Delivery.status.in_([DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED]),
            Delivery.created_at >= since,
        )
        .order_by(Delivery.created_at, Delivery.id)
    )
    return [
        r
        for r in rows
        if not (r.payload or {}).get(TOLD_KEY) and not (r.last_error or "").startswith("timeout")
    ]


def mark_told(rows: list[Delivery], now: datetime) -> None:
    """Mark the rows as told, so the person hears about each of them once."""
    for row in rows:
        # A new dict, so the JSON column is seen as changed.
        row.payload = {**(row.payload or {}), TOLD_KEY: now.isoformat()}
