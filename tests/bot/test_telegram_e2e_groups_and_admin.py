"""End to end on Telegram: groups, admin import, refusals.

`nhacviec run` (bot.runner) with real PTB against the fake Bot API.

Everything runs as in production: settings from the environment, a SQLite file, the migrated
and seeded registry, the CLI for invites and imports, long polling or a webhook served by the
runner's own aiohttp server. The clock is the real one, so tasks are dated relative to today
(in Asia/Ho_Chi_Minh), and "this month" is the current month.
"""

from __future__ import annotations

from sqlalchemy import func, select

from store.models import (
    Assignment,
    AuditLog,
    Chat,
    ChatUnit,
    Directive,
    Report,
)
from tests.bot.telegram_e2e_support import (
    ADMIN,
    BTC_OFFICER,
    DIRECTIVES,
    GROUP,
    OFFICER,
    STRANGER,
    SUPERGROUP,
    query,
    seed,
)
from tests.bot.telegram_harness import Chat as TgChat
from tests.bot.telegram_harness import buttons, running_bot, settle, texts
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support import eventually

# -- groups --------------------------------------------------------------------------------------


async def test_group_link_confirmation_scope_migration_and_removal(
    env, fake_telegram: FakeTelegramServer
) -> None:
    ids = await seed()
    async with running_bot(fake_telegram):
        admin = TgChat(fake_telegram, ADMIN, name="Admin").in_group(GROUP)
        member = TgChat(fake_telegram, BTC_OFFICER).in_group(GROUP)
        officer = TgChat(fake_telegram, OFFICER).in_group(GROUP)
        fake_telegram.push_member_status(GROUP, "member", old_status="left", user=admin.user)
        await settle(fake_telegram)
        assert "/link" in texts(fake_telegram.sent_to(GROUP))

        assert "Chỉ quản trị viên" in texts(await officer.say("/link Bộ Công an"))
        ask = await admin.say("/link@nhacviec_test_bot bo cong an")
        assert "Liên kết nhóm này với Bộ Công an?" in texts(ask)
        assert buttons(ask) == [f"g:{ids['bca']}", "x"]
        # Anyone in the group can press the button; only someone allowed can link.
        assert "Chỉ quản trị viên" in texts(await member.press(f"g:{ids['bca']}"))
        assert "Nhóm đã được liên kết với Bộ Công an" in texts(
            await admin.press(f"g:{ids['bca']}")
        )

        seen = texts(await member.say("/due"))
        assert "Số hóa hồ sơ cư trú" in seen and "Rà soát phí, lệ phí" not in seen
        assert "Rà soát phí" not in texts(await member.say("/list"))
        # Chatter in the group is not answered.
        assert await member.say("cả nhà ơi chiều nay họp nhé") == []

        fake_telegram.push_migration(GROUP, SUPERGROUP)
        await settle(fake_telegram)
        moved = member.in_group(SUPERGROUP)
        assert "Số hóa hồ sơ cư trú" in texts(await moved.say("/due"))
        chats = await query(select(Chat.chat_id))
        assert chats == [str(SUPERGROUP)]  # stored as the 64-bit id, as text

        fake_telegram.push_member_status(SUPERGROUP, "kicked", user=admin.user)
        await settle(fake_telegram)
    assert await query(select(ChatUnit.unit_id)) == []
    actions = await query(select(AuditLog.action).order_by(AuditLog.id))
    assert actions[-3:] == ["group_link", "group_migrated", "group_removed"]


# -- admin import by file ------------------------------------------------------------------------


async def test_admin_imports_a_directive_by_sending_the_file(
    env, fake_telegram: FakeTelegramServer
) -> None:
    content = (DIRECTIVES / "tb35-tgv-2025.txt").read_bytes()
    await seed()
    async with running_bot(fake_telegram):
        officer = TgChat(fake_telegram, OFFICER)
        refused = texts(await officer.send_document(content, "tb35.txt", "text/plain"))
        assert "Chỉ quản trị viên mới được nhập văn bản" in refused
        assert not fake_telegram.calls_of("getFile")  # a refused file is not even downloaded
        admin = TgChat(fake_telegram, ADMIN, name="Admin")
        reading = texts(await admin.send_document(content, "tb35-tgv-2025.txt", "text/plain"))
        assert "Đang đọc" in reading  # the file is read in a worker; the answer follows
        # The import is a draft: nothing reaches officials until the admin confirms it.
        await eventually(
            lambda: "Bản nháp nhập văn bản: 35-TB/TGV" in texts(fake_telegram.sent_to(ADMIN)),
            message="no draft summary",
        )
        draft_only = select(Directive.number).where(Directive.number == "35-TB/TGV")
        assert await query(draft_only) == []
        out = texts(await admin.say("xác nhận"))
        assert "Đã đưa 35-TB/TGV vào theo dõi" in out
    [number] = await query(select(Directive.number).where(Directive.number == "35-TB/TGV"))
    assert number == "35-TB/TGV"
    tasks = await query(select(func.count()).select_from(Assignment))
    assert tasks[0] > 2


# -- refusals ------------------------------------------------------------------------------------


async def test_refusals(env, fake_telegram: FakeTelegramServer) -> None:
    ids = await seed()
    async with running_bot(fake_telegram):
        stranger = TgChat(fake_telegram, STRANGER)
        out = texts(await stranger.say("tháng này có việc gì đến hạn?"))
        assert "/start" in out and "Số hóa hồ sơ" not in out
        assert "/start" in texts(await stranger.say("nv 1 dat 50%"))
        assert "/join" in texts(await stranger.say("/start"))

        officer = TgChat(fake_telegram, OFFICER)
        out = texts(await officer.press(f"r:{ids['other']}"))
        assert "chỉ được báo cáo nhiệm vụ của đơn vị mình" in out
        out = texts(await officer.press(f"t:{ids['other']}"))
        assert "Rà soát phí" not in out
        assert "Chỉ quản trị viên" in texts(await officer.say("/invite Bộ Công an"))
        assert "Chỉ quản trị viên" in texts(await officer.say("/requests"))
        for data in ("zz:<script>", "r:1:2:3:4:5:6", "đ", "p:abc:def", "x" * 64):
            answer = texts(await officer.press(data))
            assert "không hợp lệ" in answer or "hết hạn" in answer
        # The invite code an admin makes in a group would be usable by anyone there.
        group_admin = TgChat(fake_telegram, ADMIN).in_group(GROUP)
        assert "trò chuyện riêng" in texts(await group_admin.say("/invite Bộ Công an"))
    assert await query(select(Report)) == []
