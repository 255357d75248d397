"""The channel-agnostic dispatcher: one transaction per message, replies after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.context import Context, Options
from handlers.i18n import _, resolve_locale, use_locale
from handlers.markup import clean_user_text
from handlers.router import route
from handlers.types import Channel, Incoming, Outgoing, SendError
from store.models import ProcessedMessage
from store.users import ensure_identity

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Dispatcher:
    """Turns an Incoming into replies, through the handlers, against the database."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        options: Options | None = None,
        clock: Clock = utc_now,
        channels: Mapping[str, Channel] | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.options = options or Options()
        self.clock = clock
        self.channels: dict[str, Channel] = dict(channels or {})

    async def __call__(self, incoming: Incoming) -> None:
        """Sink for channels: handle a message and send the replies back to its chat."""
        replies = await self.handle(incoming)
        channel = self.channels.get(incoming.address.channel)
        if channel is None:
            logger.error("no channel %r to reply on", incoming.address.channel)
            return
        for outgoing in replies:
            try:
                await channel.send(incoming.address, outgoing)
            except SendError as exc:
                logger.warning("reply to %s failed: %s", incoming.address.channel, exc.reason)

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Handle one message in its own transaction and return the replies to send.

        A message delivered twice (same chat and message id) is handled once: the processed
        mark is written in the same transaction as the handler's changes.
        """
        now = self.clock()
        # Channels clean user text already; doing it here too keeps markup injection out
        # whatever a future channel forgets.
        incoming = replace(incoming, text=clean_user_text(incoming.text))
        try:
            async with self.sessionmaker() as session, session.begin():
                if await self._seen_before(session, incoming, now):
                    logger.info("duplicate message %s ignored", incoming.message_id)
                    return []
                ctx = await self._context(session, incoming, now)
                with use_locale(ctx.locale):
                    await route(ctx)
                return ctx.replies
        except IntegrityError:
            # A concurrent delivery of the same message won the race; it answers.
            if incoming.message_id is not None:
                logger.info("duplicate message %s lost the race", incoming.message_id)
                return []
            logger.exception("integrity error while handling a message")
        except Exception:
            logger.exception("handler failed")
        locale = resolve_locale(incoming.locale_hint)
        with use_locale(locale):
            return [
                Outgoing(_("Sorry, something went wrong and nothing was saved. Please try again."))
            ]

    async def _seen_before(self, session: AsyncSession, incoming: Incoming, now: datetime) -> bool:
        if incoming.message_id is None:
            return False
        a = incoming.address
        key = f"{a.channel}:{a.chat_id}:{incoming.message_id}"
        if await session.get(ProcessedMessage, key) is not None:
            return True
        session.add(ProcessedMessage(key=key, created_at=now))
        await session.flush()
        return False

    async def _context(self, session: AsyncSession, incoming: Incoming, now: datetime) -> Context:
        a = incoming.address
        identity = None
        if a.user_id or a.is_private:
            identity = await ensure_identity(
                session,
                channel=a.channel,
                external_id=a.user_id or a.chat_id,
                # On Telegram and Zalo a person's private chat id is their user id.
                chat_id=a.user_id or a.chat_id,
                name=incoming.user_name,
                now=now,
            )
        locale = resolve_locale(identity.user.locale if identity else None, incoming.locale_hint)
        return Context(
            session=session,
            incoming=incoming,
            now=now,
            options=self.options,
            identity=identity,
            locale=locale,
        )
