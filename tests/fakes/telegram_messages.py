"""The Bot API methods that act on messages and files: send, edit, answer, upload, download.

The fake server routes calls here; each method takes the decoded parameters and uploads,
returns the `result` or raises `ApiError` with Telegram's own error text.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.telegram_api import (
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    MESSAGE_LIMIT,
    ApiError,
    Upload,
    chat_id_param,
    check_commands,
    check_reply_markup,
    parse_text,
)
from tests.fakes.telegram_world import StoredFile, TelegramWorld


class MessageMethods(TelegramWorld):
    """Message and file methods over the world's state."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        super().__init__(bot_user)
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.answered: dict[str, dict[str, Any]] = {}  # callback query id -> answer params

    async def _send_message(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        chat_id = chat_id_param(params)
        parsed = parse_text(
            str(params.get("text", "")),
            params.get("parse_mode"),
            limit=MESSAGE_LIMIT,
            what="message",
        )
        check_reply_markup(params.get("reply_markup"))
        message = self._bot_message(chat_id, **_text_fields(parsed, "text", "entities"))
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return self._record_sent(message, params)

    async def _edit_message_text(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        message = self._find_message(params)
        parsed = parse_text(
            str(params.get("text", "")),
            params.get("parse_mode"),
            limit=MESSAGE_LIMIT,
            what="message",
        )
        check_reply_markup(params.get("reply_markup"))
        markup = params.get("reply_markup")
        if (
            parsed["text"] == message.get("text")
            and parsed["entities"] == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message.pop("entities", None)
        message.pop("reply_markup", None)
        message.update(_text_fields(parsed, "text", "entities"))
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    async def _edit_reply_markup(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        message = self._find_message(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    async def _answer_callback_query(
        self, params: dict[str, Any], uploads: dict[str, Upload]
    ) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._callbacks or query_id in self.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is "
                "invalid",
            )
        self.answered[query_id] = params
        return True

    async def _send_document(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        stored = self._take_file(params, uploads, "document", "documents")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if stored.name:
            document["file_name"] = stored.name
        if stored.mime:
            document["mime_type"] = stored.mime
        return self._send_media(params, document=document)

    async def _send_photo(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        stored = self._take_file(params, uploads, "photo", "photos")
        photo = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": 1280,
                "height": 960,
                "file_size": stored.size,
            }
        ]
        return self._send_media(params, photo=photo)

    async def _get_file(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.path,
        }

    async def _set_my_commands(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        commands = check_commands(params.get("commands"))
        self.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        return self.commands.get(self._commands_key(params), [])

    async def _send_chat_action(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        chat_id_param(params)
        return True

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return scope.get("type", "default"), str(params.get("language_code") or "")

    def _take_file(
        self, params: dict[str, Any], uploads: dict[str, Upload], field_name: str, folder: str
    ) -> StoredFile:
        upload = uploads.get(field_name)
        if upload is not None:
            return self.add_file(
                upload.content, name=upload.filename, mime=upload.content_type, folder=folder
            )
        reference = str(params.get(field_name, ""))
        if reference.startswith("attach://") and reference[9:] in uploads:
            upload = uploads[reference[9:]]
            return self.add_file(
                upload.content, name=upload.filename, mime=upload.content_type, folder=folder
            )
        if reference in self._files:
            return self._files[reference]
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _send_media(self, params: dict[str, Any], **media: Any) -> dict[str, Any]:
        chat_id = chat_id_param(params)
        fields: dict[str, Any] = dict(media)
        if params.get("caption"):
            parsed = parse_text(
                str(params["caption"]),
                params.get("parse_mode"),
                limit=CAPTION_LIMIT,
                what="message caption",
            )
            fields.update(_text_fields(parsed, "caption", "caption_entities"))
        check_reply_markup(params.get("reply_markup"))
        if params.get("reply_markup"):
            fields["reply_markup"] = params["reply_markup"]
        return self._record_sent(self._bot_message(chat_id, **fields), params)


def _text_fields(parsed: dict[str, Any], text_key: str, entities_key: str) -> dict[str, Any]:
    fields: dict[str, Any] = {text_key: parsed["text"]}
    if parsed["entities"]:
        fields[entities_key] = parsed["entities"]
    return fields
