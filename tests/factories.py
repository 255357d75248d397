"""Small builders for test data (real rows in the per-test database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    Assignment,
    Directive,
    Identity,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    User,
    UserRole,
)

NOW = datetime(2025, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội, Monday 10 March 2025


async def make_unit(
    s: AsyncSession,
    code: str,
    name: str,
    kind: UnitKind = UnitKind.MINISTRY,
    parent: Unit | None = None,
) -> Unit:
    unit = Unit(
        code=code, name=name, kind=kind, parent_id=parent.id if parent else None, aliases=[]
    )
    s.add(unit)
    await s.flush()
    return unit


async def make_directive(s: AsyncSession, number: str = "1/QĐ-TEST") -> Directive:
    d = Directive(
        number=number,
        doc_type="Quyết định",
        issuer="Văn phòng Chính phủ",
        issued_on=date(2025, 1, 2),
        title="Test",
    )
    s.add(d)
    await s.flush()
    return d


async def make_task(
    s: AsyncSession,
    directive: Directive,
    ref: str,
    title: str,
    due: date | None,
    units: list[tuple[Unit, Role]],
    kind: TaskKind = TaskKind.ONCE,
    deadline_text: str = "",
) -> Task:
    task = Task(
        directive_id=directive.id,
        ref=ref,
        title=title,
        body=title,
        due=due,
        kind=kind,
        deadline_text=deadline_text or (due.strftime("Tháng %m/%Y") if due else ""),
    )
    s.add(task)
    await s.flush()
    for unit, role in units:
        seq = (await _max_seq(s, unit.id)) + 1
        s.add(Assignment(task_id=task.id, unit_id=unit.id, seq=seq, role=role, due=due))
        await s.flush()
    return task


async def _max_seq(s: AsyncSession, unit_id: int) -> int:
    from store.assignments import next_seq

    return await next_seq(s, unit_id) - 1


async def make_user(
    s: AsyncSession,
    external_id: str,
    unit: Unit | None,
    role: UserRole = UserRole.OFFICER,
    channel: str = "fake",
    locale: str | None = None,
) -> User:
    user = User(
        name=f"User {external_id}",
        unit_id=unit.id if unit else None,
        role=role,
        locale=locale,
        preferred_channel=channel,
    )
    s.add(Identity(user=user, channel=channel, external_id=external_id, chat_id=external_id))
    await s.flush()
    return user
