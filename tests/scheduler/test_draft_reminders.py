"""The morning draft reminder: an import draft never expires without its admin hearing of it.

Everything real: the admin sends the directive file through the fake channel and the real
dispatcher into a real database (SQLite and PostgreSQL); the job runs through the job runner
at chosen moments (the virtual clock), and the reminder's buttons are pressed in the chat.

The draft is made on Wednesday 12 March 2025 at 10:00 in Hà Nội: it expires on Wednesday 19
March at 10:00. The job runs at 08:00 on working days.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import FileRef, Kind, Outgoing
from scheduler.draft_reminders import DRAFT_REMINDER, DRAFT_REMINDER_TIME
from scheduler.jobs import JobConfig, JobResult, run_job
from store.models import Delivery, Identity, ImportDraft, Task, UserRole
from tests.factories import make_unit, make_user
from tests.fakes.fake_channel import FakeChannel
from tests.scheduler.pushworld import TZ, deliveries, local, message

CFG = JobConfig(tz=TZ)
MADE = local(date(2025, 3, 12), 10)  # Wednesday
PLAN = """Số hiệu: {number}
Ngày ban hành: 01/03/2025
Trích yếu: Kế hoạch cải cách hành chính
TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành
1,Rà soát thủ tục hành chính nội bộ,Bộ Công an,Bộ Tài chính,Tháng 4/2025
2,Số hóa hồ sơ lưu trữ,Sở Ngoại vụ Sao Hỏa,,Tháng 5/2025
3,Tổ chức hội nghị sơ kết,Bộ Công an,,Tháng 6/2025
"""


def morning(day: int) -> date:
    """A day of March 2025."""
    return date(2025, 3, day)


@dataclass
class Chat:
    """The chat as seen by the admins, with a clock the test moves."""

    channel: FakeChannel
    now: list

    async def send_plan(self, number: str, user: str = "admin") -> list[Outgoing]:
        data = PLAN.format(number=number).encode()

        async def fetch() -> bytes:
            return data

        file = FileRef(name="kehoach.csv", size=len(data), mime="text/csv", fetch=fetch, ref="f")
        return await self.channel.push("", user=user, file=file)

    async def say(self, text: str, user: str = "admin") -> str:
        replies = await self.channel.push(text, user=user)
        return "\n".join(to_plain(r.text) for r in replies)

    async def press(self, payload: str, user: str = "admin") -> str:
        replies = await self.channel.push(user=user, kind=Kind.BUTTON, payload=payload)
        return "\n".join(to_plain(r.text) for r in replies)


@pytest.fixture
async def chat(sessionmaker):
    """`admin` (English) and `quan` (Vietnamese) are admins; `u1` is an official of BCA."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        await make_user(s, "admin", None, role=UserRole.ADMIN, locale="en")
        await make_user(s, "quan", None, role=UserRole.ADMIN)
        await make_user(s, "u1", bca)
    now = [MADE]
    dispatcher = Dispatcher(sessionmaker, Options(), clock=lambda: now[0])
    return Chat(FakeChannel(dispatcher), now)


async def run_at(sessionmaker, day: date, hour: int = DRAFT_REMINDER_TIME.hour) -> JobResult:
    return await run_job(sessionmaker, DRAFT_REMINDER, local(day, hour), CFG)


async def draft_id(sessionmaker, number: str) -> int:
    async with sessionmaker() as s:
        return await s.scalar(
            select(ImportDraft.id).where(ImportDraft.number == number).order_by(ImportDraft.id)
        )


def labels(out: Outgoing) -> list[str]:
    return [b.label for row in out.buttons for b in row]


def payloads(out: Outgoing) -> list[str]:
    return [b.data for row in out.buttons for b in row]


async def test_admin_is_reminded_two_working_days_before_expiry(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    did = await draft_id(sessionmaker, "12/KH-BCĐ")
    # Friday: the expiry (Wednesday) is three working days away.
    friday = await run_at(sessionmaker, morning(14))
    assert (friday.status, friday.queued) == ("done", 0)
    assert (await run_at(sessionmaker, morning(15))).status == "not_workday"  # Saturday
    monday = await run_at(sessionmaker, morning(17))
    assert (monday.queued, monday.counts["expiring"]) == (1, 1)
    [row] = await deliveries(sessionmaker)
    async with sessionmaker() as s:
        admin = await s.scalar(select(Identity).where(Identity.external_id == "admin"))
    assert (row.key, row.kind, row.chat_id, row.user_id) == (
        f"draft_reminder:2025-03-17:draft{did}",
        "draft_reminder",
        "admin",
        admin.user_id,
    )
    out = message(row)
    text = to_plain(out.text)
    assert text.startswith("⏳ Import draft 12/KH-BCĐ expires on 19 Mar 2025.")
    assert "Kế hoạch cải cách hành chính" in text
    assert "Tasks: 3 · still flagged: 1" in text  # the unknown Sở Ngoại vụ Sao Hỏa
    assert "Nothing of it is visible to officials until you confirm it." in text
    # The review's own buttons: open it, check the flagged task, confirm, discard.
    assert payloads(out) == [f"ir:{did}:s", f"ir:{did}:n", f"ir:{did}:c", f"ir:{did}:z"]
    assert labels(out)[0] == "🔎 Open the review"
    assert "✅ Confirm and publish" in labels(out)
    # Every working morning until it expires, saying how close it is.
    await run_at(sessionmaker, morning(18))
    await run_at(sessionmaker, morning(19))
    rows = await deliveries(sessionmaker)
    assert [r.key for r in rows[1:]] == [
        f"draft_reminder:2025-03-18:draft{did}",
        f"draft_reminder:2025-03-19:draft{did}",
    ]
    assert "expires tomorrow (19 Mar 2025)." in to_plain(message(rows[1]).text)
    assert "expires today (19 Mar 2025)." in to_plain(message(rows[2]).text)


async def test_weekend_does_not_count_as_a_day_ahead(sessionmaker, chat):
    chat.now[0] = local(morning(10), 10)  # Monday: expires on Monday 17 March
    await chat.send_plan("7/TB-VPCP")
    assert (await run_at(sessionmaker, morning(12))).queued == 0  # Wednesday
    thursday = await run_at(sessionmaker, morning(13))
    assert thursday.queued == 1  # Friday and Monday are the next two working days
    [row] = await deliveries(sessionmaker)
    assert "expires on 17 Mar 2025." in to_plain(message(row).text)


async def test_days_ahead_are_counted_in_local_days(sessionmaker, chat):
    # Expires on Wednesday 19 at 06:30 in Hà Nội, which is still Tuesday 18 in UTC.
    chat.now[0] = local(morning(12), 6, 30)
    await chat.send_plan("12/KH-BCĐ")
    assert (await run_at(sessionmaker, morning(14))).queued == 0  # Friday: three days ahead
    assert (await run_at(sessionmaker, morning(17))).queued == 1
    [row] = await deliveries(sessionmaker)
    assert "expires on 19 Mar 2025." in to_plain(message(row).text)


async def test_not_reminded_twice_the_same_day(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    # Two replicas (or the service and a restart) at the same moment: one run, one message.
    results = await asyncio.gather(*(run_at(sessionmaker, morning(17)) for _ in "ab"))
    assert sorted(r.status for r in results) == ["already_ran", "done"]
    later = await run_at(sessionmaker, morning(17), hour=11)  # a catch-up after a restart
    assert later.status == "already_ran"
    assert len(await deliveries(sessionmaker)) == 1


async def test_no_reminder_for_confirmed_cancelled_or_replaced_drafts(sessionmaker, chat):
    await chat.send_plan("1/KH-A")
    await chat.say("xác nhận")
    await chat.send_plan("2/KH-B")
    await chat.say("hủy nháp")
    await chat.send_plan("3/KH-C")
    replaced = await draft_id(sessionmaker, "3/KH-C")
    chat.now[0] = MADE + timedelta(days=1)
    await chat.send_plan("3/KH-C")  # sent again: the newer draft takes over
    async with sessionmaker() as s:
        statuses = dict((await s.execute(select(ImportDraft.id, ImportDraft.status))).all())
    assert sorted(statuses.values()) == ["cancelled", "confirmed", "open", "replaced"]
    for day in (17, 18, 19, 20):  # 20: after the replaced one's expiry
        await run_at(sessionmaker, morning(day))
    keys = [r.key for r in await deliveries(sessionmaker)]
    newer = await _newest(sessionmaker)
    # Only the newer draft, which expires on Thursday 20 at 10:00.
    assert keys == [f"draft_reminder:2025-03-{day}:draft{newer}" for day in (18, 19, 20)]
    assert all(f"draft{replaced}" not in k for k in keys)


async def _newest(sessionmaker) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.max(ImportDraft.id)))


async def test_told_once_when_the_draft_expired(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    did = await draft_id(sessionmaker, "12/KH-BCĐ")
    thursday = await run_at(sessionmaker, morning(20))
    assert (thursday.queued, thursday.counts["expired"]) == (1, 1)
    friday = await run_at(sessionmaker, morning(21))
    assert (friday.queued, friday.counts["already_queued"]) == (0, 1)
    assert (await run_at(sessionmaker, morning(24))).queued == 0
    [row] = await deliveries(sessionmaker)
    assert (row.key, row.kind) == (f"draft_expired:draft{did}", "draft_expired")
    out = message(row)
    text = to_plain(out.text)
    assert text.startswith("Import draft 12/KH-BCĐ has expired.")
    assert "It was not confirmed by 19 Mar 2025: none of its 3 tasks went live" in text
    assert "Send the document again to import it." in text
    assert out.buttons == []  # nothing left to press: the draft is closed
    chat.now[0] = local(morning(20), 9)
    assert "it expired" in await chat.press(f"ir:{did}:c")


async def test_no_expiry_notice_once_the_directive_was_sent_again(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    chat.now[0] = local(morning(19), 15)  # after the expiry the admin sends it again
    await chat.send_plan("12/KH-BCĐ")
    result = await run_at(sessionmaker, morning(20))
    keys = [r.key for r in await deliveries(sessionmaker)]
    newer = await _newest(sessionmaker)
    assert keys == [] and result.queued == 0  # the new draft expires on 26 March
    assert (await run_at(sessionmaker, morning(24))).queued == 1
    assert [r.key for r in await deliveries(sessionmaker)] == [
        f"draft_reminder:2025-03-24:draft{newer}"
    ]


async def test_confirm_from_the_reminder_makes_the_tasks_live(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    await run_at(sessionmaker, morning(17))
    [row] = await deliveries(sessionmaker)
    buttons = payloads(message(row))
    chat.now[0] = local(morning(17), 9)
    assert "Draft import: 12/KH-BCĐ" in await chat.press(buttons[0])  # open the review
    assert "Rà soát thủ tục hành chính nội bộ" not in await chat.say("danh sách", user="u1")
    done = await chat.press(next(b for b in buttons if b.endswith(":c")))
    assert "12/KH-BCĐ is live." in done and "3 tasks (3 new, 0 updated)" in done
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Task)) == 3
    assert "Rà soát thủ tục hành chính nội bộ" in await chat.say("danh sách", user="u1")
    # Confirmed: no more reminders, and no expiry notice.
    await run_at(sessionmaker, morning(18))
    await run_at(sessionmaker, morning(20))
    assert len(await deliveries(sessionmaker)) == 1


async def test_discard_from_the_reminder_stops_the_reminders(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    await run_at(sessionmaker, morning(17))
    [row] = await deliveries(sessionmaker)
    chat.now[0] = local(morning(17), 9)
    discard = next(b for b in payloads(message(row)) if b.endswith(":z"))
    assert "discarded: nothing was imported" in await chat.press(discard)
    await run_at(sessionmaker, morning(18))
    await run_at(sessionmaker, morning(20))
    assert len(await deliveries(sessionmaker)) == 1


async def test_reminder_and_notice_in_vietnamese(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ", user="quan")
    did = await draft_id(sessionmaker, "12/KH-BCĐ")
    await run_at(sessionmaker, morning(17))
    await run_at(sessionmaker, morning(20))
    reminder, notice = (message(r) for r in await deliveries(sessionmaker))
    text = to_plain(reminder.text)
    assert text.startswith("⏳ Bản nháp nhập văn bản 12/KH-BCĐ sẽ hết hạn ngày 19/03/2025.")
    assert "Số nhiệm vụ: 3 · còn cần kiểm tra: 1" in text
    assert "Cán bộ chưa thấy nhiệm vụ nào của bản nháp" in text
    assert labels(reminder) == [
        "🔎 Mở bản nháp để rà soát",
        "🔎 Kiểm tra các nhiệm vụ cần xem lại",
        "✅ Xác nhận và đưa vào theo dõi",
        "🗑 Hủy bản nháp",
    ]
    assert payloads(reminder)[0] == f"ir:{did}:s"
    notice_text = to_plain(notice.text)
    assert notice_text.startswith("Bản nháp nhập văn bản 12/KH-BCĐ đã hết hạn.")
    assert "không được xác nhận trước ngày 19/03/2025" in notice_text
    assert "Vui lòng gửi lại văn bản để nhập." in notice_text


async def test_draft_list_shows_each_expiry_date(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ", user="quan")
    await chat.say("hủy", user="quan")  # leaves the review; the draft stays open
    listed = await chat.say("/nhap", user="quan")
    assert "Bản nháp đang chờ duyệt:" in listed
    assert "12/KH-BCĐ (kehoach.csv), hết hạn ngày 19/03/2025" in listed


async def test_unreachable_admin_is_counted_not_queued(sessionmaker, chat):
    await chat.send_plan("12/KH-BCĐ")
    async with sessionmaker() as s, s.begin():
        identity = await s.scalar(select(Identity).where(Identity.external_id == "admin"))
        identity.reachable = False  # the admin blocked the bot
    result = await run_at(sessionmaker, morning(17))
    assert (result.queued, result.counts["skipped_unreachable"]) == (0, 1)
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 0
