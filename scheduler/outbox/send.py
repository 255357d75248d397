"""Sending one claimed outbox row, and what each kind of failure turns it into.

- RETRY (429, 5xx): back to pending after max(retry_after, exponential backoff with jitter);
  a 429 also pauses the chat in the rate limiter (the whole channel if several chats get one).
- TIMEOUT: the platform may have delivered it, so one retry at most, and only after
  `timeout_wait` (longer than the platform's own processing timeout, so the first request is
  finished one way or the other); a second timeout fails. The row's payload counts timeouts and
  `last_error` says "timeout; retried once".
- UNREACHABLE (blocked, chat not found, kicked): the row and the recipient are marked.
- PERMANENT: failed with the platform's reason.
- `migrate_to` (a group became a supergroup): the chat moves and the message is re-sent there.
After `max_attempts` sends the row fails with the last reason.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol

from handlers.missed import WINDOW_PREFIX
from handlers.types import Address, Channel, Outgoing, SendError, SendErrorKind
from scheduler.outbox.ratelimit import RateLimiter
from store.db import SessionMaker
from store.models import DeliveryStatus
from store.oa_window import WindowRules, window_refusal
from store.outbox import Claimed, Outcome, migrate_chat

logger = logging.getLogger(__name__)

# Payload key counting sends that timed out (they may have been delivered, so only one retry).
TIMEOUTS_KEY = "_timeouts"
# Several chats answering 429 within this window means the channel-wide limit was hit.
_FLOOD_WINDOW = 1.0
_FLOOD_CHATS = 3


class Clock(Protocol):
    """Wall time for the database, monotonic time and sleep for pacing (fakeable in tests)."""

    def now(self) -> datetime:
        """Current time, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on the monotonic clock."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Current time in UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """`asyncio.sleep`."""
        await asyncio.sleep(seconds)


def is_group_chat(chat_id: str) -> bool:
    """Tell a group from a private chat by id: Telegram gives groups negative ids."""
    return chat_id.startswith("-")


class RowSender:
    """Sends claimed rows one at a time (many concurrently) and classifies the result.

    Args mirror `OutboxDispatcher`'s; `stats` is the dispatcher's counter.
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        channels: Mapping[str, Channel],
        limiters: Mapping[str, RateLimiter],
        clock: Clock,
        *,
        max_attempts: int,
        lease_margin: timedelta,
        lease_left: Callable[[], float],
        timeout_wait: float,
        backoff_base: float,
        backoff_cap: float,
        max_chat_wait: float,
        rng: random.Random,
        stats: Counter[str],
    ) -> None:
        self._sessionmaker = sessionmaker
        self._channels = channels
        self._limiters = limiters
        self._clock = clock
        self._max_attempts = max_attempts
        self._lease_margin = lease_margin.total_seconds()
        self._lease_left = lease_left
        self._timeout_wait = timeout_wait
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._max_chat_wait = max_chat_wait
        self._rng = rng
        self._stats = stats
        self._inflight: set[tuple[str, str]] = set()
        self._recent_429: dict[str, deque[tuple[float, str]]] = {}

    async def deliver(self, row: Claimed) -> Outcome | None:
        """Send one claimed row.

        Returns:
            What to record, or None when the claim was lost (its new holder records it).
        """
        now = self._clock.now()
        if row.attempts > self._max_attempts:
            # Only a row reclaimed again and again (a dispatcher dying mid-send) gets here.
            error = f"gave up after {row.attempts - 1} attempts: lease expired during send"
            return Outcome(row, DeliveryStatus.FAILED, now, error=error)
        try:
            outgoing = Outgoing.from_payload(row.payload)
        except (KeyError, TypeError, ValueError) as exc:
            return Outcome(row, DeliveryStatus.FAILED, now, error=f"bad payload: {exc!r}")
        limiter = self._limiters[row.channel]
        inflight = (row.channel, row.chat_id)
        group = is_group_chat(row.chat_id)
        wait = limiter.chat_delay(row.chat_id, group)
        if inflight in self._inflight:
            lim = limiter.limits
            wait = max(wait, 1.0 / (lim.group_rate if group else lim.private_rate))
        # A queued reply waits its turn in the chat (a few seconds at most) rather than go
        # round again and risk overtaking the chat's next reply.
        patience = self._max_chat_wait * (4 if row.priority > 0 else 1)
        if wait > patience:
            # Waiting for the chat's own pace (3 s between messages in a group) would hold a
            # worker idle while other chats could be served: let the row come round again.
            self._stats["deferred"] += 1
            later = now + timedelta(seconds=wait)
            return Outcome(row, DeliveryStatus.PENDING, now, next_attempt_at=later, release=True)
        self._inflight.add(inflight)
        try:
            return await self._send(row, outgoing, self._channels[row.channel], limiter)
        finally:
            self._inflight.discard(inflight)

    async def _send(
        self, row: Claimed, outgoing: Outgoing, channel: Channel, limiter: RateLimiter
    ) -> Outcome | None:
        chat_id = row.chat_id
        refused = await self._window_refusal(row, channel)
        if refused is not None:
            return self._failure(row, chat_id, refused, limiter)
        migrated = False
        while True:
            grant = await limiter.acquire(chat_id, is_group_chat(chat_id), urgent=row.priority > 0)
            now = self._clock.now()
            if self._lease_left() < self._lease_margin:
                # Too close to the lease end: another dispatcher could take the row over while
                # the send is in flight. Give it back untouched.
                self._stats["released"] += 1
                return Outcome(row, DeliveryStatus.PENDING, now, next_attempt_at=now, release=True)
            try:
                await channel.send(Address(row.channel, chat_id), outgoing)
            except SendError as exc:
                limiter.settle(grant)
                if exc.migrate_to and not migrated:
                    if not await self._migrate(row, exc.migrate_to):
                        return None
                    chat_id, migrated = exc.migrate_to, True
                    continue
                return self._failure(row, chat_id, exc, limiter)
            except Exception as exc:
                limiter.settle(grant)
                # A channel bug or an unclassified network error: retry rather than stop.
                logger.exception("outbox: unexpected error sending %s", row.key)
                err = SendError(SendErrorKind.RETRY, f"unexpected error: {exc!r}")
                return self._failure(row, chat_id, err, limiter)
            limiter.settle(grant)  # the overall window counts it from now (ratelimit.py)
            note = "timeout; retried once" if row.payload.get(TIMEOUTS_KEY) else None
            return Outcome(row, DeliveryStatus.SENT, self._clock.now(), error=note)

    # -- OA messaging window (issue 12, helper "channels") ----------------------------------
    # A channel that declares a messaging window (`window`: the Zalo OA's rules) is checked
    # here, before a queued row goes out, so a refusal is recorded on the row with its reason
    # (UNREACHABLE, `window: ...`), the same as when the platform itself refuses.
    async def _window_refusal(self, row: Claimed, channel: Channel) -> SendError | None:
        rules: WindowRules | None = getattr(channel, "window", None)
        if rules is None:
            return None
        async with self._sessionmaker() as s:
            reason = await window_refusal(
                s, rules, channel=row.channel, chat_id=row.chat_id, now=self._clock.now()
            )
        if reason is None:
            return None
        logger.info("outbox: %s not sent to %s: %s", row.key, row.chat_id, reason)
        return SendError(SendErrorKind.UNREACHABLE, f"{WINDOW_PREFIX} {reason}")

    async def _migrate(self, row: Claimed, new_chat_id: str) -> bool:
        async with self._sessionmaker() as s, s.begin():
            moved = await migrate_chat(s, row, new_chat_id)
        if moved:
            self._stats["migrated"] += 1
            logger.info("outbox: chat %s migrated to %s", row.chat_id, new_chat_id)
        return moved

    def _failure(
        self, row: Claimed, chat_id: str, exc: SendError, limiter: RateLimiter
    ) -> Outcome:
        now = self._clock.now()
        if exc.kind is SendErrorKind.UNREACHABLE:
            logger.info("outbox: %s unreachable: %s", row.key, exc.reason)
            return Outcome(
                row, DeliveryStatus.UNREACHABLE, now, error=exc.reason, unreachable_chat=chat_id
            )
        if exc.kind is SendErrorKind.PERMANENT:
            logger.warning("outbox: %s failed: %s", row.key, exc.reason)
            return Outcome(row, DeliveryStatus.FAILED, now, error=exc.reason)
        payload = None
        reason = exc.reason
        floor = exc.retry_after or 0.0
        if exc.kind is SendErrorKind.TIMEOUT:
            floor = self._timeout_wait
            self._stats["timeouts"] += 1
            if row.payload.get(TIMEOUTS_KEY):
                error = f"timeout; retried once: {reason}"
                return Outcome(row, DeliveryStatus.FAILED, now, error=error)
            payload = {**row.payload, TIMEOUTS_KEY: 1}
            reason = f"timeout, may have been delivered: {reason}"
        elif exc.retry_after:
            self._honour_retry_after(row.channel, chat_id, exc.retry_after, limiter)
        if row.attempts >= self._max_attempts:
            error = f"gave up after {row.attempts} attempts: {reason}"
            logger.warning("outbox: %s %s", row.key, error)
            return Outcome(row, DeliveryStatus.FAILED, now, error=error, payload=payload)
        delay = max(floor, self._backoff(row.attempts, urgent=row.priority > 0))
        self._stats["retried"] += 1
        return Outcome(
            row,
            DeliveryStatus.PENDING,
            now,
            next_attempt_at=now + timedelta(seconds=delay),
            error=reason,
            payload=payload,
        )

    def _backoff(self, attempt: int, *, urgent: bool = False) -> float:
        # Exponential with "equal jitter": never less than half the step, so retries of a
        # fan-out that failed together spread out instead of hitting the platform at once.
        # A reply someone waits for starts at 1 s (and is bounded by max_attempts).
        base = min(1.0, self._backoff_base) if urgent else self._backoff_base
        step = min(self._backoff_cap, base * 2 ** max(attempt - 1, 0))
        return step * self._rng.uniform(0.5, 1.0)

    def _honour_retry_after(
        self, channel: str, chat_id: str, seconds: float, limiter: RateLimiter
    ) -> None:
        limiter.penalise(chat_id, seconds)
        # Telegram answers 429 per chat; several chats at once means the overall limit.
        recent = self._recent_429.setdefault(channel, deque())
        now = self._clock.monotonic()
        recent.append((now, chat_id))
        while recent and now - recent[0][0] > _FLOOD_WINDOW:
            recent.popleft()
        if len({chat for _, chat in recent}) >= _FLOOD_CHATS:
            limiter.penalise(None, seconds)
            recent.clear()


class RowQueue:
    """Claimed rows waiting for a worker, highest priority first, then in claim order.

    A reply claimed while a fan-out fills the queue goes to the front, not behind 50 pushes.
    """

    def __init__(self) -> None:
        self._queue: asyncio.PriorityQueue[tuple[float, int, Claimed | None]] = (
            asyncio.PriorityQueue()
        )
        self._seq = 0

    def put(self, row: Claimed | None) -> None:
        """Queue a row (None: a worker's signal to stop, after every row)."""
        self._seq += 1
        rank = float("inf") if row is None else -row.priority
        self._queue.put_nowait((rank, self._seq, row))

    async def get(self) -> Claimed | None:
        """The next row, waiting for one."""
        return (await self._queue.get())[2]

    def get_nowait(self) -> Claimed | None:
        """The next row; raises `asyncio.QueueEmpty`."""
        return self._queue.get_nowait()[2]

    def qsize(self) -> int:
        """Rows waiting."""
        return self._queue.qsize()

    def empty(self) -> bool:
        """Whether no row waits."""
        return self._queue.empty()
