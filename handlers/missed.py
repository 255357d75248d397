"""Telling people, the next time they write, about pushes that could not be delivered to them.

A push the platform refuses (Zalo's messaging window, a blocked bot) is recorded on its
`Delivery` row as unreachable or failed, with the reason in `last_error`; it is never dropped
silently. When the person writes again, on any of their channels, the first reply lists what
they missed, and each row is marked as told (a `_told_at` key in its payload, next to the
outbox's own `_timeouts` key) so it is mentioned once.

Reasons from a messaging window start with `WINDOW_PREFIX`, so the explanation can say why.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.i18n import _, ngettext
from handlers.markup import bold, to_plain
from handlers.people.identity_link import channel_label
from handlers.render import shorten
from handlers.types import Outgoing
from store.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

WINDOW_PREFIX = "window:"
TOLD_KEY = "_told_at"
# Older misses are not worth a message: the person has heard from us since, or the work moved on.
LOOKBACK = timedelta(days=14)
SHOWN = 5


async def untold(session: AsyncSession, user_id: int, now: datetime) -> list[Delivery]:
    """Pushes to a person that were not delivered and that they were not told about yet.

    Timeouts are left out: such a message may well have arrived.
    """
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.user_id == user_id,
            Delivery.status.in_([DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED]),
            Delivery.created_at >= now - LOOKBACK,
        )
        .order_by(Delivery.created_at, Delivery.id)
    )
    return [
        r
        for r in rows
        if not (r.payload or {}).get(TOLD_KEY) and not (r.last_error or "").startswith("timeout")
    ]


async def tell_missed(ctx: Context) -> None:
    """After any private message from a known person: list pushes they did not receive."""
    user = ctx.user
    if user is None or user.id is None or not ctx.incoming.address.is_private:
        return
    rows = await untold(ctx.session, user.id, ctx.now)
    if not rows:
        return
    for row in rows:
        # A new dict, so the JSON column is seen as changed.
        row.payload = {**(row.payload or {}), TOLD_KEY: ctx.now.isoformat()}
    count = len(rows)
    lines = [
        bold(
            ngettext(
                "{count} message could not be delivered to you:",
                "{count} messages could not be delivered to you:",
                count,
            ).format(count=count)
        )
    ]
    for row in rows[:SHOWN]:
        when = row.created_at.astimezone(ctx.options.tz).strftime("%d/%m %H:%M")
        text = to_plain(str((row.payload or {}).get("text", "")))
        first = next((line.strip() for line in text.splitlines() if line.strip()), "…")
        lines.append(f"• {when} ({channel_label(row.channel)}) — {shorten(first, 100)}")
    if count > SHOWN:
        lines.append(_("…and {count} more.").format(count=count - SHOWN))
    if any((r.last_error or "").startswith(WINDOW_PREFIX) for r in rows):
        lines.append(
            _(
                "Zalo lets the bot write to you only within 48 hours of your last message "
                "(8 messages at most). Write to the bot from time to time, or choose another "
                "app for reminders with /kenh."
            )
        )
    else:
        lines.append(_("The app did not accept them (for example, the bot was blocked)."))
    lines.append(_("Send “overdue” or “what is due this month?” to see where things stand."))
    logger.info("told user %s about %d undelivered pushes", user.id, count)
    # First, so the answer to what they just asked stays the last thing they read.
    ctx.replies.insert(0, Outgoing("\n".join(lines)))
