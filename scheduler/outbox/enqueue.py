"""Putting deliveries into the outbox: one push, or many in bulk, each key at most once.

The rows are built here and inserted by `store.outbox.enqueue_rows` (INSERT ... ON CONFLICT
(key) DO NOTHING): the idempotency key (for example `reminder:2025-07-15:user42`) makes a
repeat, or two jobs or replicas queuing the same push at once, insert one row. Functions that
write take the session first and never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.types import Address, Outgoing
from store.db import Session
from store.models import DeliveryStatus
from store.outbox import BATCH, enqueue_rows, require_aware

__all__ = ["BATCH", "delivery_row", "enqueue", "enqueue_rows"]


def delivery_row(
    *,
    key: str,
    kind: str,
    address: Address,
    payload: dict[str, Any],
    user_id: int | None,
    now: datetime,
    status: DeliveryStatus = DeliveryStatus.PENDING,
    last_error: str | None = None,
    broadcast_id: int | None = None,
) -> dict[str, Any]:
    """The column values of a new delivery, due at once; for `enqueue_rows`.

    Raises:
        ValueError: `now` is naive (the models store UTC and would refuse it later).

    Args:
        key: Idempotency key, e.g. `reminder:2025-07-15:user42`.
        kind: What the push is (`reminder`, `digest`...), for reporting.
        address: Channel and chat to send to.
        payload: The message as `Outgoing.to_payload()` gives it (copies may share one).
        user_id: The recipient official, if the chat is a person.
        now: Current time (timezone-aware).
        status: PENDING, or UNREACHABLE for a recipient recorded but not sent to.
        last_error: Why an UNREACHABLE row is not sent.
        broadcast_id: The broadcast the row is a copy of.
    """
    require_aware(now)
    return {
        "key": key,
        "kind": kind,
        "channel": address.channel,
        "chat_id": address.chat_id,
        "user_id": user_id,
        "payload": payload,
        "status": status,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": last_error,
        "broadcast_id": broadcast_id,
    }


async def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    address: Address,
    outgoing: Outgoing,
    user_id: int | None,
    now: datetime,
) -> bool:
    """Queue one push unless a push with the same idempotency key exists.

    Race-safe: INSERT ... ON CONFLICT (key) DO NOTHING, so two jobs (or two replicas)
    enqueueing the same key at once insert one row.

    Args:
        session: The caller's session (not committed here).
        key: Idempotency key, e.g. `reminder:2025-07-15:user42`.
        kind: What the push is (`reminder`, `digest`...), for reporting.
        address: Channel and chat to send to.
        outgoing: The message; attachments are stored inline, so keep them small.
        user_id: The recipient official, if the chat is a person.
        now: Current time (timezone-aware); the row is due at once.

    Returns:
        True if a row was inserted, False if the key was already queued.
    """
    row = delivery_row(
        key=key,
        kind=kind,
        address=address,
        payload=outgoing.to_payload(),
        user_id=user_id,
        now=now,
    )
    return bool(await enqueue_rows(session, [row]))
