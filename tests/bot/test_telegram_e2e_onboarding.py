"""End to end on Telegram: invites, join requests, start-up.

`nhacviec run` (bot.runner) with real PTB against the fake Bot API.

Everything runs as in production: settings from the environment, a SQLite file, the migrated
and seeded registry, the CLI for invites and imports, long polling or a webhook served by the
runner's own aiohttp server. The clock is the real one, so tasks are dated relative to today
(in Asia/Ho_Chi_Minh), and "this month" is the current month.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from sqlalchemy import select

from bot.config import load_settings
from bot.runner import run_channels
from store.models import (
    Identity,
    User,
)
from tests.bot.telegram_e2e_support import (
    ADMIN,
    OFFICER,
    SECRET,
    STRANGER,
    debug_logs,
    query,
    run_cli,
    seed,
    today,
    write_plan,
)
from tests.bot.telegram_harness import Chat as TgChat
from tests.bot.telegram_harness import buttons, running_bot, settle, texts, until
from tests.fakes.telegram_server import FakeTelegramServer

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


async def test_runner_stops_cleanly_when_telegram_rejects_the_token(
    env, monkeypatch, fake_telegram: FakeTelegramServer, caplog
) -> None:
    wrong = "999999:AAwrong-token-nobody-should-see"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", wrong)
    with pytest.raises(RuntimeError) as caught:
        await run_channels(load_settings(), asyncio.Event())
    assert "rejected" in str(caught.value) and wrong not in str(caught.value)
    assert wrong not in caplog.text
