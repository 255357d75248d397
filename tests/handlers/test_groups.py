"""Group chats: /link with fuzzy matching and confirmation, oversight groups, /unlink, events."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import Kind
from store.models import AuditLog, Chat, ChatUnit, Identity, Report, Role, UserRole
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel

GROUP = "-1001234567890123"  # a 64-bit supergroup id
OTHER_GROUP = "-100999"


@pytest.fixture
async def world(sessionmaker):
    """Two ministries (one with a department) with work; an admin, a head, officers."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        dept = await make_unit(s, "bca-c06", "Cục Cảnh sát quản lý hành chính", parent=bca)
        await make_unit(s, "bo-cong-thuong", "Bộ Công Thương")
        d = await make_directive(s)
        await make_task(s, d, "1", "Việc của Bộ Công an", date(2025, 3, 31), [(bca, Role.LEAD)])
        await make_task(s, d, "2", "Việc của Bộ Tài chính", date(2025, 3, 31), [(btc, Role.LEAD)])
        await make_task(s, d, "3", "Việc của Cục C06", date(2025, 3, 25), [(dept, Role.LEAD)])
        await make_user(s, "officer", bca)
        await make_user(s, "btc-officer", btc)
        await make_user(s, "head", bca, UserRole.HEAD)
        ids = {"bca": bca.id, "btc": btc.id, "dept": dept.id}
    options = Options(admins=frozenset({("fake", "admin")}))
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW)), ids


def text(replies) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def buttons(replies) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


async def links(sessionmaker, chat_id: str = GROUP) -> list[int]:
    async with sessionmaker() as s:
        rows = await s.scalars(
            select(ChatUnit.unit_id)
            .join(Chat, Chat.id == ChatUnit.chat_pk)
            .where(Chat.chat_id == chat_id)
        )
        return sorted(rows)


async def test_admin_links_a_group_after_confirming_and_it_sees_only_that_unit(
    world, sessionmaker
):
    chan, ids = world
    replies = await chan.push("/link bo cong an", user="admin", chat=GROUP)
    assert "Bộ Công an" in text(replies)
    assert buttons(replies) == [f"g:{ids['bca']}", "x"]
    assert await links(sessionmaker) == []  # nothing linked before the button
    out = text(await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP))
    assert "Nhóm đã được liên kết với Bộ Công an" in out
    assert await links(sessionmaker) == [ids["bca"]]

    out = text(await chan.push("/due", user="someone", chat=GROUP))
    assert "Việc của Bộ Công an" in out
    assert "Việc của Bộ Tài chính" not in out
    assert "Việc của Cục C06" not in out  # a group sees its linked units, not their sub-units
    out = text(await chan.push("/list", user="btc-officer", chat=GROUP))
    assert "Việc của Bộ Tài chính" not in out and "Việc của Bộ Công an" in out

    async with sessionmaker() as s:
        chat = await s.scalar(select(Chat).where(Chat.chat_id == GROUP))
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "group_link"))
    assert chat.chat_id == GROUP and not chat.oversight
    assert entry.target == f"chat:{chat.id}" and entry.detail["unit"] == ids["bca"]


async def test_unsure_match_offers_candidates_as_buttons(world):
    chan, ids = world
    replies = await chan.push("/link Bộ Công", user="admin", chat=GROUP)
    assert "đơn vị nào" in text(replies)
    assert f"g:{ids['bca']}" in buttons(replies)


async def test_unknown_unit_is_explained(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("/link Zzzxxq qqq", user="admin", chat=GROUP))
    assert "Không tìm thấy" in out
    assert await links(sessionmaker) == []


async def test_oversight_group_links_several_units_and_names_them(world, sessionmaker):
    chan, ids = world
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    out = text(await chan.press(f"g:{ids['btc']}", user="admin", chat=GROUP))
    assert "Bộ Công an" in out and "Bộ Tài chính" in out
    out = text(await chan.push("/due", user="admin", chat=GROUP))
    assert "Việc của Bộ Công an" in out and "Việc của Bộ Tài chính" in out
    assert "Việc của Cục C06" not in out
    async with sessionmaker() as s:
        chat = await s.scalar(select(Chat).where(Chat.chat_id == GROUP))
    assert chat.oversight
    out = text(await chan.push("/list", user="admin", chat=GROUP))
    assert "· Bộ Tài chính" in out  # several units: each line says whose task it is
    again = text(await chan.press(f"g:{ids['btc']}", user="admin", chat=GROUP))
    assert "đã được liên kết" in again


async def test_officers_and_strangers_cannot_link(world, sessionmaker):
    chan, ids = world
    for user in ("officer", "stranger"):
        out = text(await chan.push("/link Bộ Công an", user=user, chat=GROUP))
        assert "Chỉ quản trị viên và lãnh đạo đơn vị" in out
        # A confirmation button pressed by someone without the right is refused too.
        out = text(await chan.press(f"g:{ids['bca']}", user=user, chat=GROUP))
        assert "Chỉ quản trị viên và lãnh đạo đơn vị" in out
    assert await links(sessionmaker) == []


async def test_head_links_own_unit_and_sub_units_only(world, sessionmaker):
    chan, ids = world
    out = text(await chan.push("/link Bộ Tài chính", user="head", chat=GROUP))
    assert "đơn vị mình" in out
    out = text(await chan.press(f"g:{ids['btc']}", user="head", chat=GROUP))
    assert "Chỉ quản trị viên" in out
    await chan.press(f"g:{ids['dept']}", user="head", chat=GROUP)
    await chan.press(f"g:{ids['bca']}", user="head", chat=GROUP)
    assert await links(sessionmaker) == sorted([ids["bca"], ids["dept"]])


async def test_link_in_private_chat_explains_where(world):
    chan, _ids = world
    out = text(await chan.push("/link Bộ Công an", user="admin"))
    assert "nhóm chat" in out
    out = text(await chan.press("g:1", user="admin"))
    assert "không hợp lệ" in out


async def test_link_without_a_name_shows_the_links(world):
    chan, ids = world
    assert "chưa được liên kết" in text(await chan.push("/link", user="officer", chat=GROUP))
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    out = text(await chan.push("/link", user="officer", chat=GROUP))
    assert "theo dõi nhiệm vụ của: Bộ Công an" in out


async def test_unlink_asks_which_unit_then_removes_it(world, sessionmaker):
    chan, ids = world
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    await chan.press(f"g:{ids['btc']}", user="admin", chat=GROUP)
    out = text(await chan.push("/unlink", user="officer", chat=GROUP))
    assert "Chỉ quản trị viên" in out
    replies = await chan.push("/unlink tai chinh", user="admin", chat=GROUP)
    assert buttons(replies) == [f"gu:{ids['btc']}", "x"]
    out = text(await chan.press(f"gu:{ids['btc']}", user="admin", chat=GROUP))
    assert "không còn theo dõi nhiệm vụ của Bộ Tài chính" in out
    assert await links(sessionmaker) == [ids["bca"]]
    out = text(await chan.press(f"gu:{ids['btc']}", user="admin", chat=GROUP))
    assert "không được liên kết" in out
    async with sessionmaker() as s:
        chat = await s.scalar(select(Chat).where(Chat.chat_id == GROUP))
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "group_unlink"))
    assert not chat.oversight and entry.detail == {"unit": ids["btc"]}


async def test_bot_removed_from_group_drops_its_links(world, sessionmaker):
    chan, ids = world
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    await chan.push(user="admin", chat=GROUP, kind=Kind.EVENT, payload="removed")
    assert await links(sessionmaker) == []
    out = text(await chan.push("/due", user="officer", chat=GROUP))
    assert "chưa liên kết" in out and "Việc của" not in out
    # Added back: it greets, but the group must be linked again.
    out = text(await chan.push(user="admin", chat=GROUP, kind=Kind.EVENT, payload="added"))
    assert "/link" in out
    assert await links(sessionmaker) == []
    async with sessionmaker() as s:
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "group_removed"))
    assert entry.detail == {"units": [ids["bca"]]}


async def test_migration_to_supergroup_keeps_the_links(world, sessionmaker):
    chan, ids = world
    old = "-4001234"
    await chan.press(f"g:{ids['bca']}", user="admin", chat=old)
    await chan.push(user="admin", chat=old, kind=Kind.EVENT, payload=f"migrated:{GROUP}")
    assert await links(sessionmaker, old) == []
    assert await links(sessionmaker, GROUP) == [ids["bca"]]
    out = text(await chan.push("/due", user="officer", chat=GROUP))
    assert "Việc của Bộ Công an" in out


async def test_migration_merges_into_an_already_linked_supergroup(world, sessionmaker):
    chan, ids = world
    old = "-4001234"
    await chan.press(f"g:{ids['bca']}", user="admin", chat=old)
    await chan.press(f"g:{ids['btc']}", user="admin", chat=GROUP)
    await chan.push(user="admin", chat=old, kind=Kind.EVENT, payload=f"migrated:{GROUP}")
    assert await links(sessionmaker, GROUP) == sorted([ids["bca"], ids["btc"]])
    async with sessionmaker() as s:
        old_chat = await s.scalar(select(Chat).where(Chat.chat_id == old))
        new_chat = await s.scalar(select(Chat).where(Chat.chat_id == GROUP))
    assert not old_chat.active and new_chat.active and new_chat.oversight


async def test_blocking_the_bot_marks_the_person_unreachable(world, sessionmaker):
    chan, _ids = world
    await chan.push(user="officer", kind=Kind.EVENT, payload="removed")
    async with sessionmaker() as s:
        identity = await s.scalar(select(Identity).where(Identity.external_id == "officer"))
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "bot_blocked"))
    assert identity.reachable is False and entry is not None


async def test_group_chatter_is_not_answered_but_commands_and_questions_are(world):
    chan, ids = world
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    assert await chan.push("chào cả nhà, chiều nay họp nhé", user="officer", chat=GROUP) == []
    assert await chan.push("xong rồi", user="officer", chat=GROUP) == []
    assert await chan.push("asdkjh", user="officer", chat=GROUP) == []
    assert "Việc của Bộ Công an" in text(await chan.push("đến hạn tháng này?", chat=GROUP))
    # A command this bot does not know is probably for another bot in the group.
    assert await chan.push("/weather hanoi", user="officer", chat=GROUP) == []
    assert "/help" in text(await chan.push("/asdkjh", user="officer"))  # privately: explained


async def test_files_shared_in_a_group_are_left_alone(world):
    chan, _ids = world
    from handlers.types import FileRef

    file = FileRef("bien-ban.pdf", 10, "application/pdf", None, "x")
    assert await chan.push(user="admin", chat=GROUP, file=file) == []


async def test_reporting_in_a_group_needs_the_reporters_unit_linked_there(world, sessionmaker):
    chan, ids = world
    await chan.press(f"g:{ids['btc']}", user="admin", chat=GROUP)
    out = text(await chan.push("NV 1 đạt 50%", user="officer", chat=GROUP))
    assert "trò chuyện riêng" in out
    async with sessionmaker() as s:
        assert await s.scalar(select(Report)) is None
    await chan.press(f"g:{ids['bca']}", user="admin", chat=GROUP)
    out = text(await chan.push("NV 1 đạt 50%", user="officer", chat=GROUP))
    assert "Đã nhận báo cáo NV 1" in out


async def test_cancel_button_does_not_link(world, sessionmaker):
    chan, _ids = world
    await chan.push("/link Bộ Công an", user="admin", chat=GROUP)
    assert "Đã hủy" in text(await chan.press("x", user="admin", chat=GROUP))
    assert await links(sessionmaker) == []
