"""Zalo payloads → neutral `Incoming`, for the Bot Platform and the Official Account.

Pure translation: no replies, no business rules. What the bot does not handle (stickers, read
receipts, the OA's own messages) becomes None, as on Telegram.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.choices import NumberedChoices
from bot.channels.zalo.render import incoming_text
from handlers.markup import clean_user_text
from handlers.types import Address, FileRef, Incoming, Kind

BOT_CHANNEL = "zalo"
OA_CHANNEL = "zalo_oa"

Fetcher = Callable[[str], Callable[[], Awaitable[bytes]]]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _id(value: object) -> str:
    return str(value) if isinstance(value, str | int) and str(value) else ""


# -- Bot Platform ------------------------------------------------------------------------------


def bot_updates(data: object) -> list[dict[str, Any]]:
    """The updates in a getUpdates answer or webhook body: bare, `{ok, result}`, or a list."""
    if isinstance(data, dict) and "message" not in data and "result" in data:
        data = data["result"]
    if isinstance(data, list):
        return [u for u in data if isinstance(u, dict)]
    return [data] if isinstance(data, dict) else []


def bot_message_id(update: dict[str, Any]) -> str | None:
    """The message id of a Bot Platform update (None if it has none)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    return _id(message.get("message_id")) or None


def translate_bot(
    update: dict[str, Any], choices: NumberedChoices, fetcher: Fetcher
) -> Incoming | None:
    """One Bot Platform update (`message.text.received`, `message.image.received`...)."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    user_id = _id(sender.get("id"))
    chat_id = _id(chat.get("id")) or user_id
    if not chat_id:
        return None
    group = _text(chat.get("chat_type")).upper() == "GROUP"
    if group and not user_id:
        return None  # a group message nobody can be held to (it would look private)
    address = Address(BOT_CHANNEL, chat_id, user_id or chat_id)
    name = _text(sender.get("display_name") or sender.get("first_name") or sender.get("name"))
    message_id = _id(message.get("message_id")) or None
    event = _text(update.get("event_name"))
    photo = _text(message.get("photo") or message.get("photo_url"))
    if event == "message.image.received" or (not event and photo):
        if not photo:
            return None
        file = FileRef(
            name=f"photo_{message_id or 'zalo'}.jpg",
            size=None,
            mime="image/jpeg",
            fetch=fetcher(photo),
            ref=photo,
        )
        caption = clean_user_text(_text(message.get("caption")))
        return Incoming(
            address,
            caption,
            Kind.FILE,
            message_id=message_id,
            user_name=name,
            file=file,
            raw=update,
        )
    text = message.get("text")
    if event not in ("", "message.text.received") or not isinstance(text, str):
        return None  # stickers, unsupported content
    return incoming_text(choices, address, text, message_id=message_id, user_name=name, raw=update)


# -- Official Account ----------------------------------------------------------------------------


def oa_message_id(event: dict[str, Any]) -> str | None:
    """The id that makes an OA event unique (message id, or follow time)."""
    message = event.get("message")
    if isinstance(message, dict) and _id(message.get("msg_id")):
        return _id(message.get("msg_id"))
    if event.get("event_name") == "follow":
        follower = event.get("follower") if isinstance(event.get("follower"), dict) else {}
        return f"follow:{_id(follower.get('id'))}:{_id(event.get('timestamp'))}"
    return None


def translate_oa(
    event: dict[str, Any], choices: NumberedChoices, fetcher: Fetcher
) -> Incoming | None:
    """One OA webhook event (`user_send_text`, `user_send_image`, `user_send_file`, `follow`)."""
    name = _text(event.get("event_name"))
    if name == "follow":
        # Following the OA is its "Start" button: greet, as /start does.
        follower = event.get("follower") if isinstance(event.get("follower"), dict) else {}
        user_id = _id(follower.get("id"))
        if not user_id:
            return None
        address = Address(OA_CHANNEL, user_id, user_id)
        return Incoming(
            address, "/start", Kind.COMMAND, "start", message_id=oa_message_id(event), raw=event
        )
    if not name.startswith("user_send_"):
        return None  # read receipts, the OA's own messages, unfollow
    sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    user_id = _id(sender.get("id"))
    if not user_id:
        return None
    address = Address(OA_CHANNEL, user_id, user_id)
    message_id = oa_message_id(event)
    if name == "user_send_text":
        return incoming_text(
            choices,
            address,
            _text(message.get("text")),
            message_id=message_id,
            user_name="",
            raw=event,
        )
    attachments = message.get("attachments")
    first = attachments[0] if isinstance(attachments, list) and attachments else {}
    payload = first.get("payload") if isinstance(first, dict) else None
    url = _text(payload.get("url")) if isinstance(payload, dict) else ""
    if name not in ("user_send_image", "user_send_file") or not url:
        return None  # stickers, locations, contact cards
    assert isinstance(payload, dict)
    size = payload.get("size")
    file = FileRef(
        name=_text(payload.get("name")) or f"photo_{message_id or 'zalo'}.jpg",
        size=int(size) if isinstance(size, int | str) and str(size).isdigit() else None,
        mime="image/jpeg" if name == "user_send_image" else None,
        fetch=fetcher(url),
        ref=url,
    )
    caption = clean_user_text(_text(message.get("text")))
    return Incoming(address, caption, Kind.FILE, message_id=message_id, file=file, raw=event)
