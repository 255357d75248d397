"""Work a handler hands off to run after its transaction: slow, database-free steps.

Reading an uploaded directive takes seconds in a worker process. Awaited inside the handler, it
would keep the message's transaction (and SQLite's write lock) open and, on channels that feed
updates one at a time, keep every other official waiting. Instead the handler replies at once
("đang đọc…") and calls `Context.defer(work, then)`: the dispatcher sends the replies, commits,
and returns to the channel; in the background `work()` runs with no session, then `then(ctx,
result)` runs in a fresh transaction with a fresh `Context` for the same message, and its
replies are sent like any others.

The step itself (`Later`) is part of the handler's `Context` (handlers.context); this module
holds only what runs them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

logger = logging.getLogger(__name__)


class Background:
    """The deferred steps in flight; referenced so they are not garbage-collected."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` in the background."""
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def busy(self) -> bool:
        """Whether any deferred step is still running."""
        return bool(self._tasks)

    async def idle(self) -> None:
        """Wait until every deferred step (and any it started) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
