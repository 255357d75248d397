"""Channel-neutral message types: who wrote, what they wrote, and what we answer."""

from __future__ import annotations

import base64
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message came from or goes to: a chat on a channel, and the person in it."""

    channel: str
    chat_id: str
    user_id: str | None = None

    @property
    def is_private(self) -> bool:
        """True for a one-to-one chat (the chat is the user)."""
        return self.user_id is None or self.user_id == self.chat_id


class Kind(enum.StrEnum):
    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    FILE = "file"
    EVENT = "event"


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file the user sent; `fetch` downloads its bytes through the channel that got it."""

    name: str
    size: int | None
    mime: str | None
    fetch: Callable[[], Awaitable[bytes]] | None = None
    ref: str = ""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a user did: a text, a command, a button press or a file."""

    address: Address
    text: str = ""
    kind: Kind = Kind.TEXT
    payload: str = ""
    locale_hint: str | None = None
    message_id: str | None = None
    user_name: str = ""
    file: FileRef | None = None
    raw: Any = None


@dataclass(frozen=True, slots=True)
class Button:
    """A choice under a message. `data` is a short ASCII code (Telegram allows 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file or picture sent with a message.

    `ref` names a file the channel already holds (a Telegram `file_id`): the channel sends it
    by reference and `content` may be empty, so a document broadcast to thousands is queued
    as a few bytes per recipient and uploaded never again.
    """

    name: str
    content: bytes
    mime: str = "application/octet-stream"
    ref: str = ""


@dataclass(slots=True)
class Outgoing:
    """A reply in neutral markup (see handlers.markup); each channel renders it its own way."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe form for the outbox; attachments (small ones, such as the scoreboard
        chart) are kept inline as base64."""
        payload: dict[str, Any] = {
            "text": self.text,
            "buttons": [[[b.label, b.data] for b in row] for row in self.buttons],
        }
        if self.attachments:
            payload["attachments"] = [
                [a.name, a.mime, base64.b64encode(a.content).decode("ascii")]
                + ([a.ref] if a.ref else [])
                for a in self.attachments
            ]
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Outgoing:
        """Rebuild a message stored by `to_payload`."""
        rows = [[Button(label, data) for label, data in row] for row in payload.get("buttons", [])]
        files = [
            Attachment(name, base64.b64decode(data, validate=True), mime, *ref)
            for name, mime, data, *ref in payload.get("attachments", [])
        ]
        return cls(text=payload["text"], buttons=rows, attachments=files)


Sink = Callable[[Incoming], Awaitable[None]]


class Channel(Protocol):
    """What every channel provides; it gets a sink for incoming messages, never the app."""

    name: str

    async def start(self, sink: Sink) -> None:
        """Begin receiving messages and hand each one to `sink`."""

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Deliver one reply; raises `SendError` on failure."""

    async def stop(self) -> None:
        """Stop receiving and release connections."""


class SendErrorKind(enum.StrEnum):
    RETRY = "retry"  # 429 / 5xx: try again later
    TIMEOUT = "timeout"  # may have been delivered
    UNREACHABLE = "unreachable"  # blocked the bot, chat not found, left the group
    PERMANENT = "permanent"  # bad request that will not get better


class SendError(Exception):
    """A failed send, classified so the outbox knows what to do next."""

    def __init__(
        self,
        kind: SendErrorKind,
        reason: str,
        retry_after: float | None = None,
        migrate_to: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.retry_after = retry_after
        self.migrate_to = migrate_to
