"""Group chats and their units: link, unlink, the bot removed from a group, a group migrated.

Also what a private chat's membership events mean: "removed" is the person blocking the bot.
Who may link which unit (admins, heads for their own units) is the adapter's check; these
actions do the data work and write the audit row, and never commit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from store import chat_links
from store.actions import Actor, audit_as
from store.db import Session
from store.models import Identity
from store.units import get_unit

#: A group sees at most this many units (oversight groups see several).
MAX_UNITS_PER_GROUP = 50


class LinkOutcome(enum.StrEnum):
    LINKED = "linked"
    ALREADY = "already"  # the group was linked to that unit before
    FULL = "full"  # the group sees MAX_UNITS_PER_GROUP units already
    NO_UNIT = "no_unit"  # the unit does not exist or is no longer active


@dataclass(frozen=True, slots=True)
class GroupLink:
    """What `link_group` did: the outcome, the unit's name, the units the group now sees."""

    outcome: LinkOutcome
    unit_name: str = ""
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupUnlink:
    """What `unlink_group` did: whether a link was removed, and the unit's name."""

    removed: bool
    unit_name: str = ""


async def link_group(
    session: Session, *, actor: Actor, channel: str, chat_id: str, unit_id: int, now: datetime
) -> GroupLink:
    """Link a group chat (created when new, reactivated) to a unit; audited as `group_link`."""
    unit = await get_unit(session, unit_id)
    if unit is None or not unit.active:
        return GroupLink(LinkOutcome.NO_UNIT)
    chat = await chat_links.get_or_create_chat(session, channel, chat_id)
    linked = set(await chat_links.linked_unit_ids(session, chat.id))
    if unit_id in linked:
        return GroupLink(LinkOutcome.ALREADY, unit.name)
    if len(linked) >= MAX_UNITS_PER_GROUP:
        return GroupLink(LinkOutcome.FULL, unit.name)
    chat_links.add_link(session, chat.id, unit_id)
    chat.active = True
    chat.oversight = len(linked) + 1 > 1
    audit_as(
        session,
        actor,
        action="group_link",
        target=f"chat:{chat.id}",
        detail={"unit": unit_id, "units": sorted(linked | {unit_id})},
        now=now,
    )
    await session.flush()
    units = await chat_links.linked_units(session, channel, chat_id)
    return GroupLink(LinkOutcome.LINKED, unit.name, tuple(u.name for u in units))


async def unlink_group(
    session: Session, *, actor: Actor, channel: str, chat_id: str, unit_id: int, now: datetime
) -> GroupUnlink:
    """Stop a group chat seeing a unit; audited as `group_unlink` when a link was removed."""
    chat = await chat_links.find_chat(session, channel, chat_id)
    unit = await get_unit(session, unit_id)
    if chat is None or unit is None:
        return GroupUnlink(False)
    if not await chat_links.remove_link(session, chat.id, unit_id):
        return GroupUnlink(False, unit.name)
    chat.oversight = await chat_links.count_links(session, chat.id) > 1
    audit_as(
        session,
        actor,
        action="group_unlink",
        target=f"chat:{chat.id}",
        detail={"unit": unit_id},
        now=now,
    )
    return GroupUnlink(True, unit.name)


async def group_removed(
    session: Session, *, actor: Actor, channel: str, chat_id: str, now: datetime
) -> bool:
    """The bot was removed from a group: its links go (False when the group was unknown).

    Whoever adds the bot back must link the group again: its members may have changed.
    """
    chat = await chat_links.find_chat(session, channel, chat_id)
    if chat is None:
        return False
    units = await chat_links.clear_links(session, chat.id)
    chat.active = False
    chat.oversight = False
    audit_as(
        session,
        actor,
        action="group_removed",
        target=f"chat:{chat.id}",
        detail={"units": sorted(units)},
        now=now,
    )
    return True


async def migrate_group(
    session: Session,
    *,
    actor: Actor,
    channel: str,
    old_chat_id: str,
    new_chat_id: str,
    now: datetime,
) -> bool:
    """A group became a supergroup: its links follow it to the new id (False when unknown).

    When the new supergroup was linked on its own already, the two merge into its row.
    """
    chat = await chat_links.find_chat(session, channel, old_chat_id)
    if chat is None:
        return False
    target = await chat_links.find_chat(session, channel, new_chat_id)
    if target is None:
        chat.chat_id = new_chat_id
        moved_to = chat
    else:
        have = set(await chat_links.linked_unit_ids(session, target.id))
        old = await chat_links.clear_links(session, chat.id)
        for unit_id in old:
            if unit_id not in have:
                chat_links.add_link(session, target.id, unit_id)
        target.active = target.active or chat.active
        target.oversight = len(have | set(old)) > 1
        chat.active = False
        moved_to = target
    audit_as(
        session,
        actor,
        action="group_migrated",
        target=f"chat:{moved_to.id}",
        detail={"from": old_chat_id, "to": new_chat_id},
        now=now,
    )
    return True


def set_bot_reachable(
    session: Session, *, actor: Actor, identity: Identity, reachable: bool, now: datetime
) -> None:
    """A person blocked (or unblocked) the bot in their private chat; audited either way."""
    identity.reachable = reachable
    audit_as(
        session,
        actor,
        action="bot_unblocked" if reachable else "bot_blocked",
        target=f"identity:{identity.id}",
        now=now,
    )
