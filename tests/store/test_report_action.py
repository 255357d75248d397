"""Recording a report (store.actions.reports): the report, the assignment's progress, the audit
row, and the rule that recurring work is never closed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from store.actions import CHAT, CLI, Actor
from store.actions.reports import record_report
from store.models import Assignment, AssignmentState, AuditLog, Report, Role, TaskKind
from tests.factories import NOW, make_directive, make_task, make_unit, make_user

TODAY = date(2025, 3, 10)


async def _assignment(session, kind: TaskKind = TaskKind.ONCE) -> tuple[Assignment, int]:
    unit = await make_unit(session, "bo-tai-chinh", "Bộ Tài chính")
    user = await make_user(session, "u1", unit)
    directive = await make_directive(session)
    due = date(2025, 3, 31) if kind == TaskKind.ONCE else None
    task = await make_task(session, directive, "1", "Việc", due, [(unit, Role.LEAD)], kind=kind)
    assignment = await session.scalar(select(Assignment).where(Assignment.task_id == task.id))
    return assignment, user.id


async def test_a_report_moves_progress_and_is_audited_for_the_chat(session):
    assignment, user_id = await _assignment(session)
    done = await record_report(
        session,
        actor=Actor(user_id, CHAT),
        assignment_id=assignment.id,
        percent=40,
        done=False,
        note="đang làm",
        now=NOW,
        local_day=TODAY,
        source_key="fake:1:7",
        original="nv 1 40% đang làm",
    )
    assert (done.percent, done.done, done.recurring) == (40, False, False)
    report = await session.get(Report, done.report_id)
    assert report is not None
    assert (report.author_id, report.text, report.original) == (
        user_id,
        "đang làm",
        "nv 1 40% đang làm",
    )
    assert (assignment.progress, assignment.state) == (40, AssignmentState.OPEN)
    row = await session.scalar(select(AuditLog).where(AuditLog.action == "report"))
    assert row is not None and row.actor_id == user_id
    assert row.target == f"assignment:{assignment.id}"
    assert row.detail == {
        "report": done.report_id,
        "percent": 40,
        "previous": {"state": "open", "progress": 0, "completed_on": None},
    }


async def test_recurring_work_stays_open_when_reported_done(session):
    assignment, user_id = await _assignment(session, TaskKind.RECURRING)
    done = await record_report(
        session,
        actor=Actor(user_id, CHAT),
        assignment_id=assignment.id,
        percent=100,
        done=True,
        note="",
        now=NOW,
        local_day=TODAY,
    )
    assert (done.recurring, done.done, done.percent) == (True, False, None)
    assert assignment.state == AssignmentState.OPEN and assignment.completed_on is None
    assert assignment.last_report_at == NOW


async def test_a_report_from_elsewhere_names_where_it_came_from(session):
    assignment, _user = await _assignment(session)
    done = await record_report(
        session,
        actor=Actor(None, CLI),
        assignment_id=assignment.id,
        percent=None,
        done=True,
        note="xong",
        now=NOW,
        local_day=TODAY,
    )
    assert done.percent == 100 and assignment.completed_on == TODAY
    row = await session.scalar(select(AuditLog).where(AuditLog.action == "report"))
    assert row is not None and row.actor_id is None and row.detail["via"] == "cli"


async def test_an_unknown_assignment_is_refused(session):
    with pytest.raises(LookupError):
        await record_report(
            session,
            actor=Actor(None, CLI),
            assignment_id=999_999,
            percent=10,
            done=False,
            note="",
            now=NOW,
            local_day=TODAY,
        )
