"""Zalo Official Account channel: signed webhooks in, consultation messages out.

The channel only translates: OA events become `Incoming` (see zalo.translate), `Outgoing`
becomes plain-text messages with numbered choices (see zalo.render). The OA's two platform rules
live around it, not in it: the access token is refreshed here but kept (shared by replicas)
behind the `TokenStore` interface the wiring passes in (see zalo_oa.tokens); the messaging
window is declared here (`window`, see zalo_oa.window) and checked by the outbox before each
send, so a push Zalo would refuse is recorded UNREACHABLE with its reason on the outbox row.

Webhooks carry `X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA
secret key>`, a plain SHA-256 (not an HMAC); the timestamp is the body's `timestamp` field.
The OA has no polling: the webhook URL is set in the app's settings on developers.zalo.me.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.channels.choices import NumberedChoices
from bot.channels.redact import REDACTOR
from bot.channels.webhook import WebhookOptions, WebhookReceiver, json_ok
from bot.channels.zalo.http import download
from bot.channels.zalo.render import render
from bot.channels.zalo.translate import oa_message_id, translate_oa
from bot.channels.zalo_oa.api import (
    DEFAULT_API_BASE,
    DEFAULT_OAUTH_BASE,
    OAClient,
    TokenRejected,
)
from bot.channels.zalo_oa.token_store import TokenStore
from bot.channels.zalo_oa.tokens import TokenManager, TokenUnavailable
from bot.channels.zalo_oa.window import WindowPolicy
from handlers.types import Address, Outgoing, SendError, SendErrorKind, Sink

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-ZEvent-Signature"
# Without a usable token nothing can go out; the outbox tries again after this many seconds.
_TOKEN_RETRY = 300.0


def signature(app_id: str, raw: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The MAC Zalo puts in `X-ZEvent-Signature` (hex, without the `mac=` prefix)."""
    data = app_id.encode() + raw + timestamp.encode() + oa_secret_key.encode()
    return hashlib.sha256(data).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ZaloOAChannel:
    """The Zalo OA side of the bot (implements `handlers.types.Channel`).

    Args:
        app_id: The Zalo app linked to the OA (ZALO_OA_APP_ID).
        secret_key: The app's secret key, for OAuth (ZALO_OA_SECRET_KEY).
        oa_secret_key: The OA secret key that signs webhooks (ZALO_OA_WEBHOOK_SECRET).
        tokens: Where the token pair is kept (`store.tokens.DatabaseTokenStore`).
        access_token: Configured access token (installed on first start or when new).
        refresh_token: Configured refresh token (likewise).
        api_base: OpenAPI base URL.
        oauth_base: OAuth base URL.
        window: Messaging-window rules the outbox checks before a send; None trusts the API.
        webhook: Where the webhook route lives (its path defaults to `/zalo-oa/webhook`). No
            `url` or `secret`: the URL is set on developers.zalo.me, `oa_secret_key` signs.
        request_timeout: Timeout for API calls, in seconds.
        max_download_bytes: Largest file fetched for a user.
        drain_timeout: How long `stop()` waits for events still being processed.
        clock: Current time (timezone-aware).
    """

    name = "zalo_oa"

    def __init__(
        self,
        *,
        app_id: str,
        secret_key: str,
        oa_secret_key: str,
        tokens: TokenStore,
        access_token: str | None = None,
        refresh_token: str | None = None,
        api_base: str = DEFAULT_API_BASE,
        oauth_base: str = DEFAULT_OAUTH_BASE,
        window: WindowPolicy | None = WindowPolicy(),  # noqa: B008 - frozen, shared safely
        webhook: WebhookOptions = WebhookOptions(),  # noqa: B008 - frozen, shared safely
        request_timeout: float = 10.0,
        max_download_bytes: int = 10_000_000,
        drain_timeout: float = 10.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        for value, name in (
            (app_id, "ZALO_OA_APP_ID"),
            (secret_key, "ZALO_OA_SECRET_KEY"),
            (oa_secret_key, "ZALO_OA_WEBHOOK_SECRET"),
        ):
            if not value:
                raise ValueError(f"{name} is required for the Zalo OA channel")
        if webhook.url or webhook.secret:
            raise ValueError("the Zalo OA webhook takes no URL or secret (oa_secret_key signs)")
        REDACTOR.add(oa_secret_key)
        self._app_id = app_id
        self._oa_secret = oa_secret_key
        self._configured = (access_token, refresh_token)
        self._installed = False
        self.client = OAClient(
            app_id,
            secret_key,
            api_base=api_base,
            oauth_base=oauth_base,
            request_timeout=request_timeout,
        )
        self.tokens = TokenManager(tokens, self.client, clock=clock)
        # Read by the outbox (`store.oa_window.WindowRules`) before it sends a queued row.
        self.window = window
        self.choices = NumberedChoices()
        self._max_download = max_download_bytes
        self._sink: Sink | None = None
        self._receiver = WebhookReceiver(
            "Zalo OA",
            self._verify,
            self._process,
            key_of=oa_message_id,
            ack=json_ok,
            options=webhook,
            default_path="/zalo-oa/webhook",
            drain_timeout=drain_timeout,
        )

    def __repr__(self) -> str:
        return f"ZaloOAChannel(app {self._app_id})"

    @property
    def webhook_port(self) -> int | None:
        """The port the channel's own webhook server listens on (None if not running)."""
        return self._receiver.port

    async def start(self, sink: Sink) -> None:
        """Load (or install) the token pair, then accept webhook events.

        Raises:
            RuntimeError: No token pair is configured or stored; the message says what to set.
        """
        if self._sink is not None:
            raise RuntimeError("the Zalo OA channel is already started")
        try:
            await self._install()
        except TokenUnavailable as exc:
            await self.client.close()
            raise RuntimeError(str(exc)) from None
        self._sink = sink
        await self._receiver.start()
        logger.info(
            "Zalo OA channel started (app %s, webhook %s)", self._app_id, self._receiver.path
        )

    async def stop(self) -> None:
        """Stop accepting events, finish (or cancel) work in flight, close connections."""
        await self._receiver.close()
        await self.client.close()
        self._sink = None
        logger.info("Zalo OA channel stopped")

    # -- sending ---------------------------------------------------------------------------

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send a message as plain text (the outbox checked the messaging window first).

        Raises:
            SendError: Classified failure; UNREACHABLE with a `window:` reason when Zalo says
                the person is outside the window.
        """
        for chunk in render(self.choices, address.chat_id, outgoing):
            await self._send_text(address.chat_id, chunk)

    async def _send_text(self, user_id: str, text: str) -> None:
        token = await self._token(None)
        try:
            await self.client.send_text(token, user_id, text)
            return
        except TokenRejected:
            token = await self._token(token)
        try:
            await self.client.send_text(token, user_id, text)
        except TokenRejected:
            reason = "Zalo OA rejected a freshly refreshed access token"
            raise SendError(SendErrorKind.RETRY, reason, retry_after=_TOKEN_RETRY) from None

    async def _install(self) -> None:
        if not self._installed:
            await self.tokens.install(*self._configured)
            self._installed = True

    async def _token(self, rejected: str | None) -> str:
        try:
            await self._install()  # a send-only use (a CLI job) never calls start()
            if rejected is None:
                return await self.tokens.access_token()
            return await self.tokens.rejected(rejected)
        except TokenUnavailable as exc:
            raise SendError(SendErrorKind.RETRY, str(exc), retry_after=_TOKEN_RETRY) from None

    # -- receiving -------------------------------------------------------------------------

    async def _verify(self, request: web.Request) -> bool:
        raw = await request.read()  # the signature covers the raw body
        given = request.headers.get(SIGNATURE_HEADER, "").strip().removeprefix("mac=")
        try:
            body = json.loads(raw)
        except ValueError:
            return False
        timestamp = body.get("timestamp") if isinstance(body, dict) else None
        if not isinstance(timestamp, str | int):
            return False
        expected = signature(self._app_id, raw, str(timestamp), self._oa_secret)
        return secrets.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())

    async def _process(self, event: dict[str, Any]) -> None:
        incoming = translate_oa(event, self.choices, self._fetcher)
        sink = self._sink
        if incoming is None or sink is None:
            return
        await sink(incoming)

    def _fetcher(self, url: str) -> Callable[[], Awaitable[bytes]]:
        async def fetch() -> bytes:
            """Download the file the user sent; raises SendError."""
            return await download(self.client.session, url, self._max_download)

        return fetch
