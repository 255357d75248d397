"""Interactive replies: sent at once through the shared rate limiter, queued only on failure.

Why not queue every reply first: an answer would then wait for a database write, a claim and a
flush (tens of milliseconds, and on SQLite behind any job holding the write lock), and every
chat message would cost two extra writes. Sent directly, a reply costs one limiter slot in the
urgent lane (ahead of any fan-out, see `scheduler.outbox.ratelimit`) and one HTTP call. When that
call fails with something worth retrying (429, 5xx, a timeout, a reset connection), the reply goes
into the outbox as a `reply:` row with `REPLY_PRIORITY`, so the dispatcher retries it first,
honouring `retry_after`, with short backoff and bounded attempts; what cannot be delivered at
all (blocked, bad request) is recorded there too, as unreachable or failed, never only logged.
The one gap: a crash between the failed call and the write of the row loses that reply (the
user sees no answer and asks again); accepted reports are committed before any reply is sent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from handlers.types import Address, Channel, Outgoing, SendError, SendErrorKind, Sink
from scheduler.outbox.enqueue import delivery_row
from scheduler.outbox.ratelimit import RateLimiter
from scheduler.outbox.send import TIMEOUTS_KEY, Clock, is_group_chat
from store.db import SessionMaker
from store.models import DeliveryStatus
from store.outbox import enqueue_rows, mark_unreachable

logger = logging.getLogger(__name__)

# Outbox priority of a reply that could not be sent at once (reminders and broadcasts are 0).
REPLY_PRIORITY = 10


class ReplySender:
    """Sends replies through the dispatcher's limiters; failures go to the outbox.

    Args:
        sessionmaker: Session factory (only used when a reply fails).
        channels: The real channels by name.
        limiter: The shared rate limiter of a channel (the outbox dispatcher's).
        clock: Wall time for the rows.
        wake: Called after a reply was queued, so the dispatcher claims it at once.
        timeout_wait: Seconds before a reply that timed out is tried again (it may have
            been delivered; see `scheduler.outbox.send`).
        max_wait: A reply that would wait longer than this for its chat's pace (1 s between
            two messages) or a paused channel is queued instead, and so are the chat's next
            replies while that one waits (keeping their order): updates are handled one at
            a time, so one chatty user (or a 429 pause) must not hold up everyone's answers.
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        channels: Mapping[str, Channel],
        limiter: Callable[[str], RateLimiter],
        clock: Clock,
        wake: Callable[[], None],
        *,
        timeout_wait: float = 60.0,
        max_wait: float = 0.2,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._channels = dict(channels)
        self._limiter = limiter
        self._clock = clock
        self._wake = wake
        self._timeout_wait = timeout_wait
        self._max_wait = max_wait
        self._backlog: dict[tuple[str, str], float] = {}  # chat -> queued until (monotonic)
        self.queued = 0  # replies handed to the outbox (chat busy, or the first try failed)

    def wrap(self, channel: Channel) -> Channel:
        """The channel as the conversation dispatcher should see it: replies go through us."""
        return ReplyChannel(channel, self)

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send one reply now in the urgent lane; on failure queue or record it. Never raises."""
        channel = self._channels[address.channel]
        limiter = self._limiter(address.channel)
        group = is_group_chat(address.chat_id)
        wait = max(limiter.chat_delay(address.chat_id, group), limiter.paused_for())
        chat = (address.channel, address.chat_id)
        now = self._clock.monotonic()
        if wait > self._max_wait or self._backlog.get(chat, 0.0) > now:
            # Behind the chat's earlier replies: the dispatcher sends them in order.
            self._backlog[chat] = max(self._backlog.get(chat, 0.0), now) + wait + 2.0
            await self._queue(address, outgoing)
            if len(self._backlog) > 1000:
                self._backlog = {k: t for k, t in self._backlog.items() if t > now}
            return
        grant = await limiter.acquire(address.chat_id, group, urgent=True)
        try:
            await channel.send(address, outgoing)
        except SendError as exc:
            limiter.settle(grant)
            if exc.retry_after:
                limiter.penalise(address.chat_id, exc.retry_after)
            await self._record(address, outgoing, exc)
        except Exception as exc:  # a channel bug or an unclassified network error
            limiter.settle(grant)
            logger.warning("reply on %s failed: %r; queued for retry", address.channel, exc)
            await self._record(address, outgoing, SendError(SendErrorKind.RETRY, repr(exc)))
        else:
            limiter.settle(grant)

    async def _queue(self, address: Address, outgoing: Outgoing) -> None:
        # Due at once: the dispatcher's worker waits for the chat's pace in the limiter's
        # urgent lane, in claim order (priority, then due time, then id).
        now = self._clock.now()
        row = self._row(address, outgoing.to_payload(), now, DeliveryStatus.PENDING, None, now)
        if await self._insert(row, address, unreachable=False):
            self.queued += 1
            self._wake()

    def _row(
        self,
        address: Address,
        payload: dict[str, Any],
        now: datetime,
        status: DeliveryStatus,
        error: str | None,
        due: datetime,
    ) -> dict[str, Any]:
        row = delivery_row(
            key=f"reply:{address.channel}:{address.chat_id}:{uuid.uuid4().hex}",
            kind="reply",
            address=address,
            payload=payload,
            user_id=None,
            now=now,
            status=status,
            last_error=error,
        )
        row["next_attempt_at"] = due
        row["priority"] = REPLY_PRIORITY
        return row

    async def _insert(self, row: dict[str, Any], address: Address, *, unreachable: bool) -> bool:
        try:
            async with self._sessionmaker() as s, s.begin():
                await enqueue_rows(s, [row])
                if unreachable:
                    await mark_unreachable(s, channel=address.channel, chat_id=address.chat_id)
        except Exception:
            where = f"{address.channel}:{address.chat_id}"
            logger.exception("reply to %s lost: could not queue it", where)
            return False
        return True

    async def _record(self, address: Address, outgoing: Outgoing, exc: SendError) -> None:
        now = self._clock.now()
        payload = outgoing.to_payload()
        status, due, error = DeliveryStatus.PENDING, now, exc.reason
        if exc.kind is SendErrorKind.UNREACHABLE and not exc.migrate_to:
            status = DeliveryStatus.UNREACHABLE
        elif exc.kind is SendErrorKind.PERMANENT:
            status = DeliveryStatus.FAILED
        elif exc.kind is SendErrorKind.TIMEOUT:
            payload[TIMEOUTS_KEY] = 1
            due = now + timedelta(seconds=self._timeout_wait)
            error = f"timeout, may have been delivered: {exc.reason}"
        elif exc.retry_after:
            due = now + timedelta(seconds=exc.retry_after)
        row = self._row(address, payload, now, status, error, due)
        unreachable = status is DeliveryStatus.UNREACHABLE
        if not await self._insert(row, address, unreachable=unreachable):
            return
        if status is DeliveryStatus.PENDING:
            # The chat's next replies queue behind this one rather than overtake it.
            later = min((due - now).total_seconds() + 2.0, 10.0)
            self._backlog[(address.channel, address.chat_id)] = self._clock.monotonic() + later
            self.queued += 1
            logger.warning(
                "reply on %s not sent yet (%s); queued for retry", address.channel, exc.reason
            )
            self._wake()
        else:
            logger.info("reply on %s not delivered: %s", address.channel, exc.reason)


class ReplyChannel:
    """A channel whose `send` goes through a `ReplySender`; the rest is the channel's own."""

    def __init__(self, inner: Channel, sender: ReplySender) -> None:
        self.inner = inner
        self.name = inner.name
        self._sender = sender

    async def start(self, sink: Sink) -> None:
        """Start the real channel."""
        await self.inner.start(sink)

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send a reply (never raises: a failed reply is queued or recorded)."""
        await self._sender.send(address, outgoing)

    async def stop(self) -> None:
        """Stop the real channel."""
        await self.inner.stop()
