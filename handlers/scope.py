"""Which units a chat may see and act for: a person's unit (and sub-units for heads), a group's
links. Every query, report and group link goes through these checks.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.i18n import _
from store.group_units import group_unit_ids
from store.models import UserRole
from store.units import descendant_ids


async def visible_unit_ids(ctx: Context) -> list[int]:
    """Units whose work this chat may see; empty when nothing is linked.

    A group sees exactly the units it is linked to, whoever writes in it. In a private chat an
    officer sees their unit; heads and admins also see its sub-units.
    """
    a = ctx.incoming.address
    if not a.is_private:
        return await group_unit_ids(ctx.session, a.channel, a.chat_id)
    user = ctx.user
    if user is None or user.unit_id is None:
        return []
    if user.role in (UserRole.HEAD, UserRole.ADMIN):
        return sorted({user.unit_id} | await descendant_ids(ctx.session, user.unit_id))
    return [user.unit_id]


async def reportable_unit_ids(ctx: Context) -> list[int]:
    """Units the writer may report for: only their own unit.

    In a group the writer's unit must also be linked to that group, because the bot's answer
    (task titles, progress) is read by everyone in it.
    """
    user = ctx.user
    if user is None or user.unit_id is None:
        return []
    a = ctx.incoming.address
    if not a.is_private and user.unit_id not in await group_unit_ids(
        ctx.session, a.channel, a.chat_id
    ):
        return []
    return [user.unit_id]


async def manageable_unit_ids(ctx: Context, unit_ids: list[int]) -> list[int]:
    """The subset of `unit_ids` the writer may link a group to (or unlink it from).

    Admins may manage any unit; a head of unit their own unit and its sub-units; officers and
    unlinked people none.
    """
    if ctx.is_admin:
        return list(unit_ids)
    user = ctx.user
    if user is None or user.unit_id is None or user.role != UserRole.HEAD:
        return []
    allowed = {user.unit_id} | await descendant_ids(ctx.session, user.unit_id)
    return [u for u in unit_ids if u in allowed]


def can_manage_groups(ctx: Context) -> bool:
    """Whether the writer may link groups at all (an admin, or a linked head of unit)."""
    user = ctx.user
    if ctx.is_admin:
        return True
    return user is not None and user.unit_id is not None and user.role == UserRole.HEAD


def not_linked_text() -> str:
    """What to tell a person who is not linked to a unit yet."""
    return _(
        "You are not linked to a unit yet. Ask your steering office for an invite "
        "code, then send: /start CODE"
    )


async def visible_units_or_explain(ctx: Context) -> list[int] | None:
    """The units this chat may see; None (after explaining how to link) when there are none."""
    unit_ids = await visible_unit_ids(ctx)
    if unit_ids:
        return unit_ids
    if ctx.incoming.address.is_private:
        ctx.reply(not_linked_text())
    else:
        ctx.reply(_("This group is not linked to a unit yet. An admin can link it with /link."))
    return None
