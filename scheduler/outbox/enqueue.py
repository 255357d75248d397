"""Putting deliveries into the outbox: one push, or many in bulk, each key at most once.

Every insert is INSERT ... ON CONFLICT (key) DO NOTHING: the idempotency key (for example
`reminder:2025-07-15:user42`) makes a repeat, or two jobs or replicas queuing the same push at
once, insert one row. Data functions: they take the session first and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.types import Address, Outgoing
from scheduler.outbox.store import dialect_insert, require_aware
from store.models import Delivery, DeliveryStatus

# Rows per statement: 12 parameters each, far below both databases' limit of 32,766.
BATCH = 500


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


async def enqueue_rows(
    session: AsyncSession, rows: Sequence[Mapping[str, Any]], *, batch: int = BATCH
) -> set[str]:
    """Insert many deliveries, skipping keys already queued; the bulk form of `enqueue`.

    One INSERT ... ON CONFLICT (key) DO NOTHING RETURNING per `batch` rows: queuing the 16:00
    reminder for 10,000 officials one statement at a time kept the job's transaction (and, on
    SQLite, the write lock) open for 15–20 s.

    Args:
        session: The caller's session (not committed here).
        rows: Column values from `delivery_row`.
        batch: Rows per statement.

    Returns:
        The keys inserted by this call.
    """
    stmt = (
        dialect_insert(session)(Delivery)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Delivery.key)
    )
    inserted: set[str] = set()
    for start in range(0, len(rows), batch):
        result = await session.execute(stmt, rows[start : start + batch])
        inserted.update(result.scalars())
    return inserted


async def enqueue(
    session: AsyncSession,
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
