"""Broadcasts in the database: create one, count who it reaches, acknowledge it, report on it.

Data functions take the session first and never commit. The fan-out itself (one `Delivery` per
recipient) lives in scheduler.broadcasts; these are the queries the conversation, the CLI and
the scheduler share, so the handlers need not import the scheduler.

A broadcast's `targets` is `{"all": true}` (every linked official), `{"units": [ids]}` (the
officials linked to those units) or `{"chats": [ids]}` (those group chats). Its `status` goes
`queued` (written by the admin's confirmation) → `sending` (fanned out into the outbox) →
`done` (no delivery left pending).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Broadcast, Chat, Delivery, DeliveryStatus, Directive, Identity, Unit, User

QUEUED = "queued"
SENDING = "sending"
DONE = "done"
KIND = "broadcast"


def user_key(broadcast_id: int, user_id: int) -> str:
    """Idempotency key of a broadcast's delivery to one official."""
    return f"broadcast:{broadcast_id}:user{user_id}"


def chat_key(broadcast_id: int, chat_pk: int) -> str:
    """Idempotency key of a broadcast's delivery to one group chat (by `Chat.id`)."""
    return f"broadcast:{broadcast_id}:chat{chat_pk}"


def report_key(broadcast_id: int) -> str:
    """Idempotency key of the final delivery report sent to the broadcast's author."""
    return f"broadcast:{broadcast_id}:report"


async def create_broadcast(
    session: AsyncSession,
    *,
    created_by: int | None,
    text: str,
    targets: dict[str, Any],
    now: datetime,
    file_ref: str | None = None,
    file_name: str | None = None,
    directive_id: int | None = None,
) -> Broadcast:
    """Record a confirmed broadcast, queued for the fan-out.

    Args:
        session: The caller's session (not committed here).
        created_by: The admin who sent it (None from the command line).
        text: The message, in neutral markup.
        targets: `{"all": True}`, `{"units": [ids]}` or `{"chats": [ids]}`.
        now: Creation time (timezone-aware).
        file_ref: Channel file reference (`telegram:<file_id>`) of an attached document.
        file_name: Its name as the admin sent it.
        directive_id: The directive imported from the document, if any.
    """
    broadcast = Broadcast(
        created_by=created_by,
        text=text,
        file_ref=file_ref,
        file_name=file_name,
        targets=targets,
        directive_id=directive_id,
        status=QUEUED,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


def target_users(targets: dict[str, Any]) -> Select[tuple[User]] | None:
    """Active linked officials a broadcast's targets name (None when it targets groups)."""
    stmt = select(User).where(User.active.is_(True), User.unit_id.is_not(None))
    if targets.get("all"):
        return stmt.order_by(User.id)
    if "units" in targets:
        ids = [int(i) for i in targets["units"]]
        return stmt.where(User.unit_id.in_(ids)).order_by(User.id)
    return None


def target_chats(targets: dict[str, Any]) -> Select[tuple[Chat]] | None:
    """Active group chats a broadcast's targets name (None when it targets people)."""
    if "chats" not in targets:
        return None
    ids = [int(i) for i in targets["chats"]]
    return select(Chat).where(Chat.id.in_(ids), Chat.active.is_(True)).order_by(Chat.id)


async def active_group_ids(session: AsyncSession) -> list[int]:
    """Ids of every active group chat the bot is in (the "groups" target)."""
    return list(await session.scalars(select(Chat.id).where(Chat.active.is_(True))))


@dataclass(frozen=True, slots=True)
class Reach:
    """How many recipients a set of targets has, and how many of them can be reached."""

    total: int
    reachable: int


async def count_reach(session: AsyncSession, targets: dict[str, Any]) -> Reach:
    """Count the recipients of `targets` for the preview, before anything is queued."""
    chats = target_chats(targets)
    if chats is not None:
        n = await session.scalar(select(func.count()).select_from(chats.subquery()))
        return Reach(n or 0, n or 0)
    users = target_users(targets)
    if users is None:
        return Reach(0, 0)
    ids = users.with_only_columns(User.id).order_by(None).subquery()
    total = await session.scalar(select(func.count()).select_from(ids))
    reachable = await session.scalar(
        select(func.count(func.distinct(Identity.user_id))).where(
            Identity.user_id.in_(select(ids.c.id)), Identity.reachable.is_(True)
        )
    )
    return Reach(total or 0, reachable or 0)


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    """One broadcast by id."""
    return await session.get(Broadcast, broadcast_id)


async def latest_broadcast(session: AsyncSession) -> Broadcast | None:
    """The most recent broadcast."""
    return await session.scalar(select(Broadcast).order_by(Broadcast.id.desc()).limit(1))


@dataclass(slots=True)
class Stats:
    """Where a broadcast's deliveries stand.

    `delivered` were accepted by the platform; `blocked` cannot be reached (blocked the bot,
    left the group, no reachable account); `failed` were given up after retries or refused;
    `pending` are still queued or being sent; `acknowledged` pressed the button.
    """

    total: int = 0
    delivered: int = 0
    pending: int = 0
    blocked: int = 0
    failed: int = 0
    acknowledged: int = 0
    not_acknowledged: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        """True when nothing is left to send."""
        return self.total > 0 and self.pending == 0

    def to_json(self) -> dict[str, Any]:
        """JSON-safe form (for `nhacviec broadcast status --json`)."""
        return {
            "total": self.total,
            "delivered": self.delivered,
            "pending": self.pending,
            "blocked": self.blocked,
            "failed": self.failed,
            "acknowledged": self.acknowledged,
            "not_acknowledged": list(self.not_acknowledged),
        }


_BUCKET = {
    DeliveryStatus.SENT: "delivered",
    DeliveryStatus.PENDING: "pending",
    DeliveryStatus.SENDING: "pending",
    DeliveryStatus.UNREACHABLE: "blocked",
    DeliveryStatus.FAILED: "failed",
}


async def broadcast_stats(
    session: AsyncSession, broadcast_id: int, *, names: int | None = 10
) -> Stats:
    """Count a broadcast's deliveries by outcome and name who has not acknowledged it.

    Args:
        session: Any session.
        broadcast_id: The broadcast.
        names: How many of the delivered-but-unacknowledged recipients to name (None: all).
    """
    stats = Stats()
    rows = await session.execute(
        select(Delivery.status, func.count(), func.count(Delivery.acked_at))
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    for status, count, acked in rows:
        bucket = _BUCKET[DeliveryStatus(status)]
        setattr(stats, bucket, getattr(stats, bucket) + count)
        stats.total += count
        stats.acknowledged += acked
    if names != 0:
        stats.not_acknowledged = await unacknowledged(session, broadcast_id, limit=names)
    return stats


async def unacknowledged(
    session: AsyncSession, broadcast_id: int, *, limit: int | None = None
) -> list[str]:
    """Recipients who got the broadcast but have not pressed "Acknowledge", oldest first.

    People are named with their unit (`Nguyễn Văn A (Bộ Công an)`), groups by their title.
    """
    stmt = (
        select(User.name, Unit.short_name, Unit.name, Chat.title, Delivery.chat_id)
        .select_from(Delivery)
        .outerjoin(User, User.id == Delivery.user_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .outerjoin(Chat, (Chat.channel == Delivery.channel) & (Chat.chat_id == Delivery.chat_id))
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.acked_at.is_(None),
        )
        .order_by(Delivery.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    labels = []
    for person, short, unit, title, chat_id in await session.execute(stmt):
        if person is not None:
            where = short or unit
            labels.append(f"{person or '?'} ({where})" if where else person or "?")
        else:
            labels.append(title or chat_id)
    return labels


async def count_unacknowledged(session: AsyncSession, broadcast_id: int) -> int:
    """How many delivered recipients have not acknowledged the broadcast."""
    n = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.acked_at.is_(None),
        )
    )
    return n or 0


async def acknowledge(
    session: AsyncSession,
    broadcast_id: int,
    *,
    user_id: int | None,
    channel: str,
    chat_id: str,
    now: datetime,
) -> bool | None:
    """Record that a recipient acknowledged a broadcast.

    In a private chat the delivery is the person's (`broadcast:<id>:user<user id>`); in a group
    it is the group's, and whoever presses first acknowledges for the group.

    Returns:
        True when recorded now, False when it was acknowledged before, None when the presser
        (or group) is not a recipient of this broadcast.
    """
    key = None
    group = await session.scalar(
        select(Chat.id).where(Chat.channel == channel, Chat.chat_id == chat_id)
    )
    if group is not None:
        key = chat_key(broadcast_id, group)
    elif user_id is not None:
        key = user_key(broadcast_id, user_id)
    if key is None:
        return None
    done = await session.execute(
        update(Delivery)
        .where(
            Delivery.key == key,
            Delivery.broadcast_id == broadcast_id,
            Delivery.acked_at.is_(None),
        )
        .values(acked_at=now)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    if done.first() is not None:
        return True
    exists = await session.scalar(
        select(Delivery.id).where(Delivery.key == key, Delivery.broadcast_id == broadcast_id)
    )
    return False if exists is not None else None


async def directive_number(session: AsyncSession, broadcast: Broadcast) -> str | None:
    """The number of the directive a broadcast announces (`230/QĐ-VPCP`), if any."""
    if broadcast.directive_id is None:
        return None
    return await session.scalar(
        select(Directive.number).where(Directive.id == broadcast.directive_id)
    )
