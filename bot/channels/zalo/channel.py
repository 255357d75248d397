"""Zalo Bot Platform channel: long polling or webhook, plain text with numbered choices.

The channel only translates. Updates become `Incoming` (see zalo_translate) and go to the sink;
`Outgoing` becomes plain-text messages with buttons as numbered choices (see zalo_render); API
errors become `SendError` (see zalo_api). The token is in every API URL, so it is registered
with the log redactor before the first call and never put into an exception.

Groups: the platform's group chats were still in testing when this was written. `getMe` says
whether this bot may join groups (`can_join_groups`); when it may not, a send to a chat known
to be a group (seen as one, or found by `group_lookup`, e.g. a linked `Chat` row) fails at once
with a PERMANENT error naming the reason, so the outbox records why a group digest was skipped
instead of retrying it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.choices import NumberedChoices
from bot.channels.redact import REDACTOR
from bot.channels.startup_retry import ATTEMPTS, FIRST_WAIT, with_backoff
from bot.channels.webhook import (
    WebhookOptions,
    WebhookReceiver,
    check_webhook_settings,
    header_secret,
    json_ok,
)
from bot.channels.zalo.api import (
    DEFAULT_BASE_URL,
    NO_UPDATE,
    ZaloBotApi,
    ZaloBotError,
    sleep_backoff,
)
from bot.channels.zalo.http import download
from bot.channels.zalo.render import render
from bot.channels.zalo.translate import bot_message_id, bot_updates, translate_bot
from handlers.types import Address, Outgoing, SendErrorKind, Sink

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
GROUPS_UNSUPPORTED = (
    "Zalo Bot Platform: this bot cannot post in groups (getMe can_join_groups=false)"
)


class ZaloBotChannel:
    """The Zalo Bot Platform side of the bot (implements `handlers.types.Channel`).

    Args:
        token: The bot token from Zalo Bot Creator. Redacted from every log line and error.
        base_url: API base (`https://bot-api.zaloplatforms.com`, or a test fake).
        webhook: Where updates come in: long polling without `webhook.url`; with it, the
            secret is required (8-256 characters, echoed in `X-Bot-Api-Secret-Token`) and
            the path defaults to `/zalo/webhook`.
        poll_timeout: Long-poll duration in seconds for getUpdates.
        request_timeout: Timeout for other calls, in seconds.
        max_download_bytes: Largest photo fetched for a user.
        drain_timeout: How long `stop()` waits for updates still being processed.
        retry_delay: First pause after a failed poll, in seconds (doubled up to 30 s).
        group_lookup: Tells whether a chat id is a group the bot knows of (outbox rows carry
            no chat type); consulted only when the bot may not post in groups.
    """

    # Start-up attempts while Zalo answers 429/5xx or not at all, and the first wait.
    start_attempts = ATTEMPTS
    start_wait = FIRST_WAIT

    name = "zalo"

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        webhook: WebhookOptions = WebhookOptions(),  # noqa: B008 - frozen, shared safely
        poll_timeout: float = 30.0,
        request_timeout: float = 10.0,
        max_download_bytes: int = 10_000_000,
        drain_timeout: float = 10.0,
        retry_delay: float = 1.0,
        group_lookup: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        check_webhook_settings(
            webhook,
            env="ZALO",
            valid=lambda secret: 8 <= len(secret) <= 256,  # what setWebhook accepts
            rule="8-256 characters",
        )
        self._api = ZaloBotApi(token, base_url, request_timeout=request_timeout)
        if webhook.secret:
            REDACTOR.add(webhook.secret)
        self._webhook_url = webhook.url
        self._secret = webhook.secret or ""
        self._poll_timeout = poll_timeout
        self._max_download = max_download_bytes
        self._drain_timeout = drain_timeout
        self._retry_delay = retry_delay
        self.choices = NumberedChoices()
        self.supports_groups: bool | None = None
        self.bot_name: str | None = None
        self._groups: deque[str] = deque(maxlen=10_000)
        self._not_groups: deque[str] = deque(maxlen=10_000)
        self._group_lookup = group_lookup
        self._recent: deque[str] = deque(maxlen=2000)
        self._sink: Sink | None = None
        self._poller: asyncio.Task[None] | None = None
        self._polling_call = False  # True while waiting in getUpdates (safe to cancel)
        self._receiver = (
            WebhookReceiver(
                "Zalo",
                header_secret(SECRET_HEADER, self._secret),
                self._process,
                key_of=self._webhook_key,
                ack=json_ok,
                options=webhook,
                default_path="/zalo/webhook",
                drain_timeout=drain_timeout,
            )
            if webhook.url
            else None
        )

    def __repr__(self) -> str:
        mode = "webhook" if self._webhook_url else "polling"
        return f"ZaloBotChannel({self.bot_name or '?'}, {mode})"

    @property
    def webhook_port(self) -> int | None:
        """The port the channel's own webhook server listens on (None if not running)."""
        return self._receiver.port if self._receiver is not None else None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, sink: Sink) -> None:
        """Check the token (getMe), then receive updates by webhook or long polling.

        Raises:
            RuntimeError: The token was rejected or Zalo could not be set up; the message
                never contains the token.
        """
        if self._sink is not None:
            raise RuntimeError("the Zalo channel is already started")
        try:
            me = await self._retrying("getMe")
            if not isinstance(me, dict):
                me = {}
            self.bot_name = str(me.get("account_name") or me.get("id") or "") or None
            self.supports_groups = bool(me.get("can_join_groups"))
            self._sink = sink
            if self._receiver is not None:
                await self._receiver.start()  # before setWebhook: Zalo may deliver right away
                await self._retrying(
                    "setWebhook", {"url": self._webhook_url, "secret_token": self._secret}
                )
            else:
                # Polling and a webhook exclude each other: getUpdates answers nothing while a
                # webhook is set, so remove any left from an earlier deployment.
                await self._api.call("deleteWebhook")
                self._poller = asyncio.create_task(self._poll_loop())
        except ZaloBotError as exc:
            await self._shutdown()
            if 401 in (exc.status, exc.code):
                raise RuntimeError("Zalo rejected ZALO_BOT_TOKEN (getMe failed)") from None
            raise RuntimeError(f"could not start the Zalo channel: {exc.reason}") from None
        except BaseException:
            await self._shutdown()
            raise
        if not self.supports_groups:
            logger.info("Zalo: %s; group messages will be refused", GROUPS_UNSUPPORTED)
        logger.info(
            "Zalo channel started as %s (%s)",
            self.bot_name,
            "webhook" if self._webhook_url else "long polling",
        )

    async def _retrying(self, method: str, params: dict[str, Any] | None = None) -> Any:
        # Start-up survives a bad minute: 429, 5xx and timeouts are retried with backoff.
        return await with_backoff(
            f"Zalo {method}",
            lambda: self._api.call(method, params) if params else self._api.call(method),
            transient=_transient,
            describe=lambda exc: getattr(exc, "reason", repr(exc)),
            attempts=self.start_attempts,
            first_wait=self.start_wait,
        )

    async def stop(self) -> None:
        """Stop receiving, finish (or after `drain_timeout` cancel) work in flight, close."""
        await self._shutdown()
        logger.info("Zalo channel stopped")

    async def _shutdown(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            if not self._polling_call:
                # Handling an update: let it finish rather than lose a half-handled message.
                await asyncio.wait({poller}, timeout=self._drain_timeout)
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)
        if self._receiver is not None:
            await self._receiver.close()
        await self._api.close()
        self._sink = None

    # -- sending ---------------------------------------------------------------------------

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send a reply as plain text: numbered choices for buttons, split under 2,000 chars.

        Raises:
            SendError: Classified failure; chunks before the failing one were delivered.
        """
        if await self._is_group(address.chat_id) and not await self._groups_allowed():
            raise ZaloBotError(SendErrorKind.PERMANENT, GROUPS_UNSUPPORTED)
        for chunk in render(self.choices, address.chat_id, outgoing):
            await self._api.call("sendMessage", {"chat_id": address.chat_id, "text": chunk})

    async def _is_group(self, chat_id: str) -> bool:
        if chat_id in self._groups:
            return True
        if self._group_lookup is None or self.supports_groups or chat_id in self._not_groups:
            return False
        if await self._group_lookup(chat_id):
            self._groups.append(chat_id)
            return True
        self._not_groups.append(chat_id)
        return False

    async def _groups_allowed(self) -> bool:
        if self.supports_groups is None:  # a send-only use never called start(): ask now
            me = await self._api.call("getMe")
            self.supports_groups = bool(isinstance(me, dict) and me.get("can_join_groups"))
        return self.supports_groups

    async def send_typing(self, address: Address) -> None:
        """Show "typing…" in the chat (sendChatAction)."""
        await self._api.call("sendChatAction", {"chat_id": address.chat_id, "action": "typing"})

    # -- receiving -------------------------------------------------------------------------

    async def _poll_loop(self) -> None:
        failures = 0
        while True:
            self._polling_call = True
            try:
                result = await self._api.call(
                    "getUpdates",
                    {"timeout": str(int(self._poll_timeout))},
                    seconds=self._poll_timeout + 10,
                )
            except ZaloBotError as exc:
                if NO_UPDATE in (exc.status, exc.code) or exc.kind is SendErrorKind.TIMEOUT:
                    failures = 0  # the long poll simply ended empty
                    continue
                failures += 1
                logger.warning("Zalo polling failed (%s), retrying", exc.reason)
                await sleep_backoff(failures, self._retry_delay)
                continue
            except Exception:  # a bug must not end polling for good
                failures += 1
                logger.exception("Zalo polling failed unexpectedly, retrying")
                await sleep_backoff(failures, self._retry_delay)
                continue
            finally:
                self._polling_call = False
            failures = 0
            for update in bot_updates(result):
                await self._handle(update)

    @staticmethod
    def _webhook_key(data: dict[str, Any]) -> str | None:
        updates = bot_updates(data)
        return bot_message_id(updates[0]) if len(updates) == 1 else None

    async def _process(self, data: dict[str, Any]) -> None:
        for update in bot_updates(data):
            await self._handle(update)

    async def _handle(self, update: dict[str, Any]) -> None:
        key = bot_message_id(update)
        if key is not None:
            if key in self._recent:
                logger.info("Zalo: update for message %s seen before, dropped", key)
                return
            self._recent.append(key)
        try:
            incoming = translate_bot(update, self.choices, self._fetcher)
            sink = self._sink
            if incoming is None or sink is None:
                return
            if not incoming.address.is_private and incoming.address.chat_id not in self._groups:
                self._groups.append(incoming.address.chat_id)
            await sink(incoming)
        except Exception:
            logger.exception("Zalo: message %s could not be handled", key)

    def _fetcher(self, url: str) -> Callable[[], Awaitable[bytes]]:
        async def fetch() -> bytes:
            """Download the photo the user sent; raises SendError."""
            return await download(self._api.session, url, self._max_download)

        return fetch


def _transient(exc: BaseException) -> float | None:
    if isinstance(exc, ZaloBotError) and exc.kind in (SendErrorKind.RETRY, SendErrorKind.TIMEOUT):
        return exc.retry_after or 0.0
    return None
