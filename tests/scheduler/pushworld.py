"""A small world for the scheduled-job tests: units, tasks, officials on several channels.

Tuesday 15 July 2025 is the day; 16:00 in Hà Nội is 09:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.types import Outgoing
from store.models import (
    Assignment,
    Chat,
    ChatUnit,
    Delivery,
    Directive,
    Identity,
    Role,
    TaskKind,
    Unit,
    User,
)
from store.reports import add_report
from tests.factories import make_task, make_unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2025, 7, 15)


def local(d: date, hh: int, mm: int = 0) -> datetime:
    """A local wall time in Hà Nội, as an aware datetime."""
    return datetime.combine(d, time(hh, mm), TZ)


AT_1600 = local(DAY, 16)


@dataclass
class World:
    """Ids of what `build` created, by short name."""

    units: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    chats: dict[str, int] = field(default_factory=dict)

    async def assignment(self, s: AsyncSession, task: str, unit: str) -> Assignment:
        """The assignment of a task to a unit."""
        found = await s.scalar(
            select(Assignment).where(
                Assignment.task_id == self.tasks[task], Assignment.unit_id == self.units[unit]
            )
        )
        assert found is not None
        return found


async def directive(s: AsyncSession, number: str, imported: datetime) -> Directive:
    """A directive imported at a known moment (scores count assignments from that day)."""
    d = Directive(number=number, doc_type="Quyết định", title="Test", imported_at=imported)
    s.add(d)
    await s.flush()
    return d


async def official(
    s: AsyncSession,
    name: str,
    unit_id: int | None,
    identities: list[tuple[str, str, bool, datetime | None]],
    *,
    preferred: str | None = None,
    locale: str | None = None,
    active: bool = True,
) -> User:
    """A user with identities given as (channel, chat id, reachable, last seen)."""
    user = User(
        name=name, unit_id=unit_id, preferred_channel=preferred, locale=locale, active=active
    )
    s.add(user)
    await s.flush()
    for channel, chat, reachable, seen in identities:
        s.add(
            Identity(
                user_id=user.id,
                channel=channel,
                external_id=chat,
                chat_id=chat,
                reachable=reachable,
                last_seen_at=seen,
            )
        )
    await s.flush()
    return user


async def _tasks(s: AsyncSession, w: World, bca: Unit, btc: Unit, bxd: Unit) -> None:
    """The July work of the three ministries, under one directive, into `w.tasks`."""
    d = await directive(s, "230/QĐ-VPCP", datetime(2025, 6, 1, tzinfo=UTC))
    specs = [
        ("t1", "Xây dựng cơ sở dữ liệu dân cư", date(2025, 7, 31), bca, TaskKind.ONCE),
        ("t2", "Báo cáo sơ kết 6 tháng", date(2025, 7, 10), bca, TaskKind.ONCE),
        ("t3", "Vận hành hệ thống định danh", None, bca, TaskKind.RECURRING),
        ("t4", "Tổng kết năm 2025", date(2025, 12, 31), bca, TaskKind.ONCE),
        ("t5", "Việc đã xong", date(2025, 7, 5), bca, TaskKind.ONCE),
        ("t6", "Rà soát thủ tục thuế", date(2025, 7, 20), btc, TaskKind.ONCE),
        ("t7", "Quy hoạch đô thị", date(2026, 3, 31), bxd, TaskKind.ONCE),
    ]
    for key, title, due, unit, kind in specs:
        task = await make_task(
            s,
            d,
            key[1:],
            title,
            due,
            [(unit, Role.LEAD)],
            kind=kind,
            deadline_text="Thường xuyên" if kind is TaskKind.RECURRING else "",
        )
        w.tasks[key] = task.id


async def _reports(s: AsyncSession, w: World) -> None:
    """NV5 of Bộ Công an reported done on 4/7; NV1 of Bộ Tài chính at 40% today at 10:00."""
    done = await w.assignment(s, "t5", "bca")
    await add_report(
        s,
        assignment=done,
        author_id=w.users["officer"],
        percent=100,
        done=True,
        text="Đã gửi báo cáo",
        now=local(date(2025, 7, 4), 9),
        local_day=date(2025, 7, 4),
    )
    btc_work = await w.assignment(s, "t6", "btc")
    await add_report(
        s,
        assignment=btc_work,
        author_id=w.users["btc"],
        percent=40,
        done=False,
        text="Đang rà soát",
        now=local(DAY, 10),
        local_day=DAY,
    )


async def build(sessionmaker: async_sessionmaker[AsyncSession], channel: str = "fake") -> World:
    """Three ministries, their July work, their officials and two group chats.

    Officials and groups are on `channel` (one official also has a Zalo identity).

    - Bộ Công an (bca): NV1 due 31/7 (in the horizon), NV2 due 10/7 (overdue), NV3 recurring,
      NV4 due 31/12 (beyond the 30-day horizon), NV5 done.
    - Bộ Tài chính (btc): NV1 due 20/7 — reported today at 10:00 by its officer.
    - Bộ Xây dựng (bxd): only work due in March 2026: nothing to report daily.
    """
    w = World()
    seen = datetime(2025, 7, 1, tzinfo=UTC)
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        bxd = await make_unit(s, "bo-xay-dung", "Bộ Xây dựng")
        w.units = {"bca": bca.id, "btc": btc.id, "bxd": bxd.id}
        await _tasks(s, w, bca, btc, bxd)
        users = {
            "officer": await official(s, "Lan", bca.id, [(channel, "101", True, seen)]),
            "two_channels": await official(
                s,
                "Minh",
                bca.id,
                [("telegram", "102", False, seen), ("zalo", "z102", True, seen)],
                preferred="telegram",
            ),
            "blocked": await official(s, "Hùng", bca.id, [(channel, "103", False, seen)]),
            "inactive": await official(
                s, "Cũ", bca.id, [(channel, "104", True, seen)], active=False
            ),
            "english": await official(
                s, "Anna", bca.id, [(channel, "105", True, seen)], locale="en"
            ),
            "btc": await official(s, "Tâm", btc.id, [(channel, "201", True, seen)]),
            "bxd": await official(s, "Hà", bxd.id, [(channel, "301", True, seen)]),
            "unlinked": await official(s, "Khách", None, [(channel, "401", True, seen)]),
        }
        w.users = {k: u.id for k, u in users.items()}
        await _reports(s, w)
        unit_group = Chat(channel=channel, chat_id="-100", title="Bộ Công an")
        oversight = Chat(channel=channel, chat_id="-900", title="Tổ công tác", oversight=True)
        s.add_all([unit_group, oversight])
        await s.flush()
        s.add(ChatUnit(chat_pk=unit_group.id, unit_id=bca.id))
        for unit in (bca, btc, bxd):
            s.add(ChatUnit(chat_pk=oversight.id, unit_id=unit.id))
        w.chats = {"unit": unit_group.id, "oversight": oversight.id}
    return w


async def deliveries(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    """Every outbox row, oldest first."""
    async with sessionmaker() as s:
        return list(await s.scalars(select(Delivery).order_by(Delivery.id)))


def message(row: Delivery) -> Outgoing:
    """The message a delivery row holds."""
    return Outgoing.from_payload(row.payload)
