"""What a unit's compiled daily report holds (issue 13): its work needing a report that day,
with the day's reports, who sent them, who the work is handed to; read in bounded SQL.

The day's reports are those sent from the start of the local day up to `until` (the cut-off,
16:00, or the moment asked when that is earlier): so the document filed at the cut-off and the
one a head asks for later that day are the same. A task is in the report when it needed a
daily report that day (`store.duty`) or got one (work completed that day included).

Units are read in chunks (`store.batching`): a few statements per chunk, whatever the number
of units or tasks; rows are streamed in partitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.assignments import AssignmentView, view_columns, view_of_row
from store.batching import chunks
from store.duty import needs_report_clause, reported_clause
from store.models import (
    Assignment,
    Directive,
    Identity,
    Report,
    Task,
    TaskAssignee,
    Unit,
    User,
    UserRole,
)
from store.recipients import Official, Reach
from store.status import Status

_PARTITION = 2_000


@dataclass(frozen=True, slots=True)
class Note:
    """One report of the day on a task."""

    at: datetime
    author: str
    percent: int | None
    text: str
    evidence: str | None


@dataclass(slots=True)
class ReportItem:
    """One task of the unit in the day's report."""

    view: AssignmentView
    directive_title: str
    notes: list[Note] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        """Whether anyone of the unit reported on it that day (before the cut-off)."""
        return bool(self.notes)

    @property
    def reported_by(self) -> list[str]:
        """The authors of the day's reports, each once, in order."""
        return list(dict.fromkeys(n.author for n in self.notes))


@dataclass(slots=True)
class UnitDayReport:
    """A unit's day: its tasks by directive (document order), and the cut-off used."""

    unit_id: int
    unit_name: str
    unit_full_name: str
    parent_name: str
    day: date
    until: datetime
    items: list[ReportItem] = field(default_factory=list)

    @property
    def unreported(self) -> list[ReportItem]:
        """Work that needed a report that day and got none."""
        return [i for i in self.items if not i.reported]

    @property
    def overdue(self) -> list[ReportItem]:
        """Open work past its due date on that day."""
        return [i for i in self.items if i.view.status == Status.OVERDUE]

    def by_directive(self) -> list[tuple[str, str, list[ReportItem]]]:
        """(number, title, items) per directive, in the order of the items."""
        groups: dict[str, tuple[str, list[ReportItem]]] = {}
        for item in self.items:
            key = item.view.directive_number
            groups.setdefault(key, (item.directive_title, []))[1].append(item)
        return [(number, title, items) for number, (title, items) in groups.items()]


async def units_needing_report(
    session: AsyncSession, *, day: date, horizon_days: int
) -> list[int]:
    """Active units that had work needing a report on `day`, by id."""
    stmt = (
        select(Assignment.unit_id)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Unit.active.is_(True), needs_report_clause(day, horizon_days))
        .distinct()
        .order_by(Assignment.unit_id)
    )
    return list(await session.scalars(stmt))


async def unit_day_reports(
    session: AsyncSession,
    units: Iterable[int],
    *,
    day: date,
    day_start: datetime,
    until: datetime,
    horizon_days: int,
) -> dict[int, UnitDayReport]:
    """The compiled day of each unit that had work needing a report or got one.

    Args:
        session: The caller's session.
        units: Unit ids (read in chunks).
        day: The local day.
        day_start: The UTC instant the local day starts.
        until: Reports up to this instant (inclusive) count as the day's.
        horizon_days: Dated work due within this many days needs a daily report.
    """
    window = (day_start, until + timedelta(microseconds=1))
    out: dict[int, UnitDayReport] = {}
    for part in chunks(units):
        out.update(await _heads(session, part, day, until))
        await _items(session, part, out, day, window, horizon_days)
        await _notes(session, part, out, window)
        await _assignees(session, part, out)
    return {uid: r for uid, r in out.items() if r.items}


async def _heads(
    session: AsyncSession, part: list[int], day: date, until: datetime
) -> dict[int, UnitDayReport]:
    parent = select(Unit.id, Unit.name).subquery()
    rows = await session.execute(
        select(Unit.id, Unit.name, Unit.short_name, parent.c.name)
        .outerjoin(parent, parent.c.id == Unit.parent_id)
        .where(Unit.id.in_(part))
    )
    return {
        uid: UnitDayReport(uid, short or name, name, parent_name or "", day, until)
        for uid, name, short, parent_name in rows
    }


async def _items(
    session: AsyncSession,
    part: list[int],
    out: dict[int, UnitDayReport],
    day: date,
    window: tuple[datetime, datetime],
    horizon_days: int,
) -> None:
    stmt = (
        view_columns()
        .add_columns(Directive.title.label("directive_title"))
        .where(
            Assignment.unit_id.in_(part),
            or_(needs_report_clause(day, horizon_days), reported_clause(*window)),
        )
        .order_by(
            Assignment.unit_id, Directive.issued_on, Directive.id, Task.position, Assignment.seq
        )
    )
    result = await session.stream(stmt)
    async for rows in result.partitions(_PARTITION):
        for row in rows:
            report = out.get(row.unit_id)
            if report is not None:
                report.items.append(ReportItem(view_of_row(row, day), row.directive_title or ""))


def _index(out: dict[int, UnitDayReport]) -> dict[int, ReportItem]:
    return {item.view.id: item for r in out.values() for item in r.items}


async def _notes(
    session: AsyncSession,
    part: list[int],
    out: dict[int, UnitDayReport],
    window: tuple[datetime, datetime],
) -> None:
    by_id = _index(out)
    stmt = (
        select(
            Report.assignment_id,
            Report.created_at,
            User.name,
            Report.percent,
            Report.text,
            Report.attachment,
        )
        .join(Assignment, Assignment.id == Report.assignment_id)
        .outerjoin(User, User.id == Report.author_id)
        .where(
            Assignment.unit_id.in_(part),
            Report.created_at >= window[0],
            Report.created_at < window[1],
        )
        .order_by(Report.created_at, Report.id)
    )
    result = await session.stream(stmt)
    async for rows in result.partitions(_PARTITION):
        for aid, at, author, percent, text, attachment in rows:
            item = by_id.get(aid)
            if item is not None:
                item.notes.append(Note(at, author or "", percent, text or "", attachment))


async def _assignees(
    session: AsyncSession, part: list[int], out: dict[int, UnitDayReport]
) -> None:
    by_id = _index(out)
    stmt: Any = (
        select(TaskAssignee.assignment_id, User.name)
        .join(User, User.id == TaskAssignee.user_id)
        .join(Assignment, Assignment.id == TaskAssignee.assignment_id)
        .where(Assignment.unit_id.in_(part))
        .order_by(TaskAssignee.assignment_id, User.name)
    )
    for aid, name in await session.execute(stmt):
        item = by_id.get(aid)
        if item is not None:
            item.assignees.append(name or "")


async def admin_officials(session: AsyncSession) -> list[Official]:
    """Active admins with their identities: they receive every unit's compiled report."""
    people = {
        row.id: Official(row.id, row.unit_id, True, row.locale, row.preferred_channel)
        for row in await session.execute(
            select(User.id, User.unit_id, User.locale, User.preferred_channel)
            .where(User.role == UserRole.ADMIN, User.active.is_(True))
            .order_by(User.id)
        )
    }
    if not people:
        return []
    rows = await session.execute(
        select(
            Identity.user_id,
            Identity.id,
            Identity.channel,
            Identity.external_id,
            Identity.chat_id,
            Identity.reachable,
            Identity.last_seen_at,
        )
        .where(Identity.user_id.in_(list(people)))
        .order_by(Identity.id)
    )
    for row in rows:
        people[row.user_id].identities.append(Reach(*row[1:]))
    return list(people.values())
