"""Helpers shared by the tests: waiting for something that happens in the background.

`eventually` polls a condition until it holds, with a generous timeout: the suite must pass on
a busy machine, so the timeout only stops a test that is really stuck (it is never a speed
target; figures belong in tests/bench). Prefer waiting on an event where the code offers one.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

#: Seconds before a condition that never holds fails the test (a stuck test, not a slow one).
PATIENCE = 60.0

Condition = Callable[[], object] | Callable[[], Awaitable[object]]


async def eventually(
    condition: Condition,
    *,
    within: float = PATIENCE,
    interval: float = 0.01,
    message: str = "condition not reached",
) -> object:
    """Wait until `condition()` is truthy (it may be a coroutine function); return its value.

    Args:
        condition: Checked now and then every `interval` seconds; an async condition is
            awaited (e.g. a database query).
        within: Seconds after which the test fails with `message`.
        interval: Seconds between checks.
        message: What the failure says was not reached.

    Raises:
        AssertionError: The condition did not hold within `within` seconds.
    """
    try:
        async with asyncio.timeout(within):
            while True:
                value = condition()
                if inspect.isawaitable(value):
                    value = await value
                if value:
                    return value
                await asyncio.sleep(interval)
    except TimeoutError:
        raise AssertionError(f"{message} (waited {within:g} s)") from None
