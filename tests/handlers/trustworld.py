"""The world of the trust tests: Bộ Công an's tasks, its people and helpers to read replies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.models import Assignment, Role, TaskKind, UserRole
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel

ADMIN = ("fake", "boss")


async def trust_world(sessionmaker):
    """Bộ Công an with six tasks (NV 4 recurring, NV 3 overdue), an officer, a head, an admin."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        d = await make_directive(s)
        tasks = [
            await make_task(
                s,
                d,
                "1",
                "Xây dựng cơ sở dữ liệu dân cư",
                date(2025, 3, 31),
                [(bca, Role.LEAD), (btc, Role.SUPPORT)],
            ),
            await make_task(
                s,
                d,
                "2",
                "Rà soát thủ tục",
                date(2025, 3, 20),
                [(btc, Role.LEAD), (bca, Role.SUPPORT)],
            ),
            await make_task(s, d, "3", "Báo cáo quý I", date(2025, 2, 28), [(bca, Role.LEAD)]),
            await make_task(
                s,
                d,
                "4",
                "Vận hành hệ thống",
                None,
                [(bca, Role.LEAD)],
                kind=TaskKind.RECURRING,
                deadline_text="Thường xuyên",
            ),
            await make_task(s, d, "5", "Việc tháng sau", date(2025, 4, 30), [(bca, Role.LEAD)]),
        ]
        await make_user(s, "u1", bca)
        await make_user(s, "head", bca, role=UserRole.HEAD)
        await make_user(s, "boss", None, role=UserRole.ADMIN)
        ids = {"bca": bca.id, **{f"t{i}": t.id for i, t in enumerate(tasks, 1)}}
    dispatcher = Dispatcher(sessionmaker, Options(admins=frozenset({ADMIN})), clock=lambda: NOW)
    return FakeChannel(dispatcher), ids


def text(replies) -> str:
    """The replies as plain text, one after another."""
    return "\n".join(to_plain(r.text) for r in replies)


def data(replies) -> list[str]:
    """The callback data of every button in the replies."""
    return [b.data for r in replies for row in r.buttons for b in row]


async def count(sessionmaker, model) -> int:
    """How many rows a model's table holds."""
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def assignment(sessionmaker, task_id: int, unit_id: int) -> Assignment:
    """The assignment of a task to a unit."""
    async with sessionmaker() as s:
        return await s.scalar(
            select(Assignment).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)
        )
