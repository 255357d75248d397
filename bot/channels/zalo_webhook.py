"""The webhook route both Zalo channels use: verify, acknowledge at once, process in background.

Zalo redelivers what is not acknowledged quickly (the OA expects an answer within about two
seconds), so the route answers 200 as soon as the request is verified and parsed; the work runs
in tasks kept in a set (an unreferenced task can be garbage-collected mid-flight), one at a time
in arrival order, as with polling. Redeliveries of a message already taken are acknowledged and
dropped here; the dispatcher's processed-message mark is the durable guard behind this one.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

Verify = Callable[[web.Request, bytes], bool]
Process = Callable[[dict[str, Any]], Awaitable[None]]
KeyOf = Callable[[dict[str, Any]], str | None]


class ZaloWebhookReceiver:
    """An aiohttp route that receives Zalo events.

    Args:
        name: For log lines ("Zalo", "Zalo OA").
        verify: True if the request (headers, raw body) really comes from Zalo.
        process: Called with each verified event (a JSON object), in order.
        key_of: The event's message id, to drop redeliveries (None: no dedupe).
        path: The route path.
        drain_timeout: How long `close()` lets events in progress finish before cancelling.
    """

    def __init__(
        self,
        name: str,
        verify: Verify,
        process: Process,
        *,
        key_of: KeyOf,
        path: str,
        drain_timeout: float = 10.0,
    ) -> None:
        self.name = name
        self.path = path
        self._verify = verify
        self._process = process
        self._key_of = key_of
        self._drain_timeout = drain_timeout
        self._accepting = False
        self._order = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recent: deque[str] = deque(maxlen=2000)
        self._runner: web.AppRunner | None = None

    def mount(self, app: web.Application) -> None:
        """Add the route to an application that has not started yet."""
        app.router.add_post(self.path, self.handle)

    async def serve(self, host: str, port: int) -> None:
        """Run a server of our own for the route (port 0 picks a free port)."""
        app = web.Application()
        self.mount(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    @property
    def port(self) -> int | None:
        """The port our own server listens on (None without one)."""
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    def open(self) -> None:
        """Start accepting events (before that, and after `close`, the route answers 503)."""
        self._accepting = True

    async def close(self) -> None:
        """Stop accepting, let work in progress finish (or cancel it), stop our server."""
        self._accepting = False
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=self._drain_timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle(self, request: web.Request) -> web.Response:
        """Verify, acknowledge, then process in the background."""
        raw = await request.read()
        if not self._verify(request, raw):
            logger.warning(
                "%s webhook: bad or missing signature from %s", self.name, request.remote
            )
            return web.Response(status=401)
        if not self._accepting:
            return web.Response(status=503)  # Zalo keeps the event and retries later
        try:
            data = json.loads(raw)
        except ValueError:  # also covers bytes that are not UTF-8
            return web.Response(status=400, text="invalid JSON")
        if not isinstance(data, dict):
            return web.Response(status=400, text="not an event")
        key = self._key_of(data)
        if key is not None:
            if key in self._recent:
                logger.info("%s webhook: redelivered message %s dropped", self.name, key)
                return web.json_response({"ok": True})
            self._recent.append(key)
        task = asyncio.create_task(self._run(data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.json_response({"ok": True})

    async def _run(self, data: dict[str, Any]) -> None:
        # One at a time in arrival order: a user's quick second message must not overtake the
        # first (the guided report flow depends on it).
        async with self._order:
            try:
                await self._process(data)
            except Exception:
                logger.exception("%s webhook: an event failed", self.name)
