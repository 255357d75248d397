"""Join requests (`JoinRequest` rows): someone without an invite asks to be linked to a unit.

Data functions take the session first and never commit; the chat (handlers.people.join)
decides who may ask and who may decide, and writes the audit rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from store.db import Session
from store.models import JoinRequest, UserRole

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"


async def get_request(session: Session, request_id: int) -> JoinRequest | None:
    """The request with this id, or None."""
    return await session.get(JoinRequest, request_id)


async def pending_request(session: Session, user_id: int) -> JoinRequest | None:
    """The person's request still waiting for an admin, if any."""
    return await session.scalar(
        select(JoinRequest).where(JoinRequest.user_id == user_id, JoinRequest.status == PENDING)
    )


async def count_requests_since(session: Session, user_id: int, since: datetime) -> int:
    """How many requests the person made at or after `since` (whatever became of them)."""
    count = await session.scalar(
        select(func.count())
        .select_from(JoinRequest)
        .where(JoinRequest.user_id == user_id, JoinRequest.created_at >= since)
    )
    return count or 0


async def add_request(
    session: Session, *, user_id: int, unit_id: int, now: datetime
) -> JoinRequest:
    """A new waiting request for the officer role, flushed (it has its id)."""
    request = JoinRequest(
        user_id=user_id, unit_id=unit_id, role=UserRole.OFFICER, status=PENDING, created_at=now
    )
    session.add(request)
    await session.flush()
    return request


async def waiting_requests(session: Session, limit: int) -> list[JoinRequest]:
    """Up to `limit` waiting requests, oldest first."""
    rows = await session.scalars(
        select(JoinRequest)
        .where(JoinRequest.status == PENDING)
        .order_by(JoinRequest.created_at, JoinRequest.id)
        .limit(limit)
    )
    return list(rows)


async def decide_request(
    session: Session,
    request: JoinRequest,
    *,
    approve: bool,
    decided_by: int | None,
    now: datetime,
) -> bool:
    """Approve or reject a waiting request; False (nothing changed) if it was not waiting.

    A conditional update, so two admins pressing at once cannot both decide; `request` is
    refreshed either way and shows the state it is in now.
    """
    result = await session.execute(
        update(JoinRequest)
        .where(JoinRequest.id == request.id, JoinRequest.status == PENDING)
        .values(
            status=APPROVED if approve else REJECTED,
            decided_by=decided_by,
            decided_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(request)
    return result.rowcount == 1
