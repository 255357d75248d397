"""Who a push can reach: officials with their identities, and the groups linked to units.

The daily jobs address every official; reading them as ORM objects with their relationships
costs more than the rest of the job, so these are light rows, grouped in Python. The units a
job looks at are given to the other queries as subqueries (`linked_units`, `digest_units`,
`oversight_units`), never as lists of ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Chat, ChatUnit, Identity, Unit, User


@dataclass(frozen=True, slots=True)
class Reach:
    """One identity of an official: where a push could go."""

    id: int
    channel: str
    external_id: str
    chat_id: str
    reachable: bool
    last_seen_at: datetime | None


@dataclass(slots=True)
class Official:
    """An official as the jobs see them."""

    id: int
    unit_id: int | None
    active: bool
    locale: str | None
    preferred_channel: str | None
    identities: list[Reach] = field(default_factory=list)


async def officials(session: AsyncSession) -> list[Official]:
    """Every official (active or not) with their identities, in id order."""
    people = {
        row.id: Official(row.id, row.unit_id, row.active, row.locale, row.preferred_channel)
        for row in await session.execute(
            select(
                User.id, User.unit_id, User.active, User.locale, User.preferred_channel
            ).order_by(User.id)
        )
    }
    by_user: defaultdict[int, list[Reach]] = defaultdict(list)
    rows = await session.execute(
        select(
            Identity.user_id,
            Identity.id,
            Identity.channel,
            Identity.external_id,
            Identity.chat_id,
            Identity.reachable,
            Identity.last_seen_at,
        ).order_by(Identity.id)
    )
    for row in rows:
        by_user[row.user_id].append(
            Reach(
                row.id, row.channel, row.external_id, row.chat_id, row.reachable, row.last_seen_at
            )
        )
    for user_id, reach in by_user.items():
        if user_id in people:
            people[user_id].identities = reach
    return list(people.values())


def linked_units() -> Select[tuple[int | None]]:
    """A select of the units at least one active official is linked to (a subquery)."""
    return select(User.unit_id).where(User.active.is_(True), User.unit_id.is_not(None)).distinct()


def _group_units(*, oversight_only: bool) -> Select[tuple[int, int]]:
    """(chat pk, unit id) of the active groups with digests on (or the oversight groups) and
    the active units they are linked to."""
    stmt = (
        select(ChatUnit.chat_pk, ChatUnit.unit_id)
        .join(Chat, Chat.id == ChatUnit.chat_pk)
        .join(Unit, Unit.id == ChatUnit.unit_id)
        .where(Chat.active.is_(True), Unit.active.is_(True))
    )
    if oversight_only:
        return stmt.where(Chat.oversight.is_(True))
    return stmt.where(Chat.digest_enabled.is_(True))


def digest_units() -> Select[tuple[int]]:
    """A select of the units linked to an active group with digests on (a subquery)."""
    return select(_group_units(oversight_only=False).subquery().c.unit_id).distinct()


def oversight_units() -> Select[tuple[int]]:
    """A select of the units linked to an active oversight group (a subquery)."""
    return select(_group_units(oversight_only=True).subquery().c.unit_id).distinct()


async def linked_chats(
    session: AsyncSession, *, oversight_only: bool = False
) -> list[tuple[Chat, list[int]]]:
    """Active group chats with their linked unit ids (digests on, or oversight groups).

    The links are read as plain rows and each chat once: an oversight group linked to every
    commune is one chat and thousands of links.

    Args:
        session: The caller's session.
        oversight_only: Only oversight groups (for the scoreboard); otherwise every group
            with digests switched on.
    """
    units: defaultdict[int, list[int]] = defaultdict(list)
    links = _group_units(oversight_only=oversight_only).order_by(
        ChatUnit.chat_pk, ChatUnit.unit_id
    )
    for pk, unit_id in await session.execute(links):
        units[pk].append(unit_id)
    flag = Chat.oversight if oversight_only else Chat.digest_enabled
    chats = await session.scalars(
        select(Chat).where(Chat.active.is_(True), flag.is_(True)).order_by(Chat.id)
    )
    return [(chat, units[chat.id]) for chat in chats if chat.id in units]
