"""The outbox dispatcher: claims due `Delivery` rows and sends them under the platform's limits.

Guarantees (ARCHITECTURE §6): nothing is sent twice for one key, because a row is only sent
while one worker holds its claim and every status change is a conditional UPDATE fenced by the
claim (see `store.outbox`); nothing queued is lost across a restart, because a claim
is a short lease (`lease`, 20 s) that a live dispatcher renews every `lease / 4`: rows a crashed
dispatcher left `sending` become due again within the lease, and at once when a dispatcher on
the same host starts and finds their owner's process gone. The one unavoidable gap is a crash
after the platform accepted a message but before `sent` was written; a worker therefore takes
its next row only once its outcome is written (group commit: one UPDATE carries the outcomes
of every worker that finished meanwhile), so a crash repeats at most `concurrency` messages.

Throughput: `concurrency` workers keep several sends in flight, the next batch is claimed while
the current one is still going out, and successes are recorded in one UPDATE per flush.
Priority: rows with a higher `priority` (replies that could not be sent at once) are claimed
first and take the rate limiter's urgent lane.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Mapping
from datetime import timedelta

from handlers.types import Channel
from scheduler.outbox.enqueue import enqueue
from scheduler.outbox.lease import new_owner, owner_is_dead
from scheduler.outbox.ratelimit import Limits, RateLimiter, default_limits
from scheduler.outbox.send import Clock, RowQueue, RowSender, SystemClock, is_group_chat
from store.db import SessionMaker
from store.models import DeliveryStatus
from store.outbox import (
    Claimed,
    Outcome,
    claim_due,
    free_leases_of,
    lease_owners,
    record_outcomes,
    renew_leases,
)

__all__ = ["Clock", "OutboxDispatcher", "SystemClock", "enqueue", "is_group_chat"]

logger = logging.getLogger(__name__)


class OutboxDispatcher:
    """Sends queued deliveries, retrying and classifying failures.

    Args:
        sessionmaker: Session factory; each claim and each flush is its own short transaction.
        channels: Channels by name (`Delivery.channel`); rows of other channels are left alone.
        limits: Rate limits by channel name; missing ones get `default_limits`.
        clock: Time source (wall, monotonic, sleep).
        max_attempts: Sends tried before a row is marked failed.
        batch: Rows claimed per transaction.
        concurrency: Sends in flight at once.
        lease: How long a claim is exclusive without renewal (renewed every `lease / 4`).
        lease_margin: Rows with less lease left than this are given back instead of sent.
        timeout_wait: Seconds before a send that timed out (and may have been delivered) is
            tried again; longer than the platform's own request timeout.
        backoff_base: First retry delay in seconds (doubled per attempt, with jitter).
        backoff_cap: Longest retry delay in seconds.
        flush_size: Outcomes written per transaction at most.
        flush_interval: Pause (seconds) after a failed write of outcomes, and between looks
            at a full queue.
        flush_delay: How long (seconds) a write of outcomes waits to gather more of them
            (in `run_forever`; `run_once` writes at once).
        poll_interval: Pause (seconds) between claims when nothing is due.
        max_chat_wait: A row whose chat must stay quiet longer than this (seconds) is put back
            for later instead of holding a worker.
        rng: Random source for jitter (seeded in tests).
    """

    def __init__(
        self,
        sessionmaker: SessionMaker,
        channels: Mapping[str, Channel],
        limits: Mapping[str, Limits],
        clock: Clock,
        *,
        max_attempts: int = 5,
        batch: int = 100,
        concurrency: int = 20,
        lease: timedelta = timedelta(seconds=20),
        lease_margin: timedelta = timedelta(seconds=5),
        timeout_wait: float = 60.0,
        backoff_base: float = 5.0,
        backoff_cap: float = 900.0,
        flush_size: int = 50,
        flush_interval: float = 0.5,
        flush_delay: float = 0.2,
        poll_interval: float = 1.0,
        max_chat_wait: float = 1.0,
        rng: random.Random | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._channels = dict(channels)
        self._clock = clock
        self._limiters = {
            name: RateLimiter(
                limits.get(name) or default_limits(name),
                monotonic=clock.monotonic,
                sleep=clock.sleep,
            )
            for name in self._channels
        }
        if lease <= lease_margin:
            raise ValueError("the lease must be longer than the lease margin")
        self._batch = batch
        self._concurrency = max(1, concurrency)
        self._lease = lease
        self._flush_size = flush_size
        self._flush_interval = flush_interval
        self._flush_delay = flush_delay
        self._gather = 0.0
        self._poll_interval = poll_interval
        self._results: list[Outcome] = []
        self._written: list[asyncio.Future[None]] = []  # workers waiting for their outcome
        self._flusher: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._urgent = asyncio.Event()
        self.owner = new_owner()
        self._lease_end = -1.0  # monotonic time the earliest lease held ends
        self.stats: Counter[str] = Counter()
        self._sender = RowSender(
            sessionmaker,
            self._channels,
            self._limiters,
            clock,
            max_attempts=max_attempts,
            lease_margin=lease_margin,
            lease_left=lambda: self._lease_end - clock.monotonic(),
            timeout_wait=timeout_wait,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            max_chat_wait=max_chat_wait,
            rng=rng or random.Random(),
            stats=self.stats,
        )

    def limiter(self, channel: str) -> RateLimiter:
        """The rate limiter used for one channel."""
        return self._limiters[channel]

    def wake(self) -> None:
        """Claim again now rather than after `poll_interval` (call after enqueueing)."""
        self._wake.set()

    def wake_urgent(self) -> None:
        """Claim now even with a full local queue: a reply is waiting (it jumps the queue)."""
        self._urgent.set()
        self._wake.set()

    async def run_once(self) -> int:
        """Claim one batch of due rows, send them all and record the outcomes.

        Returns:
            The number of rows claimed and processed.
        """
        rows = await self._claim()
        if rows:
            queue = RowQueue()
            for row in rows:
                queue.put(row)
            workers = min(self._concurrency, len(rows))
            await asyncio.gather(*(self._worker(queue, until_empty=True) for _ in range(workers)))
        await self._flush(wait=True)
        return len(rows)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Dispatch until `stop` is set, claiming the next batch before the current one ends.

        On stop, rows claimed but not started are given back, sends in flight finish and every
        outcome is written.

        Args:
            stop: Set it to shut down cleanly.
        """
        queue = RowQueue()
        low_water = max(self._concurrency, self._batch // 2)
        await self.take_over_dead()
        self._gather = self._flush_delay  # one-off runs (`run_once`) write at once
        renewing = asyncio.create_task(self._renew_forever(), name="outbox-leases")
        workers = [
            asyncio.create_task(self._worker(queue, until_empty=False))
            for _ in range(self._concurrency)
        ]
        try:
            while not stop.is_set():
                if queue.qsize() > low_water and not self._urgent.is_set():
                    pause = self._clock.sleep(self._flush_interval)
                    await self._wait(stop, pause, self._urgent.wait())
                    continue
                self._urgent.clear()
                try:
                    rows = await self._claim()
                except Exception:  # the database may be restarting: keep the loop alive
                    logger.exception("outbox: claim failed")
                    rows = []
                for row in rows:
                    queue.put(row)
                if len(rows) < self._batch:
                    self._wake.clear()
                    idle = self._clock.sleep(self._poll_interval)
                    await self._wait(stop, idle, self._wake.wait())
        except BaseException:
            # Cancelled (not stopped): do not wait for sends that may never return.
            renewing.cancel()
            for worker in workers:
                worker.cancel()
            raise
        finally:
            unstarted = []
            while not queue.empty():
                row = queue.get_nowait()
                if row is not None:
                    unstarted.append(row)
            for _ in workers:
                queue.put(None)
            await asyncio.gather(*workers, return_exceptions=True)
            renewing.cancel()
            await asyncio.gather(renewing, return_exceptions=True)
            now = self._clock.now()
            self._results.extend(
                Outcome(r, DeliveryStatus.PENDING, now, next_attempt_at=now, release=True)
                for r in unstarted
            )
            await self._flush(wait=True)

    @staticmethod
    async def _wait(stop: asyncio.Event, *waits: Awaitable[object]) -> None:
        tasks = [asyncio.ensure_future(stop.wait()), *(asyncio.ensure_future(w) for w in waits)]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def take_over_dead(self) -> int:
        """Make rows leased by dead processes of this host due now (at start-up)."""
        try:
            async with self._sessionmaker() as s, s.begin():
                dead = [o for o in await lease_owners(s) if owner_is_dead(o)]
                freed = await free_leases_of(s, dead, now=self._clock.now())
        except Exception:  # the lease expiry frees them anyway
            logger.exception("outbox: could not take over the rows of dead dispatchers")
            return 0
        if freed:
            logger.warning("outbox: took over %d rows of %d dead dispatchers", freed, len(dead))
        return freed

    async def _renew_forever(self) -> None:
        every = self._lease.total_seconds() / 4
        while True:
            await self._clock.sleep(every)
            started = self._clock.monotonic()
            try:
                async with self._sessionmaker() as s, s.begin():
                    await renew_leases(s, owner=self.owner, until=self._clock.now() + self._lease)
            except Exception:  # sends stop on their own when the lease runs low
                logger.warning("outbox: could not renew the leases", exc_info=True)
                continue
            self._lease_end = started + self._lease.total_seconds()
            self.stats["lease_renewals"] += 1

    async def _claim(self) -> list[Claimed]:
        started = self._clock.monotonic()
        async with self._sessionmaker() as s, s.begin():
            rows = await claim_due(
                s,
                now=self._clock.now(),
                lease=self._lease,
                limit=self._batch,
                channels=self._channels.keys(),
                owner=self.owner,
            )
        if rows:
            if self._lease_end < started:  # rows already held expire no later than these
                self._lease_end = started + self._lease.total_seconds()
            logger.debug("outbox: claimed %d rows", len(rows))
        return rows

    async def _worker(self, queue: RowQueue, *, until_empty: bool) -> None:
        while True:
            if until_empty:
                try:
                    row = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
            else:
                row = await queue.get()
            if row is None:
                return
            try:
                outcome = await self._sender.deliver(row)
            except Exception:
                # E.g. the database failed during a migration: the row stays leased and is
                # reclaimed when the lease runs out; this worker carries on.
                logger.exception("outbox: could not deliver %s", row.key)
                continue
            if outcome is not None:
                self.stats[outcome.status.value] += 1
                # Group commit: take the next row only once this outcome is written, so a
                # crash leaves at most `concurrency` messages sent but not marked.
                await self._record(outcome)

    async def _record(self, outcome: Outcome) -> None:
        written = asyncio.get_running_loop().create_future()
        self._results.append(outcome)
        self._written.append(written)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())
        await written

    async def _flush_soon(self) -> None:
        if len(self._results) < self._flush_size and self._gather:
            # Sends finish one by one at the platform's pace; waiting a moment lets one
            # transaction carry several outcomes (the workers concerned wait for it).
            await self._clock.sleep(self._gather)
        await self._flush(wait=True)

    async def _flush(self, *, wait: bool) -> None:
        if self._flush_lock.locked() and not wait:
            return  # the flush in progress, or the next one, takes our outcomes
        async with self._flush_lock:
            # Loop until empty: outcomes added meanwhile by workers waiting for the lock are
            # written here in one statement; those workers then find nothing left to do.
            while self._results:
                batch = self._results[: self._flush_size]
                del self._results[: len(batch)]
                try:
                    async with self._sessionmaker() as s, s.begin():
                        await record_outcomes(s, batch)
                except Exception:
                    # Keep the outcomes: the rows stay leased to us and the next flush retries;
                    # the workers go on (a database down must not stop them all).
                    logger.exception("outbox: could not record %d outcomes", len(batch))
                    self._results[:0] = batch
                    self._release_writers()
                    with contextlib.suppress(Exception):
                        await self._clock.sleep(self._flush_interval)
                    return
            self._release_writers()

    def _release_writers(self) -> None:
        written, self._written = self._written, []
        for future in written:
            if not future.done():
                future.set_result(None)
