"""Which units a chat may see: a person's unit (and sub-units for heads), a group's links."""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from store.models import Chat, ChatUnit, UserRole
from store.units import descendant_ids


async def visible_unit_ids(ctx: Context) -> list[int]:
    """Units whose work this chat may see; empty when nothing is linked."""
    a = ctx.incoming.address
    if not a.is_private:
        rows = await ctx.session.scalars(
            select(ChatUnit.unit_id)
            .join(Chat, Chat.id == ChatUnit.chat_pk)
            .where(Chat.channel == a.channel, Chat.chat_id == a.chat_id, Chat.active.is_(True))
        )
        return sorted(set(rows))
    user = ctx.user
    if user is None or user.unit_id is None:
        return []
    if user.role in (UserRole.HEAD, UserRole.ADMIN):
        return sorted({user.unit_id} | await descendant_ids(ctx.session, user.unit_id))
    return [user.unit_id]


def reportable_unit_ids(ctx: Context) -> list[int]:
    """Units the writer may report for: only their own unit."""
    user = ctx.user
    if user is None or user.unit_id is None:
        return []
    return [user.unit_id]
