"""Join requests: an official without an invite asks; an admin approves from the chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.models import AuditLog, JoinRequest, User, UserRole
from tests.factories import NOW, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


@pytest.fixture
async def world(sessionmaker):
    """Two ministries; an admin from NHACVIEC_ADMINS, one invited admin, a linked officer."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        await make_unit(s, "bo-cong-thuong", "Bộ Công Thương")
        await make_user(s, "officer", bca)
        await make_user(s, "invited-admin", bca, UserRole.ADMIN, locale="en")
        ids = {"bca": bca.id, "btc": btc.id}
    options = Options(admins=frozenset({("fake", "admin")}))
    clock = {"now": NOW}
    chan = FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: clock["now"]))
    return chan, ids, clock


def text(replies) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def sent_to(chan: FakeChannel, user: str, since: int = 0) -> list[str]:
    return [to_plain(o.text) for a, o in chan.sent[since:] if a.chat_id == user]


async def request(chan: FakeChannel, unit_id: int, user: str = "newbie") -> int:
    await chan.push("/join Bộ Tài chính", user=user)
    await chan.press(f"j:{unit_id}", user=user)
    return len(chan.sent)


async def test_request_reaches_admins_and_approval_links_the_person(world, sessionmaker):
    chan, ids, _clock = world
    replies = await chan.push("/join bo tai chinh", user="newbie")
    assert "Bộ Tài chính" in text(replies)
    assert [b.data for row in replies[0].buttons for b in row] == [f"j:{ids['btc']}", "x"]
    before = len(chan.sent)
    await chan.press(f"j:{ids['btc']}", user="newbie")
    assert "đã được gửi tới quản trị viên" in sent_to(chan, "newbie", before)[0]
    # Both admins were told, each in their own language, with decision buttons.
    [to_admin] = [o for a, o in chan.sent[before:] if a.chat_id == "admin"]
    [to_invited] = sent_to(chan, "invited-admin", before)
    assert "Bộ Tài chính" in to_plain(to_admin.text) and "Nguyễn Văn A" in to_plain(to_admin.text)
    assert "asks to be linked to Bộ Tài chính" in to_invited
    async with sessionmaker() as s:
        req = await s.scalar(select(JoinRequest))
    assert [b.data for b in to_admin.buttons[0]] == [f"ja:{req.id}", f"jr:{req.id}"]
    assert req.status == "pending" and req.role == UserRole.OFFICER

    before = len(chan.sent)
    out = text(await chan.press(f"ja:{req.id}", user="admin"))
    assert "Đã phê duyệt" in out
    assert "Đã liên kết với Bộ Tài chính" in sent_to(chan, "newbie", before)[0]
    async with sessionmaker() as s:
        req = await s.scalar(select(JoinRequest))
        user = await s.get(User, req.user_id)
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert req.status == "approved" and req.decided_at is not None
    assert user.unit_id == ids["btc"] and user.role == UserRole.OFFICER
    assert actions[-2:] == ["join_request", "join_approve"]
    # Now linked, the person can ask about their unit's work.
    assert "Bộ Tài chính" in text(await chan.push("/me", user="newbie"))
    # A second decision is refused: someone already decided.
    out = text(await chan.press(f"jr:{req.id}", user="invited-admin"))
    assert "already approved" in out


async def test_rejection_tells_the_person_and_links_nothing(world, sessionmaker):
    chan, ids, _clock = world
    await request(chan, ids["btc"])
    async with sessionmaker() as s:
        req = await s.scalar(select(JoinRequest))
    before = len(chan.sent)
    assert "Đã từ chối" in text(await chan.press(f"jr:{req.id}", user="admin"))
    assert "chưa được phê duyệt" in sent_to(chan, "newbie", before)[0]
    async with sessionmaker() as s:
        user = await s.get(User, req.user_id)
    assert user.unit_id is None


async def test_only_admins_decide(world, sessionmaker):
    chan, ids, _clock = world
    await request(chan, ids["btc"])
    async with sessionmaker() as s:
        req = await s.scalar(select(JoinRequest))
    for user in ("officer", "newbie", "stranger"):
        out = text(await chan.press(f"ja:{req.id}", user=user))
        assert "Chỉ quản trị viên" in out
    assert "Chỉ quản trị viên" in text(await chan.push("/requests", user="officer"))
    async with sessionmaker() as s:
        assert (await s.get(JoinRequest, req.id)).status == "pending"


async def test_requests_lists_what_is_waiting(world, sessionmaker):
    chan, ids, _clock = world
    assert "Không có đề nghị" in text(await chan.push("/requests", user="admin"))
    await request(chan, ids["btc"], user="p1")
    await request(chan, ids["bca"], user="p2")
    replies = await chan.push("/requests", user="admin")
    assert len(replies) == 2
    assert all(r.buttons[0][0].data.startswith("ja:") for r in replies)
    assert "trò chuyện riêng" in text(await chan.push("/requests", user="admin", chat="-5"))


async def test_a_new_choice_replaces_the_pending_request_and_repeats_are_limited(
    world, sessionmaker
):
    chan, ids, clock = world
    await request(chan, ids["btc"])
    out = text(await chan.press(f"j:{ids['btc']}", user="newbie"))
    assert "đang chờ" in out
    await chan.press(f"j:{ids['bca']}", user="newbie")
    async with sessionmaker() as s:
        statuses = list(await s.scalars(select(JoinRequest.status).order_by(JoinRequest.id)))
    assert statuses == ["withdrawn", "pending"]
    await chan.press(f"j:{ids['btc']}", user="newbie")
    out = text(await chan.press(f"j:{ids['bca']}", user="newbie"))
    assert "nhiều đề nghị" in out
    clock["now"] = NOW + timedelta(days=1, minutes=1)
    out = text(await chan.press(f"j:{ids['bca']}", user="newbie"))
    assert "đã được gửi" in out


async def test_linked_people_and_groups_cannot_request(world):
    chan, ids, _clock = world
    assert "đã được liên kết với Bộ Công an" in text(await chan.push("/join BTC", user="officer"))
    assert "đã được liên kết" in text(await chan.press(f"j:{ids['btc']}", user="officer"))
    assert "trò chuyện riêng" in text(await chan.push("/join Bộ Tài chính", chat="-7"))
    assert "không hợp lệ" in text(await chan.press("j:99999999999", user="newbie"))
    assert "không còn tồn tại" in text(await chan.press("j:999999", user="newbie"))


async def test_join_without_a_name_or_with_an_unknown_one_explains(world):
    chan, ids, _clock = world
    assert "/join Bộ Tài chính" in text(await chan.push("/join", user="newbie"))
    assert "Không tìm thấy" in text(await chan.push("/join qqqzzz xxyy", user="newbie"))
    replies = await chan.push("/join Bộ Công", user="newbie")
    assert f"j:{ids['bca']}" in [b.data for r in replies for row in r.buttons for b in row]


async def test_start_without_code_mentions_join(world):
    chan, _ids, _clock = world
    assert "/join" in text(await chan.push("/start", user="newbie"))
