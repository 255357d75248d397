"""The group digest: linked units only, overdue work with its last report, who has not reported,
and a group that migrated to a supergroup."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from handlers.markup import to_plain
from handlers.types import SendError, SendErrorKind
from scheduler.digest import DIGEST
from scheduler.jobs import JobConfig, run_job
from scheduler.outbox.dispatcher import OutboxDispatcher
from scheduler.outbox.ratelimit import Limits
from store.models import Chat, ChatUnit, Role, UnitKind
from store.reports import add_report
from tests.factories import make_directive, make_task, make_unit
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.pushworld import DAY, TZ, build, deliveries, local, message

CFG = JobConfig(tz=TZ)
AT_1630 = local(DAY, 16, 30)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


@pytest.fixture
async def world(sessionmaker):
    return await build(sessionmaker)


async def _texts(sessionmaker) -> dict[str, str]:
    return {r.chat_id: to_plain(message(r).text) for r in await deliveries(sessionmaker)}


async def test_each_group_hears_about_its_linked_units_only(sessionmaker, world):
    result = await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    assert result.queued == 2
    texts = await _texts(sessionmaker)
    unit_group, oversight = texts["-100"], texts["-900"]
    assert unit_group.startswith("Tổng hợp tình hình ngày 15/07/2025")
    assert "Bộ Công an" in unit_group
    assert "Bộ Tài chính" not in unit_group and "Rà soát thủ tục thuế" not in unit_group
    # The overdue task with its days overdue and (no) last report.
    assert "Quá hạn (1):" in unit_group
    assert "NV 2 · Báo cáo sơ kết 6 tháng" in unit_group
    assert "quá hạn 5 ngày · chưa có báo cáo" in unit_group
    # Who has not reported today: the three tasks needing a daily report.
    assert "Chưa báo cáo hôm nay (3): NV 2, 1, 3" in unit_group  # most urgent first
    # The oversight group: Bộ Công an is behind; Bộ Tài chính reported and Bộ Xây dựng has
    # nothing due, so neither needs a section.
    assert "Chưa báo cáo hôm nay (1/3 đơn vị): Bộ Công an" in oversight
    assert "Bộ Tài chính" not in oversight.split("\n", 2)[2]


async def test_last_report_is_shown_for_overdue_work(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        overdue = await world.assignment(s, "t2", "bca")
        for day, pct in ((date(2025, 7, 8), 30), (date(2025, 7, 12), 60)):
            await add_report(
                s,
                assignment=overdue,
                author_id=world.users["officer"],
                percent=pct,
                done=False,
                text="",
                now=local(day, 9),
                local_day=day,
            )
    await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    text = (await _texts(sessionmaker))["-100"]
    assert "quá hạn 5 ngày · báo cáo gần nhất 12/07/2025 (60%)" in text


async def test_all_reported_still_lists_overdue_work(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        for task in ("t1", "t2", "t3"):
            await add_report(
                s,
                assignment=await world.assignment(s, task, "bca"),
                author_id=world.users["officer"],
                percent=50,
                done=False,
                text="",
                now=local(DAY, 11),
                local_day=DAY,
            )
    await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    text = (await _texts(sessionmaker))["-100"]
    assert "Quá hạn (1):" in text
    assert "Đã báo cáo đầy đủ các nhiệm vụ cần báo cáo hôm nay." in text


async def test_groups_with_nothing_to_say_inactive_or_opted_out_get_nothing(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        quiet = Chat(channel="fake", chat_id="-300", title="Bộ Xây dựng")
        off = Chat(channel="fake", chat_id="-400", title="Tắt", digest_enabled=False)
        gone = Chat(channel="fake", chat_id="-500", title="Bị xóa", active=False)
        s.add_all([quiet, off, gone])
        await s.flush()
        s.add(ChatUnit(chat_pk=quiet.id, unit_id=world.units["bxd"]))
        s.add(ChatUnit(chat_pk=off.id, unit_id=world.units["bca"]))
        s.add(ChatUnit(chat_pk=gone.id, unit_id=world.units["bca"]))
    result = await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    assert set(await _texts(sessionmaker)) == {"-100", "-900"}
    assert result.counts["skipped_nothing_to_report"] == 1


async def test_digest_runs_once_per_day_and_not_on_days_off(sessionmaker, world):
    assert (await run_job(sessionmaker, DIGEST, AT_1630, CFG)).queued == 2
    again = await run_job(sessionmaker, DIGEST, AT_1630 + timedelta(hours=1), CFG)
    assert again.status == "already_ran"
    tet = await run_job(sessionmaker, DIGEST, local(date(2026, 2, 17), 16, 30), CFG)
    assert tet.status == "not_workday"
    assert len(await deliveries(sessionmaker)) == 2


async def test_a_group_that_migrated_gets_this_and_later_digests_at_its_new_id(
    sessionmaker, world
):
    await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    clock = FakeClock(AT_1630)
    channel = RecordingChannel("fake", clock=clock)
    channel.fail(
        SendError(
            SendErrorKind.PERMANENT,
            "Bad Request: group chat was upgraded to a supergroup chat",
            migrate_to="-100777",
        ),
        chat_id="-100",
    )
    outbox = OutboxDispatcher(
        sessionmaker, {"fake": channel}, {"fake": FAST}, clock, rng=random.Random(3)
    )
    assert await outbox.run_once() == 2
    assert sorted(s.address.chat_id for s in channel.sent) == ["-100777", "-900"]
    async with sessionmaker() as s:
        chat = await s.get(Chat, world.chats["unit"])
        assert chat is not None and (chat.chat_id, chat.active) == ("-100777", True)
        assert await s.scalar(select(Chat).where(Chat.chat_id == "-100")) is None
    await run_job(sessionmaker, DIGEST, AT_1630 + timedelta(days=1), CFG)
    tomorrow = [r for r in await deliveries(sessionmaker) if r.key.startswith("digest:2025-07-16")]
    assert sorted(r.chat_id for r in tomorrow) == ["-100777", "-900"]


async def test_a_large_oversight_group_reads_about_the_units_most_behind(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        d = await make_directive(s, "9/QĐ-TEST")
        for n in range(20):
            unit = await make_unit(s, f"xa-{n}", f"Xã {n:02d}", UnitKind.COMMUNE)
            s.add(ChatUnit(chat_pk=world.chats["oversight"], unit_id=unit.id))
            for k in range(n % 3 + 1):  # 1 to 3 overdue tasks
                await make_task(
                    s, d, f"{n}.{k}", f"Việc {n}.{k}", date(2025, 7, 1), [(unit, Role.LEAD)]
                )
    await run_job(sessionmaker, DIGEST, AT_1630, CFG)
    text = (await _texts(sessionmaker))["-900"]
    assert "Chưa báo cáo hôm nay (21/23 đơn vị)" in text
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("Xã ") or line == "Bộ Công an"]
    assert len(heads) == 15
    # Units with three overdue tasks come first (Xã 02, 05, ...).
    assert (lines[heads[0]], lines[heads[0] + 1]) == ("Xã 02", "Quá hạn (3):")
    assert "…và 6 đơn vị khác có nhiệm vụ quá hạn hoặc chưa báo cáo." in text
