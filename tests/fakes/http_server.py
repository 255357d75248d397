"""What every fake platform server shares: real HTTP on 127.0.0.1 on an ephemeral port.

A fake subclasses `FakeHttpServer`, adds its routes in `routes()`, and gets the rest: `start()`
/ `close()` (or `async with`), `url`, a client session to post webhooks the way the platform
does (`post`), a change signal that waiters sleep on (`notify`, `wait_until`), faults queued
per endpoint (`fail`, `take_fault`), a `sleep` that ends early when the server closes (a slow
answer never holds up a test's teardown), one background task for webhook delivery, and
`read_params` for API calls sent as a query, a form, multipart or JSON.

    class FakeThing(FakeHttpServer[Fault]):
        def routes(self, app: web.Application) -> None:
            app.router.add_post("/send", self._send)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine
from typing import Any, Generic, Literal, Self, TypeVar

import aiohttp
from aiohttp import web

FaultT = TypeVar("FaultT")

# (filename, content type, bytes) of a file uploaded in a multipart form.
Uploaded = tuple[str, str, bytes]


class FakeHttpServer(Generic[FaultT]):
    """The HTTP plumbing of a fake platform; `FaultT` is the fake's own fault description."""

    def __init__(self) -> None:
        self.port = 0
        self._faults: defaultdict[str, deque[FaultT]] = defaultdict(deque)
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._background: asyncio.Task[None] | None = None

    # -- for subclasses --------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        """Add the fake's routes to `app` (called by `start`)."""
        raise NotImplementedError

    async def started(self) -> None:
        """Called once the server listens (override to set up what needs the running loop)."""

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Self:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        await self.started()
        return self

    async def close(self) -> None:
        """Wake every waiter and slow answer, stop background delivery, shut down."""
        self._closing.set()
        self.notify()
        if self._background is not None:
            self._background.cancel()
            await asyncio.gather(self._background, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        """The server root, e.g. http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def closing(self) -> bool:
        """True once `close` began."""
        return self._closing.is_set()

    # -- faults ----------------------------------------------------------------------------

    def fail(self, endpoint: str, fault: FaultT, times: int = 1) -> None:
        """Make the next `times` calls of `endpoint` suffer `fault`."""
        self._faults[endpoint].extend([fault] * times)

    def take_fault(self, endpoint: str) -> FaultT | None:
        """The next fault queued for `endpoint`, if any (it is used up)."""
        queue = self._faults[endpoint]
        return queue.popleft() if queue else None

    # -- waiting ---------------------------------------------------------------------------

    def notify(self) -> None:
        """Something changed (a call, a message, a delivery): wake whoever waits."""
        self._changed.set()
        self._changed = asyncio.Event()

    def changed(self) -> Coroutine[Any, Any, Literal[True]]:
        """A wait for the next `notify`.

        The current event is bound now: `wait_for` starts the coroutine a loop turn later, and
        a notify in between would swap in a fresh event and the wake-up would be lost.
        """
        return self._changed.wait()

    async def wait_until(self, done: Callable[[], bool], within: float = 60.0) -> None:
        """Wait (at most `within` seconds) until `done()` is true, checking on each change."""
        async with asyncio.timeout(within):
            while not done():
                await self.changed()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds`, or less if the server closes meanwhile."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), seconds)

    # -- webhooks --------------------------------------------------------------------------

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """POST `body` to a webhook as the platform does; return (status, text)."""
        assert self._session is not None, "server not started"
        async with self._session.post(url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()

    def in_background(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `work()` as the delivery task unless one is still running (cancelled at close)."""
        if self._background is None or self._background.done():
            self._background = asyncio.create_task(work())


async def read_params(
    request: web.Request,
) -> tuple[dict[str, str], dict[str, Any], dict[str, Uploaded]]:
    """An API call's parameters: (query and form fields, a JSON object body, uploaded files)."""
    fields: dict[str, str] = dict(request.query)
    typed: dict[str, Any] = {}
    uploads: dict[str, Uploaded] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                typed = body
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[key] = (value.filename, value.content_type, value.file.read())
                else:
                    fields[key] = str(value)
    return fields, typed, uploads
