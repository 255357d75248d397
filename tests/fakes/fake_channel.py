"""A fake channel for conversation tests: push text in, read what the bot sent."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import Address, FileRef, Incoming, Kind, Outgoing


@dataclass
class FakeChannel:
    """Goes through the real dispatcher; `sent` holds every (address, reply) in order."""

    dispatcher: Dispatcher
    name: str = "fake"
    sent: list[tuple[Address, Outgoing]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.dispatcher.channels[self.name] = self

    async def start(self, sink) -> None:  # pragma: no cover - not used: tests push directly
        return None

    async def stop(self) -> None:  # pragma: no cover
        return None

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Record a reply."""
        self.sent.append((address, outgoing))

    async def push(
        self,
        text: str = "",
        *,
        user: str = "u1",
        chat: str | None = None,
        kind: Kind | None = None,
        payload: str = "",
        file: FileRef | None = None,
        locale: str | None = None,
        message_id: str | None = None,
        name: str = "Nguyễn Văn A",
        settle: bool = True,
    ) -> list[Outgoing]:
        """Send one message as `user` (in `chat`, private by default); return the replies.

        With `settle` (the default) the replies of steps the handler deferred (a file read in
        the import worker) are awaited and included; without it, only the immediate ones.
        """
        if kind is None:
            kind = Kind.FILE if file else Kind.COMMAND if text.startswith("/") else Kind.TEXT
        before = len(self.sent)
        incoming = Incoming(
            Address(self.name, chat or user, user),
            text,
            kind,
            payload,
            locale,
            message_id or str(next(self._ids)),
            name,
            file,
        )
        await self.dispatcher(incoming)
        if settle:
            await self.dispatcher.background.idle()
        return [out for _addr, out in self.sent[before:]]

    async def press(
        self, data: str, *, user: str = "u1", chat: str | None = None
    ) -> list[Outgoing]:
        """Press a button by its payload."""
        return await self.push(user=user, chat=chat, kind=Kind.BUTTON, payload=data)

    def last_text(self) -> str:
        """The plain text of the newest reply."""
        return to_plain(self.sent[-1][1].text)
