"""A unit with a head and officials, for the assignee and daily-report tests (issue 13).

Monday 10 March 2025 (tests.factories.NOW is 10:00 in Hà Nội). Bộ Công an (bca):
NV1 due 31/3 "Xây dựng cơ sở dữ liệu dân cư", NV2 due 5/3 (overdue) "Báo cáo quý I",
NV3 recurring "Vận hành hệ thống", NV4 due 31/12 (beyond the horizon). Its people: the head
Trần Văn Hùng (`head`), Lê Văn Minh (`minh`), Nguyễn Thị Lan (`lan`), Phạm Thị Lan (`lan2`).
A sub-unit, Cục Cảnh sát (c06), has NV1 "Việc của cục" due 20/3. An oversight group (`g1`)
is linked to Bộ Công an, and an admin (`admin`) has no unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from store.models import (
    Assignment,
    Chat,
    ChatUnit,
    Identity,
    Role,
    TaskKind,
    User,
    UserRole,
)
from tests.factories import NOW, make_directive, make_task, make_unit
from tests.fakes.fake_channel import FakeChannel

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AT_1600 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 16:00 in Hà Nội
DAY = date(2025, 3, 10)


@dataclass
class UnitWorld:
    """Ids by short name, and a fake channel on a dispatcher whose clock is `clock[0]`."""

    channel: FakeChannel
    clock: list[datetime]
    units: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    chats: dict[str, int] = field(default_factory=dict)

    async def assignment(self, s: AsyncSession, task: str, unit: str = "bca") -> Assignment:
        """The assignment of a task to a unit."""
        found = await s.scalar(
            select(Assignment).where(
                Assignment.task_id == self.tasks[task], Assignment.unit_id == self.units[unit]
            )
        )
        assert found is not None
        return found


async def _person(
    s: AsyncSession, external: str, name: str, unit_id: int | None, role: UserRole
) -> int:
    user = User(name=name, unit_id=unit_id, role=role, preferred_channel="fake")
    s.add(user)
    await s.flush()
    s.add(Identity(user_id=user.id, channel="fake", external_id=external, chat_id=external))
    await s.flush()
    return user.id


async def build_unit_world(sessionmaker: async_sessionmaker[AsyncSession]) -> UnitWorld:
    """Create the world described in the module docstring."""
    clock = [NOW]
    dispatcher = Dispatcher(sessionmaker, Options(), clock=lambda: clock[0])
    w = UnitWorld(FakeChannel(dispatcher), clock)
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        c06 = await make_unit(s, "cuc-c06", "Cục Cảnh sát", parent=bca)
        w.units = {"bca": bca.id, "c06": c06.id}
        d = await make_directive(s, "35-TB/TGV")
        d.imported_at = datetime(2025, 1, 2, tzinfo=UTC)  # scores count work from the import
        specs = [
            ("t1", "Xây dựng cơ sở dữ liệu dân cư", date(2025, 3, 31), TaskKind.ONCE),
            ("t2", "Báo cáo quý I", date(2025, 3, 5), TaskKind.ONCE),
            ("t3", "Vận hành hệ thống", None, TaskKind.RECURRING),
            ("t4", "Tổng kết năm", date(2025, 12, 31), TaskKind.ONCE),
        ]
        for key, title, due, kind in specs:
            deadline = "Thường xuyên" if kind is TaskKind.RECURRING else ""
            task = await make_task(
                s, d, key[1:], title, due, [(bca, Role.LEAD)], kind=kind, deadline_text=deadline
            )
            w.tasks[key] = task.id
        sub = await make_task(s, d, "9", "Việc của cục", date(2025, 3, 20), [(c06, Role.LEAD)])
        w.tasks["c1"] = sub.id
        people = [
            ("head", "Trần Văn Hùng", bca.id, UserRole.HEAD),
            ("minh", "Lê Văn Minh", bca.id, UserRole.OFFICER),
            ("lan", "Nguyễn Thị Lan", bca.id, UserRole.OFFICER),
            ("lan2", "Phạm Thị Lan", bca.id, UserRole.OFFICER),
            ("cuc", "Đỗ Văn Cục", c06.id, UserRole.OFFICER),
            ("admin", "Quản trị", None, UserRole.ADMIN),
        ]
        for external, name, unit_id, role in people:
            w.users[external] = await _person(s, external, name, unit_id, role)
        group = Chat(channel="fake", chat_id="g1", title="Tổ giúp việc", oversight=True)
        s.add(group)
        await s.flush()
        s.add(ChatUnit(chat_pk=group.id, unit_id=bca.id))
        w.chats["g1"] = group.id
    return w
