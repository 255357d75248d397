"""Record a progress report: what an official says about their unit's assignment.

The chat (the one-line report, the guided flow, confirmations) calls `record_report`; the
report and its audit row are written in the caller's transaction, before anyone is told it was
received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from store.actions import Actor, audit_as
from store.db import Session
from store.models import Assignment, Task, TaskKind
from store.reports import add_report

# Work a report never closes: it is reported on again and again.
_ONGOING = (TaskKind.RECURRING, TaskKind.ANNUAL)


@dataclass(frozen=True, slots=True)
class RecordedReport:
    """A report just recorded, as it was stored."""

    report_id: int
    assignment_id: int
    # Recurring or annual work: `done` or 100 % was recorded as the day's report, still open.
    recurring: bool
    percent: int | None
    done: bool


async def record_report(
    session: Session,
    *,
    actor: Actor,
    assignment_id: int,
    percent: int | None,
    done: bool,
    note: str,
    now: datetime,
    local_day: date,
    attachment: str | None = None,
    source_key: str | None = None,
    original: str | None = None,
) -> RecordedReport:
    """Record a report on an assignment, move its progress and write the `report` audit row.

    Recurring and annual work is never closed: `done` or 100 % records the day's report (so
    the day counts as reported) and the work stays open for the next ones.

    Args:
        session: The caller's session (never committed here).
        actor: Who reports; their user id is the report's author.
        assignment_id: The assignment reported on (the caller checked it may).
        percent: Progress in percent, or None to leave it as it was.
        done: Whether the work is reported finished.
        note: The note, stored whole.
        now: When the report is made.
        local_day: The reporter's "today" (the day a completion is dated).
        attachment: A reference to an evidence file, if any.
        source_key: What makes the report unique (a chat message): a redelivery fails on it.
        original: The whole message the report was read from, as typed.

    Raises:
        LookupError: No assignment has this id.
    """
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise LookupError(f"no assignment {assignment_id}")
    kind = await session.scalar(select(Task.kind).where(Task.id == assignment.task_id))
    recurring = kind in _ONGOING
    if recurring and (done or percent == 100):
        done, percent = False, None
    report, previous = await add_report(
        session,
        assignment=assignment,
        author_id=actor.user_id,
        percent=percent,
        done=done,
        text=note,
        now=now,
        local_day=local_day,
        attachment=attachment,
        source_key=source_key,
    )
    report.original = original
    audit_as(
        session,
        actor,
        action="report",
        target=f"assignment:{assignment.id}",
        detail={"report": report.id, "percent": report.percent, "previous": previous},
        now=now,
    )
    return RecordedReport(report.id, assignment.id, recurring, report.percent, done)
