"""Telegram `Update` → neutral `Incoming`. Pure translation: no replies, no business rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import ChatMember, ChatMemberUpdated, Message, MessageEntity, Update, User

from handlers.markup import clean_user_text
from handlers.types import Address, FileRef, Incoming, Kind

CHANNEL = "telegram"
# Update types the channel asks Telegram for (setWebhook / getUpdates `allowed_updates`).
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")

Fetcher = Callable[[str], Callable[[], Awaitable[bytes]]]

_GONE = frozenset({ChatMember.LEFT, ChatMember.BANNED})
_PRESENT = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})


def translate(update: Update, *, bot_username: str | None, fetcher: Fetcher) -> Incoming | None:
    """Turn one update into an `Incoming`, or None for what the bot does not handle.

    Args:
        update: The parsed update.
        bot_username: The bot's username (from getMe), to recognise `/cmd@ThisBot` in groups.
        fetcher: Makes the download callable for a `file_id` (used by `FileRef.fetch`).
    """
    raw = update.to_dict()
    if update.my_chat_member is not None:
        return _membership(update.my_chat_member, raw)
    if update.callback_query is not None:
        query = update.callback_query
        if query.data is None:  # game buttons carry no data
            return None
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        return Incoming(
            address=_address(chat_id, query.from_user),
            kind=Kind.BUTTON,
            payload=query.data,
            # Each press has its own query id; a redelivered press repeats it, so the
            # dispatcher applies it once. (The message id would merge different presses on
            # one message, e.g. two task buttons under the same list.)
            message_id=f"cb{query.id}",
            **_who(query.from_user),
            raw=raw,
        )
    if update.message is not None:
        return _message(update.message, bot_username, fetcher, raw)
    return None


def _message(
    message: Message, bot_username: str | None, fetcher: Fetcher, raw: dict
) -> Incoming | None:
    address = _address(message.chat.id, message.from_user)
    common = {
        "address": address,
        "message_id": str(message.message_id),
        "raw": raw,
        **_who(message.from_user),
    }
    if message.migrate_to_chat_id is not None:
        # Sent in the old group when it becomes a supergroup; the old id stops working.
        return Incoming(
            kind=Kind.EVENT, payload=f"migrated:{message.migrate_to_chat_id}", **common
        )
    file = _file(message, fetcher)
    if file is not None:
        return Incoming(
            kind=Kind.FILE, text=clean_user_text(message.caption or ""), file=file, **common
        )
    if message.text is None:
        return None  # stickers, service messages, polls...
    text = clean_user_text(message.text)
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return Incoming(kind=Kind.TEXT, text=text, **common)
    head = text.split(maxsplit=1)[0]
    name, _, target = head.partition("@")
    if target and (bot_username is None or target.lower() != bot_username.lower()):
        return None  # `/cmd@OtherBot` in a group is meant for another bot
    # Handlers see `/cmd args` whether or not the group message named the bot.
    command = name + text[len(head) :]
    return Incoming(kind=Kind.COMMAND, text=command, payload=name[1:].lower(), **common)


def _file(message: Message, fetcher: Fetcher) -> FileRef | None:
    if message.document is not None:
        doc = message.document
        return FileRef(
            name=doc.file_name or f"document_{doc.file_unique_id}",
            size=doc.file_size,
            mime=doc.mime_type,
            fetch=fetcher(doc.file_id),
            ref=doc.file_id,
        )
    if message.photo:
        # Telegram sends every size it made, smallest first; the last one is the original.
        photo = message.photo[-1]
        return FileRef(
            name=f"photo_{photo.file_unique_id}.jpg",
            size=photo.file_size,
            mime="image/jpeg",
            fetch=fetcher(photo.file_id),
            ref=photo.file_id,
        )
    return None


def _membership(change: ChatMemberUpdated, raw: dict) -> Incoming | None:
    # my_chat_member is about the bot itself. In a private chat "kicked" means the user
    # blocked the bot; `Address.is_private` tells the two cases apart.
    old, new = change.old_chat_member.status, change.new_chat_member.status
    if new in _GONE:
        payload = "removed"
    elif new in _PRESENT and old in _GONE:
        payload = "added"
    else:
        return None
    return Incoming(
        address=_address(change.chat.id, change.from_user),
        kind=Kind.EVENT,
        payload=payload,
        raw=raw,
        **_who(change.from_user),
    )


def _address(chat_id: int, user: User | None) -> Address:
    # Chat ids are 64-bit (supergroups are -100xxxxxxxxxx); kept as text everywhere.
    return Address(CHANNEL, str(chat_id), str(user.id) if user is not None else None)


def _who(user: User | None) -> dict:
    if user is None:
        return {"user_name": "", "locale_hint": None}
    return {"user_name": user.full_name, "locale_hint": user.language_code}


def update_id_of(data: dict[str, Any]) -> int:
    """A webhook update's id (Telegram redelivers when an acknowledgement is lost).

    Raises:
        ValueError: The JSON object is not an update.
    """
    update_id = data.get("update_id")
    if not isinstance(update_id, int):
        raise ValueError("not an update")
    return update_id


def chat_id_of(address: Address) -> int | str:
    """The chat id as the Bot API takes it: numeric ids as integers, "@channel" as text."""
    try:
        return int(address.chat_id)
    except ValueError:
        return address.chat_id
