"""Broadcast fan-out: one outbox delivery per recipient, then the report to the author.

The admin's confirmation only records a `queued` broadcast (handlers.directives.broadcast). The
pump here claims it (`queued` → `sending`, a conditional UPDATE, so two replicas cannot both take
it) and, in the same transaction, writes one `Delivery` per recipient with the idempotency key
`broadcast:<id>:user<user id>` or `broadcast:<id>:chat<chat id>` and `broadcast_id` set. A
crash rolls the claim back with the rows, and the keys make any repeat insert nothing. When no
delivery of a broadcast is left pending, it is `done` and its author gets the delivery report
(`broadcast:<id>:report`) through the outbox as well.

Recipients are chosen like the daily reminder's (scheduler.jobs.pick_identity): one copy per
official, on their preferred channel among their reachable accounts. Officials with no
reachable account get a delivery written straight away as unreachable, so the report counts
them instead of silently leaving them out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.directives.broadcast_render import announcement, report
from handlers.i18n import use_locale
from handlers.types import Address
from scheduler.jobs import pick_identity
from scheduler.outbox.enqueue import delivery_row, enqueue
from store import broadcast_fanout as fanout
from store import broadcasts as store
from store.db import Session, SessionMaker
from store.models import Broadcast, DeliveryStatus, User
from store.outbox import enqueue_rows, require_aware

logger = logging.getLogger(__name__)

NO_ACCOUNT = "no reachable chat: blocked the bot, or no account on a channel we send on"


@dataclass(frozen=True, slots=True)
class Recipient:
    """One copy of a broadcast: where it goes, for whom, in which language."""

    key: str
    channel: str
    chat_id: str
    user_id: int | None
    locale: str | None
    reachable: bool = True


def _fallback_identity(user: User) -> tuple[str, str] | None:
    """Any account of the user (for the record of an unreachable recipient)."""
    if not user.identities:
        return None
    last = max(user.identities, key=lambda i: i.id)
    return last.channel, last.chat_id


async def recipients(
    session: Session, broadcast: Broadcast, channels: Collection[str] | None = None
) -> tuple[list[Recipient], Counter[str]]:
    """Who gets a copy of `broadcast`, and counters of who was left out and why.

    Args:
        session: Any session.
        broadcast: The broadcast, with its `targets`.
        channels: Channel names this deployment can send on (None: any).
    """
    out: list[Recipient] = []
    skipped: Counter[str] = Counter()
    users = await fanout.target_officials(session, broadcast.targets)
    if users is not None:
        for user in users:
            identity = pick_identity(user, channels)
            key = store.user_key(broadcast.id, user.id)
            if identity is not None:
                out.append(
                    Recipient(key, identity.channel, identity.chat_id, user.id, user.locale)
                )
                continue
            fallback = _fallback_identity(user)
            if fallback is None:
                skipped["no_account"] += 1
                continue
            out.append(Recipient(key, *fallback, user.id, user.locale, reachable=False))
    chats = await fanout.target_groups(session, broadcast.targets)
    if chats is not None:
        for chat in chats:
            if channels is not None and chat.channel not in channels:
                skipped["no_channel"] += 1
                continue
            key = store.chat_key(broadcast.id, chat.id)
            out.append(Recipient(key, chat.channel, chat.chat_id, None, None))
    return out, skipped


async def fan_out(
    session: Session,
    broadcast: Broadcast,
    *,
    now: datetime,
    channels: Collection[str] | None = None,
) -> Counter[str]:
    """Write one delivery per recipient of `broadcast` into the outbox (the caller commits).

    Each copy is rendered in the recipient's language; copies that read the same share one
    rendering. Keys already present are left alone, so running this twice queues nothing new.

    Returns:
        Counters: `queued` (new pending rows), `unreachable` (rows written as unreachable),
        `already` (keys queued before) and the reasons recipients were skipped.
    """
    require_aware(now)
    people, counts = await recipients(session, broadcast, channels)
    number = await store.directive_number(session, broadcast)
    rendered: dict[tuple[str | None, str], dict[str, Any]] = {}
    rows = []
    for r in people:
        look = (r.locale, r.channel)
        if look not in rendered:
            with use_locale(r.locale or ""):
                copy = announcement(broadcast, channel=r.channel, directive_number=number)
            rendered[look] = copy.to_payload()
        rows.append(
            delivery_row(
                key=r.key,
                kind=store.KIND,
                address=Address(r.channel, r.chat_id),
                payload=rendered[look],
                user_id=r.user_id,
                now=now,
                status=DeliveryStatus.PENDING if r.reachable else DeliveryStatus.UNREACHABLE,
                last_error=None if r.reachable else NO_ACCOUNT,
                broadcast_id=broadcast.id,
            )
        )
    inserted = await enqueue_rows(session, rows)
    for row in rows:
        if row["key"] not in inserted:
            counts["already"] += 1
        elif row["status"] is DeliveryStatus.PENDING:
            counts["queued"] += 1
        else:
            counts["unreachable"] += 1
    logger.info("broadcast %s fanned out: %s", broadcast.id, dict(counts))
    return counts


async def start_queued(
    sessionmaker: SessionMaker,
    *,
    now: datetime,
    channels: Collection[str] | None = None,
) -> dict[int, Counter[str]]:
    """Claim every queued broadcast and fan it out, each in its own transaction.

    Returns:
        The fan-out counters by broadcast id (broadcasts another process took are absent).
    """
    async with sessionmaker() as session:
        ids = await fanout.queued_ids(session)
    done: dict[int, Counter[str]] = {}
    for broadcast_id in ids:
        async with sessionmaker() as session, session.begin():
            broadcast = await fanout.claim_queued(session, broadcast_id)
            if broadcast is None:
                continue
            done[broadcast_id] = await fan_out(session, broadcast, now=now, channels=channels)
    return done


async def finish_sent(
    sessionmaker: SessionMaker,
    *,
    now: datetime,
    tz: ZoneInfo,
    channels: Collection[str] | None = None,
) -> list[int]:
    """Mark broadcasts with nothing left to send `done` and queue their authors' reports.

    Returns:
        The ids of the broadcasts finished now.
    """
    async with sessionmaker() as session:
        ids = await fanout.finished_ids(session)
    finished = []
    for broadcast_id in ids:
        async with sessionmaker() as session, session.begin():
            if not await fanout.mark_done(session, broadcast_id, now=now):
                continue
            finished.append(broadcast_id)
            await _queue_report(session, broadcast_id, now=now, tz=tz, channels=channels)
    return finished


async def _queue_report(
    session: Session,
    broadcast_id: int,
    *,
    now: datetime,
    tz: ZoneInfo,
    channels: Collection[str] | None,
) -> None:
    broadcast = await store.get_broadcast(session, broadcast_id)
    if broadcast is None or broadcast.created_by is None:
        return  # sent from the command line: `nhacviec broadcast status` reports
    author = await fanout.official_with_accounts(session, broadcast.created_by)
    identity = pick_identity(author, channels) if author is not None else None
    if author is None or identity is None:
        return
    stats = await store.broadcast_stats(session, broadcast_id, names=10)
    unacked = await store.count_unacknowledged(session, broadcast_id)
    with use_locale(author.locale or ""):
        message = report(broadcast, stats, tz, unacked_total=unacked)
    await enqueue(
        session,
        key=store.report_key(broadcast_id),
        kind="broadcast_report",
        address=Address(identity.channel, identity.chat_id),
        outgoing=message,
        user_id=author.id,
        now=now,
    )


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class BroadcastPump:
    """Fans queued broadcasts out and finishes sent ones, every `poll_interval` seconds.

    Runs on every replica next to the outbox dispatcher; claims make that safe.

    Args:
        sessionmaker: Session factory.
        tz: Zone for the times in the authors' reports.
        channels: Channel names this deployment can send on (None: any).
        clock: Current time.
        poll_interval: Seconds between rounds.
        wake: Called after new deliveries were queued (e.g. `OutboxDispatcher.wake`).
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        *,
        tz: ZoneInfo,
        channels: Collection[str] | None = None,
        clock: Callable[[], datetime] = utc_now,
        poll_interval: float = 2.0,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._tz = tz
        self._channels = channels
        self._clock = clock
        self._poll_interval = poll_interval
        self._wake = wake

    async def run_once(self) -> tuple[dict[int, Counter[str]], list[int]]:
        """One round: fan out what is queued, finish what has gone out.

        Returns:
            (fan-out counters by broadcast id, ids of broadcasts finished).
        """
        started = await start_queued(
            self._sessionmaker, now=self._clock(), channels=self._channels
        )
        finished = await finish_sent(
            self._sessionmaker, now=self._clock(), tz=self._tz, channels=self._channels
        )
        if (started or finished) and self._wake is not None:
            self._wake()
        return started, finished

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Run rounds until `stop` is set; a failed round is logged and retried."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:  # the database may be restarting: keep going
                logger.exception("broadcasts: round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll_interval)
