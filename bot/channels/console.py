"""Console channel: a chat in the terminal, through the same dispatcher as Telegram."""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
import secrets
import sys
from pathlib import Path
from typing import TextIO

from bot.channels.choices import NumberedChoices
from handlers.markup import BOLD_CLOSE, BOLD_OPEN, clean_user_text, to_plain
from handlers.types import Address, FileRef, Incoming, Kind, Outgoing, Sink

QUIT = {"/quit", "/exit", "/thoat", "/thoát"}


class ConsoleChannel:
    """Reads lines from a stream and prints replies; buttons become numbered choices.

    `/file PATH` sends a file (a directive to import, or evidence for a report).
    """

    name = "console"

    def __init__(
        self,
        user_id: str = "demo",
        user_name: str = "",
        locale: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        prompt: str = "> ",
    ) -> None:
        self.address = Address(self.name, user_id, user_id)
        self.user_name = user_name
        self.locale = locale
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.prompt = prompt
        self.choices = NumberedChoices()
        self._ids = itertools.count(1)
        self._session = secrets.token_hex(4)
        self._color = bool(getattr(self.stdout, "isatty", lambda: False)())
        self._stopping = False

    async def start(self, sink: Sink) -> None:
        """Read lines until end of input or /quit, handing each to the sink."""
        while not self._stopping:
            self._write(self.prompt, end="")
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            text = clean_user_text(line).strip()
            if not text:
                continue
            if text.lower() in QUIT:
                break
            await sink(self._incoming(text))

    def _incoming(self, text: str) -> Incoming:
        # Unique across runs: the dispatcher ignores a (chat, message id) it has seen before.
        message_id = f"{self._session}-{next(self._ids)}"
        if text.startswith("/file "):
            path = Path(text[6:].strip()).expanduser()
            if path.is_file():
                return Incoming(
                    self.address,
                    "",
                    Kind.FILE,
                    "",
                    self.locale,
                    message_id,
                    self.user_name,
                    file=_file_ref(path),
                )
        kind = Kind.COMMAND if text.startswith("/") else Kind.TEXT
        return Incoming(self.address, text, kind, "", self.locale, message_id, self.user_name)

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Print a reply with its choices numbered."""
        text = outgoing.text
        if self._color:
            text = text.replace(BOLD_OPEN, "\x1b[1m").replace(BOLD_CLOSE, "\x1b[0m")
        else:
            text = to_plain(text)
        self._write(self.choices.render(address.chat_id, outgoing, text) + "\n")

    async def stop(self) -> None:
        """Stop after the current line."""
        self._stopping = True

    def _write(self, text: str, end: str = "\n") -> None:
        self.stdout.write(text + end)
        self.stdout.flush()


def _file_ref(path: Path) -> FileRef:
    async def fetch() -> bytes:
        return await asyncio.to_thread(path.read_bytes)

    size = path.stat().st_size
    mime = mimetypes.guess_type(path.name)[0]
    return FileRef(name=path.name, size=size, mime=mime, fetch=fetch, ref=f"file:{path}")
