"""What the Telegram channel sends: messages, edits, uploads, chat actions and the command menu.

Text goes over the plain aiohttp `BotApiSender` (the hot path, see telegram.send); files, edits
and everything else through PTB's bot. PTB errors become `SendError` (see telegram.errors).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, InputFile, LinkPreviewOptions
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.channels.telegram.errors import mentions_token, to_send_error
from bot.channels.telegram.render import as_caption, is_photo, keyboard, render
from bot.channels.telegram.send import BotApiSender
from bot.channels.telegram.translate import chat_id_of
from handlers.markup import to_html
from handlers.types import Address, Attachment, Outgoing, SendError, SendErrorKind

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramOutbound:
    """Sends through one PTB application (and the fast sender for text).

    Args:
        app: The channel's PTB application (its bot is initialised lazily here).
        fast: The aiohttp sender for sendMessage.
    """

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], fast: BotApiSender) -> None:
        self._app = app
        self._fast = fast
        self._init_lock = asyncio.Lock()
        self.ready = False  # the bot was initialised (getMe answered)

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """HTML chunks (keyboard on the last), then attachments; raises SendError."""
        chunks = render(outgoing)  # validates buttons before anything goes out
        chat_id = chat_id_of(address)
        await self.ensure_bot()
        bot = self._app.bot
        caption = as_caption(outgoing)
        if caption is not None:
            # A document sent by reference (a broadcast) with a short text goes as one
            # captioned message: two messages to one chat back to back break its 1/s limit.
            file = outgoing.attachments[0]
            send = bot.send_photo if is_photo(file) else bot.send_document
            await self.call(
                send(
                    chat_id,
                    file.ref,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(outgoing.buttons),
                )
            )
            return
        for chunk in chunks:
            params: dict[str, Any] = {
                "chat_id": chat_id,
                "text": chunk.html,
                "parse_mode": ParseMode.HTML.value,
                "link_preview_options": {"is_disabled": True},
            }
            if chunk.keyboard is not None:
                params["reply_markup"] = chunk.keyboard.to_dict()
            await self._fast.send_message(params)  # aiohttp, not PTB: see telegram.send
        # Without text, the keyboard rides on the last attachment.
        markup = keyboard(outgoing.buttons) if not chunks else None
        last = len(outgoing.attachments) - 1
        for index, attachment in enumerate(outgoing.attachments):
            upload: InputFile | str = attachment.ref  # a file_id Telegram already holds
            if not attachment.ref:
                upload = InputFile(attachment.content, filename=attachment.name)
                upload.mimetype = attachment.mime  # PTB would guess it from the file name
            extra: dict[str, Any] = {"reply_markup": markup if index == last else None}
            if is_photo(attachment):
                await self.call(bot.send_photo(chat_id, upload, **extra))
            else:
                await self.call(bot.send_document(chat_id, upload, **extra))

    async def edit(self, address: Address, message_id: str, outgoing: Outgoing) -> None:
        """Replace a sent message's text and keyboard; raises SendError."""
        chunks = render(outgoing)
        if len(chunks) != 1:
            raise SendError(SendErrorKind.PERMANENT, "an edited message must be 1-4096 chars")
        await self.ensure_bot()
        try:
            await self._app.bot.edit_message_text(
                chunks[0].html,
                chat_id=chat_id_of(address),
                message_id=int(message_id),
                parse_mode=ParseMode.HTML,
                reply_markup=chunks[0].keyboard,
                link_preview_options=_NO_PREVIEW,
            )
        except BadRequest as exc:
            # Telegram refuses an edit that changes nothing; the message already says it.
            if "message is not modified" not in exc.message.lower():
                raise to_send_error(exc) from None

    async def upload(self, address: Address, attachment: Attachment, caption: str = "") -> str:
        """Send a file's bytes to one chat and return its `file_id`; raises SendError."""
        await self.ensure_bot()
        upload = InputFile(attachment.content, filename=attachment.name)
        upload.mimetype = attachment.mime
        message = await self.call(
            self._app.bot.send_document(
                chat_id_of(address),
                upload,
                caption=to_html(caption) if caption else None,
                parse_mode=ParseMode.HTML if caption else None,
            )
        )
        if message.document is None:  # pragma: no cover - Telegram always echoes the document
            raise SendError(SendErrorKind.PERMANENT, "the upload returned no document")
        return message.document.file_id

    async def send_typing(self, address: Address) -> None:
        """sendChatAction "typing"; raises SendError."""
        await self.ensure_bot()
        await self.call(self._app.bot.send_chat_action(chat_id_of(address), ChatAction.TYPING))

    async def set_commands(
        self, commands_by_locale: dict[str, list[tuple[str, str]]], default_locale: str
    ) -> None:
        """Publish the command menu per language, and the default-locale one for the rest."""
        if not commands_by_locale:
            return
        await self.ensure_bot()
        bot = self._app.bot
        scope = BotCommandScopeDefault()
        for locale, commands in commands_by_locale.items():
            menu = [BotCommand(name, text) for name, text in commands]
            await self.call(bot.set_my_commands(menu, scope=scope, language_code=locale))
        fallback = commands_by_locale.get(default_locale) or next(
            iter(commands_by_locale.values())
        )
        menu = [BotCommand(name, text) for name, text in fallback]
        await self.call(bot.set_my_commands(menu, scope=scope))

    async def ensure_bot(self) -> None:
        """Initialise PTB's bot (getMe) once; raises SendError.

        `send` may run before `start` (CLI jobs) or after `stop`: then it initialises here.
        """
        if self.ready:
            return
        async with self._init_lock:
            if not self.ready:
                try:
                    await self._app.bot.initialize()
                except TelegramError as exc:
                    raise to_send_error(exc) from None
                self.ready = True

    async def call(self, awaitable: Awaitable[Any]) -> Any:
        """Await a PTB call, turning its error into SendError."""
        try:
            return await awaitable
        except TelegramError as exc:
            error = to_send_error(exc)
            # Chaining keeps httpx's cause for debugging, unless some text in it has the token.
            raise error from (None if mentions_token(exc) else exc)

    async def close(self) -> None:
        """Close the bot's and the fast sender's connections."""
        await self._app.bot.shutdown()  # also when only `send` initialised the bot
        await self._fast.close()
        self.ready = False
