"""Issue 9: questions are questions, one task's card, flows that let go, recurring work stays
open, notes kept whole, several tasks in one message, deadline extensions, small talk and
numbered choices kept in the database. Whole conversations through the fake channel, the real
dispatcher and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.export import write_unit_workbook
from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.extensions import decide_extension, request_extension
from store.importer import import_directive
from store.models import (
    Assignment,
    AssignmentState,
    AuditLog,
    Extension,
    Report,
    Role,
    Task,
    TaskKind,
    Unit,
    UserRole,
)
from store.registry import UnitRegistry
from store.sample import sample_directive
from store.units import seed_units
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel

ADMIN = ("fake", "boss")


@pytest.fixture
async def world(sessionmaker):
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
    return "\n".join(to_plain(r.text) for r in replies)


def data(replies) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


async def count(sessionmaker, model) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def assignment(sessionmaker, task_id: int, unit_id: int) -> Assignment:
    async with sessionmaker() as s:
        return await s.scalar(
            select(Assignment).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)
        )


QUESTIONS = [
    "nv 1 xong chưa?",
    "nhiệm vụ 1 đã xong chưa",
    "nv 1 xong chua vay",
    "nv 1 đạt 50% chưa",
    "nv 1 được bao nhiêu phần trăm rồi",
    "nhiem vu 1 dat bao nhieu %",
    "hạn của nhiệm vụ 1",
    "nv 1 ai phối hợp",
    "ai chu tri nv 1",
    "nv 1 hoàn thành chưa anh",
    "nv 1 xong rồi à",
    "nv 1 có quá hạn không",
    "nv 1 tới đâu rồi",
    "is task 1 done",
    "task 1 done yet?",
    "when is task 1 due",
]


async def test_questions_about_a_task_get_its_card_and_never_a_report(world, sessionmaker):
    chan, _ids = world
    for question in QUESTIONS:
        out = text(await chan.push(question))
        assert "NV 1" in out and "Xây dựng cơ sở dữ liệu dân cư" in out, question
        assert "Đã nhận" not in out, question
    assert await count(sessionmaker, Report) == 0
    # ...while a statement is a report.
    assert "Đã nhận" in text(await chan.push("nv 1 đã xong"))
    assert await count(sessionmaker, Report) == 1


async def test_the_card_answers_everything_about_one_task(world, sessionmaker):
    chan, ids = world
    await chan.push("NV 1 đạt 40% đã có dự thảo")
    [card] = await chan.push("/nv 1")
    out = to_plain(card.text)
    assert "NV 1 · 1/QĐ-TEST, mục 1" in out
    assert "Văn bản: 1/QĐ-TEST" in out
    assert "Chủ trì: Bộ Công an" in out and "Phối hợp: Bộ Tài chính" in out
    assert "Thời hạn: Tháng 03/2025 → 31/03/2025" in out
    assert "40%" in out and "đã có dự thảo" in out and "User u1" in out
    aid = (await assignment(sessionmaker, ids["t1"], ids["bca"])).id
    assert data([card]) == [f"r:{aid}", f"p:{aid}:100", f"e:{aid}"]


async def test_a_question_leaves_the_guided_report_and_is_answered(world, sessionmaker):
    chan, _ids = world
    await chan.push("báo cáo")
    out = text(await chan.push("nv 3 hạn khi nào?"))
    assert "Đã dừng báo cáo" in out and "Báo cáo quý I" in out
    # The flow is gone: a percent is not taken as an answer to an old question.
    out = text(await chan.push("tháng này có việc gì"))
    assert "Vui lòng" not in out
    assert await count(sessionmaker, Report) == 0


async def test_a_flow_continues_with_what_it_expects(world, sessionmaker):
    chan, ids = world
    await chan.push("báo cáo")
    out = text(await chan.push("NV 5"))  # NV 45 always means task 45: here task 5
    assert "Việc tháng sau" in out
    await chan.push("60")  # a percent at the progress step, not task 60
    await chan.push("đã họp")
    await chan.press("f")
    await chan.press("c")
    a = await assignment(sessionmaker, ids["t5"], ids["bca"])
    assert a.progress == 60


async def test_undo_leaves_a_flow_and_asks_first(world, sessionmaker):
    chan, _ids = world
    await chan.push("nv 1 đạt 40%")
    await chan.push("báo cáo")
    replies = await chan.push("/undo")
    assert "Đã dừng báo cáo" in text(replies)
    assert await count(sessionmaker, Report) == 1  # asked, not done
    confirm = next(d for d in data(replies) if d.startswith("uy:"))
    assert "Đã hoàn tác" in text(await chan.press(confirm))
    assert await count(sessionmaker, Report) == 0


async def test_a_stray_number_after_a_report_changes_nothing(world, sessionmaker):
    chan, ids = world
    # A channel that shows numbered choices (as Zalo does).
    numbered = Options(admins=frozenset({ADMIN}), numbered_channels=frozenset({"fake"}))
    chan.dispatcher.options = numbered
    receipt = await chan.push("nv 1 đạt 40%")
    assert any(d.startswith("u:") for d in data(receipt))  # Undo: a button, never a number
    out = text(await chan.push("1"))
    assert "Đã hoàn tác" not in out
    assert await count(sessionmaker, Report) == 1
    assert (await assignment(sessionmaker, ids["t1"], ids["bca"])).progress == 40


async def test_numbered_choices_survive_a_new_dispatcher(world, sessionmaker):
    chan, _ids = world
    numbered = Options(admins=frozenset({ADMIN}), numbered_channels=frozenset({"fake"}))
    chan.dispatcher.options = numbered
    [picker] = await chan.push("báo cáo")
    second = picker.buttons[1][0]
    # A restart (or another replica): a fresh dispatcher and channel on the same database.
    fresh = FakeChannel(Dispatcher(sessionmaker, numbered, clock=lambda: NOW))
    out = text(await fresh.push("2", message_id="after-restart-1"))
    assert "Tiến độ đến đâu" in out
    assert second.label.split(" · ")[1][:10] in out
    # A number that was not shown presses nothing.
    await fresh.push("hủy", message_id="after-restart-2")
    out = text(await fresh.push("9", message_id="after-restart-3"))
    assert "Đã nhận" not in out


async def test_recurring_work_stays_open_after_xong(world, sessionmaker):
    chan, ids = world
    out = text(await chan.push("nv 4 xong"))
    assert "thường xuyên" in out
    a = await assignment(sessionmaker, ids["t4"], ids["bca"])
    assert a.state == AssignmentState.OPEN and a.completed_on is None
    out = text(await chan.push("nv 4 đã vận hành ổn định"))  # a text-only update
    assert "Đã nhận" in out
    async with sessionmaker() as s:
        texts = list(await s.scalars(select(Report.text).order_by(Report.id)))
    assert texts == ["", "đã vận hành ổn định"]
    # Today counts as reported: the task is not in today's unreported list.
    out = text(await chan.push("nhiệm vụ nào chưa báo cáo hôm nay"))
    assert "Vận hành hệ thống" not in out and "Xây dựng cơ sở dữ liệu dân cư" in out


async def test_note_is_kept_whole_and_the_message_stored(world, sessionmaker):
    chan, _ids = world
    await chan.push("nhiệm vụ 1 đạt 30% đang lấy ý kiến các bộ")
    await chan.push("nv 5 không đạt 50% vì thiếu nhân sự")
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(Report).order_by(Report.id)))
    assert (rows[0].percent, rows[0].text) == (30, "đang lấy ý kiến các bộ")
    assert rows[0].original == "nhiệm vụ 1 đạt 30% đang lấy ý kiến các bộ"
    assert (rows[1].percent, rows[1].text) == (None, "không đạt 50% vì thiếu nhân sự")


async def test_several_tasks_in_one_message(world, sessionmaker):
    chan, ids = world
    out = text(await chan.push("nv 1 và nv 5 đều đạt 80%"))
    assert out.count("Đã nhận") == 2
    assert (await assignment(sessionmaker, ids["t1"], ids["bca"])).progress == 80
    assert (await assignment(sessionmaker, ids["t5"], ids["bca"])).progress == 80
    out = text(await chan.push("nv 1 đã họp, nv 5 đạt 90%"))
    assert "mỗi nhiệm vụ một dòng" in out
    assert await count(sessionmaker, Report) == 2


async def test_an_uncertain_report_is_confirmed_first(world, sessionmaker):
    chan, ids = world
    replies = await chan.push("nv 1 xong, còn văn bản gì cần ký")
    assert "Ghi nhận NV 1 đã hoàn thành?" in text(replies)
    assert await count(sessionmaker, Report) == 0
    await chan.press("k")
    a = await assignment(sessionmaker, ids["t1"], ids["bca"])
    assert a.state == AssignmentState.DONE


async def test_bad_percentages_get_one_clear_answer(world, sessionmaker):
    chan, _ids = world
    for message in ("NV 1 đạt -5%", "NV 1 đạt 500%", "nv 1 đạt 5o%"):
        assert "từ 0% đến 100%" in text(await chan.push(message)), message
    assert await count(sessionmaker, Report) == 0
    await chan.push("\u202eNV\u200b 1 đạt 20% xong bản\u200d thảo")
    async with sessionmaker() as s:
        report = await s.scalar(select(Report))
    assert (report.percent, report.text) == (20, "xong bản thảo")


async def test_extension_approved_moves_the_due_date_and_keeps_history(
    world, sessionmaker, tmp_path
):
    chan, ids = world
    before = text(await chan.push("quá hạn"))
    assert "Báo cáo quý I" in before
    replies = await chan.push("xin gia hạn NV 3 đến 31/3/2025 vì chờ số liệu của các bộ")
    assert "Đã gửi đề nghị" in text(replies)
    asked = {addr.user_id: out for addr, out in chan.sent if addr.user_id in ("boss", "head")}
    assert set(asked) == {"boss", "head"}
    assert "chờ số liệu của các bộ" in to_plain(asked["boss"].text)
    approve = next(
        b.data for row in asked["boss"].buttons for b in row if b.data.startswith("ea:")
    )
    out = text(await chan.press(approve, user="boss"))
    assert "Đã duyệt" in out
    told = [o for a, o in chan.sent if a.user_id == "u1"][-1]
    assert "đã được duyệt" in to_plain(told.text)
    a = await assignment(sessionmaker, ids["t3"], ids["bca"])
    assert a.due == date(2025, 3, 31)
    async with sessionmaker() as s:
        task = await s.get(Task, ids["t3"])
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert task.due == date(2025, 2, 28)  # the directive's date stays on the record
    assert "extension_request" in actions and "extension_approve" in actions
    # Reminders and the overdue list follow the approved date.
    assert "Báo cáo quý I" not in text(await chan.push("quá hạn"))
    card = text(await chan.push("nv 3"))
    assert "Hạn ban đầu: 28/02/2025" in card and "đã gia hạn" in card
    assert "đề nghị lùi đến 31/03/2025 — đã duyệt" in card
    # A second press decides nothing.
    assert "đã được quyết định" in text(await chan.press(approve, user="head"))
    # The export shows the directive's date and the change next to the approved date.
    out = tmp_path / "bca.xlsx"
    async with sessionmaker() as s:
        unit = await s.get(Unit, ids["bca"])
        await write_unit_workbook(s, unit, out, today=date(2025, 3, 10), tz=Options().tz)
    rows = {row[1]: row for row in list(load_workbook(out)["Nhiệm vụ"].values)[1:]}
    assert rows[3][7].date() == date(2025, 3, 31) and rows[3][11].date() == date(2025, 2, 28)
    assert rows[3][12] == "10/03/2025 → 31/03/2025: đã duyệt"


async def test_extension_refused_keeps_the_date_and_tells_the_requester(world, sessionmaker):
    chan, ids = world
    await chan.push("gia han nv 1 den 30/4/2025")
    out = text(await chan.push("chờ ý kiến thẩm định của Bộ Tư pháp"))  # the reason, asked for
    assert "Đã gửi đề nghị" in out
    async with sessionmaker() as s:
        ext = await s.scalar(select(Extension))
    assert ext.reason == "chờ ý kiến thẩm định của Bộ Tư pháp"
    # An officer cannot decide; the unit's head can.
    assert "Chỉ quản trị viên" in text(await chan.press(f"er:{ext.id}", user="u1"))
    assert "Đã từ chối" in text(await chan.press(f"er:{ext.id}", user="head"))
    told = [o for a, o in chan.sent if a.user_id == "u1"][-1]
    assert "không được chấp thuận" in to_plain(told.text)
    assert (await assignment(sessionmaker, ids["t1"], ids["bca"])).due == date(2025, 3, 31)
    card = text(await chan.push("nv 1"))
    assert "đề nghị lùi đến 30/04/2025 — không được chấp thuận" in card
    assert "lý do: chờ ý kiến thẩm định" in card


async def test_small_talk_and_limits(world):
    chan, _ids = world
    for message in ("cảm ơn", "ok", "cam on nhieu nhe", "thank you"):
        out = text(await chan.push(message))
        assert "Không có gì" in out and "Xin lỗi" not in out, message
    out = text(await chan.push("nhắc tôi lúc 9h sáng mai"))
    assert "chưa làm được" in out and "nv 7" in out


async def test_counts_and_unreported_questions(world):
    chan, _ids = world
    out = text(await chan.push("nhiệm vụ nào chưa báo cáo hôm nay"))
    assert "Chưa báo cáo hôm nay" in out and "Báo cáo quý I" in out
    await chan.push("nv 3 đạt 90%")
    out = text(await chan.push("chua bao cao nhung nv nao"))
    assert "Báo cáo quý I" not in out
    out = text(await chan.push("còn bao nhiêu việc"))
    assert "Vận hành hệ thống" in out  # the open list, with its count


async def test_a_note_that_mentions_a_query_word_stays_a_note(world, sessionmaker):
    chan, _ids = world
    await chan.push("báo cáo")
    await chan.push("NV 5")
    await chan.push("60")
    out = text(await chan.push("đã rà soát các việc quá hạn của năm trước"))
    assert "Đã dừng" not in out and "tệp" in out  # the next step: the evidence file
    await chan.press("f")
    await chan.press("c")
    async with sessionmaker() as s:
        report = await s.scalar(select(Report))
    assert (report.percent, report.text) == (60, "đã rà soát các việc quá hạn của năm trước")


async def test_an_approved_extension_outlives_a_reimport(sessionmaker):
    today = date(2025, 3, 10)
    parsed, _done = sample_directive(today)
    async with sessionmaker() as s, s.begin():
        await seed_units(s)
        registry = await UnitRegistry.load(s)
        await import_directive(s, parsed, registry=registry, now=NOW, source_name="a")
        a = await s.scalar(
            select(Assignment).where(Assignment.due.is_not(None)).order_by(Assignment.id)
        )
        later = a.due + timedelta(days=40)
        ext = await request_extension(
            s, assignment=a, requested_by=None, new_due=later, reason="chờ", now=NOW
        )
        await decide_extension(s, ext.id, approve=True, decided_by=None, now=NOW)
        aid = a.id
    async with sessionmaker() as s, s.begin():
        registry = await UnitRegistry.load(s)
        await import_directive(s, parsed, registry=registry, now=NOW, source_name="b")
    async with sessionmaker() as s:
        assert (await s.get(Assignment, aid)).due == later


async def test_an_extension_can_ask_for_more_days(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("xin gia hạn nv 1 thêm 10 ngày vì chờ Bộ Tài chính góp ý"))
    assert "đến 10/04/2025" in out
    async with sessionmaker() as s:
        ext = await s.scalar(select(Extension))
    assert (ext.old_due, ext.new_due) == (date(2025, 3, 31), date(2025, 4, 10))
    # A date before the current deadline is refused with the reason.
    out = text(await chan.push("gia hạn nv 5 đến 1/4/2025 vì thiếu số liệu"))
    assert "Ngày mới phải sau hạn hiện tại (30/04/2025)" in out
