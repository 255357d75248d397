"""Who a push can reach: officials with their identities, read as plain rows for the jobs.

The daily jobs address every official; reading them as ORM objects with their relationships
costs more than the rest of the job, so these are light rows, grouped in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Identity, User


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
