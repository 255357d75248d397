"""End to end on Telegram: reports and floods.

`nhacviec run` (bot.runner) with real PTB against the fake Bot API.

Everything runs as in production: settings from the environment, a SQLite file, the migrated
and seeded registry, the CLI for invites and imports, long polling or a webhook served by the
runner's own aiohttp server. The clock is the real one, so tasks are dated relative to today
(in Asia/Ho_Chi_Minh), and "this month" is the current month.
"""

from __future__ import annotations

import hashlib
import html
import json

from sqlalchemy import select

from store.models import (
    AuditLog,
    Report,
)
from tests.bot.telegram_e2e_support import (
    OFFICER,
    query,
    replies_drained,
    seed,
)
from tests.bot.telegram_harness import Chat as TgChat
from tests.bot.telegram_harness import buttons, running_bot, settle, texts
from tests.fakes.telegram_server import FakeTelegramServer

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
