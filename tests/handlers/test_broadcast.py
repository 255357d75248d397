"""The admin's /broadcast conversation, its delivery report and the recipients' acknowledgements.

Everything real: the fake channel goes through the real dispatcher into a real database; the
broadcast pump fans out into the outbox and the real outbox dispatcher delivers back through
the fake channel, on a virtual clock.
"""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import FileRef, Outgoing
from scheduler.broadcasts import BroadcastPump
from scheduler.outbox.dispatcher import OutboxDispatcher
from scheduler.outbox.ratelimit import Limits
from store.models import (
    Assignment,
    Broadcast,
    Chat,
    ChatUnit,
    Delivery,
    DeliveryStatus,
    Directive,
    Identity,
    User,
)
from tests.factories import NOW, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel
from tests.fakes.recording_channel import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)
PLAN = """Số hiệu: 12/KH-BCĐ
Ngày ban hành: 01/03/2025
Trích yếu: Kế hoạch triển khai
TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành
1,Rà soát thủ tục hành chính nội bộ,Bộ Công an,Bộ Tài chính,Tháng 4/2025
2,Số hóa hồ sơ,Bộ Tài chính,,Thường xuyên
""".encode()


@pytest.fixture
async def world(sessionmaker):
    """Three ministries; officials u1, u2 (English), u4 (blocked) of BCA, u3 of BTC; a group."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        bct = await make_unit(s, "bo-cong-thuong", "Bộ Công Thương")
        await make_user(s, "u1", bca)
        await make_user(s, "u2", bca, locale="en")
        await make_user(s, "u3", btc)
        blocked = await make_user(s, "u4", bca)
        await s.flush()
        identity = await s.scalar(select(Identity).where(Identity.user_id == blocked.id))
        identity.reachable = False
        await make_user(s, "stranger", None)
        group = Chat(channel="fake", chat_id="-100", title="Nhóm Bộ Công an")
        s.add(group)
        await s.flush()
        s.add(ChatUnit(chat_pk=group.id, unit_id=bca.id))
        ids = {"bca": bca.id, "btc": btc.id, "bct": bct.id, "group": group.id}
    options = Options(admins=frozenset({("fake", "admin")}))
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW)), ids


def text(replies: list[Outgoing]) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def buttons(replies: list[Outgoing]) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


async def deliver(sessionmaker, chan: FakeChannel) -> int:
    """One round of the broadcast pump, then the outbox until nothing is due."""
    pump = BroadcastPump(sessionmaker, tz=TZ, channels={"fake"}, clock=lambda: NOW)
    await pump.run_once()
    clock = FakeClock(NOW)
    outbox = OutboxDispatcher(
        sessionmaker, {"fake": chan}, {"fake": FAST}, clock, rng=random.Random(1)
    )
    sent = 0
    while n := await outbox.run_once():
        sent += n
    return sent


def sent_to(chan: FakeChannel, chat: str) -> list[Outgoing]:
    return [out for address, out in chan.sent if address.chat_id == chat]


async def count(sessionmaker, model) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def compose(chan: FakeChannel, message: str = "Triển khai ngay Kế hoạch 12") -> None:
    await chan.push("/broadcast", user="admin")
    await chan.push(message, user="admin")


async def test_broadcast_to_units_with_report_and_acknowledgements(world, sessionmaker):
    chan, ids = world
    out = text(await chan.push("/broadcast", user="admin"))
    assert "Gửi nội dung cần thông báo" in out
    replies = await chan.push("Đề nghị các đồng chí triển khai <ngay> & báo cáo", user="admin")
    assert "Gửi thông báo cho ai?" in text(replies)
    assert {"bt:all", "bt:units", "bt:groups", "x"} <= set(buttons(replies))
    assert "Gõ tên các đơn vị" in text(await chan.press("bt:units", user="admin"))
    replies = await chan.push("bo cong an", user="admin")  # no diacritics
    preview = text(replies)
    assert "Gửi tới: cán bộ của Bộ Công an" in preview
    assert "Số người nhận: 3" in preview
    assert "Trong đó 1 người không liên lạc được" in preview
    assert "Đề nghị các đồng chí triển khai <ngay> & báo cáo" in preview  # the copy, verbatim
    assert "bok" in buttons(replies)
    assert await count(sessionmaker, Broadcast) == 0  # nothing before Send

    out = text(await chan.press("bok", user="admin"))
    assert "Thông báo số 1 đang được gửi tới 3 người nhận" in out
    async with sessionmaker() as s:
        b = await s.scalar(select(Broadcast))
        admin = await s.scalar(select(Identity.user_id).where(Identity.external_id == "admin"))
    assert (b.status, b.targets, b.created_by) == ("queued", {"units": [ids["bca"]]}, admin)

    await deliver(sessionmaker, chan)
    (vi,) = sent_to(chan, "u1")
    (en,) = sent_to(chan, "u2")
    assert to_plain(vi.text).startswith("Thông báo")
    assert "Đề nghị các đồng chí triển khai <ngay> & báo cáo" in vi.text
    assert "Đã nhận" in vi.buttons[0][0].label
    assert to_plain(en.text).startswith("Announcement")
    assert vi.buttons[0][0].data == en.buttons[0][0].data == f"ack:{b.id}"
    assert not sent_to(chan, "u3") and not sent_to(chan, "u4") and not sent_to(chan, "-100")
    async with sessionmaker() as s:
        keys = dict(list(await s.execute(select(Delivery.key, Delivery.status))))
    users = {e: uid for e, uid in await _user_ids(sessionmaker)}
    assert keys == {
        f"broadcast:1:user{users['u1']}": DeliveryStatus.SENT,
        f"broadcast:1:user{users['u2']}": DeliveryStatus.SENT,
        f"broadcast:1:user{users['u4']}": DeliveryStatus.UNREACHABLE,
    }

    report = text(await chan.push("/broadcast status", user="admin"))
    assert "Đã gửi tới: 2" in report
    assert "Đã chặn bot hoặc rời nhóm: 1" in report
    assert "Đã xác nhận: 0/2" in report
    assert "User u1 (Bộ Công an)" in report and "User u2 (Bộ Công an)" in report

    assert "Cảm ơn" in text(await chan.press(f"ack:{b.id}", user="u1"))
    assert "đã xác nhận thông báo này rồi" in text(await chan.press(f"ack:{b.id}", user="u1"))
    assert "không gửi cho anh/chị" in text(await chan.press(f"ack:{b.id}", user="u3"))

    replies = await chan.press(f"bs:{b.id}", user="admin")  # Refresh
    report = text(replies)
    assert "Đã xác nhận: 1/2" in report
    assert "User u2 (Bộ Công an)" in report and "User u1" not in report
    assert f"bs:{b.id}" in buttons(replies)

    # Nothing left to send: the author gets the final report, once.
    await deliver(sessionmaker, chan)
    (final,) = sent_to(chan, "admin")[-1:]
    assert "Đã gửi xong lúc" in to_plain(final.text)
    assert "Đã xác nhận: 1/2" in to_plain(final.text)
    before = len(chan.sent)
    await deliver(sessionmaker, chan)
    assert len(chan.sent) == before
    async with sessionmaker() as s:
        assert (await s.get(Broadcast, b.id)).status == "done"


async def _user_ids(sessionmaker) -> list[tuple[str, int]]:
    async with sessionmaker() as s:
        return [(e, u) for e, u in await s.execute(select(Identity.external_id, Identity.user_id))]


async def test_document_broadcast_imports_its_tasks(world, sessionmaker):
    chan, ids = world

    async def fetch() -> bytes:
        return PLAN

    await chan.push("/broadcast", user="admin")
    doc = FileRef("kh12.csv", len(PLAN), "text/csv", fetch, ref="FILE-12")
    replies = await chan.push("Kế hoạch 12/KH-BCĐ", user="admin", file=doc)
    assert "Tài liệu: kh12.csv" in text(replies)
    assert await count(sessionmaker, Directive) == 0  # not imported as a plain directive upload
    preview = text(await chan.press("bt:all", user="admin"))
    assert "Số người nhận: 4" in preview  # every linked official, the blocked one included
    assert "Nhập 2 nhiệm vụ của văn bản 12/KH-BCĐ: có" in preview
    assert "Nhập 2 nhiệm vụ của văn bản 12/KH-BCĐ: không" in text(
        await chan.press("bi", user="admin")
    )
    await chan.press("bi", user="admin")
    out = text(await chan.press("bok", user="admin"))
    # Its tasks are a draft, like any import from the chat, until the admin confirms them.
    assert "Bản nháp nhập văn bản: 12/KH-BCĐ" in out
    assert await count(sessionmaker, Assignment) == 0
    assert "Đã đưa 12/KH-BCĐ vào theo dõi." in text(await chan.push("xác nhận", user="admin"))

    async with sessionmaker() as s:
        directive = await s.scalar(select(Directive))
        b = await s.scalar(select(Broadcast))
        units = set(await s.scalars(select(Assignment.unit_id)))
    assert directive.number == "12/KH-BCĐ"
    assert (b.directive_id, b.file_ref, b.file_name) == (directive.id, "fake:FILE-12", "kh12.csv")
    assert b.text == "Kế hoạch 12/KH-BCĐ" and b.targets == {"all": True}
    assert units == {ids["bca"], ids["btc"]}

    await deliver(sessionmaker, chan)
    (copy,) = sent_to(chan, "u3")
    assert [(a.name, a.ref, a.content) for a in copy.attachments] == [("kh12.csv", "FILE-12", b"")]
    assert "/list" in copy.text and "12/KH-BCĐ" in copy.text


async def test_import_can_be_switched_off(world, sessionmaker):
    chan, _ids = world

    async def fetch() -> bytes:
        return PLAN

    await chan.push("/broadcast", user="admin")
    await chan.push("", user="admin", file=FileRef("kh12.csv", len(PLAN), "text/csv", fetch, "F"))
    await chan.press("bt:all", user="admin")
    await chan.press("bi", user="admin")
    out = text(await chan.press("bok", user="admin"))
    assert "Thông báo số 1" in out and "Đã nhập" not in out
    assert await count(sessionmaker, Directive) == 0
    async with sessionmaker() as s:
        assert (await s.scalar(select(Broadcast))).directive_id is None


async def test_unclear_unit_names_offer_candidates(world, sessionmaker):
    chan, ids = world
    await compose(chan)
    replies = await chan.push("Bộ Công, Bộ Tài chính, qqq", user="admin")
    out = text(replies)
    assert "Chưa rõ “Bộ Công”; có phải là:" in out
    assert "Không có đơn vị nào khớp với “qqq”" in out
    assert "Gửi tới: cán bộ của Bộ Tài chính" in out
    assert {f"bu:{ids['bca']}", f"bu:{ids['bct']}", "bok"} <= set(buttons(replies))
    out = text(await chan.press(f"bu:{ids['bca']}", user="admin"))
    assert "Gửi tới: cán bộ của Bộ Tài chính, Bộ Công an" in out
    assert "Số người nhận: 4" in out
    await chan.press("bok", user="admin")
    async with sessionmaker() as s:
        assert (await s.scalar(select(Broadcast))).targets == {"units": [ids["btc"], ids["bca"]]}


async def test_unit_without_officials_cannot_be_sent_to(world, sessionmaker):
    chan, _ids = world
    await compose(chan)
    replies = await chan.push("Bộ Công Thương", user="admin")
    assert "Không có ai nhận" in text(replies)
    assert "bok" not in buttons(replies)
    assert "hết hiệu lực" not in text(await chan.press("bok", user="admin"))
    assert await count(sessionmaker, Broadcast) == 0


async def test_groups_receive_it_and_a_member_acknowledges_for_the_group(world, sessionmaker):
    chan, ids = world
    await compose(chan)
    preview = text(await chan.press("bt:groups", user="admin"))
    assert "Gửi tới: tất cả nhóm đã liên kết" in preview and "Số người nhận: 1" in preview
    await chan.press("bok", user="admin")
    await deliver(sessionmaker, chan)
    (copy,) = sent_to(chan, "-100")
    assert copy.buttons[0][0].data == "ack:1"
    assert not sent_to(chan, "u1")
    assert "Cảm ơn" in text(await chan.press("ack:1", user="u1", chat="-100"))
    again = text(await chan.press("ack:1", user="u2", chat="-100"))
    assert "This group has already acknowledged" in again  # u2 reads English
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery).where(Delivery.broadcast_id == 1))
    assert row.key == f"broadcast:1:chat{ids['group']}" and row.acked_at is not None


async def test_only_admins_broadcast_or_read_reports(world, sessionmaker):
    chan, _ids = world
    assert "Chỉ quản trị viên" in text(await chan.push("/broadcast họp gấp", user="u1"))
    assert "Chỉ quản trị viên" in text(await chan.push("/thongbao status", user="u1"))
    assert "Chỉ quản trị viên" in text(await chan.press("bs:1", user="u1"))
    assert "Chỉ quản trị viên" in text(await chan.press("bok", user="u1"))
    assert await count(sessionmaker, Broadcast) == 0


async def test_broadcasts_are_prepared_in_private(world):
    chan, _ids = world
    out = text(await chan.push("/broadcast họp gấp", user="admin", chat="-100"))
    assert "cuộc trò chuyện riêng" in out


async def test_too_long_text_is_refused_and_the_flow_kept(world, sessionmaker):
    chan, _ids = world
    await chan.push("/broadcast", user="admin")
    out = text(await chan.push("x" * 3501, user="admin"))
    assert "quá dài (3501 ký tự; tối đa 3500)" in out
    assert "Gửi thông báo cho ai?" in text(await chan.push("Ngắn gọn", user="admin"))


async def test_cancel_leaves_nothing_behind(world, sessionmaker):
    chan, _ids = world
    await compose(chan)
    await chan.press("bt:all", user="admin")
    assert "Đã hủy" in text(await chan.push("/cancel", user="admin"))
    assert "hết hiệu lực" in text(await chan.press("bok", user="admin"))
    assert await count(sessionmaker, Broadcast) == 0


async def test_status_of_unknown_broadcast(world):
    chan, _ids = world
    assert "Không có thông báo này" in text(await chan.push("/broadcast status 9", user="admin"))
    assert "Không có thông báo này" in text(await chan.push("/broadcast status", user="admin"))
    assert "Cú pháp" in text(await chan.push("/broadcast status abc", user="admin"))


async def test_malformed_acknowledgement_is_refused(world):
    chan, _ids = world
    assert "không hợp lệ" in text(await chan.press("ack:x", user="u1"))
    assert "không gửi cho anh/chị" in text(await chan.press("ack:42", user="u1"))


async def test_unreachable_officials_are_counted_not_sent(world, sessionmaker):
    chan, _ids = world
    await compose(chan)
    await chan.press("bt:all", user="admin")
    await chan.press("bok", user="admin")
    await deliver(sessionmaker, chan)
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(Delivery).order_by(Delivery.id)))
        blocked = await s.scalar(
            select(User.id).join(Identity).where(Identity.external_id == "u4")
        )
    assert len(rows) == 4
    (row,) = [r for r in rows if r.user_id == blocked]
    assert row.status == DeliveryStatus.UNREACHABLE and "no reachable chat" in row.last_error
    assert not sent_to(chan, "u4")
