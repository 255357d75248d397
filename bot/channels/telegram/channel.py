"""Telegram channel: python-telegram-bot inside our event loop, by long polling or webhook.

The channel only translates. Updates become `Incoming` (see telegram.translate) and go to the
sink; `Outgoing` becomes HTML messages, keyboards and files (see telegram.render), sent by
telegram.outbound; PTB errors become `SendError` (see telegram.errors). This module holds the
lifecycle (polling or webhook) and the receiving side. PTB's JobQueue is never built: the
scheduler owns time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.channels.redact import REDACTOR
from bot.channels.startup_retry import ATTEMPTS, FIRST_WAIT, with_backoff
from bot.channels.telegram.errors import (
    describe_error,
    short_reason,
    to_send_error,
    transient_wait,
)
from bot.channels.telegram.outbound import TelegramOutbound
from bot.channels.telegram.render import file_base_url
from bot.channels.telegram.send import BotApiSender
from bot.channels.telegram.translate import ALLOWED_UPDATES, translate, update_id_of
from bot.channels.webhook import (
    WebhookOptions,
    WebhookReceiver,
    check_webhook_settings,
    header_secret,
)
from handlers.types import Address, Attachment, Outgoing, Sink

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook accepts

# PTB ≥ 22.2 builds RetryAfter through a deprecated int-valued property (a warning on every 429)
# unless this opt-in to timedelta time periods is set. PTB reads it at call time.
os.environ.setdefault("PTB_TIMEDELTA", "true")


class TelegramChannel:
    """The Telegram side of the bot (implements `handlers.types.Channel`).

    Args:
        token: The bot token. It is redacted from every log line and error message.
        base_url: Bot API base, the token is appended (PTB's `base_url`); files are served
            from the matching `/file/bot` route.
        webhook: Where updates come in: long polling without `webhook.url`; with it, the
            secret is required (Telegram echoes it in a header) and the path defaults to
            `/telegram/webhook`.
        poll_timeout: Long-poll duration in seconds for getUpdates.
        request_timeout: Read/write timeout for Bot API calls, in seconds.
        media_timeout: Timeout for uploads and downloads, in seconds.
        drain_timeout: How long `stop()` waits for updates still being processed.
        start_attempts: getMe and setWebhook attempts at start-up while Telegram answers 5xx,
            429 or not at all (see `bot.channels.startup_retry`).
        start_wait: Wait after the first failed start-up attempt (doubled each time).
    """

    name = "telegram"

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        webhook: WebhookOptions = WebhookOptions(),  # noqa: B008 - frozen, shared safely
        poll_timeout: float = 30.0,
        request_timeout: float = 10.0,
        media_timeout: float = 60.0,
        drain_timeout: float = 10.0,
        start_attempts: int = ATTEMPTS,
        start_wait: float = FIRST_WAIT,
    ) -> None:
        if not token:
            raise ValueError("the Telegram bot token is empty")
        check_webhook_settings(
            webhook,
            env="TELEGRAM",
            valid=SECRET_FORMAT.match,
            rule="1-256 characters of A-Z, a-z, 0-9, _ and -",
        )
        REDACTOR.add(token)  # before PTB logs its first URL
        if webhook.secret:
            # PTB's debug log prints setWebhook's parameters, secret_token included.
            REDACTOR.add(webhook.secret)
        self._token = token
        self._webhook_url = webhook.url
        self._secret = webhook.secret or ""
        self._poll_timeout = poll_timeout
        self._start_attempts = start_attempts
        self._start_wait = start_wait
        self._media_timeout = media_timeout
        self._sink: Sink | None = None
        self._username: str | None = None
        self._receiver = (
            WebhookReceiver(
                "Telegram",
                header_secret(SECRET_HEADER, self._secret),
                self._process,
                key_of=update_id_of,
                noun="update",
                options=webhook,
                default_path="/telegram/webhook",
                drain_timeout=drain_timeout,
            )
            if webhook.url
            else None
        )
        self._app = _application(
            token,
            base_url,
            polling=not webhook.url,
            request_timeout=request_timeout,
            media_timeout=media_timeout,
        )
        self._app.add_handler(TypeHandler(Update, self._on_update))
        fast = BotApiSender(token, base_url, request_timeout=request_timeout)
        self._out = TelegramOutbound(self._app, fast)

    def __repr__(self) -> str:
        # PTB's Bot repr shows the token; make sure ours never leads anyone there.
        mode = "webhook" if self._webhook_url else "polling"
        return f"TelegramChannel(@{self._username or '?'}, {mode})"

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def bot_username(self) -> str | None:
        """The bot's @username from getMe (None before `start`)."""
        return self._username

    @property
    def webhook_port(self) -> int | None:
        """The port the channel's own webhook server listens on (None if not running)."""
        return self._receiver.port if self._receiver is not None else None

    async def start(self, sink: Sink) -> None:
        """Check the token (getMe), then receive updates by webhook or long polling.

        Raises:
            RuntimeError: The token was rejected or Telegram could not be set up; the message
                never contains the token.
        """
        if self._sink is not None:
            raise RuntimeError("the Telegram channel is already started")
        REDACTOR.add(self._token)
        try:
            await self._retrying("getMe", self._app.initialize)
            self._out.ready = True
            self._username = self._app.bot.username
            self._sink = sink
            await self._app.start()
            if self._webhook_url:
                await self._start_webhook()
            else:
                # PTB calls deleteWebhook first (polling and a webhook exclude each other) and
                # resumes from the offset it keeps, so nothing pending is dropped.
                await self._app.updater.start_polling(  # type: ignore[union-attr]
                    timeout=dt.timedelta(seconds=self._poll_timeout),
                    allowed_updates=list(ALLOWED_UPDATES),
                    drop_pending_updates=False,
                    bootstrap_retries=3,
                    error_callback=self._on_poll_error,
                )
        except InvalidToken:
            await self._shutdown()
            raise RuntimeError("Telegram rejected TELEGRAM_BOT_TOKEN (getMe failed)") from None
        except TelegramError as exc:
            await self._shutdown()
            raise RuntimeError(
                f"could not start the Telegram channel: {short_reason(exc)}"
            ) from None
        except BaseException:
            await self._shutdown()
            raise
        logger.info(
            "Telegram channel started as @%s (%s)",
            self._username,
            "webhook" if self._webhook_url else "long polling",
        )

    async def stop(self) -> None:
        """Stop receiving, finish (or after `drain_timeout` cancel) work in flight, close."""
        await self._shutdown()
        logger.info("Telegram channel stopped")

    async def _shutdown(self) -> None:
        updater = self._app.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self._receiver is not None:
            await self._receiver.close()
        if self._app.running:
            await self._app.stop()
        await self._app.shutdown()
        await self._out.close()
        self._sink = None

    # -- sending (see telegram.outbound) ---------------------------------------------------

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send a reply: HTML chunks (keyboard on the last), then attachments.

        Raises:
            SendError: Classified failure; chunks before the failing one were delivered.
        """
        await self._out.send(address, outgoing)

    async def edit(self, address: Address, message_id: str, outgoing: Outgoing) -> None:
        """Replace the text and keyboard of a message the bot sent (e.g. after a button).

        Raises:
            SendError: As for `send`; PERMANENT if the text needs more than one message.
        """
        await self._out.edit(address, message_id, outgoing)

    async def upload(self, address: Address, attachment: Attachment, caption: str = "") -> str:
        """Send a file's bytes to one chat and return the reference to send it again by.

        Telegram keeps every file a bot sent; its `file_id` then goes to any chat without a
        new upload (`Attachment.ref`). `nhacviec broadcast --file` uses this.

        Raises:
            SendError: As for `send`.
        """
        return await self._out.upload(address, attachment, caption)

    async def send_typing(self, address: Address) -> None:
        """Show "typing…" in the chat for a few seconds (sendChatAction)."""
        await self._out.send_typing(address)

    async def set_commands(
        self,
        commands_by_locale: dict[str, list[tuple[str, str]]],
        *,
        default_locale: str = "vi",
    ) -> None:
        """Publish the command menu per language, and the default-locale one for the rest.

        Args:
            commands_by_locale: `{"vi": [("due", "Việc sắp đến hạn"), ...], "en": [...]}`.
            default_locale: Whose list users with any other app language see.
        """
        await self._out.set_commands(commands_by_locale, default_locale)

    async def _ensure_bot(self) -> None:
        await self._out.ensure_bot()

    async def _call(self, awaitable: Awaitable[Any]) -> Any:
        return await self._out.call(awaitable)

    # -- receiving -------------------------------------------------------------------------

    async def _start_webhook(self) -> None:
        assert self._receiver is not None
        await self._receiver.start()  # before setWebhook: Telegram may deliver right away
        await self._retrying(
            "setWebhook",
            lambda: self._app.bot.set_webhook(
                url=self._webhook_url or "",
                secret_token=self._secret,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            ),
        )

    async def _retrying(self, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
        return await with_backoff(
            f"Telegram {what}",
            call,
            transient=transient_wait,
            describe=describe_error,
            attempts=self._start_attempts,
            first_wait=self._start_wait,
        )

    async def _process(self, data: dict[str, Any]) -> None:
        """A verified webhook update: parse it and run it through PTB like a polled one."""
        await self._app.process_update(Update.de_json(data, self._app.bot))

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any update PTB hands us: translate it and pass it to the sink."""
        if update.callback_query is not None:
            await self._answer(update.callback_query)
        incoming = translate(update, bot_username=self._username, fetcher=self._fetcher)
        sink = self._sink
        if incoming is None or sink is None:
            return
        try:
            await sink(incoming)
        except Exception:
            logger.exception("Telegram update %s: the sink failed", update.update_id)

    async def _answer(self, query: CallbackQuery) -> None:
        # Stops the button's spinner; Telegram shows an error to the user if we never answer.
        try:
            await query.answer()
        except TelegramError as exc:
            logger.info("Telegram: could not answer a button press: %s", exc.message)

    def _on_poll_error(self, exc: TelegramError) -> None:
        logger.warning("Telegram polling failed, retrying: %s", REDACTOR.redact(exc.message))

    def _fetcher(self, file_id: str) -> Callable[[], Awaitable[bytes]]:
        async def fetch() -> bytes:
            """Download the file (getFile, then the file URL); raises SendError."""
            await self._ensure_bot()
            try:
                file = await self._app.bot.get_file(file_id)
                data = await file.download_as_bytearray(read_timeout=self._media_timeout)
            except TelegramError as exc:
                raise to_send_error(exc) from None
            return bytes(data)

        return fetch


def _application(
    token: str, base_url: str, *, polling: bool, request_timeout: float, media_timeout: float
) -> Application[Any, Any, Any, Any, Any, Any]:
    """PTB's application for the channel: our timeouts, no retries, no JobQueue."""
    # No retries inside PTB/httpx: a retried sendMessage could deliver twice; the outbox
    # decides. Generous pool: the outbox sends to many chats at once.
    request = HTTPXRequest(
        connection_pool_size=64,
        connect_timeout=min(5.0, request_timeout),
        read_timeout=request_timeout,
        write_timeout=request_timeout,
        pool_timeout=request_timeout,
        media_write_timeout=media_timeout,
    )
    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_base_url(base_url))
        .request(request)
        .job_queue(None)
    )
    if not polling:
        return builder.updater(None).build()
    # getUpdates gets its own connection; PTB adds the long-poll time to read_timeout.
    return builder.get_updates_request(
        HTTPXRequest(
            connection_pool_size=1,
            connect_timeout=min(5.0, request_timeout),
            read_timeout=request_timeout,
            write_timeout=request_timeout,
            pool_timeout=request_timeout,
        )
    ).build()


async def fetch_username(token: str, base_url: str = DEFAULT_BASE_URL) -> str | None:
    """Ask getMe for the bot's @username (for `t.me/<bot>?start=` deep links)."""
    channel = TelegramChannel(token, base_url=base_url)
    REDACTOR.add(token)
    try:
        await channel._ensure_bot()
        return channel._app.bot.username
    finally:
        await channel._shutdown()
