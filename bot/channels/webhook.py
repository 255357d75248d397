"""The webhook route every channel uses: verify, acknowledge at once, process in background.

Telegram and Zalo redeliver what is not acknowledged quickly (Telegram waits for our answer
before sending the next update; the Zalo OA expects one within about two seconds), so the route
answers as soon as the request is verified and parsed. The work runs in tasks kept in a set (an
unreferenced task can be garbage-collected mid-flight), one at a time in arrival order, as with
polling. Redeliveries of an update already taken are acknowledged and dropped here; the
dispatcher's processed-message mark is the durable guard behind this one.

What differs between platforms is passed in: how a request is verified (a shared secret in a
header, or the OA's signature over the body), how an update is identified, and the answer.
Where the route lives is the same six settings for every channel: `WebhookOptions`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

Verify = Callable[[web.Request], Awaitable[bool]]
Process = Callable[[dict[str, Any]], Awaitable[None]]
KeyOf = Callable[[dict[str, Any]], Hashable | None]
Ack = Callable[[], web.Response]

# Recent update keys kept for dropping redeliveries (platforms redeliver within minutes).
_REMEMBER = 2000
# Largest webhook body read. Telegram's and Zalo's updates are a few KB (files come by
# reference); a bigger body is refused before it is read, so it cannot stall the route.
MAX_BODY = 1_000_000


@dataclass(frozen=True, slots=True)
class WebhookOptions:
    """Where and how a channel receives its webhook (the same six settings on every platform).

    Args:
        url: Public HTTPS URL the platform posts updates to; None means long polling (Telegram,
            Zalo Bot Platform). The Zalo OA has its URL set on developers.zalo.me: none here.
        secret: Shared secret the platform echoes in a header; required with `url`.
        app: An aiohttp application to mount the route on (before it starts); without one the
            channel runs its own server on `host:port`.
        host: Interface for the channel's own webhook server.
        port: Port for it; 0 picks a free one (see the channel's `webhook_port` after start).
        path: Route path; None takes the channel's default.
    """

    url: str | None = None
    secret: str | None = field(default=None, repr=False)
    app: web.Application | None = None
    host: str = "127.0.0.1"
    port: int = 0
    path: str | None = None


def check_webhook_settings(
    options: WebhookOptions,
    *,
    env: str,
    valid: Callable[[str], object],
    rule: str,
) -> None:
    """Raise ValueError unless the webhook URL and secret are set together, the secret valid.

    Args:
        options: The configured webhook (no `url`: polling).
        env: Prefix of the settings' environment names (`TELEGRAM`, `ZALO`), for the message.
        valid: Whether the platform's setWebhook accepts a secret (any true value: yes).
        rule: What `valid` demands, in words, for the message.
    """
    url, secret = options.url, options.secret
    if url and not (secret and valid(secret)):
        raise ValueError(f"{env}_WEBHOOK_SECRET must be {rule}")
    if secret and not url:
        raise ValueError(f"{env}_WEBHOOK_SECRET is set but {env}_WEBHOOK_URL is not")


def header_secret(header: str, secret: str) -> Verify:
    """A `Verify` that compares `header` with the secret given to setWebhook."""
    expected = secret.encode()

    async def verify(request: web.Request) -> bool:
        given = request.headers.get(header, "")
        # Bytes, because compare_digest refuses non-ASCII str and the header is untrusted.
        return secrets.compare_digest(given.encode("utf-8", "surrogateescape"), expected)

    return verify


def json_ok() -> web.Response:
    """The acknowledgement Zalo expects: `{"ok": true}`."""
    return web.json_response({"ok": True})


class WebhookReceiver:
    """An aiohttp route that receives one platform's updates.

    Args:
        name: The platform, for log lines ("Telegram", "Zalo", "Zalo OA").
        verify: True if the request really comes from the platform. It runs before the body
            is read unless it reads the body itself (`await request.read()` is cached).
        process: Called with each verified update (a JSON object), one at a time, in order.
        key_of: The update's id, to drop redeliveries (None: no dedupe). Raises ValueError
            for a JSON object that is not an update at all (answered 400).
        noun: What the platform calls one delivery ("update", "event"), for answers and logs.
        ack: The answer to a verified update (also to a dropped redelivery).
        options: Where the route lives: mounted on `options.app` (before it starts), or
            without one on a server of our own that `start` runs on `options.host:port`.
        default_path: The route path when `options.path` is not set.
        drain_timeout: How long `close()` lets updates in progress finish before cancelling.
        max_body: Largest body accepted, in bytes (413 beyond, before reading it).
    """

    def __init__(
        self,
        name: str,
        verify: Verify,
        process: Process,
        *,
        key_of: KeyOf,
        noun: str = "event",
        ack: Ack = web.Response,
        options: WebhookOptions,
        default_path: str,
        drain_timeout: float = 10.0,
        max_body: int = MAX_BODY,
    ) -> None:
        self.name = name
        self._max_body = max_body
        self.path = path = options.path or default_path
        self._verify = verify
        self._process = process
        self._key_of = key_of
        self._noun = noun
        self._ack = ack
        self._own_server = (options.host, options.port) if options.app is None else None
        self._drain_timeout = drain_timeout
        self._accepting = False
        self._order = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recent: deque[Hashable] = deque(maxlen=_REMEMBER)
        self._runner: web.AppRunner | None = None
        if options.app is not None:
            options.app.router.add_post(path, self.handle)

    @property
    def port(self) -> int | None:
        """The port our own server listens on (None without one)."""
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        """Start our own server (without an app), then accept updates.

        Call it before telling the platform the URL (setWebhook): it may deliver right away.
        Before this, and after `close`, the route answers 503 and the platform retries later.
        """
        if self._own_server is not None and self._runner is None:
            app = web.Application()
            app.router.add_post(self.path, self.handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
            await self._runner.setup()
            await web.TCPSite(self._runner, *self._own_server).start()
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
        """Refuse an oversized body, verify, acknowledge, then process in the background."""
        if request.content_length is not None and request.content_length > self._max_body:
            return self._too_large(request)
        if request.content_length is None and request.body_exists:
            # Chunked: read at most one byte past the limit (verify may read the body later;
            # aiohttp then serves it from this read).
            body = bytearray()
            while len(body) <= self._max_body:
                chunk = await request.content.read(self._max_body + 1 - len(body))
                if not chunk:
                    break
                body += chunk
            if len(body) > self._max_body:
                return self._too_large(request)
            request._read_bytes = bytes(body)  # what `request.read()` returns from now on
        if not await self._verify(request):
            logger.warning(
                "%s webhook: bad or missing secret or signature from %s",
                self.name,
                request.remote,
            )
            return web.Response(status=401)
        if not self._accepting:
            return web.Response(status=503)  # the platform keeps the update and retries later
        try:
            data = json.loads(await request.read())
        except ValueError:  # also covers bytes that are not UTF-8
            return web.Response(status=400, text="invalid JSON")
        if not isinstance(data, dict):
            return self._not_an_update()
        try:
            key = self._key_of(data)
        except ValueError:
            return self._not_an_update()
        if key is not None:
            if key in self._recent:
                logger.info("%s webhook: redelivered %s %s dropped", self.name, self._noun, key)
                return self._ack()
            self._recent.append(key)
        task = asyncio.create_task(self._run(data, key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return self._ack()

    def _too_large(self, request: web.Request) -> web.Response:
        logger.warning("%s webhook: body over %d bytes refused", self.name, self._max_body)
        # Close the connection rather than read (drain) the rest of the body.
        return web.Response(status=413, headers={"Connection": "close"})

    def _not_an_update(self) -> web.Response:
        return web.Response(status=400, text=f"not an {self._noun}")

    async def _run(self, data: dict[str, Any], key: Hashable | None) -> None:
        # One at a time in arrival order: a user's quick second message must not overtake the
        # first (the guided report flow depends on it).
        async with self._order:
            try:
                await self._process(data)
            except Exception:
                what = f"an {self._noun}" if key is None else f"{self._noun} {key}"
                logger.exception("%s webhook: %s failed", self.name, what)
