"""What a handler gets: the session, the message, the person, the time and a way to reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from handlers.tasks.daily import ReportRules
from handlers.types import Address, Attachment, Button, Incoming, Outgoing
from store.db import Session
from store.models import Identity, Unit, User, UserRole

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Options:
    """The settings the conversation needs (built by the app from its Settings)."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admins: frozenset[tuple[str, str]] = frozenset()
    undo_window: timedelta = timedelta(minutes=10)
    page_size: int = 10
    max_upload_bytes: int = 10_000_000
    bot_username: str | None = None
    # Cut-off, horizon, working days and score weights (reminders, digests and /score).
    reporting: ReportRules = field(default_factory=ReportRules)
    # Where officials reach the web dashboard (NHACVIEC_PUBLIC_URL); None: no web app, no /web.
    web_url: str | None = None
    # Channels that show buttons as numbered choices (no buttons there), and how long a typed
    # number still presses one of them.
    numbered_channels: frozenset[str] = frozenset({"zalo", "zalo_oa", "console"})
    choice_ttl: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Later:
    """A deferred step: `work` without the database, then `then` in a new transaction.

    Queued by `Context.defer`, run by the dispatcher (see handlers.later).
    """

    work: Callable[[], Awaitable[Any]]
    then: Callable[[Context, Any], Awaitable[None]]


@dataclass(slots=True)
class Context:
    """Everything one handler call needs; replies are sent after the transaction commits."""

    session: Session
    incoming: Incoming
    now: datetime
    options: Options
    identity: Identity | None
    locale: str
    replies: list[Outgoing] = field(default_factory=list)
    # Messages to other chats (e.g. admins asked to approve a join request), sent after commit.
    pushes: list[tuple[Address, Outgoing]] = field(default_factory=list)
    # Slow steps to run after the commit, outside the transaction (see handlers.later).
    later: list[Later] = field(default_factory=list)

    @property
    def today(self) -> date:
        """Today in the configured time zone (Asia/Ho_Chi_Minh by default)."""
        return self.now.astimezone(self.options.tz).date()

    @property
    def user(self) -> User | None:
        """The official writing, if known."""
        return self.identity.user if self.identity else None

    @property
    def unit(self) -> Unit | None:
        """The unit the official is linked to."""
        return self.user.unit if self.user else None

    @property
    def is_admin(self) -> bool:
        """Admins are listed in NHACVIEC_ADMINS or were invited as admin."""
        addr = self.incoming.address
        listed = (addr.channel, addr.user_id or addr.chat_id) in self.options.admins
        return listed or (self.user is not None and self.user.role == UserRole.ADMIN)

    @property
    def numbered(self) -> bool:
        """True when this chat sees buttons as numbered choices (Zalo, the console)."""
        return self.incoming.address.channel in self.options.numbered_channels

    @property
    def flow_key(self) -> str:
        """Key of this participant's multi-step flow (per chat and person)."""
        a = self.incoming.address
        return f"{a.channel}:{a.chat_id}:{a.user_id or a.chat_id}"

    def reply(
        self,
        text: str,
        buttons: list[list[Button]] | None = None,
        attachments: list[Attachment] | None = None,
    ) -> None:
        """Queue a reply to the chat the message came from."""
        self.replies.append(Outgoing(text, buttons or [], attachments or []))

    def push(self, address: Address, text: str, buttons: list[list[Button]] | None = None) -> None:
        """Queue a message to another chat, sent (best effort) once the transaction commits."""
        self.pushes.append((address, Outgoing(text, buttons or [])))

    def defer(
        self,
        work: Callable[[], Awaitable[T]],
        then: Callable[[Context, T], Awaitable[None]],
    ) -> None:
        """Run `work()` after this message's transaction, then `then(ctx, result)` in a new one.

        For slow steps that need no database (reading a file in a worker process); the
        replies queued so far are sent first (see handlers.later).
        """
        self.later.append(Later(work, then))
