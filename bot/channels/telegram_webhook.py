"""The Telegram webhook route: verify the secret, acknowledge at once, process in background.

Telegram waits for our answer before sending the next update and redelivers what we do not
acknowledge, so the route answers 200 as soon as the update is verified and parsed; the work
happens in tasks kept in a set (an unreferenced task can be garbage-collected mid-flight).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook accepts

Process = Callable[[dict[str, Any]], Awaitable[None]]


class WebhookReceiver:
    """An aiohttp route that receives Telegram updates.

    Args:
        secret: The `secret_token` given to setWebhook; Telegram sends it in a header.
        process: Called with each verified update (a JSON object), one at a time, in order.
        path: The route path.
        drain_timeout: How long `close()` lets updates in progress finish before cancelling.
    """

    def __init__(self, secret: str, process: Process, *, path: str, drain_timeout: float) -> None:
        self.path = path
        self._secret = secret.encode()
        self._process = process
        self._drain_timeout = drain_timeout
        self._accepting = False
        self._order = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recent: deque[int] = deque(maxlen=1000)
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
        """Start accepting updates (before that, and after `close`, the route answers 503)."""
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
        given = request.headers.get(SECRET_HEADER, "")
        # Bytes, because compare_digest refuses non-ASCII str and the header is untrusted.
        if not secrets.compare_digest(given.encode("utf-8", "surrogateescape"), self._secret):
            logger.warning("Telegram webhook: bad or missing secret from %s", request.remote)
            return web.Response(status=401)
        if not self._accepting:
            return web.Response(status=503)  # Telegram keeps the update and retries later
        try:
            data = json.loads(await request.read())
        except ValueError:  # also covers bytes that are not UTF-8
            return web.Response(status=400, text="invalid JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        # Telegram redelivers when an acknowledgement is lost; handle each update once.
        if data["update_id"] in self._recent:
            return web.Response()
        self._recent.append(data["update_id"])
        task = asyncio.create_task(self._run(data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response()

    async def _run(self, data: dict[str, Any]) -> None:
        # One at a time in arrival order, as with polling: a user's quick second message must
        # not overtake the first.
        async with self._order:
            try:
                await self._process(data)
            except Exception:
                logger.exception("Telegram webhook: update %s failed", data.get("update_id"))
