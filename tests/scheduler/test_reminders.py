"""The 16:00 reminder and the nudge: who gets one, what it says, and that it is sent once."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import SendError, SendErrorKind
from scheduler.calendar import WorkCalendar
from scheduler.jobs import JobConfig, run_job
from scheduler.outbox.dispatcher import OutboxDispatcher
from scheduler.outbox.ratelimit import Limits
from scheduler.reminders import NUDGE, REMINDER
from store.models import AuditLog, Identity
from store.reports import add_report
from tests.fakes.fake_channel import FakeChannel
from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.pushworld import AT_1600, DAY, TZ, build, deliveries, local, message

CFG = JobConfig(tz=TZ)
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


@pytest.fixture
async def world(sessionmaker):
    return await build(sessionmaker)


async def test_reminder_goes_to_officials_with_unreported_work_only(sessionmaker, world):
    result = await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    assert result.status == "done"
    rows = await deliveries(sessionmaker)
    by_user = {row.user_id: row for row in rows}
    users = world.users
    # Bộ Công an's reachable officials; nobody else.
    assert set(by_user) == {users["officer"], users["two_channels"], users["english"]}
    assert result.counts == {
        "queued": 3,
        "skipped_unreachable": 1,  # blocked
        "skipped_inactive": 1,
        "skipped_reported": 1,  # Bộ Tài chính reported at 10:00
        "skipped_no_open_work": 1,  # Bộ Xây dựng: nothing within the horizon
        "skipped_unlinked": 1,
    }
    row = by_user[users["officer"]]
    assert (row.key, row.kind, row.channel, row.chat_id) == (
        f"reminder:2025-07-15:user{users['officer']}",
        "reminder",
        "fake",
        "101",
    )
    text = to_plain(message(row).text)
    assert "Bộ Công an" in text
    for title in ("Xây dựng cơ sở dữ liệu dân cư", "Báo cáo sơ kết", "Vận hành hệ thống"):
        assert title in text
    assert "Tổng kết năm 2025" not in text  # due in December: beyond the horizon
    assert "Việc đã xong" not in text
    # Overdue first, with its days overdue; then by due date; recurring last.
    assert text.index("Báo cáo sơ kết") < text.index("Xây dựng cơ sở") < text.index("Vận hành")
    assert "5 ngày" in text  # 10/7 → 15/7


async def test_reminder_buttons_open_the_report_flow(sessionmaker, world):
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    rows = await deliveries(sessionmaker)
    row = next(r for r in rows if r.user_id == world.users["officer"])
    buttons = [b for line in message(row).buttons for b in line]
    async with sessionmaker() as s:
        overdue = await world.assignment(s, "t2", "bca")
    assert buttons[0].data == f"r:{overdue.id}"
    assert {b.data for b in buttons} == {
        f"r:{(await _assignment(sessionmaker, world, t)).id}" for t in ("t1", "t2", "t3")
    }
    # Pressing it in the private chat is understood by the existing report flow.
    channel = FakeChannel(Dispatcher(sessionmaker, Options(), clock=lambda: AT_1600))
    replies = await channel.press(buttons[0].data, user="101")
    assert "Báo cáo sơ kết 6 tháng" in to_plain(replies[0].text)
    assert any(b.data == f"p:{overdue.id}:50" for line in replies[0].buttons for b in line)


async def _assignment(sessionmaker, world, task):
    async with sessionmaker() as s:
        return await world.assignment(s, task, "bca")


async def test_preferred_channel_falls_back_to_a_reachable_identity(sessionmaker, world):
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    rows = await deliveries(sessionmaker)
    row = next(r for r in rows if r.user_id == world.users["two_channels"])
    # Telegram is preferred but blocked; Zalo works (any channel name is fine).
    assert (row.channel, row.chat_id) == ("zalo", "z102")


async def test_only_configured_channels_are_used(sessionmaker, world):
    cfg = JobConfig(tz=TZ, channels=frozenset({"fake"}))
    result = await run_job(sessionmaker, REMINDER, AT_1600, cfg)
    assert {r.channel for r in await deliveries(sessionmaker)} == {"fake"}
    assert result.counts["skipped_unreachable"] == 2  # blocked + Zalo-only in this deployment


async def test_reminder_is_in_the_officials_language(sessionmaker, world):
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    rows = {r.user_id: r for r in await deliveries(sessionmaker)}
    english = to_plain(message(rows[world.users["english"]]).text)
    vietnamese = to_plain(message(rows[world.users["officer"]]).text)
    assert english.startswith("Reminder: report today's progress — Bộ Công an")
    assert "5 days overdue" in english
    assert vietnamese.startswith("Nhắc báo cáo tiến độ hôm nay — Bộ Công an")


async def test_a_report_by_anyone_in_the_unit_takes_that_task_off(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        overdue = await world.assignment(s, "t2", "bca")
        await add_report(
            s,
            assignment=overdue,
            author_id=world.users["english"],  # a colleague, not the recipient
            percent=70,
            done=False,
            text="",
            now=local(DAY, 15, 30),
            local_day=DAY,
        )
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    row = next(r for r in await deliveries(sessionmaker) if r.user_id == world.users["officer"])
    text = to_plain(message(row).text)
    assert "Báo cáo sơ kết" not in text
    assert "Xây dựng cơ sở dữ liệu" in text and "Vận hành hệ thống" in text


async def test_yesterdays_report_does_not_count_today(sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        work = await world.assignment(s, "t6", "btc")
        # 23:30 the evening before in Hà Nội (16:30 UTC on the 14th).
        await add_report(
            s,
            assignment=work,
            author_id=world.users["btc"],
            percent=50,
            done=False,
            text="",
            now=local(DAY - timedelta(days=1), 23, 30),
            local_day=DAY - timedelta(days=1),
        )
    # Run for the next day: neither report is "today" any more.
    next_day = AT_1600 + timedelta(days=1)
    await run_job(sessionmaker, REMINDER, next_day, CFG)
    assert world.users["btc"] in {r.user_id for r in await deliveries(sessionmaker)}


async def test_running_twice_sends_nothing_twice(sessionmaker, world):
    first = await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    again = await run_job(sessionmaker, REMINDER, AT_1600 + timedelta(minutes=5), CFG)
    assert (first.queued, again.status, again.queued) == (3, "already_ran", 0)
    assert len(await deliveries(sessionmaker)) == 3
    async with sessionmaker() as s:
        (audit,) = await s.scalars(select(AuditLog).where(AuditLog.action == "job:reminder"))
    assert audit.target == "2025-07-15" and audit.detail["queued"] == 3


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 7, 19), "Saturday"),
        (date(2025, 7, 20), "Sunday"),
        (date(2026, 2, 17), "Tết Bính Ngọ (Lunar New Year's Day)"),
        (date(2026, 2, 20), "Tết holiday week"),
        (date(2025, 9, 2), "National Day"),
    ],
)
async def test_no_reminder_on_days_off(sessionmaker, world, day, why):
    result = await run_job(sessionmaker, REMINDER, local(day, 16), CFG)
    assert result.status == "not_workday", why
    assert await deliveries(sessionmaker) == []


async def test_a_swapped_saturday_is_a_working_day(sessionmaker, world):
    saturday = date(2025, 7, 19)
    cfg = JobConfig(tz=TZ, calendar=WorkCalendar(extra_workdays=[saturday]))
    result = await run_job(sessionmaker, REMINDER, local(saturday, 16), cfg)
    # Bộ Tài chính's report was on Tuesday: on the swapped Saturday it is due again.
    assert result.status == "done" and result.queued == 4


async def test_nudge_is_softer_and_keyed_apart_from_the_reminder(sessionmaker, world):
    nudged = await run_job(sessionmaker, NUDGE, local(DAY, 15), CFG)
    reminded = await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    assert nudged.queued == reminded.queued == 3
    rows = await deliveries(sessionmaker)
    nudges = [r for r in rows if r.kind == "nudge"]
    assert all(r.key.startswith("nudge:2025-07-15:user") for r in nudges)
    text = to_plain(message(nudges[0]).text)
    assert text.startswith("Hạn báo cáo hôm nay: 16:00 — Bộ Công an")


async def test_nudge_switched_off(sessionmaker, world):
    result = await run_job(sessionmaker, NUDGE, local(DAY, 15), JobConfig(tz=TZ, nudge_time=None))
    assert result.status == "disabled"
    assert await deliveries(sessionmaker) == []


async def test_blocked_recipient_is_marked_and_skipped_the_next_day(sessionmaker, world):
    await run_job(sessionmaker, REMINDER, AT_1600, CFG)
    clock = FakeClock(AT_1600)
    fake = RecordingChannel("fake", clock=clock)
    zalo = RecordingChannel("zalo", clock=clock)
    fake.fail(SendError(SendErrorKind.UNREACHABLE, "Forbidden: bot was blocked"), chat_id="105")
    outbox = OutboxDispatcher(
        sessionmaker,
        {"fake": fake, "zalo": zalo},
        {"fake": FAST, "zalo": FAST},
        clock,
        rng=random.Random(1),
    )
    assert await outbox.run_once() == 3
    assert sorted(s.address.chat_id for s in fake.sent + zalo.sent) == ["101", "z102"]
    async with sessionmaker() as s:
        reachable = await s.scalar(select(Identity.reachable).where(Identity.chat_id == "105"))
    assert reachable is False
    result = await run_job(sessionmaker, REMINDER, AT_1600 + timedelta(days=1), CFG)
    assert result.counts["skipped_unreachable"] == 2
    assert f"reminder:2025-07-16:user{world.users['english']}" not in result.keys
    assert f"reminder:2025-07-16:user{world.users['officer']}" in result.keys
