"""The outbox in the database: queue deliveries, claim them under a lease, record outcomes.

Data functions take the session first and never commit; the caller owns the transaction.

Every insert is INSERT ... ON CONFLICT (key) DO NOTHING: the idempotency key (for example
`reminder:2025-07-15:user42`) makes a repeat, or two jobs or replicas queuing the same push at
once, insert one row.

A claimed row is `sending`, and while it is, `next_attempt_at` holds its lease expiry and
`lease_owner` the dispatcher holding it. The lease is short and its owner renews it while it
lives (`renew_leases`), so a row left `sending` by a crashed dispatcher becomes due again within
seconds; at start-up, rows of dead processes on this host are freed at once (`free_leases_of`).
Each claim increments `attempts`, and every later write for that claim is a conditional UPDATE
on (id, status='sending', attempts): the attempt number is the claim's fencing token, so a
worker whose lease was taken over can no longer change the row.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import dialect_insert, dialect_name
from store.models import Chat, Delivery, DeliveryStatus, Identity

logger = logging.getLogger(__name__)

_DUE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# Rows per statement: 12 parameters each, far below both databases' limit of 32,766.
BATCH = 500


def require_aware(now: datetime) -> None:
    """Reject a naive datetime (the models store UTC and would refuse it later, less clearly)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime given to the outbox")


async def enqueue_rows(
    session: AsyncSession, rows: Sequence[Mapping[str, Any]], *, batch: int = BATCH
) -> set[str]:
    """Insert many deliveries, skipping keys already queued.

    One INSERT ... ON CONFLICT (key) DO NOTHING RETURNING per `batch` rows: queuing the 16:00
    reminder for 10,000 officials one statement at a time kept the job's transaction (and, on
    SQLite, the write lock) open for 15–20 s.

    Args:
        session: The caller's session (not committed here).
        rows: Column values from `scheduler.outbox.enqueue.delivery_row`.
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


async def next_due(
    session: AsyncSession, prefix: str, channels: Collection[str]
) -> datetime | None:
    """When the next pending or leased row whose key starts with `prefix` falls due, if any."""
    return await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(
            Delivery.key.startswith(prefix, autoescape=True),
            Delivery.status.in_(_DUE),
            Delivery.channel.in_(list(channels)),
        )
    )


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this dispatcher holds: send it before `lease_until`, report with `attempts`."""

    id: int
    key: str
    channel: str
    chat_id: str
    payload: dict[str, Any]
    attempts: int
    lease_until: datetime
    priority: int = 0


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    channels: Collection[str],
    owner: str | None = None,
) -> list[Claimed]:
    """Claim up to `limit` due rows: pending ones, and `sending` ones whose lease ran out.

    PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so parallel dispatchers take disjoint rows
    without waiting for each other. SQLite: one UPDATE ... WHERE id IN (SELECT ...) statement,
    made atomic by the database write lock (SQLite means a single process anyway).

    Args:
        session: The caller's session; commit soon, the claim holds row locks until then.
        now: Current time (timezone-aware).
        lease: How long the claim is exclusive.
        limit: Maximum number of rows.
        channels: Only rows for these channels (the ones this dispatcher can send on).
        owner: Who holds the lease (renewed with `renew_leases`).

    Returns:
        The claimed rows, highest priority first, then oldest first.
    """
    require_aware(now)
    lease_until = now + lease
    due = (
        select(Delivery.id)
        .where(
            Delivery.status.in_(_DUE),
            Delivery.next_attempt_at <= now,
            Delivery.channel.in_(list(channels)),
        )
        # Among due rows, the oldest queued first (not the earliest due): a row taken over
        # from a crashed dispatcher became due late but was queued before the rest.
        .order_by(Delivery.priority.desc(), Delivery.id)
        .limit(limit)
    )
    if dialect_name(session) == "postgresql":
        ids = list((await session.execute(due.with_for_update(skip_locked=True))).scalars())
        if not ids:
            return []
        target = Delivery.id.in_(ids)
    else:
        target = Delivery.id.in_(due.scalar_subquery())
    stmt = (
        update(Delivery)
        .where(target, Delivery.status.in_(_DUE))
        .values(
            status=DeliveryStatus.SENDING,
            next_attempt_at=lease_until,
            attempts=Delivery.attempts + 1,
            lease_owner=owner,
        )
        .returning(
            Delivery.id,
            Delivery.key,
            Delivery.channel,
            Delivery.chat_id,
            Delivery.payload,
            Delivery.attempts,
            Delivery.priority,
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(stmt)).all()
    claimed = [Claimed(*row[:6], lease_until=lease_until, priority=row[6]) for row in rows]
    claimed.sort(key=lambda c: (-c.priority, c.id))
    return claimed


async def renew_leases(session: AsyncSession, *, owner: str, until: datetime) -> int:
    """Extend every lease `owner` holds to `until`; returns how many rows it holds."""
    require_aware(until)
    held = select(Delivery.id).where(
        Delivery.status == DeliveryStatus.SENDING, Delivery.lease_owner == owner
    )
    if dialect_name(session) == "postgresql":
        # Rows a concurrent write of outcomes holds are being settled anyway; locking them in
        # another order than that write would deadlock.
        held = held.with_for_update(skip_locked=True)
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(held.scalar_subquery()))
        .values(next_attempt_at=until)
        .execution_options(synchronize_session=False)
    )
    return max(result.rowcount, 0)  # type: ignore[attr-defined]


async def lease_owners(session: AsyncSession) -> list[str]:
    """The dispatchers that hold `sending` rows now."""
    rows = await session.scalars(
        select(Delivery.lease_owner)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_owner.is_not(None))
        .distinct()
    )
    return [owner for owner in rows if owner]


async def free_leases_of(session: AsyncSession, owners: Collection[str], *, now: datetime) -> int:
    """Make the `sending` rows of dispatchers known to be dead due now (taken over at once)."""
    require_aware(now)
    if not owners:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_owner.in_(list(owners)))
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return max(result.rowcount, 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one claimed row.

    `status` SENT, PENDING (try again at `next_attempt_at`), FAILED or UNREACHABLE. `error`
    replaces `last_error` when given; `payload` replaces the stored payload when given.
    `release` gives the claim back without counting the attempt.
    """

    row: Claimed
    status: DeliveryStatus
    at: datetime
    next_attempt_at: datetime | None = None
    error: str | None = None
    payload: dict[str, Any] | None = None
    unreachable_chat: str | None = None
    release: bool = False


def _fenced(row: Claimed) -> Any:
    return (
        (Delivery.id == row.id)
        & (Delivery.status == DeliveryStatus.SENDING)
        & (Delivery.attempts == row.attempts)
    )


async def record_outcomes(session: AsyncSession, outcomes: Sequence[Outcome]) -> int:
    """Write the outcomes of sends; plain successes go in one UPDATE.

    Args:
        session: The caller's session (not committed here).
        outcomes: Outcomes of rows claimed earlier.

    Returns:
        How many rows were updated (fewer if a lease was lost meanwhile).
    """
    # Plain successes, the bulk of every flush, go in one statement: a row-value IN for the
    # fence, and the latest send time of the batch for all (flushes are milliseconds apart; a
    # per-row CASE made every statement new to the compiled cache). RETURNING counts the rows
    # really updated (the executemany rowcount is not reliable on asyncpg).
    plain = [o for o in outcomes if o.status is DeliveryStatus.SENT and o.error is None]
    updated = 0
    if plain:
        stmt = (
            update(Delivery)
            .where(
                tuple_(Delivery.id, Delivery.attempts).in_(
                    [(o.row.id, o.row.attempts) for o in plain]
                ),
                Delivery.status == DeliveryStatus.SENDING,
            )
            .values(status=DeliveryStatus.SENT, sent_at=max(o.at for o in plain))
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        updated += len((await session.execute(stmt)).all())
    for o in outcomes:
        if o.status is DeliveryStatus.SENT and o.error is None:
            continue
        values: dict[str, Any] = {"status": o.status}
        if o.status is DeliveryStatus.SENT:
            values["sent_at"] = o.at
        if o.release:
            values["attempts"] = Delivery.attempts - 1
        if o.next_attempt_at is not None:
            values["next_attempt_at"] = o.next_attempt_at
        if o.error is not None:
            values["last_error"] = o.error
        if o.payload is not None:
            values["payload"] = o.payload
        stmt = update(Delivery).where(_fenced(o.row)).values(**values)
        result = await session.execute(stmt.execution_options(synchronize_session=False))
        if result.rowcount and o.unreachable_chat is not None:  # type: ignore[attr-defined]
            await mark_unreachable(session, channel=o.row.channel, chat_id=o.unreachable_chat)
        updated += max(result.rowcount, 0)  # type: ignore[attr-defined]
    if updated < len(outcomes):
        logger.warning(
            "outbox: %d of %d outcomes found their lease taken over",
            len(outcomes) - updated,
            len(outcomes),
        )
    return updated


async def mark_unreachable(session: AsyncSession, *, channel: str, chat_id: str) -> None:
    """Stop pushing to a chat that blocked the bot or no longer exists.

    A private chat is a person's `Identity` (reachable=False); a group is a `Chat`
    (active=False). Only one of the two matches; updating both is simpler than guessing.
    """
    await session.execute(
        update(Identity)
        .where(Identity.channel == channel, Identity.chat_id == chat_id)
        .values(reachable=False)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Chat)
        .where(Chat.channel == channel, Chat.chat_id == chat_id)
        .values(active=False)
        .execution_options(synchronize_session=False)
    )


async def migrate_chat(session: AsyncSession, row: Claimed, new_chat_id: str) -> bool:
    """Follow a Telegram group that became a supergroup (its chat id changes).

    The claimed row, the other pending pushes and the `Chat` row move to the new id.

    Args:
        session: The caller's session (not committed here).
        row: The claimed row whose send reported the migration.
        new_chat_id: The chat id the platform gave (`migrate_to_chat_id`).

    Returns:
        False if the claim was lost meanwhile (then nothing is changed and nothing re-sent).
    """
    moved = await session.execute(
        update(Delivery)
        .where(_fenced(row))
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        return False
    await session.execute(
        update(Delivery)
        .where(
            Delivery.channel == row.channel,
            Delivery.chat_id == row.chat_id,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    known = await session.scalar(
        select(Chat.id).where(Chat.channel == row.channel, Chat.chat_id == new_chat_id)
    )
    old = (Chat.channel == row.channel) & (Chat.chat_id == row.chat_id)
    if known is None:
        values: dict[str, Any] = {"chat_id": new_chat_id}
    else:
        # The bot already has a row for the supergroup (it saw a message there first); (channel,
        # chat_id) is unique, so retire the old row rather than rename it.
        logger.warning("chat %s migrated to already known chat %s", row.chat_id, new_chat_id)
        values = {"active": False}
    await session.execute(
        update(Chat).where(old).values(**values).execution_options(synchronize_session=False)
    )
    return True
