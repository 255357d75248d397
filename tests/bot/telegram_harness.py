"""Run the real `nhacviec run` machinery against the fake Telegram server and talk to it.

`running_bot` starts `bot.runner.run_channels` (settings from the environment, as `nhacviec run`
reads them) and stops it on exit. `Chat` sends messages, commands, button presses and files
as one Telegram user and returns what the bot answered in that chat. Updates are handled in
order, so `settle` sends a probe from a fresh user and waits for its answer: everything pushed
before it has been handled by then, and "the bot said nothing" can be asserted too.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select

from bot.config import load_settings
from bot.runner import run_channels
from store.db import make_engine
from store.models import Delivery, DeliveryStatus
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support import PATIENCE, eventually

_probes = itertools.count(880_000_001)


def free_port() -> int:
    """A TCP port that was free a moment ago (for the webhook server's HTTP_PORT)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def until(predicate: Callable[[], bool], within: float = PATIENCE) -> None:
    """Wait until `predicate()` holds (checked every few milliseconds)."""
    # The state lives in the fake server and the bot's database; polling it is simplest.
    await eventually(predicate, within=within, interval=0.005)


async def settle(tg: FakeTelegramServer) -> None:
    """Wait until every update queued so far has been handled and answered."""
    probe = tg.user(next(_probes), first_name="Probe", last_name=None)
    tg.push_command("help", user=probe)
    await until(lambda: bool(tg.sent_to(probe["id"])))
    await replies_sent()


async def replies_sent(within: float = 60.0) -> None:
    """Wait until no reply waits in the outbox (a chat's second answer within its 1 s pace,
    a group's within 3 s, goes there rather than hold up other people's updates)."""
    engine = make_engine(load_settings().database_url)
    waiting = (
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.kind == "reply",
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        )
    )

    async def drained() -> bool:
        async with engine.connect() as conn:
            return not await conn.scalar(waiting)

    try:
        await eventually(drained, within=within, interval=0.05, message="replies still queued")
    finally:
        await engine.dispose()


@asynccontextmanager
async def running_bot(tg: FakeTelegramServer, *, webhook: bool = False) -> AsyncIterator[None]:
    """`nhacviec run` in the background: started, receiving, and stopped on exit."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_channels(load_settings(), stop))
    receiving = "setWebhook" if webhook else "getUpdates"
    try:
        await until(lambda: bool(tg.calls_of(receiving)) or task.done(), within=20)
        if task.done():
            task.result()  # raise what stopped it
        await settle(tg)
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


class Chat:
    """One Telegram user talking to the bot, in their private chat or in a group."""

    def __init__(
        self,
        tg: FakeTelegramServer,
        user_id: int,
        *,
        name: str = "Lan",
        chat_id: int | None = None,
        language: str = "vi",
    ) -> None:
        self.tg = tg
        self.user = tg.user(user_id, first_name=name, language_code=language)
        self.chat_id = chat_id if chat_id is not None else user_id

    def in_group(self, chat_id: int) -> Chat:
        """The same person writing in a group."""
        other = Chat(self.tg, self.user["id"], chat_id=chat_id)
        other.user = self.user
        return other

    def _mark(self) -> int:
        return len(self.tg.sent_to(self.chat_id))

    async def _answers(self, mark: int) -> list[dict[str, Any]]:
        await settle(self.tg)
        return self.tg.sent_to(self.chat_id)[mark:]

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Send a text (a `/command` gets Telegram's bot_command entity); return the answers."""
        mark = self._mark()
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            name, _, mention = command.partition("@")
            self.tg.push_command(
                name, args, mention=mention or None, user=self.user, chat_id=self.chat_id
            )
        else:
            self.tg.push_text(text, user=self.user, chat_id=self.chat_id)
        return await self._answers(mark)

    async def press(self, data: str, *, message: dict[str, Any] | None = None) -> list[dict]:
        """Press a button (on `message`, or on the newest bot message in the chat)."""
        mark = self._mark()
        self.tg.push_callback(
            data,
            user=self.user,
            chat_id=self.chat_id,
            message_id=message["message_id"] if message else None,
        )
        return await self._answers(mark)

    async def send_document(self, content: bytes, name: str, mime: str, caption: str = "") -> list:
        """Send a file; return the answers."""
        mark = self._mark()
        self.tg.push_document(
            content, name, mime, caption=caption, user=self.user, chat_id=self.chat_id
        )
        return await self._answers(mark)

    async def send_photo(self, content: bytes, caption: str = "") -> list[dict[str, Any]]:
        """Send a photo; return the answers."""
        mark = self._mark()
        self.tg.push_photo(content, caption=caption, user=self.user, chat_id=self.chat_id)
        return await self._answers(mark)


def texts(messages: list[dict[str, Any]]) -> str:
    """What the user sees of several messages, one after the other."""
    return "\n".join(m.get("text") or m.get("caption") or "" for m in messages)


def buttons(messages: list[dict[str, Any]]) -> list[str]:
    """Callback data of every inline button in the messages, in order."""
    out = []
    for message in messages:
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            out += [b["callback_data"] for b in row if "callback_data" in b]
    return out
