"""Test doubles for the outbox: a channel that records sends and fails on demand, and a clock.

`RecordingChannel` implements the `Channel` protocol without any network: `sent` holds what was
delivered, `calls` every attempt, and `fail(...)` queues `SendError`s (or any exception) for the
next sends, optionally for one chat only. `FakeClock` runs virtual time: `sleep` returns as
soon as every other task is waiting too, with the clock moved to the earliest wake-up.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from handlers.types import Address, Incoming, Outgoing, Sink


class FakeClock:
    """Virtual time for the rate limiter and the dispatcher; nothing really sleeps.

    Args:
        start: Wall time at monotonic 0 (timezone-aware).
        settle: Event-loop turns to let other tasks run before time moves on; time only
            advances once every task has reached a sleep (or after this many turns).
    """

    def __init__(
        self, start: datetime = datetime(2025, 7, 15, 9, 0, tzinfo=UTC), *, settle: int = 30
    ) -> None:
        self._start = start
        self._t = 0.0
        self._settle = settle
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._runner: asyncio.Task[None] | None = None

    def now(self) -> datetime:
        """Virtual wall time."""
        return self._start + timedelta(seconds=self._t)

    def monotonic(self) -> float:
        """Virtual seconds since the start."""
        return self._t

    def advance(self, seconds: float) -> None:
        """Move time forward by hand (between dispatcher runs)."""
        self._t += seconds

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of virtual time."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (self._t + seconds, next(self._seq), fut))
        if self._runner is None or self._runner.done():
            self._runner = loop.create_task(self._run())
        await fut

    async def _run(self) -> None:
        while self._sleepers:
            for _ in range(self._settle):
                await asyncio.sleep(0)
            # Sleepers whose task was cancelled must not move time forward.
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                return
            deadline = self._sleepers[0][0]
            self._t = max(self._t, deadline)
            # Wake every sleeper due at this instant together.
            while self._sleepers and self._sleepers[0][0] <= self._t:
                _, _, fut = heapq.heappop(self._sleepers)
                if not fut.done():
                    fut.set_result(None)


@dataclass(frozen=True, slots=True)
class Sent:
    """One delivered message, with the virtual time it went out."""

    address: Address
    outgoing: Outgoing
    at: float | None


class RecordingChannel:
    """A `Channel` for tests: records sends, injects faults, can hang to simulate a crash.

    Args:
        name: Channel name (matches `Delivery.channel`).
        clock: If given, sends are stamped with `clock.monotonic()` and `latency` is virtual.
        latency: Seconds each send takes (virtual with a clock, real otherwise).
    """

    def __init__(
        self, name: str = "telegram", *, clock: FakeClock | None = None, latency: float = 0.0
    ) -> None:
        self.name = name
        self.sent: list[Sent] = []
        self.calls: list[Address] = []
        self.hang_after: int | None = None
        self._clock = clock
        self._latency = latency
        self._faults: defaultdict[str | None, deque[BaseException]] = defaultdict(deque)
        self._sink: Sink | None = None
        self._never = asyncio.Event()

    def fail(self, error: BaseException, *, chat_id: str | None = None, times: int = 1) -> None:
        """Make the next `times` sends (to `chat_id`, or to any chat) raise `error`."""
        self._faults[chat_id].extend([error] * times)

    @property
    def texts(self) -> list[str]:
        """Texts delivered, in order."""
        return [s.outgoing.text for s in self.sent]

    async def start(self, sink: Sink) -> None:
        """Remember the sink so `push` can hand it messages."""
        self._sink = sink

    async def push(self, text: str, chat_id: str = "1") -> None:
        """Simulate a user writing `text`."""
        assert self._sink is not None, "start() the channel first"
        await self._sink(Incoming(Address(self.name, chat_id, chat_id), text=text))

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Record one send, or raise the next queued fault."""
        self.calls.append(address)
        if self._latency:
            if self._clock is not None:
                await self._clock.sleep(self._latency)
            else:
                await asyncio.sleep(self._latency)
        faults = self._faults.get(address.chat_id) or self._faults.get(None)
        if faults:
            raise faults.popleft()
        if self.hang_after is not None and len(self.sent) >= self.hang_after:
            await self._never.wait()  # a send that never returns: the process "crashes" here
        at = self._clock.monotonic() if self._clock is not None else None
        self.sent.append(Sent(address, outgoing, at))

    async def stop(self) -> None:
        """Nothing to release."""
