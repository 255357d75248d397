"""Import drafts an admin should hear about: those about to expire and those just expired.

Read-only queries for the morning draft reminder (scheduler.draft_reminders); the job decides
what to say and the outbox keys make each message single.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from store.import_drafts import EXPIRED, OPEN
from store.models import ImportDraft, User


async def drafts_expiring(
    session: AsyncSession, now: datetime, before: datetime
) -> list[ImportDraft]:
    """Open drafts whose expiry is still ahead but earlier than `before`, soonest first."""
    return list(
        await session.scalars(
            select(ImportDraft)
            .where(
                ImportDraft.status == OPEN,
                ImportDraft.expires_at > now,
                ImportDraft.expires_at < before,
            )
            .order_by(ImportDraft.expires_at, ImportDraft.id)
        )
    )


async def drafts_lapsed(
    session: AsyncSession, now: datetime, since: datetime
) -> list[ImportDraft]:
    """Drafts that expired unconfirmed between `since` and `now`, oldest expiry first.

    A draft past its expiry may still read ``open`` (the status is set when someone next looks
    at it). Drafts whose directive was sent again afterwards are left out: a newer draft of the
    same number (whatever became of it) makes the lapsed one old news.
    """
    newer = aliased(ImportDraft)
    superseded = (
        select(newer.id)
        .where(newer.number == ImportDraft.number, newer.id > ImportDraft.id)
        .exists()
    )
    return list(
        await session.scalars(
            select(ImportDraft)
            .where(
                ImportDraft.status.in_((OPEN, EXPIRED)),
                ImportDraft.expires_at <= now,
                ImportDraft.expires_at > since,
                ~superseded,
            )
            .order_by(ImportDraft.expires_at, ImportDraft.id)
        )
    )


async def draft_authors(session: AsyncSession, user_ids: Collection[int]) -> dict[int, User]:
    """The admins who made drafts, by id, with their chat accounts loaded."""
    if not user_ids:
        return {}
    rows = await session.scalars(
        select(User).where(User.id.in_(sorted(user_ids))).options(selectinload(User.identities))
    )
    return {user.id: user for user in rows}
