"""The channel-agnostic dispatcher: one transaction per message, replies after commit."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from handlers import choices
from handlers.context import Context, Later, Options
from handlers.flood import FloodGuard
from handlers.i18n import _, resolve_locale, use_locale
from handlers.later import Background
from handlers.markup import clean_user_text
from handlers.missed import tell_missed
from handlers.people.identity_link import follow_reachable
from handlers.router import route
from handlers.types import Address, Channel, Incoming, Kind, Outgoing, SendError
from store.db import IntegrityError, Session, SessionMaker
from store.processed import seen_before
from store.users import ensure_identity

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Pushes = list[tuple[Address, Outgoing]]


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Dispatcher:
    """Turns an Incoming into replies, through the handlers, against the database."""

    def __init__(
        self,
        sessionmaker: SessionMaker,
        options: Options | None = None,
        clock: Clock = utc_now,
        channels: Mapping[str, Channel] | None = None,
        flood: FloodGuard | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.options = options or Options()
        self.clock = clock
        self.channels: dict[str, Channel] = dict(channels or {})
        # Per-user flood control (bot.app turns it on; tests that script fast users leave it off).
        self.flood = flood
        # Deferred handler steps in flight (see handlers.later).
        self.background = Background()

    async def __call__(self, incoming: Incoming) -> None:
        """Sink for channels: handle a message, send the replies back to its chat, then any
        messages the handler addressed to other chats."""
        later: list[Later] = []
        replies, pushes = await self.process(incoming, later)
        await self.send_all(incoming, replies, pushes)
        for job in later:  # after the commit and the first replies (see handlers.later)
            self.background.start(self._run_later(incoming, job))

    async def send_all(self, incoming: Incoming, replies: list[Outgoing], pushes: Pushes) -> None:
        """Send replies to the message's chat, then the pushes to other chats."""
        for address, outgoing in [(incoming.address, r) for r in replies] + pushes:
            channel = self.channels.get(address.channel)
            if channel is None:
                logger.error("no channel %r to send on", address.channel)
                continue
            try:
                await channel.send(address, outgoing)
            except SendError as exc:
                logger.warning("send on %s failed: %s", address.channel, exc.reason)

    async def process(
        self, incoming: Incoming, later: list[Later] | None = None
    ) -> tuple[list[Outgoing], Pushes]:
        """Handle one message in its own transaction; return the replies and other pushes.

        Steps the handler deferred (`Context.defer`) are added to `later` for the caller to
        start once the replies are sent.

        A message delivered twice (same chat and message id) is handled once: the processed
        mark is written in the same transaction as the handler's changes. A sender over the
        flood limit is answered (once) without touching the database.
        """
        now = self.clock()
        throttled = self._throttled(incoming, now)
        if throttled is not None:
            return throttled, []
        # Channels clean user text already; doing it here too keeps markup injection out
        # whatever a future channel forgets.
        incoming = replace(incoming, text=clean_user_text(incoming.text))
        try:
            async with self.sessionmaker() as session, session.begin():
                if await self._seen_before(session, incoming, now):
                    logger.info("duplicate message %s ignored", incoming.message_id)
                    return [], []
                incoming = await self._choice(session, incoming, now)
                ctx = await self._context(session, incoming, now)
                with use_locale(ctx.locale):
                    await route(ctx)
                    # After any handler: pushes the person missed, and a dead preferred app.
                    await tell_missed(ctx)
                    await follow_reachable(ctx)
                sent = [(incoming.address, r) for r in ctx.replies] + ctx.pushes
                await choices.remember(session, self.options.numbered_channels, sent, now)
                if later is not None:
                    later.extend(ctx.later)
                return ctx.replies, ctx.pushes
        except IntegrityError:
            # A concurrent delivery of the same message won the race; it answers.
            if incoming.message_id is not None:
                logger.info("duplicate message %s lost the race", incoming.message_id)
                return [], []
            logger.exception("integrity error while handling a message")
        except Exception:
            logger.exception("handler failed")
        locale = resolve_locale(incoming.locale_hint)
        with use_locale(locale):
            return [
                Outgoing(_("Sorry, something went wrong and nothing was saved. Please try again."))
            ], []

    async def _run_later(self, incoming: Incoming, job: Later) -> None:
        """Run a deferred step: its work outside any transaction, then its follow-up in one."""
        replies: list[Outgoing] = []
        pushes: Pushes = []
        try:
            result = await job.work()
            now = self.clock()
            async with self.sessionmaker() as session, session.begin():
                ctx = await self._context(session, incoming, now)
                with use_locale(ctx.locale):
                    await job.then(ctx, result)
                sent = [(incoming.address, r) for r in ctx.replies] + ctx.pushes
                await choices.remember(session, self.options.numbered_channels, sent, now)
                replies, pushes = ctx.replies, ctx.pushes
        except Exception:
            logger.exception("deferred handler step failed")
            with use_locale(resolve_locale(incoming.locale_hint)):
                replies = [
                    Outgoing(
                        _("Sorry, something went wrong and nothing was saved. Please try again.")
                    )
                ]
        await self.send_all(incoming, replies, pushes)

    def _throttled(self, incoming: Incoming, now: datetime) -> list[Outgoing] | None:
        """None to go ahead; otherwise what to answer a sender over the flood limit."""
        if self.flood is None or incoming.kind == Kind.EVENT:
            return None
        a = incoming.address
        verdict = self.flood.check(f"{a.channel}:{a.user_id or a.chat_id}", now.timestamp())
        if verdict.allowed:
            return None
        if not verdict.warn:
            return []
        with use_locale(resolve_locale(incoming.locale_hint)):
            text = _(
                "You are sending messages faster than I can handle them. Please wait "
                "{seconds} seconds, then send your message again."
            ).format(seconds=max(1, math.ceil(verdict.retry_after)))
        return [Outgoing(text)]

    async def _choice(self, session: Session, incoming: Incoming, now: datetime) -> Incoming:
        """A typed number that stands for a numbered choice shown in this chat is its press."""
        if incoming.kind != Kind.TEXT:
            return incoming
        if incoming.address.channel not in self.options.numbered_channels:
            return incoming
        payload = await choices.resolve(session, incoming, now, self.options.choice_ttl)
        if payload is None:
            return incoming
        return replace(incoming, kind=Kind.BUTTON, payload=payload)

    async def _seen_before(self, session: Session, incoming: Incoming, now: datetime) -> bool:
        if incoming.message_id is None:
            return False
        a = incoming.address
        return await seen_before(session, f"{a.channel}:{a.chat_id}:{incoming.message_id}", now)

    async def _context(self, session: Session, incoming: Incoming, now: datetime) -> Context:
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
