"""Access control and safe handling of what users send, through the real dispatcher."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_html, to_plain
from handlers.types import FileRef, Kind, SendError, SendErrorKind
from store.models import Assignment, AuditLog, Invite, Report, Role, User
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


@pytest.fixture
async def world(sessionmaker):
    """Two ministries with one task each; an officer of each; an admin via settings."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        d = await make_directive(s)
        t1 = await make_task(s, d, "1", "Việc Bộ Công an", date(2025, 3, 31), [(bca, Role.LEAD)])
        t2 = await make_task(s, d, "2", "Việc Bộ Tài chính", date(2025, 3, 31), [(btc, Role.LEAD)])
        await make_user(s, "officer", bca)
        await make_user(s, "btc", btc)
        ids = {}
        for name, task in (("own", t1), ("other", t2)):
            ids[name] = await s.scalar(select(Assignment.id).where(Assignment.task_id == task.id))
    options = Options(admins=frozenset({("fake", "admin")}), max_upload_bytes=1000)
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW)), ids


def text(replies) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


async def reports(sessionmaker) -> list[Report]:
    async with sessionmaker() as s:
        return list(await s.scalars(select(Report).order_by(Report.id)))


@pytest.mark.parametrize(
    "message",
    ["tháng này đơn vị tôi có việc gì đến hạn?", "quá hạn", "/list", "nv 1 dat 50%", "báo cáo",
     "/undo"],
)  # fmt: skip
async def test_unlinked_people_can_neither_query_nor_report(world, sessionmaker, message):
    chan, _ids = world
    out = text(await chan.push(message, user="stranger"))
    assert "/start" in out
    assert "Việc Bộ" not in out
    assert await reports(sessionmaker) == []


async def test_unlinked_buttons_are_refused_too(world, sessionmaker):
    chan, ids = world
    for payload in (f"r:{ids['own']}", f"p:{ids['own']}:100", f"t:{ids['own']}", "pg:l:1", "c"):
        out = text(await chan.press(payload, user="stranger"))
        assert "Việc Bộ" not in out
    assert await reports(sessionmaker) == []


async def test_officer_cannot_act_on_another_units_task(world, sessionmaker):
    chan, ids = world
    assert "đơn vị mình" in text(await chan.press(f"r:{ids['other']}", user="officer"))
    assert "đơn vị mình" in text(await chan.press(f"p:{ids['other']}:100", user="officer"))
    out = text(await chan.press(f"t:{ids['other']}", user="officer"))
    assert "Việc Bộ Tài chính" not in out
    out = text(await chan.push("nv 2 dat 50%", user="officer"))  # NV 2 does not exist for BCA
    assert "không có nhiệm vụ 2" in out
    assert await reports(sessionmaker) == []


@pytest.mark.parametrize(
    ("message", "refusal"),
    [("/invite Bộ Công an", "Chỉ quản trị viên"), ("/import", "Chỉ quản trị viên"),
     ("/requests", "Chỉ quản trị viên")],
)  # fmt: skip
async def test_non_admins_are_refused_admin_commands(world, sessionmaker, message, refusal):
    chan, _ids = world
    for user in ("officer", "stranger"):
        assert refusal in text(await chan.push(message, user=user))
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Invite)) == 0


async def test_non_admin_file_is_not_imported(world):
    chan, _ids = world
    fetched: list[bool] = []

    async def fetch() -> bytes:
        fetched.append(True)
        return b"x"

    file = FileRef("qd.txt", 1, "text/plain", fetch, "f1")
    out = text(await chan.push(user="officer", file=file))
    assert "Chỉ quản trị viên" in out and fetched == []


async def test_admin_invites_only_in_private(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("/invite Bộ Công an", user="admin", chat="-100"))
    assert "trò chuyện riêng" in out
    out = text(await chan.push("/invite Bộ Công an head", user="admin"))
    assert "Bộ Công an" in out
    async with sessionmaker() as s:
        invite = await s.scalar(select(Invite))
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "invite"))
    assert invite.code in out and entry.detail == {"role": "head"}


@pytest.mark.parametrize(
    "payload",
    ["zz:<script>", "r:99999999999999999999", "p:1:999", "u:abc", "ja", "g:1:2", "x" * 64,
     "r:1:2:3:4:5", "đ:1", ""],
)  # fmt: skip
async def test_malformed_buttons_get_an_answer_and_change_nothing(world, sessionmaker, payload):
    chan, _ids = world
    replies = await chan.press(payload, user="officer")
    assert len(replies) == 1 and replies[0].text
    assert "Xin lỗi, đã có lỗi" not in text(replies)  # refused, not crashed
    assert await reports(sessionmaker) == []


async def test_a_repeated_button_press_is_applied_once(world, sessionmaker):
    chan, ids = world
    await chan.press(f"r:{ids['own']}", user="officer")
    await chan.press(f"p:{ids['own']}:50", user="officer")
    await chan.press("n", user="officer")
    await chan.press("f", user="officer")
    first = await chan.push(user="officer", kind=Kind.BUTTON, payload="c", message_id="cb77")
    second = await chan.push(user="officer", kind=Kind.BUTTON, payload="c", message_id="cb77")
    assert "Đã nhận" in text(first) and second == []
    assert len(await reports(sessionmaker)) == 1


async def test_long_note_with_markup_is_stored_whole_and_shown_escaped(world, sessionmaker):
    chan, ids = world
    note = ("Đã hoàn thành <b>dự thảo</b> & gửi R&D; " * 130)[:5000]
    assert len(note) == 5000
    await chan.press(f"r:{ids['own']}", user="officer")
    await chan.press(f"p:{ids['own']}:80", user="officer")
    await chan.push(note, user="officer")
    [confirm] = await chan.press("f", user="officer")
    # The confirmation shows the whole note; markup typed by the user stays text.
    assert note.strip() in to_plain(confirm.text)
    assert "&lt;b&gt;dự thảo&lt;/b&gt; &amp; gửi R&amp;D;" in to_html(confirm.text)
    await chan.press("c", user="officer")
    [report] = await reports(sessionmaker)
    assert report.text == note.strip() and report.percent == 80


async def test_a_note_split_by_the_chat_app_is_joined(world, sessionmaker):
    chan, ids = world
    await chan.press(f"p:{ids['own']}:30", user="officer")
    await chan.push("phần một", user="officer")
    assert "bổ sung" in text(await chan.push("phần hai", user="officer"))
    await chan.push("bỏ qua", user="officer")  # typed instead of pressing Skip
    await chan.press("c", user="officer")
    [report] = await reports(sessionmaker)
    assert report.text == "phần một\nphần hai" and report.attachment is None


async def test_too_long_note_is_refused_not_cut(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("nv 1 dat 20% " + "x" * 20_001, user="officer"))
    assert "20001" in out and "20000" in out
    assert await reports(sessionmaker) == []


async def test_evidence_file_is_downloaded_and_referenced(world, sessionmaker):
    chan, ids = world
    content = b"%PDF-1.7 bien ban nghiem thu"

    async def fetch() -> bytes:
        return content

    await chan.press(f"p:{ids['own']}:100", user="officer")
    await chan.press("n", user="officer")
    evidence = FileRef("Biên bản.pdf", len(content), "application/pdf", fetch, "FILE123")
    [confirm] = await chan.push(user="officer", file=evidence)
    assert "Biên bản.pdf" in to_plain(confirm.text)
    assert "có tệp minh chứng" not in to_plain(confirm.text)
    out = text(await chan.press("c", user="officer"))
    assert "Đã nhận" in out
    [report] = await reports(sessionmaker)
    assert json.loads(report.attachment) == {
        "channel": "fake",
        "ref": "FILE123",
        "name": "Biên bản.pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


async def test_evidence_download_failure_or_size_asks_again(world, sessionmaker):
    chan, ids = world

    async def broken() -> bytes:
        raise SendError(SendErrorKind.PERMANENT, "Bad Request: file is too big")

    async def big() -> bytes:
        return b"x" * 1001  # over the 1,000-byte limit of this world, though none was declared

    await chan.press(f"p:{ids['own']}:60", user="officer")
    await chan.press("n", user="officer")
    out = text(await chan.push(user="officer", file=FileRef("a.pdf", None, None, broken, "A")))
    assert "Không tải được" in out
    out = text(await chan.push(user="officer", file=FileRef("b.pdf", None, None, big, "B")))
    assert "quá lớn" in out
    # Nothing was lost: still at the file step, Skip leads to the confirmation.
    out = text(await chan.press("f", user="officer"))
    assert "Gửi báo cáo này?" in out


async def test_a_photo_with_a_caption_at_the_note_step_is_note_and_evidence(world, sessionmaker):
    chan, ids = world

    async def fetch() -> bytes:
        return b"\xff\xd8 photo"

    await chan.press(f"p:{ids['own']}:70", user="officer")
    photo = FileRef("photo_1.jpg", 8, "image/jpeg", fetch, "PHOTO1")
    [confirm] = await chan.push("Ảnh hiện trường", user="officer", file=photo)
    assert "Ảnh hiện trường" in to_plain(confirm.text) and "photo_1.jpg" in to_plain(confirm.text)
    await chan.press("c", user="officer")
    [report] = await reports(sessionmaker)
    assert report.text == "Ảnh hiện trường" and json.loads(report.attachment)["ref"] == "PHOTO1"


async def test_every_change_is_audited(world, sessionmaker):
    chan, _ids = world
    await chan.push("/lang en", user="officer")
    await chan.push("nv 1 dat 10%", user="officer")
    [ask] = await chan.push("/undo", user="officer")
    await chan.press(ask.buttons[0][0].data, user="officer")  # "Yes, undo"
    async with sessionmaker() as s:
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
        user = await s.scalar(select(User).where(User.name == "User officer"))
    assert actions == ["language", "report", "report_undo"]
    assert user.locale == "en"
