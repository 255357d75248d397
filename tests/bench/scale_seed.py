"""A government-sized database for scale tests and benchmarks, written in bulk.

`seed_world` makes units, officials (each with a Telegram identity), digest groups linked to
consecutive units, oversight groups (the standing agency's) linked to every unit, one directive
whose tasks are assigned across the units (dated work spread around `today`, a share of it
overdue, and some recurring work) and reports spread over the last weeks (some of them today,
before the cut-off). Everything is deterministic (seeded rng).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.models import (
    Assignment,
    Chat,
    ChatUnit,
    Directive,
    Identity,
    Report,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    User,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 2_000


@dataclass(frozen=True, slots=True)
class World:
    """What was seeded (ids are the database's)."""

    units: int
    officials: int
    groups: int
    assignments: int
    overdue: int
    reports: int


@dataclass(frozen=True, slots=True)
class Shape:
    """How big, and how late: `overdue_share` of dated work is past due on `today`."""

    units: int = 10_000
    officials: int = 10_000
    groups: int = 1_000
    units_per_group: int = 10
    assignments: int = 100_000
    per_task: int = 10
    reports: int = 50_000
    oversight_groups: int = 1  # groups (of the standing agency) linked to every unit
    overdue_share: float = 0.3
    recurring_share: float = 0.05
    tag: str = "s"  # makes codes and names unique when several worlds share a database


async def _bulk(session: AsyncSession, table: type, rows: Iterable[dict]) -> int:
    """Insert rows in batches through Core (no ORM bookkeeping per row); returns how many.

    Rows may come from a generator: at 100,000 officials there are a million assignments,
    which are never all held in memory at once.
    """
    conn = await session.connection()
    stmt = insert(table.__table__)  # type: ignore[attr-defined]
    pending = iter(rows)
    n = 0
    while batch := list(islice(pending, BATCH)):
        await conn.execute(stmt, batch)
        n += len(batch)
    return n


async def _ids(session: AsyncSession, column, where) -> list[int]:
    return list((await session.scalars(select(column).where(where).order_by(column))).all())


async def seed_world(
    sessionmaker: async_sessionmaker[AsyncSession], today: date, shape: Shape = Shape()
) -> World:
    """Write the database described by `shape` around the local day `today`."""
    rng = random.Random(7)
    t = shape.tag
    async with sessionmaker() as s, s.begin():
        await _bulk(
            s,
            Unit,
            [
                {"code": f"{t}-{i}", "name": f"Đơn vị {t}{i}", "kind": UnitKind.COMMUNE}
                | {"aliases": [], "active": True}
                for i in range(shape.units)
            ],
        )
        units = await _ids(s, Unit.id, Unit.code.like(f"{t}-%"))
        await _bulk(
            s,
            User,
            [
                {"name": f"Cán bộ {t}{i}", "unit_id": units[i % len(units)], "active": True}
                for i in range(shape.officials)
            ],
        )
        users = await _ids(s, User.id, User.name.like(f"Cán bộ {t}%"))
        await _bulk(
            s,
            Identity,
            [
                {"user_id": uid, "channel": "telegram", "external_id": f"{t}{uid}"}
                | {"chat_id": f"{t}{uid}", "reachable": True}
                for uid in users
            ],
        )
        await _bulk(
            s,
            Chat,
            [
                {"channel": "telegram", "chat_id": f"-{t}{g}", "title": f"Nhóm {t}{g}"}
                | {"active": True, "digest_enabled": True, "oversight": False}
                for g in range(shape.groups)
            ]
            + [
                {"channel": "telegram", "chat_id": f"-{t}o{g}", "title": f"Giám sát {t}{g}"}
                | {"active": True, "digest_enabled": False, "oversight": True}
                for g in range(shape.oversight_groups)
            ],
        )
        chats = await _ids(s, Chat.id, Chat.title.like(f"Nhóm {t}%"))
        links = {
            (pk, units[(g * shape.units_per_group + k) % len(units)])
            for g, pk in enumerate(chats)
            for k in range(shape.units_per_group)
        }
        for pk in await _ids(s, Chat.id, Chat.title.like(f"Giám sát {t}%")):
            links |= {(pk, uid) for uid in units}
        await _bulk(s, ChatUnit, [{"chat_pk": pk, "unit_id": uid} for pk, uid in sorted(links)])
        n_assignments, overdue, n_reports = await _seed_work(s, rng, today, shape, units, users)
    return World(len(units), len(users), len(chats), n_assignments, overdue, n_reports)


async def _seed_work(
    s: AsyncSession,
    rng: random.Random,
    today: date,
    shape: Shape,
    units: list[int],
    users: list[int],
) -> tuple[int, int, int]:
    """One directive's tasks, assigned across the units, and reports on them: how many
    assignments (and of them overdue) and reports were written."""
    t = shape.tag
    imported = datetime.combine(today - timedelta(days=400), time(9), TZ).astimezone(UTC)
    directive = Directive(number=f"SCALE/{t}", title="scale", imported_at=imported)
    s.add(directive)
    await s.flush()
    n_tasks = max(1, shape.assignments // shape.per_task)
    tasks = []
    for i in range(n_tasks):
        recurring = rng.random() < shape.recurring_share
        if recurring:
            due = None
        elif rng.random() < shape.overdue_share:
            due = today - timedelta(days=rng.randrange(1, 300))
        else:
            due = today + timedelta(days=rng.randrange(0, 300))
        tasks.append(
            {"directive_id": directive.id, "ref": str(i + 1), "position": i}
            | {"title": f"Nhiệm vụ thử số {i + 1} về chuyển đổi số", "body": ""}
            | {"lead_text": "", "support_text": "", "deadline_text": "", "product": ""}
            | {"due": due, "kind": TaskKind.RECURRING if recurring else TaskKind.ONCE}
        )
    await _bulk(s, Task, tasks)
    task_rows = (
        await s.execute(select(Task.id, Task.due).where(Task.directive_id == directive.id))
    ).all()
    seqs: dict[int, int] = {}
    per_task = min(shape.per_task, len(units))
    overdue = per_task * sum(due is not None and due < today for _id, due in task_rows)

    def assignment_rows() -> Iterator[dict]:
        for task_id, due in task_rows:
            for k, uid in enumerate(rng.sample(units, per_task)):
                seqs[uid] = seqs.get(uid, 0) + 1
                yield (
                    {"task_id": task_id, "unit_id": uid, "seq": seqs[uid], "due": due}
                    | {"role": Role.LEAD if k == 0 else Role.SUPPORT}
                    | {"state": "open", "progress": 0}
                )

    n_assignments = await _bulk(s, Assignment, assignment_rows())
    assignment_ids = await _ids(
        s,
        Assignment.id,
        Assignment.task_id.in_(select(Task.id).where(Task.directive_id == directive.id)),
    )

    def report_rows() -> Iterator[dict]:
        for n in range(shape.reports):
            day = today - timedelta(days=rng.randrange(0, 45))
            at = datetime.combine(day, time(8 + rng.randrange(0, 10), rng.randrange(60)), TZ)
            yield (
                {"assignment_id": rng.choice(assignment_ids), "author_id": rng.choice(users)}
                | {"text": f"Báo cáo {n}", "percent": rng.randrange(0, 100), "state": "open"}
                | {"created_at": at.astimezone(UTC)}
            )

    n_reports = await _bulk(s, Report, report_rows()) if n_assignments else 0
    return n_assignments, overdue, n_reports
