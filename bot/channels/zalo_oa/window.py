"""Zalo OA's messaging window, checked before a push so a refusal is recorded with its reason.

Zalo lets an OA send consultation messages to a person only after that person wrote to it: 8
free messages within 48 hours of their last message; after that, until 7 days, only from a paid
quota; after 7 days not at all (error -230). The check uses what the database knows: the
person's last message (`Identity.last_seen_at`, updated by the dispatcher on every message) and
the pushes sent to them since (`Delivery` rows). Replies sent straight after a message are not
counted, so the API can still refuse first; both refusals end up as the same UNREACHABLE
`SendError` with a `window:` reason (see `handlers.missed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.missed import WINDOW_PREFIX
from store.models import Delivery, DeliveryStatus, Identity


@dataclass(frozen=True, slots=True)
class WindowPolicy:
    """The OA's sending rules.

    Args:
        free_window: How long after a person's message free replies are allowed.
        free_messages: How many free messages fit in that window.
        hard_window: After this long without a message nothing can be sent.
        paid: The OA has a paid quota for messages between `free_window` and `hard_window`
            (ZALO_OA_PAID_MESSAGES); otherwise those are refused before reaching Zalo.
    """

    free_window: timedelta = timedelta(hours=48)
    free_messages: int = 8
    hard_window: timedelta = timedelta(days=7)
    paid: bool = False


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WindowGuard:
    """Says whether a push to a person would be outside the window, and why.

    Args:
        sessionmaker: Database sessions.
        policy: The rules to apply.
        channel: The channel name on `Identity` and `Delivery` rows.
        clock: Current time (timezone-aware).
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        policy: WindowPolicy | None = None,
        *,
        channel: str = "zalo_oa",
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.policy = policy or WindowPolicy()
        self._channel = channel
        self._clock = clock

    async def refusal(self, user_id: str) -> str | None:
        """None if a message to `user_id` may go out now, else the reason (`window: ...`)."""
        policy = self.policy
        now = self._clock()
        async with self._sessionmaker() as s:
            last_seen = await s.scalar(
                select(Identity.last_seen_at).where(
                    Identity.channel == self._channel, Identity.chat_id == user_id
                )
            )
            if last_seen is None:
                return f"{WINDOW_PREFIX} the user has never written to the OA"
            quiet = now - last_seen
            if quiet > policy.hard_window:
                days = quiet.days
                return (
                    f"{WINDOW_PREFIX} no message from the user for {days} days "
                    f"(Zalo refuses after {policy.hard_window.days})"
                )
            if policy.paid:
                return None
            if quiet > policy.free_window:
                hours = int(quiet.total_seconds() // 3600)
                free = int(policy.free_window.total_seconds() // 3600)
                return (
                    f"{WINDOW_PREFIX} last message from the user {hours} h ago; free messages "
                    f"end after {free} h"
                )
            sent = await s.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(
                    Delivery.channel == self._channel,
                    Delivery.chat_id == user_id,
                    Delivery.status == DeliveryStatus.SENT,
                    Delivery.sent_at >= last_seen,
                )
            )
        if (sent or 0) >= policy.free_messages:
            hours = int(policy.free_window.total_seconds() // 3600)
            return (
                f"{WINDOW_PREFIX} {sent} messages already sent since the user's last message "
                f"({policy.free_messages} free within {hours} h)"
            )
        return None
