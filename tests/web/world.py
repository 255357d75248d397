"""A small government for the web tests: a ministry (A) with a department (A1), another
ministry (B) watched by an oversight group, and one person per role. Names of B's work are
distinctive so a test can assert that they never appear where B may not be seen."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import (
    AssignmentState,
    Chat,
    ChatUnit,
    Extension,
    Report,
    Role,
    UnitKind,
    UserRole,
)
from tests.factories import NOW, make_directive, make_task, make_unit, make_user

TOKEN = "123456:TEST-bot-token-for-web"
EVIDENCE = b"%PDF-1.4 evidence of work for A1\n"
SECRET_B = "Kế hoạch mật Bộ Bê"  # the other ministry's task title
UNIT_B = "Bộ Bê Thử"


@dataclass(frozen=True)
class World:
    """Ids of what was made."""

    unit_a: int
    unit_a1: int
    unit_b: int
    directive: int
    task_a1: int
    task_b: int
    task_shared: int
    report_a1: int
    report_b: int
    oversight_chat: str


async def build_world(sessionmaker: async_sessionmaker[AsyncSession]) -> World:
    """Write the world (users on channel `telegram`, external ids are their names)."""
    async with sessionmaker() as s, s.begin():
        a = await make_unit(s, "bo-a", "Bộ An Thử")
        a1 = await make_unit(s, "cuc-a1", "Cục A Một", UnitKind.AGENCY, parent=a)
        b = await make_unit(s, "bo-b", UNIT_B)
        d = await make_directive(s, "99/QĐ-WEB")
        due = date(2025, 3, 31)
        t_a1 = await make_task(s, d, "1", "Số hoá hồ sơ Cục A Một", due, [(a1, Role.LEAD)])
        t_b = await make_task(s, d, "2", SECRET_B, due - timedelta(days=31), [(b, Role.LEAD)])
        t_shared = await make_task(
            s, d, "3", "Việc chung hai bộ", due, [(a, Role.LEAD), (b, Role.SUPPORT)]
        )
        await make_user(s, "officer_a1", a1, channel="telegram")
        await make_user(s, "head_a", a, UserRole.HEAD, channel="telegram")
        await make_user(s, "officer_b", b, channel="telegram")
        await make_user(s, "admin", None, UserRole.ADMIN, channel="telegram")
        await make_user(s, "watcher", None, channel="telegram")  # only in the oversight group
        await make_user(s, "stranger", None, channel="telegram")
        users = {u.name: u for u in await _users(s)}
        assignments = {a_.task_id: a_ for a_ in await _assignments(s)}
        ref = {
            "channel": "telegram",
            "ref": "FILE-A1",
            "name": "bien-ban A1.pdf",
            "size": len(EVIDENCE),
            "sha256": hashlib.sha256(EVIDENCE).hexdigest(),
        }
        r_a1 = Report(
            assignment_id=assignments[t_a1.id].id,
            author_id=users["User officer_a1"].id,
            text="Đã xong 60% số hoá",
            percent=60,
            state=AssignmentState.OPEN,
            attachment=json.dumps(ref),
            created_at=NOW - timedelta(hours=1),
        )
        r_b = Report(
            assignment_id=assignments[t_b.id].id,
            author_id=users["User officer_b"].id,
            text="Báo cáo riêng của Bộ Bê",
            percent=10,
            state=AssignmentState.OPEN,
            attachment=json.dumps(ref | {"ref": "FILE-B", "name": "mat-B.pdf"}),
            created_at=NOW - timedelta(days=2),
        )
        s.add_all([r_a1, r_b])
        assignments[t_a1.id].progress = 60
        assignments[t_a1.id].last_report_at = NOW - timedelta(hours=1)
        s.add(
            Extension(
                assignment_id=assignments[t_a1.id].id,
                requested_by=users["User officer_a1"].id,
                old_due=due,
                new_due=due + timedelta(days=30),
                reason="Chờ số liệu",
                created_at=NOW - timedelta(days=1),
            )
        )
        chat = Chat(channel="telegram", chat_id="-100777", title="Giám sát Bộ Bê", oversight=True)
        s.add(chat)
        await s.flush()
        s.add(ChatUnit(chat_pk=chat.id, unit_id=b.id))
        await s.flush()
        return World(
            a.id, a1.id, b.id, d.id, t_a1.id, t_b.id, t_shared.id, r_a1.id, r_b.id, "-100777"
        )


async def _users(s: AsyncSession):
    from sqlalchemy import select

    from store.models import User

    return list(await s.scalars(select(User)))


async def _assignments(s: AsyncSession):
    from sqlalchemy import select

    from store.models import Assignment

    return list(await s.scalars(select(Assignment)))


async def fake_fetch(ref: str) -> bytes:
    """The Telegram files the world's reports point at (a stand-in for getFile)."""
    files = {"FILE-A1": EVIDENCE, "FILE-B": EVIDENCE}
    return files[ref]
