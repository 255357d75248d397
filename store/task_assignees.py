"""Who inside a unit does each task: the heads' hand-out of assignments to officials (issue 13).

An assignment (task × unit) without assignees stays with the whole unit. With assignees, the
daily reminder and `việc của tôi` show it to them only; a report by anyone of the unit still
counts for the unit. Adding and removing an assignee are the one action the chat, the CLI and
the web pages call, each audited here.

(`store.assignees` is another matter: the assignee phrases of a directive, e.g. `các bộ, ngành`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rapidfuzz import fuzz
from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.assignments import AssignmentView, view_columns, view_of_row
from store.audit import audit
from store.batching import UnitsArg, unit_filters
from store.models import Assignment, AssignmentState, TaskAssignee, User, UserRole
from store.text import fold

#: Officials a picker lists at most (a unit with more is asked for a name).
PICKER_LIMIT = 40
#: Rows a personal list reads at most.
LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class OfficialRow:
    """An official of a unit as a picker shows them."""

    id: int
    name: str
    role: UserRole
    unit_id: int | None


def _official_columns():  # type: ignore[no-untyped-def]
    return select(User.id, User.name, User.role, User.unit_id)


async def unit_officials(
    session: AsyncSession, unit_id: int, limit: int = PICKER_LIMIT
) -> list[OfficialRow]:
    """Active officials linked to a unit, by name."""
    rows = await session.execute(
        _official_columns()
        .where(User.unit_id == unit_id, User.active.is_(True))
        .order_by(User.name, User.id)
        .limit(limit)
    )
    return [OfficialRow(*row) for row in rows]


def match_officials(officials: Sequence[OfficialRow], query: str) -> list[OfficialRow]:
    """The officials a typed name points at, loosely: with or without diacritics, the given
    name alone (`Lan` for `Nguyễn Thị Lan`), or a small typo; best matches only."""
    wanted = fold(query)
    if not wanted:
        return []
    exact = [o for o in officials if fold(o.name) == wanted]
    if exact:
        return exact
    words = [o for o in officials if _has_words(fold(o.name), wanted)]
    if words:
        return words
    scored = [(fuzz.WRatio(wanted, fold(o.name)), o) for o in officials if o.name]
    best = max((s for s, _o in scored), default=0)
    if best < 85:
        return []
    return [o for s, o in scored if s >= best - 3]


def _has_words(name: str, wanted: str) -> bool:
    tokens = name.split()
    want = wanted.split()
    n = len(want)
    return any(tokens[i : i + n] == want for i in range(len(tokens) - n + 1))


async def assignees_of(session: AsyncSession, assignment_id: int) -> list[OfficialRow]:
    """The officials an assignment is handed to, by name."""
    rows = await session.execute(
        _official_columns()
        .join(TaskAssignee, TaskAssignee.user_id == User.id)
        .where(TaskAssignee.assignment_id == assignment_id)
        .order_by(User.name, User.id)
    )
    return [OfficialRow(*row) for row in rows]


async def add_assignee(
    session: AsyncSession, *, assignment_id: int, user_id: int, actor_id: int | None, now: datetime
) -> bool:
    """Hand an assignment to an official (audited); False when they already have it.

    Raises:
        ValueError: The official is not an active member of the assignment's unit (work is
            handed out inside a unit only, whoever calls: chat, CLI or web).
    """
    member = await session.scalar(
        select(User.id)
        .join(Assignment, Assignment.unit_id == User.unit_id)
        .where(User.id == user_id, User.active.is_(True), Assignment.id == assignment_id)
    )
    if member is None:
        raise ValueError("only an active official of the assignment's unit can be handed it")
    insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    stmt = (
        insert(TaskAssignee)
        .values(
            assignment_id=assignment_id, user_id=user_id, assigned_by=actor_id, assigned_at=now
        )
        .on_conflict_do_nothing(index_elements=["assignment_id", "user_id"])
    )
    added = bool((await session.execute(stmt)).rowcount)  # type: ignore[attr-defined]
    if added:
        audit(
            session,
            actor_id=actor_id,
            action="task:assign",
            target=f"assignment:{assignment_id}",
            detail={"user_id": user_id},
            now=now,
        )
    return added


async def remove_assignee(
    session: AsyncSession, *, assignment_id: int, user_id: int, actor_id: int | None, now: datetime
) -> bool:
    """Take an assignment back from an official (audited); False when they did not have it."""
    result = await session.execute(
        delete(TaskAssignee).where(
            TaskAssignee.assignment_id == assignment_id, TaskAssignee.user_id == user_id
        )
    )
    removed = bool(result.rowcount)  # type: ignore[attr-defined]
    if removed:
        audit(
            session,
            actor_id=actor_id,
            action="task:unassign",
            target=f"assignment:{assignment_id}",
            detail={"user_id": user_id},
            now=now,
        )
    return removed


def _has_assignee():  # type: ignore[no-untyped-def]
    return exists(select(TaskAssignee.user_id).where(TaskAssignee.assignment_id == Assignment.id))


def _open_order():  # type: ignore[no-untyped-def]
    return (Assignment.due.is_(None), Assignment.due, Assignment.seq)


async def assigned_to(
    session: AsyncSession, user_id: int, today: date, limit: int = LIST_LIMIT
) -> list[AssignmentView]:
    """Open assignments handed to one official, soonest due first."""
    stmt = (
        view_columns()
        .join(TaskAssignee, TaskAssignee.assignment_id == Assignment.id)
        .where(TaskAssignee.user_id == user_id, Assignment.state == AssignmentState.OPEN)
        .order_by(*_open_order())
        .limit(limit)
    )
    return [view_of_row(row, today) for row in await session.execute(stmt)]


async def unassigned_open(
    session: AsyncSession, unit_id: int, today: date, limit: int = LIST_LIMIT
) -> list[AssignmentView]:
    """Open assignments of a unit that nobody was handed, soonest due first."""
    stmt = (
        view_columns()
        .where(
            Assignment.unit_id == unit_id,
            Assignment.state == AssignmentState.OPEN,
            ~_has_assignee(),
        )
        .order_by(*_open_order())
        .limit(limit)
    )
    return [view_of_row(row, today) for row in await session.execute(stmt)]


async def unassigned_counts(session: AsyncSession, units: UnitsArg) -> dict[int, int]:
    """Per unit, how many open assignments have nobody (units with none are absent)."""
    counts: dict[int, int] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        rows = await session.execute(
            select(Assignment.unit_id, func.count())
            .where(condition, Assignment.state == AssignmentState.OPEN, ~_has_assignee())
            .group_by(Assignment.unit_id)
        )
        counts.update({uid: n for uid, n in rows})
    return counts


async def head_ids(session: AsyncSession, units: UnitsArg) -> set[int]:
    """Active heads (and admins) linked to the units: whom the 16:00 message tells about work
    nobody was handed."""
    found: set[int] = set()
    for condition in unit_filters(User.unit_id, units):
        found.update(
            await session.scalars(
                select(User.id).where(
                    condition,
                    User.active.is_(True),
                    User.role.in_([UserRole.HEAD, UserRole.ADMIN]),
                )
            )
        )
    return found


def own_share(
    pending: Sequence[AssignmentView], handed: dict[int, set[int]], user_id: int
) -> list[AssignmentView]:
    """What of a unit's unreported work is one official's to report: the work handed to them
    and the work nobody was handed (`handed`: assignment id → its assignees)."""
    return [v for v in pending if v.id not in handed or user_id in handed[v.id]]


async def open_assignees(session: AsyncSession, units: UnitsArg) -> dict[int, set[int]]:
    """Open work of the units handed to officials, and to whom (assignment id → assignees).

    A superset of what a reminder needs (it looks up only its unreported work): cheaper than
    repeating the duty filters, since few assignments are ever handed out.
    """
    out: dict[int, set[int]] = {}
    for condition in unit_filters(Assignment.unit_id, units):
        stmt = (
            select(TaskAssignee.assignment_id, TaskAssignee.user_id)
            .join(Assignment, Assignment.id == TaskAssignee.assignment_id)
            .where(condition, Assignment.state == AssignmentState.OPEN)
        )
        for assignment_id, user_id in await session.execute(stmt):
            out.setdefault(assignment_id, set()).add(user_id)
    return out
