"""Run a command's coroutine and always come back, even when a task will not finish.

`asyncio.run` cancels what is left when the command returns and then waits for it without a
bound. One left-over task that swallows its cancellation and waits on something that never
comes keeps the process alive for ever. That happens with SQLAlchemy and aiosqlite 0.22: a
database call cancelled mid-flight (a dispatcher cancelled after its grace period) leaves a
"graceful close" task awaiting the connection thread that the forced close has already
stopped. Here left-over tasks are cancelled, waited for a bounded time, cancelled again (a
second cancellation interrupts a wait inside a `finally`), and left behind with a warning if
they still do not end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a left-over task gets after its first cancellation, then after each further one.
FIRST_WAIT = 2.0
CANCEL_ROUNDS = 3


def run(main: Coroutine[Any, Any, T], *, shutdown_timeout: float = 10.0) -> T:
    """Run `main` in a new event loop and close the loop within about `shutdown_timeout`.

    Args:
        main: The command's coroutine.
        shutdown_timeout: Seconds at most for left-over tasks and the default executor.

    Returns:
        What `main` returned.

    Raises:
        KeyboardInterrupt: Ctrl-C while `main` ran (after the clean-up).
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    task = loop.create_task(main)
    try:
        return loop.run_until_complete(task)
    finally:
        try:
            finish_tasks(loop, shutdown_timeout)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(_shutdown_executor(loop, shutdown_timeout))
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def finish_tasks(loop: asyncio.AbstractEventLoop, timeout: float) -> set[asyncio.Task[Any]]:
    """Cancel every task still on `loop` and wait for them, a bounded time.

    Returns:
        The tasks that did not end (left behind; the caller closes the loop anyway).
    """
    pending = asyncio.all_tasks(loop)
    deadline = loop.time() + timeout
    for attempt in range(CANCEL_ROUNDS):
        if not pending:
            break
        for task in pending:
            task.cancel()
        left = deadline - loop.time()
        wait = min(FIRST_WAIT, left) if attempt < CANCEL_ROUNDS - 1 else left
        done, pending = loop.run_until_complete(asyncio.wait(pending, timeout=max(wait, 0.05)))
        _report_failures(loop, done)
    if pending:
        logger.warning(
            "%d task(s) did not end at exit and were left behind: %s",
            len(pending),
            ", ".join(sorted(t.get_name() for t in pending)),
        )
    return pending


def _report_failures(loop: asyncio.AbstractEventLoop, done: set[asyncio.Task[Any]]) -> None:
    """Hand unexpected errors of finished tasks to the loop's handler, as `asyncio.run` does."""
    for task in done:
        if task.cancelled():
            continue
        error = task.exception()
        if error is not None:
            loop.call_exception_handler(
                {
                    "message": "unhandled exception during shutdown",
                    "exception": error,
                    "task": task,
                }
            )


async def _shutdown_executor(loop: asyncio.AbstractEventLoop, seconds: float) -> None:
    """Join the default executor's threads, but not for longer than `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            await loop.shutdown_default_executor()
    except TimeoutError:
        logger.warning("worker threads still busy at exit after %.0f s", seconds)
