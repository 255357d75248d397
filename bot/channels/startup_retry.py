"""Start-up calls that survive a bad minute: retried with backoff while the error is transient.

A platform that answers 500 or drops the connection for a moment at start-up must not make
`nhacviec run` exit (a supervisor restart loop would hammer it further); a rejected token or a
refused setting will not get better and ends start-up at once, in one line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Waits between attempts: 1, 2, 4, 8, 16, 30, 30 s (about 1.5 minutes in all).
ATTEMPTS = 8
FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


async def with_backoff(
    what: str,
    call: Callable[[], Awaitable[T]],
    *,
    transient: Callable[[BaseException], float | None],
    describe: Callable[[BaseException], str] = str,
    attempts: int = ATTEMPTS,
    first_wait: float = FIRST_WAIT,
    longest_wait: float = LONGEST_WAIT,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run `call`, retrying while `transient` says the error may pass; re-raise otherwise.

    Args:
        what: The call, for the log ("Telegram getMe").
        call: Makes one attempt.
        transient: For an error: None if permanent, else the least wait in seconds (a 429's
            `retry_after`, or 0).
        describe: One-line text of an error for the warning (no traceback is logged).
        attempts: Attempts in all.
        first_wait: Wait after the first failure; doubled each time up to `longest_wait`.
        sleep: Waits (injectable for tests).

    Returns:
        What `call` returned.
    """
    wait = first_wait
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except Exception as exc:
            least = transient(exc)
            if least is None or attempt == attempts:
                raise
            pause = max(wait, least)
            logger.warning(
                "%s failed (%s), attempt %d of %d; retrying in %.0f s",
                what,
                describe(exc),
                attempt,
                attempts,
                pause,
            )
        await sleep(pause)
        wait = min(wait * 2, longest_wait)
    raise AssertionError("unreachable")  # pragma: no cover
