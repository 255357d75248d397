"""Broadcast messages: what recipients get, the admin's preview and the delivery report.

Everything renders in the current locale (`handlers.i18n.use_locale`), so the fan-out can
render each recipient's copy in their own language.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.i18n import _, ngettext
from handlers.markup import bold
from handlers.render import shorten
from handlers.types import Attachment, Button, Outgoing
from store.broadcasts import DONE, Stats
from store.models import Broadcast

ACK = "ack"  # button code recipients press: `ack:<broadcast id>`
STATUS = "bs"  # refresh the delivery report: `bs:<broadcast id>`
UNACKED = "bn"  # list everyone who has not acknowledged: `bn:<broadcast id>`
TEXT_LIMIT = 3500  # leaves room for the header and notes under Telegram's 4,096 characters


def file_ref(channel: str, ref: str) -> str:
    """How a broadcast stores the platform's reference to its document: `<channel>:<ref>`."""
    return f"{channel}:{ref}"


def attachment_for(broadcast: Broadcast, channel: str) -> Attachment | None:
    """The broadcast's document as an attachment for `channel`, if that channel holds it.

    A platform's file reference (a Telegram `file_id`) only works on that platform, and the
    channel must send `Attachment.ref`; recipients on another channel get the text with the
    document's name instead.
    """
    if not broadcast.file_ref or not broadcast.file_name:
        return None
    source, _sep, ref = broadcast.file_ref.partition(":")
    if source != channel or not ref:
        return None
    mime = mimetypes.guess_type(broadcast.file_name)[0] or "application/octet-stream"
    return Attachment(broadcast.file_name, b"", mime, ref=ref)


def announcement(
    broadcast: Broadcast, *, channel: str, directive_number: str | None = None
) -> Outgoing:
    """One recipient's copy of a broadcast, with the Acknowledge button.

    Args:
        broadcast: The broadcast (text, document, id).
        channel: The recipient's channel (decides whether the document goes along).
        directive_number: Set when the document's tasks were imported at the same time.
    """
    lines = [bold(_("Announcement")), ""]
    if broadcast.text:
        lines.append(broadcast.text)
    file = attachment_for(broadcast, channel)
    if broadcast.file_name and file is None:
        lines.append(
            _("Attached document: {name} (it cannot be sent on this channel).").format(
                name=shorten(broadcast.file_name, 80)
            )
        )
    if directive_number:
        lines.append(
            _("The tasks of {number} are now in Nhắc việc: send /list to see your unit's.").format(
                number=directive_number
            )
        )
    lines.append(_("Please press “Acknowledge” to confirm you have received it."))
    buttons = [[Button(_("✅ Acknowledge"), f"{ACK}:{broadcast.id}")]]
    return Outgoing("\n".join(lines).strip(), buttons, [file] if file else [])


def targets_label(kind: str, unit_names: list[str]) -> str:
    """Who a broadcast goes to, in words."""
    if kind == "all":
        return _("all linked officials")
    if kind == "groups":
        return _("all linked group chats")
    shown = ", ".join(unit_names[:8])
    if len(unit_names) > 8:
        shown += " " + _("and {n} more").format(n=len(unit_names) - 8)
    return _("officials of {units}").format(units=shown)


def report(
    broadcast: Broadcast, stats: Stats, tz: ZoneInfo, *, unacked_total: int | None = None
) -> Outgoing:
    """The delivery report of a broadcast, with Refresh and "who has not acknowledged".

    Args:
        broadcast: The broadcast.
        stats: Its delivery counts (names of up to a few unacknowledged recipients included).
        tz: Zone for the times shown.
        unacked_total: How many have not acknowledged, when more are than `stats` names.
    """
    head = _("Broadcast #{id}").format(id=broadcast.id) + " · " + _local(broadcast.created_at, tz)
    lines = [bold(head)]
    if broadcast.status == DONE and broadcast.sent_at is not None:
        lines.append(_("Finished sending at {time}.").format(time=_local(broadcast.sent_at, tz)))
    elif stats.total == 0:
        lines.append(_("Queued: the messages are being prepared."))
    lines.append(ngettext("{n} recipient", "{n} recipients", stats.total).format(n=stats.total))
    lines += [
        "✅ " + _("Delivered: {n}").format(n=stats.delivered),
        "⏳ " + _("Still sending: {n}").format(n=stats.pending),
        "🚫 " + _("Blocked the bot or left: {n}").format(n=stats.blocked),
        "❌ " + _("Failed: {n}").format(n=stats.failed),
        "👍 "
        + _("Acknowledged: {acked} of {delivered} delivered").format(
            acked=stats.acknowledged, delivered=stats.delivered
        ),
    ]
    missing = unacked_total if unacked_total is not None else len(stats.not_acknowledged)
    if stats.not_acknowledged:
        lines.append(_("Not yet acknowledged:"))
        lines += [f"• {shorten(name, 80)}" for name in stats.not_acknowledged]
        if missing > len(stats.not_acknowledged):
            lines.append(_("… and {n} more").format(n=missing - len(stats.not_acknowledged)))
    buttons = [[Button(_("🔄 Refresh"), f"{STATUS}:{broadcast.id}")]]
    if missing > len(stats.not_acknowledged):
        buttons[0].append(Button(_("Who has not acknowledged"), f"{UNACKED}:{broadcast.id}"))
    return Outgoing("\n".join(lines), buttons)


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M %d/%m/%Y")
