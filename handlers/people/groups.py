"""Group chats: linking a group to units (/link with fuzzy matching and a confirmation button),
oversight groups that see several units, /unlink, and what the platform tells us about a group
(the bot added or removed, a group migrated to a supergroup).

A group only ever sees the units it is linked to (handlers.scope). Only admins and heads of unit
link groups; a head may link only their own unit and its sub-units. The person who presses the
confirmation button is checked again, since anyone in the group can press it. The links
themselves, with their audit rows, are store.actions.groups.
"""

from __future__ import annotations

import logging

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent, IntentName
from handlers.scope import can_manage_groups, manageable_unit_ids
from handlers.types import Button
from store.actions import CHAT, Actor
from store.actions.groups import (
    MAX_UNITS_PER_GROUP,
    LinkOutcome,
    group_removed,
    link_group,
    migrate_group,
    set_bot_reachable,
    unlink_group,
)
from store.chat_links import linked_units
from store.models import Unit
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

# Free text a group may use without a slash command (with the bot's privacy mode off every
# message reaches it; answering chit-chat with "I did not understand" would flood the group).
_GROUP_FREE_TEXT = frozenset(
    {IntentName.DUE, IntentName.OVERDUE, IntentName.LIST, IntentName.SCORE, IntentName.UNREPORTED}
)


def should_ignore(ctx: Context, intent: Intent, is_command: bool) -> bool:
    """Whether to stay silent about a group message that was not meant for the bot.

    In a group, commands are answered (except unknown ones: in a group they are usually meant
    for another bot); free text only when it clearly asks about work or is a complete one-line
    report (`NV 7 đạt 50%`).
    """
    if ctx.incoming.address.is_private:
        return False
    if is_command:
        return intent.name == IntentName.UNKNOWN
    if intent.name in _GROUP_FREE_TEXT:
        return False
    complete_report = intent.name == IntentName.REPORT and intent.task_ref is not None
    return not (complete_report and (intent.percent is not None or intent.status is not None))


def _actor(ctx: Context) -> Actor:
    return Actor(ctx.user.id if ctx.user else None, CHAT)


async def _linked_units(ctx: Context) -> list[Unit]:
    a = ctx.incoming.address
    return await linked_units(ctx.session, a.channel, a.chat_id)


def _names(units: list[Unit]) -> str:
    return ", ".join(u.name for u in units)


async def _show_links(ctx: Context) -> None:
    units = await _linked_units(ctx)
    if not units:
        ctx.reply(
            _("This group is not linked to a unit yet.")
            + "\n"
            + _("An admin or a head of unit can link it: /link UNIT NAME")
        )
        return
    ctx.reply(
        _("This group sees the tasks of: {units}.").format(units=_names(units))
        + "\n"
        + _("Admins and heads of unit can add a unit with /link UNIT or remove one with /unlink.")
    )


async def handle_link(ctx: Context, intent: Intent) -> None:
    """Triggered by /link [UNIT] in a group: match the unit, then ask for confirmation."""
    if ctx.incoming.address.is_private:
        ctx.reply(_("Add me to your unit's group chat, then send /link UNIT NAME there."))
        return
    name = clean_user_text(intent.argument).strip()
    if not name:
        await _show_links(ctx)
        return
    if not can_manage_groups(ctx):
        ctx.reply(_("Only admins and heads of unit can link a group to a unit."))
        return
    registry = await UnitRegistry.load(ctx.session)
    match = registry.match(name[:200])
    if match.unit is not None and match.unit.id is not None:
        if not await manageable_unit_ids(ctx, [match.unit.id]):
            ctx.reply(_("You can only link a group to your own unit or its sub-units."))
            return
        ctx.reply(
            _("Link this group to {unit}?").format(unit=bold(match.unit.name))
            + "\n"
            + _("Everyone in the group will see this unit's tasks and progress."),
            [
                [Button(_("✅ Link"), f"g:{match.unit.id}"), Button(_("Cancel"), "x")],
            ],
        )
        return
    ids = [ref.id for ref, _score in match.candidates if ref.id is not None]
    allowed = set(await manageable_unit_ids(ctx, ids))
    options = [ref for ref, _score in match.candidates if ref.id in allowed][:5]
    if not options:
        ctx.reply(
            _(
                "No unit matches “{name}”. Try its full name, for example: /link Bộ Tài chính"
            ).format(name=name[:80])
        )
        return
    rows = [[Button(ref.name[:60], f"g:{ref.id}")] for ref in options]
    rows.append([Button(_("Cancel"), "x")])
    ctx.reply(_("Which unit do you mean?"), rows)


async def on_link_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button g:<unit id>: link this group to the unit (the presser's rights are re-checked)."""
    a = ctx.incoming.address
    unit_id = _parse_id(args)
    if a.is_private or unit_id is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    if not await manageable_unit_ids(ctx, [unit_id]) or not can_manage_groups(ctx):
        ctx.reply(_("Only admins and heads of unit can link a group to a unit."))
        return
    done = await link_group(
        ctx.session,
        actor=_actor(ctx),
        channel=a.channel,
        chat_id=a.chat_id,
        unit_id=unit_id,
        now=ctx.now,
    )
    if done.outcome == LinkOutcome.NO_UNIT:
        ctx.reply(_("That unit no longer exists."))
        return
    if done.outcome == LinkOutcome.ALREADY:
        ctx.reply(_("This group is already linked to {unit}.").format(unit=done.unit_name))
        return
    if done.outcome == LinkOutcome.FULL:
        ctx.reply(
            _("A group can see at most {n} units. Remove one with /unlink first.").format(
                n=MAX_UNITS_PER_GROUP
            )
        )
        return
    ctx.reply(
        bold(_("This group is now linked to {unit}.").format(unit=done.unit_name))
        + "\n"
        + _("This group sees the tasks of: {units}.").format(units=", ".join(done.units))
        + "\n"
        + _("Ask here with /due, /overdue or /list.")
    )


async def handle_unlink(ctx: Context, argument: str) -> None:
    """Triggered by /unlink [UNIT] in a group: pick the unit to remove, then confirm."""
    if ctx.incoming.address.is_private:
        ctx.reply(_("Send /unlink in the group you want to change."))
        return
    units = await _linked_units(ctx)
    if not units:
        ctx.reply(_("This group is not linked to a unit yet."))
        return
    if not can_manage_groups(ctx):
        ctx.reply(_("Only admins and heads of unit can change a group's units."))
        return
    allowed = set(await manageable_unit_ids(ctx, [u.id for u in units]))
    choices = [u for u in units if u.id in allowed]
    name = clean_user_text(argument).strip()
    if name and choices:
        registry = await UnitRegistry.load(ctx.session)
        match = registry.match(name[:200])
        wanted = {ref.id for ref, _score in match.candidates[:5]}
        if match.unit is not None:
            wanted = {match.unit.id}
        choices = [u for u in choices if u.id in wanted] or choices
    if not choices:
        ctx.reply(_("You can only remove your own unit or its sub-units from a group."))
        return
    rows = [[Button(_("Remove {unit}").format(unit=u.name)[:60], f"gu:{u.id}")] for u in choices]
    rows.append([Button(_("Cancel"), "x")])
    ctx.reply(_("Which unit should this group stop seeing?"), rows[:MAX_UNITS_PER_GROUP])


async def on_unlink_button(ctx: Context, code: str, args: list[str]) -> None:
    """Button gu:<unit id>: the group stops seeing that unit."""
    a = ctx.incoming.address
    unit_id = _parse_id(args)
    if a.is_private or unit_id is None:
        ctx.reply(_("That button is not valid. Send /help to see what I can do."))
        return
    if not can_manage_groups(ctx) or not await manageable_unit_ids(ctx, [unit_id]):
        ctx.reply(_("Only admins and heads of unit can change a group's units."))
        return
    done = await unlink_group(
        ctx.session,
        actor=_actor(ctx),
        channel=a.channel,
        chat_id=a.chat_id,
        unit_id=unit_id,
        now=ctx.now,
    )
    if not done.removed:
        ctx.reply(_("This group is not linked to that unit."))
        return
    ctx.reply(_("This group no longer sees the tasks of {unit}.").format(unit=done.unit_name))


async def on_event(ctx: Context) -> None:
    """Platform events: the bot added to or removed from a chat, a group migrated."""
    a = ctx.incoming.address
    kind, _sep, value = ctx.incoming.payload.partition(":")
    if a.is_private:
        # In a private chat "removed" means the person blocked the bot.
        if ctx.identity is not None and kind in ("removed", "added"):
            set_bot_reachable(
                ctx.session,
                actor=_actor(ctx),
                identity=ctx.identity,
                reachable=kind == "added",
                now=ctx.now,
            )
        return
    if kind == "added":
        ctx.reply(
            _("Hello! I am Nhắc việc, the task reminder assistant.")
            + "\n"
            + _("An admin or a head of unit can link this group: /link UNIT NAME")
            + "\n"
            + _("The group will then see that unit's tasks (/due, /overdue, /list).")
        )
        return
    if kind == "migrated" and value:
        # The platform moved the group, nobody in it did: the audit row names no one.
        await migrate_group(
            ctx.session,
            actor=Actor(None, CHAT),
            channel=a.channel,
            old_chat_id=a.chat_id,
            new_chat_id=value,
            now=ctx.now,
        )
    elif kind == "removed":
        await group_removed(
            ctx.session, actor=_actor(ctx), channel=a.channel, chat_id=a.chat_id, now=ctx.now
        )


def _parse_id(args: list[str]) -> int | None:
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 10:
        return None
    value = int(args[0])
    return value if value <= 2**31 - 1 else None
