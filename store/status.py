"""The Government Office's status taxonomy, derived from an assignment and a day."""

from __future__ import annotations

import enum
from datetime import date

from store.models import AssignmentState, TaskKind


class Status(enum.StrEnum):
    """Status of one assignment on a given day (VPCP reporting categories)."""

    DONE_ON_TIME = "done_on_time"  # hoàn thành đúng hạn
    DONE_LATE = "done_late"  # hoàn thành quá hạn
    IN_PROGRESS = "in_progress"  # đang thực hiện trong hạn
    OVERDUE = "overdue"  # quá hạn (not done, past due)
    RECURRING = "recurring"  # thường xuyên
    NO_DEADLINE = "no_deadline"  # no computable due date (theo lộ trình...)


def classify(
    state: AssignmentState,
    due: date | None,
    completed_on: date | None,
    kind: TaskKind,
    today: date,
) -> Status:
    """Status of an assignment on `today`; a task due today is still in time."""
    if state == AssignmentState.DONE:
        if due is None or completed_on is None or completed_on <= due:
            return Status.DONE_ON_TIME
        return Status.DONE_LATE
    if kind in (TaskKind.RECURRING, TaskKind.ANNUAL) and due is None:
        return Status.RECURRING
    if due is None:
        return Status.NO_DEADLINE
    return Status.OVERDUE if today > due else Status.IN_PROGRESS
