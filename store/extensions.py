"""Deadline extensions: asked for with a reason, decided by an admin or the unit's head.

The task keeps the deadline as the directive wrote it (`Task.due`, `Task.deadline_text`). An
approved extension moves `Assignment.due`, which the reminders, the overdue lists and the score
read, so they all follow the approved date. Every request and decision is a row here and an
entry in the audit log: the record of a deadline is its original date plus these changes.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.audit import audit
from store.models import (
    Assignment,
    Extension,
    ExtensionState,
    Identity,
    Task,
    User,
    UserRole,
)

logger = logging.getLogger(__name__)


async def request_extension(
    session: AsyncSession,
    *,
    assignment: Assignment,
    requested_by: int | None,
    new_due: date,
    reason: str,
    now: datetime,
) -> Extension:
    """Record a request to move `assignment`'s due date; an open one of it is replaced."""
    pending = await pending_extension(session, assignment.id)
    if pending is not None:
        pending.state = ExtensionState.WITHDRAWN
        pending.decided_at = now
        pending.decision_note = "replaced by a newer request"
    ext = Extension(
        assignment_id=assignment.id,
        requested_by=requested_by,
        old_due=assignment.due,
        new_due=new_due,
        reason=reason,
        state=ExtensionState.PENDING,
        decision_note="",
        created_at=now,
    )
    session.add(ext)
    await session.flush()
    audit(
        session,
        actor_id=requested_by,
        action="extension_request",
        target=f"assignment:{assignment.id}",
        detail={
            "extension": ext.id,
            "old_due": _iso(assignment.due),
            "new_due": new_due.isoformat(),
            "reason": reason[:500],
            "replaces": pending.id if pending is not None else None,
        },
        now=now,
    )
    return ext


async def decide_extension(
    session: AsyncSession,
    extension_id: int,
    *,
    approve: bool,
    decided_by: int | None,
    now: datetime,
) -> Extension | None:
    """Approve or refuse a pending request; None when it was decided already (or is gone).

    The update is conditional, so two deciders pressing at once cannot both decide. Approval
    moves the assignment's due date and reopens the question of "overdue" on the new date.
    """
    state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    result = await session.execute(
        update(Extension)
        .where(Extension.id == extension_id, Extension.state == ExtensionState.PENDING)
        .values(state=state, decided_by=decided_by, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    ext = await session.get(Extension, extension_id)
    if ext is not None:
        await session.refresh(ext)
    if result.rowcount != 1 or ext is None:
        return None
    assignment = await session.get(Assignment, ext.assignment_id)
    assert assignment is not None
    before = assignment.due
    if approve:
        assignment.due = ext.new_due
        assignment.updated_at = now
    audit(
        session,
        actor_id=decided_by,
        action="extension_approve" if approve else "extension_refuse",
        target=f"assignment:{assignment.id}",
        detail={
            "extension": ext.id,
            "due_before": _iso(before),
            "due_after": _iso(assignment.due),
            "requested": ext.new_due.isoformat(),
        },
        now=now,
    )
    return ext


async def pending_extension(session: AsyncSession, assignment_id: int) -> Extension | None:
    """The open request of an assignment, if any."""
    return await session.scalar(
        select(Extension)
        .where(
            Extension.assignment_id == assignment_id,
            Extension.state == ExtensionState.PENDING,
        )
        .order_by(Extension.id.desc())
        .limit(1)
    )


async def history(session: AsyncSession, assignment_id: int) -> list[Extension]:
    """Every extension request of an assignment, oldest first."""
    rows = await session.scalars(
        select(Extension)
        .where(Extension.assignment_id == assignment_id)
        .order_by(Extension.created_at, Extension.id)
    )
    return list(rows)


async def original_due(session: AsyncSession, assignment_id: int) -> date | None:
    """The due date the directive set (before any extension)."""
    return await session.scalar(
        select(Task.due)
        .join(Assignment, Assignment.task_id == Task.id)
        .where(Assignment.id == assignment_id)
    )


async def deciders(session: AsyncSession, unit_id: int) -> list[Identity]:
    """Reachable identities of those who may decide: invited admins and the unit's heads."""
    rows = await session.scalars(
        select(Identity)
        .join(User, User.id == Identity.user_id)
        .where(
            User.active.is_(True),
            Identity.reachable.is_(True),
            (User.role == UserRole.ADMIN)
            | ((User.role == UserRole.HEAD) & (User.unit_id == unit_id)),
        )
        .options(selectinload(Identity.user))
        .order_by(Identity.id)
    )
    return list(rows)


async def identities_of(session: AsyncSession, user_id: int) -> list[Identity]:
    """Reachable identities of one person (to tell a requester the decision)."""
    rows = await session.scalars(
        select(Identity)
        .where(Identity.user_id == user_id, Identity.reachable.is_(True))
        .options(selectinload(Identity.user))
        .order_by(Identity.id)
    )
    return list(rows)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def histories(
    session: AsyncSession, assignment_ids: list[int]
) -> dict[int, list[Extension]]:
    """Every extension request of each assignment (oldest first), for the export."""
    found: dict[int, list[Extension]] = {}
    if not assignment_ids:
        return found
    rows = await session.scalars(
        select(Extension)
        .where(Extension.assignment_id.in_(assignment_ids))
        .order_by(Extension.created_at, Extension.id)
    )
    for ext in rows:
        found.setdefault(ext.assignment_id, []).append(ext)
    return found


async def approved_dues(session: AsyncSession, assignment_ids: list[int]) -> dict[int, date]:
    """The latest approved extended due date of each assignment that has one.

    A directive imported again must not silently undo an approved extension.
    """
    if not assignment_ids:
        return {}
    rows = await session.execute(
        select(Extension.assignment_id, Extension.new_due)
        .where(
            Extension.assignment_id.in_(assignment_ids),
            Extension.state == ExtensionState.APPROVED,
        )
        .order_by(Extension.decided_at, Extension.id)
    )
    return {assignment_id: new_due for assignment_id, new_due in rows}


async def get_extension(session: AsyncSession, extension_id: int) -> Extension | None:
    """The extension request with this id, or None."""
    return await session.get(Extension, extension_id)
