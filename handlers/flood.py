"""Per-user flood control: a token bucket per person, checked before any database work.

Someone who sends far more than a person types (a stuck client, a script, a forwarded batch)
gets one polite answer and then silence until their bucket refills; their messages are dropped
rather than queued, so one sender can never pile up unbounded work for everyone else.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with one message: handle it, or drop it (and maybe say why, once)."""

    allowed: bool
    warn: bool = False
    retry_after: float = 0.0


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class FloodGuard:
    """Token buckets keyed by sender.

    Args:
        burst: Messages a person may send at once (a guided report is about six taps).
        per_second: Sustained rate the bucket refills at.
        max_keys: Senders remembered; the least recently seen are forgotten first (a full
            bucket carries no information, so forgetting one is harmless).
    """

    def __init__(
        self, *, burst: int = 15, per_second: float = 0.5, max_keys: int = 50_000
    ) -> None:
        if burst < 1 or per_second <= 0 or max_keys < 1:
            raise ValueError("burst and max_keys must be >= 1 and per_second > 0")
        self.burst = float(burst)
        self.per_second = per_second
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def check(self, key: str, now: float, cost: float = 1.0) -> Verdict:
        """Spend `cost` tokens of `key`'s bucket at time `now` (seconds, any monotonic origin).

        Returns:
            `allowed` when there were tokens; otherwise `warn` is true for the first refused
            message of a burst only, and `retry_after` says when one message will pass again.
        """
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(self.burst, now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            elapsed = max(0.0, now - bucket.stamp)
            bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.per_second)
            bucket.stamp = now
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            bucket.warned = False
            return Verdict(True)
        retry_after = (cost - bucket.tokens) / self.per_second
        warn = not bucket.warned
        bucket.warned = True
        if warn:
            logger.info("flood control: throttling %s", key.split(":", 1)[0])
        return Verdict(False, warn, retry_after)

    def __len__(self) -> int:
        return len(self._buckets)
