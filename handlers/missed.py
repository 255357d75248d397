"""Telling people, the next time they write, about pushes that could not be delivered to them.

A push the platform refuses (Zalo's messaging window, a blocked bot) is recorded on its
`Delivery` row as unreachable or failed, with the reason in `last_error`; it is never dropped
silently. When the person writes again, on any of their channels, the first reply lists what
they missed, and each row is marked as told (store.undelivered) so it is mentioned once.

Reasons from a messaging window start with `WINDOW_PREFIX`, so the explanation can say why.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Context
from handlers.i18n import _, ngettext
from handlers.markup import bold, to_plain
from handlers.people.identity_link import channel_label
from handlers.render import shorten
from handlers.types import Outgoing
from store.undelivered import TOLD_KEY, mark_told, untold

logger = logging.getLogger(__name__)

WINDOW_PREFIX = "window:"
# TOLD_KEY (the mark on a row the person was told about) lives with the rows, in store/.
__all__ = ["TOLD_KEY", "WINDOW_PREFIX", "tell_missed"]
# Older misses are not worth a message: the person has heard from us since, or the work moved on.
LOOKBACK = timedelta(days=14)
SHOWN = 5


async def tell_missed(ctx: Context) -> None:
    """After any private message from a known person: list pushes they did not receive."""
    user = ctx.user
    if user is None or user.id is None or not ctx.incoming.address.is_private:
        return
    rows = await untold(ctx.session, user.id, ctx.now - LOOKBACK)
    if not rows:
        return
    mark_told(rows, ctx.now)
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
