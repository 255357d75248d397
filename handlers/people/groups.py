"""Group chats: linking a group to units (/link with fuzzy matching and a confirmation button),
oversight groups that see several units, /unlink, and what the platform tells us about a group
(the bot added or removed, a group migrated to a supergroup).

A group only ever sees the units it is linked to (handlers.scope). Only admins and heads of unit
link groups; a head may link only their own unit and its sub-units. The person who presses the
confirmation button is checked again, since anyone in the group can press it.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, select

from handlers.context import Context
from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.parsing.intents import Intent, IntentName
from handlers.scope import can_manage_groups, group_unit_ids, manageable_unit_ids
from handlers.types import Button
from store.audit import audit
from store.models import Chat, ChatUnit, Unit
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)

MAX_UNITS_PER_GROUP = 50
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


async def _linked_units(ctx: Context) -> list[Unit]:
    a = ctx.incoming.address
    ids = await group_unit_ids(ctx.session, a.channel, a.chat_id)
    if not ids:
        return []
    rows = await ctx.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name))
    return list(rows)


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
    unit = await ctx.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        ctx.reply(_("That unit no longer exists."))
        return
    chat = await _get_or_create_chat(ctx)
    linked = set(
        await ctx.session.scalars(select(ChatUnit.unit_id).where(ChatUnit.chat_pk == chat.id))
    )
    if unit_id in linked:
        ctx.reply(_("This group is already linked to {unit}.").format(unit=unit.name))
        return
    if len(linked) >= MAX_UNITS_PER_GROUP:
        ctx.reply(
            _("A group can see at most {n} units. Remove one with /unlink first.").format(
                n=MAX_UNITS_PER_GROUP
            )
        )
        return
    ctx.session.add(ChatUnit(chat_pk=chat.id, unit_id=unit_id))
    chat.active = True
    chat.oversight = len(linked) + 1 > 1
    audit(
        ctx.session,
        actor_id=ctx.user.id if ctx.user else None,
        action="group_link",
        target=f"chat:{chat.id}",
        detail={"unit": unit_id, "units": sorted(linked | {unit_id})},
        now=ctx.now,
    )
    await ctx.session.flush()
    units = await _linked_units(ctx)
    ctx.reply(
        bold(_("This group is now linked to {unit}.").format(unit=unit.name))
        + "\n"
        + _("This group sees the tasks of: {units}.").format(units=_names(units))
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
    chat = await _find_chat(ctx, a.chat_id)
    unit = await ctx.session.get(Unit, unit_id)
    if chat is None or unit is None:
        ctx.reply(_("This group is not linked to that unit."))
        return
    result = await ctx.session.execute(
        delete(ChatUnit).where(ChatUnit.chat_pk == chat.id, ChatUnit.unit_id == unit_id)
    )
    if not result.rowcount:
        ctx.reply(_("This group is not linked to that unit."))
        return
    left = await ctx.session.scalar(
        select(func.count()).select_from(ChatUnit).where(ChatUnit.chat_pk == chat.id)
    )
    chat.oversight = (left or 0) > 1
    audit(
        ctx.session,
        actor_id=ctx.user.id if ctx.user else None,
        action="group_unlink",
        target=f"chat:{chat.id}",
        detail={"unit": unit_id},
        now=ctx.now,
    )
    ctx.reply(_("This group no longer sees the tasks of {unit}.").format(unit=unit.name))


async def on_event(ctx: Context) -> None:
    """Platform events: the bot added to or removed from a chat, a group migrated."""
    a = ctx.incoming.address
    kind, _sep, value = ctx.incoming.payload.partition(":")
    if a.is_private:
        # In a private chat "removed" means the person blocked the bot.
        if ctx.identity is not None and kind in ("removed", "added"):
            ctx.identity.reachable = kind == "added"
            audit(
                ctx.session,
                actor_id=ctx.user.id if ctx.user else None,
                action="bot_blocked" if kind == "removed" else "bot_unblocked",
                target=f"identity:{ctx.identity.id}",
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
    chat = await _find_chat(ctx, a.chat_id)
    if chat is None:
        return
    if kind == "migrated" and value:
        await _migrate(ctx, chat, value)
    elif kind == "removed":
        # Links go with the bot: whoever adds it back later must link the group again, since
        # the group's members may have changed in between.
        units = list(
            await ctx.session.scalars(select(ChatUnit.unit_id).where(ChatUnit.chat_pk == chat.id))
        )
        await ctx.session.execute(delete(ChatUnit).where(ChatUnit.chat_pk == chat.id))
        chat.active = False
        chat.oversight = False
        audit(
            ctx.session,
            actor_id=ctx.user.id if ctx.user else None,
            action="group_removed",
            target=f"chat:{chat.id}",
            detail={"units": sorted(units)},
            now=ctx.now,
        )


async def _migrate(ctx: Context, chat: Chat, new_chat_id: str) -> None:
    """A group became a supergroup: its links follow it to the new chat id."""
    target = await _find_chat(ctx, new_chat_id)
    if target is None:
        chat.chat_id = new_chat_id
        moved_to = chat
    else:
        # The new supergroup was linked on its own already: merge, keep one row.
        have = set(
            await ctx.session.scalars(
                select(ChatUnit.unit_id).where(ChatUnit.chat_pk == target.id)
            )
        )
        old = list(
            await ctx.session.scalars(select(ChatUnit.unit_id).where(ChatUnit.chat_pk == chat.id))
        )
        await ctx.session.execute(delete(ChatUnit).where(ChatUnit.chat_pk == chat.id))
        for unit_id in old:
            if unit_id not in have:
                ctx.session.add(ChatUnit(chat_pk=target.id, unit_id=unit_id))
        target.active = target.active or chat.active
        target.oversight = len(have | set(old)) > 1
        chat.active = False
        moved_to = target
    audit(
        ctx.session,
        actor_id=None,
        action="group_migrated",
        target=f"chat:{moved_to.id}",
        detail={"from": ctx.incoming.address.chat_id, "to": new_chat_id},
        now=ctx.now,
    )


async def _find_chat(ctx: Context, chat_id: str) -> Chat | None:
    return await ctx.session.scalar(
        select(Chat).where(Chat.channel == ctx.incoming.address.channel, Chat.chat_id == chat_id)
    )


async def _get_or_create_chat(ctx: Context) -> Chat:
    a = ctx.incoming.address
    chat = await _find_chat(ctx, a.chat_id)
    if chat is None:
        chat = Chat(channel=a.channel, chat_id=a.chat_id, title="", active=True)
        ctx.session.add(chat)
        await ctx.session.flush()
    return chat


def _parse_id(args: list[str]) -> int | None:
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 10:
        return None
    value = int(args[0])
    return value if value <= 2**31 - 1 else None
