"""Who sees what in the web app, decided on the server for every page and file.

An officer sees their unit; a head their unit and its sub-units; a member of an oversight
group (who asked for the link in that group) also the units linked to it; an admin (by role
or listed in NHACVIEC_ADMINS) every unit. The same rules as the chat (`handlers.scope`), read
afresh on every request, so a changed role or link takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.batching import unit_filters
from store.models import Chat, ChatUnit, Identity, User, UserRole
from store.units import descendant_ids


@dataclass(frozen=True, slots=True)
class Scope:
    """The units a viewer may see: every unit, or exactly `unit_ids`.

    `unit_ids` is everything (for checks in Python); in SQL the oversight group's share is
    a subquery on its links (`group_pk`), so a group linked to 10,000 units binds no list.
    """

    all_units: bool
    unit_ids: frozenset[int] = frozenset()
    own_ids: frozenset[int] = frozenset()  # the person's unit (and sub-units)
    group_pk: int | None = None

    def condition(self, column: ColumnElement[int]) -> ColumnElement[bool] | None:
        """`column` restricted to the scope, bounded in size (None: every unit)."""
        if self.all_units:
            return None
        own = self.own_ids if self.group_pk is not None else self.unit_ids
        parts = list(unit_filters(column, own))
        if self.group_pk is not None:
            links = select(ChatUnit.unit_id).where(ChatUnit.chat_pk == self.group_pk)
            parts.append(column.in_(links))
        return or_(*parts) if parts else false()

    @property
    def empty(self) -> bool:
        """True when nothing at all may be seen."""
        return not self.all_units and not self.unit_ids

    def allows(self, unit_id: int | None) -> bool:
        """Whether one unit may be seen."""
        return unit_id is not None and (self.all_units or unit_id in self.unit_ids)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person and what they may see."""

    user_id: int
    name: str
    role: UserRole
    is_admin: bool
    unit_id: int | None
    unit_name: str | None
    locale: str | None
    group_title: str | None
    scope: Scope


async def group_units(session: AsyncSession, chat_pk: int) -> tuple[str, frozenset[int]] | None:
    """Title and units of an active oversight group, or None."""
    chat = await session.get(Chat, chat_pk)
    if chat is None or not chat.active or not chat.oversight:
        return None
    ids = await session.scalars(select(ChatUnit.unit_id).where(ChatUnit.chat_pk == chat_pk))
    return chat.title, frozenset(ids)


async def load_viewer(
    session: AsyncSession,
    user_id: int,
    *,
    identity_id: int | None,
    chat_pk: int | None,
    admin_ids: frozenset[tuple[str, str]] = frozenset(),
) -> Viewer | None:
    """The viewer for a user (and the oversight group of their link); None if inactive."""
    user = await session.scalar(
        select(User).where(User.id == user_id).options(selectinload(User.unit))
    )
    if user is None or not user.active:
        return None
    listed = False
    if identity_id is not None:
        identity = await session.get(Identity, identity_id)
        listed = identity is not None and (identity.channel, identity.external_id) in admin_ids
    is_admin = listed or user.role == UserRole.ADMIN
    ids: set[int] = set()
    if user.unit_id is not None:
        ids.add(user.unit_id)
        if user.role in (UserRole.HEAD, UserRole.ADMIN):
            ids |= await descendant_ids(session, user.unit_id)
    group = await group_units(session, chat_pk) if chat_pk is not None else None
    return Viewer(
        user_id=user.id,
        name=user.name,
        role=user.role,
        is_admin=is_admin,
        unit_id=user.unit_id,
        unit_name=user.unit.name if user.unit else None,
        locale=user.locale,
        group_title=group[0] if group else None,
        scope=Scope(
            all_units=is_admin,
            unit_ids=frozenset(ids) | (group[1] if group else frozenset()),
            own_ids=frozenset(ids),
            group_pk=chat_pk if group is not None else None,
        ),
    )


async def identity_of(
    session: AsyncSession, channel: str, external_id: str
) -> tuple[int, int] | None:
    """(user id, identity id) of a channel account, or None when unknown."""
    row = (
        await session.execute(
            select(Identity.user_id, Identity.id).where(
                Identity.channel == channel, Identity.external_id == external_id
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def oversight_chat(session: AsyncSession, channel: str, chat_id: str) -> int | None:
    """The id of an active oversight group chat, or None (unknown, inactive, not oversight)."""
    return await session.scalar(
        select(Chat.id).where(
            Chat.channel == channel,
            Chat.chat_id == chat_id,
            Chat.active.is_(True),
            Chat.oversight.is_(True),
        )
    )
