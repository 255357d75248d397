"""Issue 9: questions are questions, one task's card, flows that let go, recurring work stays
open, notes kept whole, several tasks in one message, small talk and numbered choices
kept in the database (extensions: test_trust_extensions.py). Whole conversations through the
fake channel, the real dispatcher and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.models import AssignmentState, Report
from tests.factories import NOW
from tests.fakes.fake_channel import FakeChannel
from tests.handlers.trustworld import ADMIN, assignment, count, data, text, trust_world


@pytest.fixture
async def world(sessionmaker):
    """Bộ Công an with six tasks, an officer, a head and an admin (see `trust_world`)."""
    return await trust_world(sessionmaker)


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
