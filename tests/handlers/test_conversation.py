"""Whole conversations through the fake channel, the real dispatcher and a real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.invites import create_invite
from store.models import Assignment, AssignmentState, Report, Role, TaskKind, UserRole
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


@pytest.fixture
async def world(sessionmaker):
    """Two ministries with March work, one officer of each, one unlinked person."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        d = await make_directive(s)
        t1 = await make_task(
            s,
            d,
            "1",
            "Xây dựng cơ sở dữ liệu dân cư",
            date(2025, 3, 31),
            [(bca, Role.LEAD), (btc, Role.SUPPORT)],
        )
        t2 = await make_task(
            s,
            d,
            "2",
            "Rà soát thủ tục hành chính",
            date(2025, 3, 20),
            [(btc, Role.LEAD), (bca, Role.SUPPORT)],
        )
        t3 = await make_task(s, d, "3", "Báo cáo quý I", date(2025, 2, 28), [(bca, Role.LEAD)])
        t4 = await make_task(
            s,
            d,
            "4",
            "Vận hành hệ thống",
            None,
            [(bca, Role.LEAD)],
            kind=TaskKind.RECURRING,
            deadline_text="Thường xuyên",
        )
        t5 = await make_task(s, d, "5", "Việc tháng sau", date(2025, 4, 30), [(bca, Role.LEAD)])
        t6 = await make_task(s, d, "6", "Việc tuần sau", date(2025, 3, 18), [(bca, Role.LEAD)])
        await make_user(s, "u1", bca)
        await make_user(s, "u2", btc)
        ids = {
            "bca": bca.id,
            "btc": btc.id,
            **{f"t{i}": t.id for i, t in enumerate([t1, t2, t3, t4, t5, t6], 1)},
        }
    dispatcher = Dispatcher(sessionmaker, Options(), clock=lambda: NOW)
    return FakeChannel(dispatcher), ids


def text(replies) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


async def assignment_of(sessionmaker, task_id: int, unit_id: int) -> Assignment:
    async with sessionmaker() as s:
        return await s.scalar(
            select(Assignment).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)
        )


async def count_reports(sessionmaker) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(Report))


async def test_due_this_month_lists_lead_and_support_separately(world):
    chan, _ids = world
    out = text(await chan.push("tháng này đơn vị tôi có việc gì đến hạn?"))
    assert "Xây dựng cơ sở dữ liệu dân cư" in out
    assert "Rà soát thủ tục hành chính" in out
    assert "Việc tuần sau" in out
    assert "Việc tháng sau" not in out  # April
    lead_at = out.index("Chủ trì")
    support_at = out.index("Phối hợp")
    assert lead_at < out.index("Xây dựng cơ sở dữ liệu") < support_at
    assert support_at < out.index("Rà soát thủ tục hành chính")
    assert "thường xuyên" in out.lower()  # recurring work is summarised
    assert "Vận hành hệ thống" not in out  # ...not listed as due
    assert "quá hạn" in out.lower()  # hint about task 3


async def test_due_next_week_without_diacritics(world):
    chan, _ids = world
    out = text(await chan.push("tuan sau co gi den han"))
    assert "Việc tuần sau" in out
    assert "Xây dựng cơ sở dữ liệu dân cư" not in out


async def test_other_unit_sees_only_its_own_work(world):
    chan, _ids = world
    out = text(await chan.push("thang nay co viec gi den han", user="u2"))
    assert "Rà soát thủ tục hành chính" in out
    assert "Việc tuần sau" not in out


async def test_overdue_shows_days_overdue(world):
    chan, _ids = world
    out = text(await chan.push("quá hạn"))
    assert "Báo cáo quý I" in out
    assert "10 ngày" in out  # 28/02 → 10/03
    assert "Xây dựng cơ sở dữ liệu" not in out


async def test_unlinked_user_is_told_how_to_link(world):
    chan, _ids = world
    out = text(await chan.push("quá hạn", user="stranger"))
    assert "/start" in out
    assert "Báo cáo quý I" not in out


async def test_quick_report_is_persisted_before_received(world, sessionmaker):
    chan, ids = world
    out = text(await chan.push("NV 1 đạt 50%"))
    assert "Đã nhận" in out
    a = await assignment_of(sessionmaker, ids["t1"], ids["bca"])
    assert a.progress == 50 and a.state == AssignmentState.OPEN
    assert await count_reports(sessionmaker) == 1
    again = text(await chan.push("việc gì đến hạn tháng này"))
    assert "50%" in again


async def test_report_done_marks_completed_today(world, sessionmaker):
    chan, ids = world
    await chan.push("xong nhiệm vụ số 1")
    a = await assignment_of(sessionmaker, ids["t1"], ids["bca"])
    assert a.state == AssignmentState.DONE
    assert a.completed_on == date(2025, 3, 10)


async def test_unknown_task_number_is_refused_and_nothing_saved(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("nv 99 dat 40%"))
    assert "99" in out and "/list" in out
    assert await count_reports(sessionmaker) == 0


async def test_percent_over_100_is_refused(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("nv 1 dat 150%"))
    assert "0%" in out and "100%" in out
    assert await count_reports(sessionmaker) == 0


async def test_same_message_delivered_twice_is_recorded_once(world, sessionmaker):
    chan, _ids = world
    first = await chan.push("NV 1 đạt 30%", message_id="777")
    second = await chan.push("NV 1 đạt 30%", message_id="777")
    assert first and not second
    assert await count_reports(sessionmaker) == 1


async def test_guided_flow_with_buttons(world, sessionmaker):
    chan, ids = world
    replies = await chan.push("báo cáo")
    payloads = [b.data for row in replies[-1].buttons for b in row]
    a = await assignment_of(sessionmaker, ids["t1"], ids["bca"])
    assert f"r:{a.id}" in payloads
    await chan.press(f"r:{a.id}")
    progress = [b.data for row in chan.sent[-1][1].buttons for b in row]
    assert f"p:{a.id}:75" in progress
    await chan.press(f"p:{a.id}:75")
    await chan.push("Đã gửi dự thảo lấy ý kiến")
    await chan.press("f")  # skip the evidence file
    assert "Gửi báo cáo này?" in chan.last_text()
    assert await count_reports(sessionmaker) == 0  # nothing saved before confirming
    out = text(await chan.press("c"))
    assert "Đã nhận" in out
    a = await assignment_of(sessionmaker, ids["t1"], ids["bca"])
    assert a.progress == 75
    async with sessionmaker() as s:
        report = await s.scalar(select(Report))
    assert report.text == "Đã gửi dự thảo lấy ý kiến"


async def test_guided_flow_accepts_typed_answers_and_cancel(world, sessionmaker):
    chan, _ids = world
    await chan.push("bc")
    await chan.push("1")
    out = text(await chan.push("abc"))
    assert "0 đến 100" in out
    await chan.push("/cancel")
    out = text(await chan.push("nv 1 dat 20%"))
    assert "Đã nhận" in out  # the flow is gone, quick reports work again


async def test_officer_cannot_report_on_another_units_task(world, sessionmaker):
    chan, ids = world
    other = await assignment_of(sessionmaker, ids["t2"], ids["btc"])
    out = text(await chan.press(f"r:{other.id}"))
    assert "đơn vị mình" in out
    await chan.press(f"p:{other.id}:50")
    assert await count_reports(sessionmaker) == 0


async def test_undo_restores_previous_state(world, sessionmaker):
    chan, ids = world
    await chan.push("nv 1 dat 40%")
    replies = await chan.push("nv 1 xong")
    undo = replies[-1].buttons[0][0].data
    assert undo.startswith("u:")
    [ask] = await chan.press(undo)  # the Undo button asks first
    out = text(await chan.press(ask.buttons[0][0].data))
    assert "Đã hoàn tác" in out
    a = await assignment_of(sessionmaker, ids["t1"], ids["bca"])
    assert a.state == AssignmentState.OPEN and a.progress == 40
    assert await count_reports(sessionmaker) == 1


async def test_undo_window_passes(world, sessionmaker):
    chan, _ids = world
    await chan.push("nv 1 dat 40%")
    chan.dispatcher.clock = lambda: NOW + timedelta(hours=1)
    out = text(await chan.push("/undo"))
    assert "không có" in out.lower()
    assert await count_reports(sessionmaker) == 1


async def test_malformed_button_payload_gets_a_clear_answer(world):
    chan, _ids = world
    out = text(await chan.press("zz:<script>"))
    assert "/help" in out
    out = text(await chan.press("p:abc:def"))
    assert "hết hạn" in out


async def test_english_locale(world):
    chan, _ids = world
    out = text(await chan.push("/lang en"))
    assert "English" in out
    out = text(await chan.push("what is due in April"))
    assert "Việc tháng sau" in out
    assert "Lead" in out


async def test_start_with_invite_links_the_user(world, sessionmaker):
    chan, ids = world
    async with sessionmaker() as s, s.begin():
        invite = await create_invite(s, unit_id=ids["btc"], role=UserRole.OFFICER, now=NOW)
        code = invite.code
    out = text(await chan.push(f"/start {code}", user="newbie"))
    assert "Bộ Tài chính" in out
    out = text(await chan.push("đến hạn tháng này", user="newbie"))
    assert "Rà soát thủ tục hành chính" in out
    out = text(await chan.push(f"/start {code}", user="someone-else"))
    assert "đã được sử dụng" in out


async def test_unknown_text_suggests_what_to_do(world):
    chan, _ids = world
    out = text(await chan.push("asdkjh qwe"))
    assert "/help" in out


async def test_user_text_cannot_inject_markup(world, sessionmaker):
    chan, _ids = world
    await chan.push("nv 1 dat 10% <b>\x02bold\x03</b> & co")
    async with sessionmaker() as s:
        report = await s.scalar(select(Report))
    assert "\x02" not in report.text and "<b>" in report.text
