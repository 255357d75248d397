"""Send-rate limits per channel: overall, per private chat and per group, with 429 penalties.

Each limit is a GCRA (generic cell rate algorithm, a token bucket kept as one "theoretical
arrival time"), so a bucket costs one float and an idle bucket is indistinguishable from a new
one: that is what lets us drop idle per-chat buckets and stay small with 10,000 chats.

Two priorities share the overall limit: an urgent message (a reply to someone waiting) skips
the slots bulk sends reserved and takes the next place in the one-second window, and bulk sends
hold back while an urgent one waits, so a fan-out delays an answer by one window at most.

Telegram's published limits (core.telegram.org/bots/faq, "My bot is hitting limits"): about
30 messages per second overall, no more than one per second in one chat, and 20 per minute in
one group. Zalo publishes no per-second figures, so its defaults are deliberately lower.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Limits:
    """How fast one channel may send. Rates are messages per second; bursts are messages.

    A burst of 1 means strict pacing (one message every 1/rate seconds).
    """

    global_rate: float = 30.0
    global_burst: int = 1
    private_rate: float = 1.0
    private_burst: int = 1
    group_rate: float = 20 / 60
    group_burst: int = 1
    # Seconds added to the overall limit's one-second window (see `RateLimiter`), so that the
    # platform's clock running a hair faster than ours cannot turn exact pacing into a 429.
    window_margin: float = 0.01
    # Seconds added to the gap between two messages to one chat: the platform measures the
    # gap between arrivals, and two sends paced exactly 1 s apart can arrive 0.99 s apart.
    chat_margin: float = 0.05

    def __post_init__(self) -> None:
        rates = (self.global_rate, self.private_rate, self.group_rate)
        if min(rates) <= 0 or min(self.global_burst, self.private_burst, self.group_burst) < 1:
            raise ValueError("rates must be positive and bursts at least 1")
        if self.window_margin < 0:
            raise ValueError("the window margin cannot be negative")


TELEGRAM_LIMITS = Limits()
# Zalo OA/Bot documentation gives daily quotas but no per-second limits; stay well below
# Telegram's figures until measured.
ZALO_LIMITS = Limits(global_rate=10.0, private_rate=0.5, group_rate=10 / 60)


def default_limits(channel: str) -> Limits:
    """Limits for a channel by name: Telegram's published ones, conservative ones otherwise."""
    return TELEGRAM_LIMITS if channel == "telegram" else ZALO_LIMITS


class Grant:
    """A message `RateLimiter.acquire` let through: when, for the overall window."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


class _Bucket:
    """GCRA state of one chat; the rates come from `Limits` at each use."""

    __slots__ = ("lock", "tat", "users")

    def __init__(self) -> None:
        self.tat = -math.inf  # theoretical arrival time: fresh buckets allow a full burst
        self.users = 0  # tasks waiting on or holding `lock`; such a bucket is never dropped
        self.lock = asyncio.Lock()


def _earliest(tat: float, tau: float, now: float) -> float:
    # GCRA: a send at `t` conforms when t >= tat - tau (tau is the burst tolerance).
    return max(now, tat - tau)


class RateLimiter:
    """Paces sends on one channel; `acquire` returns when a message may go out.

    The overall rate is enforced twice: a GCRA hands out evenly spaced slots, and a sliding
    window allows at most `global_rate` messages per `1 s + window_margin`. The platform counts
    a message when it *arrives*, which is after we let it go by however long the event loop,
    the HTTP client and the network take, and that delay varies: a stalled loop can hold one
    message back and then let the next ones through together, 31 in the platform's second. So
    a message whose send took longer than the fastest recent one (`settle`) counts in the
    window from that much later: it may have arrived that much later.

    Args:
        limits: The channel's rates.
        monotonic: Clock in seconds (injectable so tests drive time).
        sleep: Coroutine that waits a number of seconds on that clock.
        idle_after: How often (seconds) to drop buckets of chats that have gone quiet.
    """

    def __init__(
        self,
        limits: Limits,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        idle_after: float = 5.0,
    ) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._sleep = sleep
        self._global_interval = 1.0 / limits.global_rate
        self._global_tau = (limits.global_burst - 1) * self._global_interval
        self._global_tat = -math.inf
        self._blocked_until = -math.inf  # global 429 penalty
        # The last `global_rate` messages let through (none kept for very high rates).
        size = max(1, math.floor(limits.global_rate))
        self._window: deque[Grant] | None = deque(maxlen=size) if size <= 1000 else None
        self._window_span = 1.0 + limits.window_margin
        self._send_times: deque[float] = deque(maxlen=64)  # recent acquire-to-settle times
        self._chats: dict[Hashable, _Bucket] = {}
        self._urgent = 0  # urgent acquires waiting for the overall limit
        self._idle_after = idle_after
        self._last_sweep = monotonic()

    @property
    def tracked_chats(self) -> int:
        """Number of per-chat buckets held in memory (for tests and metrics)."""
        return len(self._chats)

    def _chat_rate(self, is_group: bool) -> tuple[float, float]:
        lim = self.limits
        rate, burst = (
            (lim.group_rate, lim.group_burst)
            if is_group
            else (lim.private_rate, lim.private_burst)
        )
        interval = 1.0 / rate + lim.chat_margin
        return interval, (burst - 1) * interval

    def chat_delay(self, chat_id: Hashable, is_group: bool) -> float:
        """Seconds until `chat_id` may receive another message (ignoring the overall rate)."""
        bucket = self._chats.get(chat_id)
        if bucket is None:
            return 0.0
        interval, tau = self._chat_rate(is_group)
        now = self._monotonic()
        delay = _earliest(bucket.tat, tau, now) - now
        # Tasks queued on the chat's lock each take one more interval.
        return delay + bucket.users * interval

    def paused_for(self) -> float:
        """Seconds the whole channel stays paused after a 429 (0 if it is not)."""
        return max(0.0, self._blocked_until - self._monotonic())

    async def acquire(
        self, chat_id: Hashable, is_group: bool, *, urgent: bool = False
    ) -> Grant | None:
        """Wait until one message to `chat_id` fits every limit, and count it.

        Messages to one chat go out in call order (a per-chat lock); the global slot is
        reserved, not polled, so many waiting tasks do not wake each other up.

        Args:
            chat_id: The destination chat.
            is_group: Whether the chat is a group (Telegram: a negative chat id).
            urgent: Go ahead of bulk sends (a reply to someone waiting for it).

        Returns:
            The message's place in the overall window: pass it to `settle` once sent.
        """
        self._sweep()
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = _Bucket()
        interval, tau = self._chat_rate(is_group)
        bucket.users += 1
        try:
            async with bucket.lock:
                while True:
                    now = self._monotonic()
                    ready = _earliest(bucket.tat, tau, now)
                    if ready > now:
                        await self._sleep(ready - now)
                        continue
                    grant = await (self._urgent_turn() if urgent else self._global_turn())
                    now = self._monotonic()
                    # A 429 for this chat may have arrived while we waited for the global slot.
                    if _earliest(bucket.tat, tau, now) <= now:
                        bucket.tat = max(bucket.tat, now) + interval
                        return grant
        finally:
            bucket.users -= 1

    def settle(self, grant: Grant | None) -> None:
        """Note that the message `acquire` let through has been sent (or has failed).

        A send slower than the fastest of the recent ones was held up (in the event loop, the
        HTTP client or the network) and may have reached the platform late by the difference;
        its place in the window moves that much later.
        """
        if grant is None:
            return
        took = max(0.0, self._monotonic() - grant.at)
        self._send_times.append(took)
        grant.at += took - min(self._send_times)

    async def _global_turn(self) -> Grant | None:
        while True:
            now = self._monotonic()
            slot = max(_earliest(self._global_tat, self._global_tau, now), self._blocked_until)
            self._global_tat = max(self._global_tat, slot) + self._global_interval
            if slot > now:
                await self._sleep(slot - now)
            # Slots handed out before a global penalty must not be used inside it.
            if self._monotonic() < self._blocked_until:
                continue
            await self._window_turn()
            if self._monotonic() >= self._blocked_until:
                return self._count()

    async def _urgent_turn(self) -> Grant | None:
        self._urgent += 1
        try:
            while True:
                now = self._monotonic()
                if now < self._blocked_until:
                    await self._sleep(self._blocked_until - now)
                    continue
                # Bulk pacing moves back by the slot this message takes.
                self._global_tat = max(self._global_tat, now) + self._global_interval
                await self._window_turn(urgent=True)
                if self._monotonic() >= self._blocked_until:
                    return self._count()
        finally:
            self._urgent -= 1

    def _count(self) -> Grant | None:
        if self._window is None:
            return None
        grant = Grant(self._monotonic())
        self._window.append(grant)
        return grant

    async def _window_turn(self, *, urgent: bool = False) -> None:
        # Check and record happen with no await in between, so two tasks woken together
        # cannot both take the last place in the window. Bulk waits while urgent ones do.
        window = self._window
        while True:
            now = self._monotonic()
            if window is not None and len(window) == window.maxlen:
                ready = window[0].at + self._window_span
                if now < ready:
                    await self._sleep(ready - now)
                    continue
            if urgent or not self._urgent:
                return
            await self._sleep(self._global_interval)

    def penalise(self, chat_id: Hashable | None, seconds: float) -> None:
        """Hold back sends after a 429 with `retry_after`.

        Args:
            chat_id: The chat the platform complained about; None to pause the whole channel.
            seconds: How long the platform asked us to wait.
        """
        if seconds <= 0:
            return
        until = self._monotonic() + seconds
        if chat_id is None:
            self._blocked_until = max(self._blocked_until, until)
            # Resume at the plain rate after the pause, not with a burst.
            self._global_tat = max(self._global_tat, until + self._global_tau)
            logger.warning("channel paused for %.1f s after a 429", seconds)
            return
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = _Bucket()
        # With tau unknown here (the kind of chat comes with `acquire`), pushing tat to `until`
        # blocks the chat until then whatever its burst; a burst of 1 is the default anyway.
        bucket.tat = max(bucket.tat, until + self._chat_tau_max())

    def _chat_tau_max(self) -> float:
        return max(self._chat_rate(False)[1], self._chat_rate(True)[1])

    def _sweep(self) -> None:
        now = self._monotonic()
        if now - self._last_sweep < self._idle_after:
            return
        self._last_sweep = now
        # A bucket whose tat has passed allows a full burst again, exactly like a new one.
        idle = [key for key, b in self._chats.items() if b.users == 0 and b.tat <= now]
        for key in idle:
            del self._chats[key]
