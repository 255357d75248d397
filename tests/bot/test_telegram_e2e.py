"""End to end on Telegram: `nhacviec run` (bot.runner) with real PTB against the fake Bot API.

Everything runs as in production: settings from the environment, a SQLite file, the migrated
and seeded registry, the CLI for invites and imports, long polling or a webhook served by the
runner's own aiohttp server. The clock is the real one, so tasks are dated relative to today
(in Asia/Ho_Chi_Minh), and "this month" is the current month.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.app import open_app
from bot.cli import main as cli
from bot.config import load_settings
from bot.runner import run_channels
from store.models import (
    Assignment,
    AuditLog,
    Chat,
    ChatUnit,
    Delivery,
    DeliveryStatus,
    Directive,
    Identity,
    Report,
    Role,
    User,
    UserRole,
)
from store.units import find_by_code
from tests.bot.telegram_harness import Chat as TgChat
from tests.bot.telegram_harness import buttons, free_port, running_bot, settle, texts, until
from tests.factories import make_directive, make_task, make_user
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support import eventually

DIRECTIVES = Path(__file__).resolve().parents[1] / "store" / "fixtures" / "directives"
SECRET = "wh-Secret_for-e2e-0123456789"
ADMIN, OFFICER, BTC_OFFICER, HEAD, STRANGER = 5001, 5002, 5003, 5004, 5005
GROUP, SUPERGROUP = -4009001, -1009876543210987
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    """Today where the bot's "this month" is counted."""
    return datetime.now(UTC).astimezone(TZ).date()


@pytest.fixture
def env(tmp_path, monkeypatch, fake_telegram: FakeTelegramServer) -> Path:
    """Environment of `nhacviec run`: a token, the fake API, a SQLite file, one admin."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nhacviec.sqlite3'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_telegram.base_url)
    monkeypatch.setenv("NHACVIEC_ADMINS", f"telegram:{ADMIN}")
    # The scheduler would push catch-up reminders mid-test after 16:00 on a working day.
    monkeypatch.setenv("NHACVIEC_SCHEDULER_ENABLED", "false")
    return tmp_path


@pytest.fixture
def webhook_env(env, monkeypatch) -> str:
    """Webhook mode: the runner's own server on a free loopback port; returns the URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("HTTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HTTP_PORT", str(port))
    return url


def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log line at DEBUG (where PTB prints URLs and call parameters)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")  # SQL parameters: noise, no secrets


async def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """`nhacviec ARGS` in-process (it runs its own event loop, so in a thread); its stdout."""
    capsys.readouterr()
    code = await asyncio.to_thread(cli, list(args))
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def write_plan(path: Path, title: str, lead: str, due: date) -> Path:
    """A one-task spreadsheet (CSV) with a deadline this month."""
    path.write_text(
        "Số hiệu: 12/KH-E2E\n"
        f"Ngày ban hành: {due.replace(day=1):%d/%m/%Y}\n"
        "TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành\n"
        f"1,{title},{lead},Bộ Tài chính,ngày {due.day}/{due.month}/{due.year}\n",
        encoding="utf-8",
    )
    return path


async def seed() -> dict[str, int]:
    """Tasks due this month for two ministries and linked officials (before the bot starts)."""
    due = today()
    async with open_app(load_settings()) as app, app.sessionmaker() as s, s.begin():
        bca = await find_by_code(s, "bo-cong-an")
        btc = await find_by_code(s, "bo-tai-chinh")
        assert bca is not None and btc is not None
        d = await make_directive(s, "99/QĐ-E2E")
        own = await make_task(s, d, "1", "Số hóa hồ sơ cư trú", due, [(bca, Role.LEAD)])
        other = await make_task(s, d, "2", "Rà soát phí, lệ phí", due, [(btc, Role.LEAD)])
        await make_user(s, str(OFFICER), bca, channel="telegram")
        await make_user(s, str(BTC_OFFICER), btc, channel="telegram")
        await make_user(s, str(HEAD), bca, UserRole.HEAD, channel="telegram")
        ids = {"bca": bca.id, "btc": btc.id}
        for name, task in (("own", own), ("other", other)):
            ids[name] = await s.scalar(select(Assignment.id).where(Assignment.task_id == task.id))
    return ids


async def replies_drained(within: float = 120.0) -> None:
    """Wait until no answer is left waiting in the outbox."""
    waiting = select(Delivery.id).where(
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    )

    async def drained() -> bool:
        return not await query(waiting)

    await eventually(drained, within=within, interval=0.2, message="answers still queued")


async def query(stmt):  # type: ignore[no-untyped-def]
    """Read from the bot's database."""
    async with open_app(load_settings()) as app, app.sessionmaker() as s:
        return (await s.execute(stmt)).scalars().all()


# -- the acceptance scenario -------------------------------------------------------------------


async def test_invite_start_and_due_question_by_long_polling(
    env, fake_telegram: FakeTelegramServer, capsys, caplog
) -> None:
    debug_logs(caplog)
    due = today()
    plan = write_plan(env / "ke-hoach.csv", "Triển khai định danh điện tử", "Bộ Công an", due)
    await run_cli(capsys, "import", str(plan))
    invite = json.loads(await run_cli(capsys, "invite", "--unit", "Bộ Công an", "--json"))
    assert invite["link"] == f"https://t.me/nhacviec_test_bot?start={invite['code']}"

    async with running_bot(fake_telegram):
        lan = TgChat(fake_telegram, OFFICER)
        welcome = texts(await lan.say(f"/start {invite['code']}"))
        assert "Đã liên kết với Bộ Công an" in welcome
        answer = await lan.say("tháng này đơn vị tôi có việc gì đến hạn?")
        text = texts(answer)
        assert "Đến hạn tháng" in text and "Bộ Công an" in text
        assert "Triển khai định danh điện tử" in text
        assert f"{due:%d/%m/%Y}" in text
        # The sendMessage call itself: HTML with the header in bold, under 4,096 characters.
        call = next(
            c
            for c in fake_telegram.calls_of("sendMessage")
            if "Triển khai định danh điện tử" in c.params["text"]
        )
        assert call.params["chat_id"] == OFFICER and call.params["parse_mode"] == "HTML"
        assert call.params["text"].startswith("<b>")
        # /me shows the link; the menu was published in both languages.
        assert "Bộ Công an" in texts(await lan.say("/me"))
        menus = fake_telegram.commands
        vi = {c["command"]: c["description"] for c in menus[("default", "vi")]}
        en = {c["command"]: c["description"] for c in menus[("default", "en")]}
        assert vi["overdue"] == "Việc quá hạn" and en["overdue"] == "Overdue tasks"
        assert menus[("default", "")] == menus[("default", "vi")]
        # The code was for one person: someone else cannot use it again.
        other = TgChat(fake_telegram, STRANGER)
        assert "đã được sử dụng" in texts(await other.say(f"/start {invite['code']}"))

    assert fake_telegram.token not in caplog.text
    assert fake_telegram.token.split(":")[1] not in caplog.text


async def test_invite_start_and_due_question_by_webhook(
    webhook_env, env, fake_telegram: FakeTelegramServer, capsys, caplog
) -> None:
    debug_logs(caplog)
    due = today()
    plan = write_plan(env / "ke-hoach.csv", "Kết nối dữ liệu đất đai", "Bộ Công an", due)
    await run_cli(capsys, "import", str(plan))
    invite = json.loads(await run_cli(capsys, "invite", "--unit", "BCA", "--json"))

    async with running_bot(fake_telegram, webhook=True):
        [hook] = fake_telegram.calls_of("setWebhook")
        assert hook.params["url"] == webhook_env and hook.params["secret_token"] == SECRET
        lan = TgChat(fake_telegram, OFFICER)
        assert "Đã liên kết với Bộ Công an" in texts(await lan.say(f"/start {invite['code']}"))
        text = texts(await lan.say("thang nay don vi toi co viec gi den han"))
        assert "Kết nối dữ liệu đất đai" in text
        assert not fake_telegram.calls_of("getUpdates")
        assert all(status == 200 for _id, status in fake_telegram.webhook_deliveries)

        # Forged or missing secret: 401, and the update is not handled.
        before = len(fake_telegram.sent_to(OFFICER))
        forged = fake_telegram.push_text("quá hạn", user=lan.user, queue=False)
        for secret in (None, "", "wrong", SECRET + "x"):
            status, _ = await fake_telegram.post_update(webhook_env, forged, secret=secret)
            assert status == 401
        await settle(fake_telegram)
        assert len(fake_telegram.sent_to(OFFICER)) == before
        async with aiohttp.ClientSession() as http:
            health = webhook_env.replace("/telegram/webhook", "/healthz")
            async with http.get(health) as resp:
                assert (resp.status, await resp.text()) == (200, "ok")

    # Neither the token nor the webhook secret reached a log line or a message.
    sent = json.dumps(fake_telegram.sent, ensure_ascii=False)
    for secret in (fake_telegram.token, fake_telegram.token.split(":")[1], SECRET):
        assert secret not in caplog.text and secret not in sent


# -- the report flow with evidence --------------------------------------------------------------


async def test_button_report_flow_with_a_document_then_a_photo(
    env, fake_telegram: FakeTelegramServer
) -> None:
    ids = await seed()
    async with running_bot(fake_telegram):
        lan = TgChat(fake_telegram, OFFICER)
        pick = await lan.say("báo cáo")
        assert f"r:{ids['own']}" in buttons(pick)
        assert f"r:{ids['other']}" not in buttons(pick)
        progress = await lan.press(f"r:{ids['own']}")
        assert f"p:{ids['own']}:50" in buttons(progress)
        assert "Ghi chú ngắn" in texts(await lan.press(f"p:{ids['own']}:50"))
        # A note of 5,000 characters with markup in it: kept whole, shown escaped and split.
        note = ("Đã gửi <b>dự thảo</b> & lấy ý kiến R&D; " * 130)[:5000].strip()
        asked = await lan.say(note)
        assert "minh chứng" in texts(asked)
        pdf = b"%PDF-1.7 bien ban nghiem thu " * 40
        confirm = await lan.send_document(pdf, "Biên bản nghiệm thu.pdf", "application/pdf")
        # 5,000 characters do not fit one Telegram message: split, each part under the limit.
        assert len(confirm) >= 2 and all(len(m["text"]) <= 4096 for m in confirm)
        raw = "".join(fake_telegram.raw_text(m) or "" for m in confirm)
        assert note in html.unescape(raw)  # nothing lost at the cuts
        assert "&lt;b&gt;dự thảo&lt;/b&gt; &amp; lấy ý kiến R&amp;D;" in raw
        assert "<b>dự thảo</b>" in "".join(m["text"] for m in confirm)  # shown as typed
        assert buttons(confirm) == ["c", "x"]  # on the last part only
        assert "reply_markup" not in confirm[0]
        done = texts(await lan.press("c"))
        assert "Đã nhận báo cáo NV 1 — 50%" in done and "Đã đính kèm tệp minh chứng" in done

        # The same flow with a photo and a caption at the note step.
        await lan.press(f"r:{ids['own']}")
        await lan.press(f"p:{ids['own']}:100")
        photo = b"\xff\xd8\xff\xe0 anh hien truong " * 30
        confirm = await lan.send_photo(photo, caption="Ảnh lễ ra mắt hệ thống")
        assert "Ảnh lễ ra mắt hệ thống" in texts(confirm)
        done = texts(await lan.press("c"))
        assert "Đã nhận báo cáo NV 1" in done

    first, second = await query(select(Report).order_by(Report.id))
    assert first.text == note and first.percent == 50
    evidence = json.loads(first.attachment)
    stored = fake_telegram.file_content(evidence["ref"])
    assert stored == pdf and evidence["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert evidence["name"] == "Biên bản nghiệm thu.pdf" and evidence["channel"] == "telegram"
    assert second.percent == 100 and second.text == "Ảnh lễ ra mắt hệ thống"
    assert fake_telegram.file_content(json.loads(second.attachment)["ref"]) == photo
    assert len(fake_telegram.calls_of("getFile")) == 2  # both were downloaded
    actions = await query(select(AuditLog.action).where(AuditLog.action == "report"))
    assert len(actions) == 2


async def test_a_redelivered_button_press_is_applied_once(
    env, fake_telegram: FakeTelegramServer
) -> None:
    ids = await seed()
    async with running_bot(fake_telegram):
        lan = TgChat(fake_telegram, OFFICER)
        await lan.press(f"p:{ids['own']}:75")
        await lan.press("n")
        await lan.press("f")
        press = fake_telegram.push_callback("c", user=lan.user, queue=False)["callback_query"]
        fake_telegram.push_update("callback_query", press)
        fake_telegram.push_update("callback_query", press)  # at-least-once delivery
        await settle(fake_telegram)
    assert len(await query(select(Report))) == 1


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


async def test_join_request_approved_from_inside_telegram(
    env, fake_telegram: FakeTelegramServer
) -> None:
    ids = await seed()
    async with running_bot(fake_telegram):
        newbie = TgChat(fake_telegram, STRANGER, name="Minh")
        ask = await newbie.say("/join Bộ Tài chính")
        assert buttons(ask) == [f"j:{ids['btc']}", "x"]
        assert "đã được gửi tới quản trị viên" in texts(await newbie.press(f"j:{ids['btc']}"))
        admin = TgChat(fake_telegram, ADMIN, name="Admin")
        [notice] = [m for m in fake_telegram.sent_to(ADMIN) if "Đề nghị tham gia" in m["text"]]
        assert "Minh" in notice["text"] and "Bộ Tài chính" in notice["text"]
        approve = buttons([notice])[0]
        assert approve.startswith("ja:")
        assert "Đã phê duyệt" in texts(await admin.press(approve, message=notice))
        await until(lambda: "Đã liên kết với Bộ Tài chính" in texts(newbie.tg.sent_to(STRANGER)))
        assert "Rà soát phí, lệ phí" in texts(await newbie.say("đến hạn tháng này"))
    [unit_id] = await query(
        select(User.unit_id)
        .join(Identity, Identity.user_id == User.id)
        .where(Identity.channel == "telegram", Identity.external_id == str(STRANGER))
    )
    assert unit_id == ids["btc"]


async def test_flood_gets_one_polite_answer_and_bounded_work(
    env, fake_telegram: FakeTelegramServer
) -> None:
    await seed()
    async with running_bot(fake_telegram):
        lan = TgChat(fake_telegram, OFFICER)
        for i in range(40):
            fake_telegram.push_text(f"nv 1 dat {i + 1}%", user=lan.user)
        await settle(fake_telegram)
        # Answers beyond the chat's pace (1/s) wait in the outbox, not in the update queue.
        await replies_drained()
        answers = texts(fake_telegram.sent_to(OFFICER))
    assert answers.count("quá nhanh") == 1
    reports = await query(select(Report))
    assert 15 <= len(reports) < 25  # the burst, plus what refilled while they were handled


async def test_runner_stops_cleanly_when_telegram_rejects_the_token(
    env, monkeypatch, fake_telegram: FakeTelegramServer, caplog
) -> None:
    wrong = "999999:AAwrong-token-nobody-should-see"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", wrong)
    with pytest.raises(RuntimeError) as caught:
        await run_channels(load_settings(), asyncio.Event())
    assert "rejected" in str(caught.value) and wrong not in str(caught.value)
    assert wrong not in caplog.text
