"""The 16:00 reminder with assignees (issue 13): handed-out work chases its people only."""

from __future__ import annotations

import pytest

from handlers.markup import to_plain
from scheduler.jobs import JobConfig, run_job
from scheduler.reminders import NUDGE, REMINDER
from store.reports import add_report
from tests.handlers.unit_world import AT_1600, DAY, TZ, build_unit_world
from tests.scheduler.pushworld import deliveries, message

CFG = JobConfig(tz=TZ)
HANDED = "Xây dựng cơ sở dữ liệu dân cư"  # NV 1, handed to Minh below


@pytest.fixture
async def world(sessionmaker):
    w = await build_unit_world(sessionmaker)
    replies = await w.channel.push("giao NV 1 cho Minh", user="head")
    assert replies
    return w


async def _texts(sessionmaker) -> dict[int, str]:
    return {r.user_id: to_plain(message(r).text) for r in await deliveries(sessionmaker)}


async def test_only_the_assignee_is_reminded_of_a_handed_task(sessionmaker, world):
    result = await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    texts = await _texts(sessionmaker)
    users = world.users
    assert HANDED in texts[users["minh"]]
    for other in ("lan", "lan2", "head"):
        assert HANDED not in texts[users[other]]
        # Work nobody was handed stays with the whole unit.
        assert "Báo cáo quý I" in texts[users[other]]
        assert "Vận hành hệ thống" in texts[users[other]]
    assert "Báo cáo quý I" in texts[users["minh"]]
    # The head reads how much open work has nobody: NV 2, 3 and 4 (NV 1 is Minh's).
    assert "3 nhiệm vụ đang mở của đơn vị chưa giao cho ai" in texts[users["head"]]
    assert "chưa giao cho ai" not in texts[users["lan"]]
    assert result.counts["queued"] == 5  # 4 of Bộ Công an + the sub-unit's official


async def test_a_report_by_anyone_of_the_unit_counts_for_the_unit(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        handed = await world.assignment(s, "t1")
        await add_report(
            s,
            assignment=handed,
            author_id=world.users["lan"],
            percent=40,
            done=False,
            text="Lan báo cáo thay",
            now=AT_1600.replace(hour=4),
            local_day=DAY,
        )
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    texts = await _texts(sessionmaker)
    assert HANDED not in texts[world.users["minh"]]
    assert "Báo cáo quý I" in texts[world.users["minh"]]


async def test_an_official_with_only_others_handed_work_left_is_not_reminded(sessionmaker, world):
    ch = world.channel
    for n in (2, 3):
        await ch.push(f"giao NV {n} cho Minh", user="head")
    result = await run_job(sessionmaker, NUDGE, AT_1600.replace(hour=8), CFG)
    texts = await _texts(sessionmaker)
    assert world.users["lan"] not in texts and world.users["head"] not in texts
    assert HANDED in texts[world.users["minh"]]
    assert result.counts["skipped_handed_to_others"] == 3
