"""What the fake Telegram holds: users, chats, messages, files, and updates waiting for the bot.

`FakeTelegramServer` builds on this; tests call the `push_*` helpers to make users act.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.telegram_api import ApiError, chat_id_param


@dataclass
class StoredFile:
    """A file getFile can describe and the download route can serve."""

    file_id: str
    file_unique_id: str
    content: bytes
    name: str | None
    mime: str | None
    path: str
    size: int


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": False,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


class TelegramWorld:
    """Telegram's side of the conversation, without HTTP.

    Args:
        bot_user: The bot's user object (what getMe returns).
    """

    default_user_id = 111222333

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.sent: list[dict[str, Any]] = []  # messages the bot sent, as Telegram stored them
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}
        self._raw_texts: dict[int, str | None] = {}
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(700_000_001)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(9_000_000_001)
        self._callbacks: set[str] = set()
        self._users: dict[int, dict[str, Any]] = {}

    def _queued(self) -> None:
        """Called after an update was queued (the server wakes long polls and webhooks)."""

    def sent_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        """Messages the bot sent to a chat, oldest first (parsed text, entities, markup)."""
        return [m for m in self.sent if m["chat"]["id"] == int(chat_id)]

    def raw_text(self, message: dict[str, Any]) -> str | None:
        """The text (or caption) of a sent message as the client sent it, before parsing."""
        return self._raw_texts.get(id(message))

    def file_content(self, file_id: str) -> bytes:
        """The bytes of a stored (uploaded or injected) file."""
        return self._files[file_id].content

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed (getUpdates offset) or delivered (webhook)."""
        return list(self._pending)

    def block(self, chat_id: int) -> None:
        """Act as if the user blocked the bot (or the group kicked it): sends get 403."""
        self.blocked.add(int(chat_id))

    # -- injected updates ------------------------------------------------------------------

    def user(
        self,
        user_id: int | None = None,
        *,
        first_name: str = "Lan",
        last_name: str | None = "Nguyễn Thị",
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A user object (remembered so private chats get the user's name)."""
        user: dict[str, Any] = {
            "id": user_id or self.default_user_id,
            "is_bot": False,
            "first_name": first_name,
        }
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        self._users[user["id"]] = user
        return user

    def push_update(self, kind: str, payload: dict[str, Any], *, queue: bool = True) -> dict:
        """Build an update `{update_id, kind: payload}`; queue it unless `queue=False`."""
        update = {"update_id": next(self._update_ids), kind: payload}
        if queue:
            self._pending.append(update)
            self._queued()
        return update

    def push_text(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        user: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        queue: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """A text message from a user (a private chat unless `chat_id` is a group)."""
        sender = user or self.user()
        chat = chat_id if chat_id is not None else sender["id"]
        message = self._user_message(chat, sender, text=text, **extra)
        if entities:
            message["entities"] = entities
        return self.push_update("message", message, queue=queue)

    def push_command(
        self,
        command: str,
        args: str = "",
        *,
        mention: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """`/command[@mention] args` with the bot_command entity Telegram adds."""
        head = f"/{command}" + (f"@{mention}" if mention else "")
        text = f"{head} {args}" if args else head
        entity = {"type": "bot_command", "offset": 0, "length": len(head)}
        return self.push_text(text, entities=[entity], **kwargs)

    def push_callback(
        self,
        data: str,
        *,
        chat_id: int | None = None,
        message_id: int | None = None,
        user: dict[str, Any] | None = None,
        queue: bool = True,
    ) -> dict[str, Any]:
        """A button press on a bot message (the latest one in the chat unless given)."""
        sender = user or self.user()
        chat = chat_id if chat_id is not None else sender["id"]
        if message_id is None:
            mine = self.sent_to(chat)
            message = mine[-1] if mine else self._bot_message(chat, text="…")
        else:
            message = self._messages[(chat, message_id)]
        query_id = str(next(self._callback_ids))
        self._callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": sender,
            "chat_instance": str(abs(chat) * 7 + 1),
            "message": message,
            "data": data,
        }
        return self.push_update("callback_query", query, queue=queue)

    def push_document(
        self,
        content: bytes,
        name: str,
        mime: str = "application/pdf",
        *,
        caption: str = "",
        declared_size: int | None = None,
        chat_id: int | None = None,
        user: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A document from a user; getFile and the file route serve `content`."""
        stored = self.add_file(content, name=name, mime=mime, folder="documents")
        if declared_size is not None:
            stored.size = declared_size
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": name,
            "mime_type": mime,
            "file_size": stored.size,
        }
        extra: dict[str, Any] = {"document": document}
        if caption:
            extra["caption"] = caption
        sender = user or self.user()
        chat = chat_id if chat_id is not None else sender["id"]
        return self.push_update("message", self._user_message(chat, sender, **extra))

    def push_photo(
        self,
        content: bytes,
        *,
        caption: str = "",
        chat_id: int | None = None,
        user: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A photo: Telegram sends several sizes, smallest first; `content` is the largest."""
        sizes = [
            (self.add_file(content[:16], folder="photos", mime="image/jpeg"), 90),
            (self.add_file(content, folder="photos", mime="image/jpeg"), 1280),
        ]
        photo = [
            {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "width": side,
                "height": side * 3 // 4,
                "file_size": f.size,
            }
            for f, side in sizes
        ]
        extra: dict[str, Any] = {"photo": photo}
        if caption:
            extra["caption"] = caption
        sender = user or self.user()
        chat = chat_id if chat_id is not None else sender["id"]
        return self.push_update("message", self._user_message(chat, sender, **extra))

    def push_migration(self, chat_id: int, new_chat_id: int) -> dict[str, Any]:
        """A group upgraded to a supergroup: service messages in both chats; old id now fails."""
        sender = self.user()
        self.migrated[int(chat_id)] = int(new_chat_id)
        old = self._user_message(chat_id, sender, migrate_to_chat_id=new_chat_id)
        update = self.push_update("message", old)
        new = self._user_message(new_chat_id, sender, migrate_from_chat_id=chat_id)
        self.push_update("message", new)
        return update

    def push_member_status(
        self,
        chat_id: int,
        status: str,
        *,
        old_status: str = "member",
        user: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The bot's own membership changed (`left`, `kicked`, `member`, `administrator`)."""

        def member(state: str) -> dict[str, Any]:
            out: dict[str, Any] = {"user": self.bot_user, "status": state}
            if state == "kicked":
                out["until_date"] = 0
            if state == "administrator":
                out.update(_ADMIN_RIGHTS)
            return out

        payload = {
            "chat": self._chat(chat_id),
            "from": user or self.user(),
            "date": int(time.time()),
            "old_chat_member": member(old_status),
            "new_chat_member": member(status),
        }
        return self.push_update("my_chat_member", payload)

    def add_file(
        self,
        content: bytes,
        *,
        name: str | None = None,
        mime: str | None = None,
        folder: str = "documents",
    ) -> StoredFile:
        """Store a file so getFile and the download route can serve it."""
        number = next(self._file_ids)
        suffix = name.rsplit(".", 1)[-1] if name and "." in name else "bin"
        if folder == "photos":
            suffix = "jpg"
        stored = StoredFile(
            file_id=f"BQACAgIAAx{number:06d}fake",
            file_unique_id=f"AgAD{number:04d}",
            content=content,
            name=name,
            mime=mime,
            path=f"{folder}/file_{number}.{suffix}",
            size=len(content),
        )
        self._files[stored.file_id] = stored
        return stored

    # -- helpers ---------------------------------------------------------------------------

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self._users.get(chat_id, {"first_name": "User"})
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if user.get("last_name"):
                chat["last_name"] = user["last_name"]
            return chat
        # Supergroup ids are -100 followed by the channel id; plain groups are small negatives.
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Nhóm {abs(chat_id) % 1000}"}

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _user_message(self, chat_id: int, sender: dict[str, Any], **fields: Any) -> dict:
        message = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": sender,
            **fields,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _bot_message(self, chat_id: int, **fields: Any) -> dict[str, Any]:
        return self._user_message(chat_id, self.bot_user, **fields)

    def _find_message(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (chat_id_param(params), int(params.get("message_id") or 0))
        if key not in self._messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self._messages[key]

    def _record_sent(self, message: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(message)  # the stored object: edits show up here too
        self._raw_texts[id(message)] = params.get("text") or params.get("caption")
        return message
