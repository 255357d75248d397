"""TelegramChannel receiving by long polling: translation into `Incoming`, the poll lifecycle."""

from __future__ import annotations

import pytest

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import (
    Address,
    Button,
    Kind,
    Outgoing,
    SendError,
    SendErrorKind,
)
from tests.bot.conftest import RecordingSink
from tests.bot.telegram_channel_support import GROUP, SUPERGROUP, USER
from tests.bot.telegram_channel_support import address_to as _to
from tests.bot.telegram_channel_support import make_channel as _channel
from tests.fakes.telegram_server import FakeTelegramServer

# -- receiving: translation ------------------------------------------------------------------


async def test_text_message_becomes_incoming(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    user = fake_telegram.user(language_code="en")
    fake_telegram.push_text("Báo cáo \x02nv\x03 2.a <b>xong</b>", user=user)
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.TEXT
    assert incoming.text == "Báo cáo nv 2.a <b>xong</b>"  # markup markers stripped
    assert incoming.address == Address("telegram", str(USER), str(USER))
    assert incoming.address.is_private
    assert incoming.locale_hint == "en"
    assert incoming.user_name == "Lan Nguyễn Thị"
    assert incoming.message_id == "1"
    assert incoming.raw["update_id"] > 0


async def test_group_command_for_this_bot_loses_its_suffix(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    assert polling.bot_username == "nhacviec_test_bot"
    fake_telegram.push_command("due", "tuần này", mention="NhacViec_Test_Bot", chat_id=SUPERGROUP)
    fake_telegram.push_command("start", mention="OtherBot", chat_id=SUPERGROUP)
    fake_telegram.push_command("start", "ABC123")
    first, second = await sink.wait(2)
    assert first.kind is Kind.COMMAND
    assert first.text == "/due tuần này"
    assert first.payload == "due"
    assert first.address == Address("telegram", "-1001234567890123", str(USER))
    assert not first.address.is_private
    # The command addressed to another bot was dropped; the private one came through.
    assert (second.text, second.payload, second.address.chat_id) == (
        "/start ABC123",
        "start",
        str(USER),
    )
    assert len(sink.items) == 2


async def test_button_press_becomes_incoming_and_is_answered(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    await polling.send(_to(USER), Outgoing("Chọn", [[Button("50%", "rep:2.a:50")]]))
    update = fake_telegram.push_callback("rep:2.a:50")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.BUTTON
    assert incoming.payload == "rep:2.a:50"
    # The press's own id (a redelivery repeats it), not the id of the message it was under.
    assert incoming.message_id == "cb" + update["callback_query"]["id"]
    assert incoming.address == Address("telegram", str(USER), str(USER))
    # The spinner was stopped before the sink ran.
    assert update["callback_query"]["id"] in fake_telegram.answered


async def test_document_arrives_as_file_that_downloads(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    content = b"%PDF-1.7 bao cao tien do" * 100
    fake_telegram.push_document(content, "Báo cáo 2.a.pdf", caption="bc 2.a 100%")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.FILE
    assert incoming.text == "bc 2.a 100%"
    assert incoming.file is not None
    assert (incoming.file.name, incoming.file.size, incoming.file.mime) == (
        "Báo cáo 2.a.pdf",
        len(content),
        "application/pdf",
    )
    assert incoming.file.fetch is not None
    assert await incoming.file.fetch() == content
    assert fake_telegram.calls_of("getFile")[0].params["file_id"] == incoming.file.ref


async def test_photo_arrives_as_its_largest_size(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    content = b"\xff\xd8\xff\xe0 full size picture " * 50
    fake_telegram.push_photo(content, caption="ảnh hiện trường")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.FILE
    assert incoming.text == "ảnh hiện trường"
    assert incoming.file is not None and incoming.file.fetch is not None
    assert incoming.file.mime == "image/jpeg"
    assert incoming.file.size == len(content)
    assert await incoming.file.fetch() == content


async def test_too_big_file_fails_to_fetch_cleanly(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_document(b"x", "big.zip", "application/zip", declared_size=25 << 20)
    [incoming] = await sink.wait(1)
    assert incoming.file is not None and incoming.file.fetch is not None
    with pytest.raises(SendError) as caught:
        await incoming.file.fetch()
    assert caught.value.kind is SendErrorKind.PERMANENT
    assert "too big" in caught.value.reason


async def test_group_migration_becomes_event(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_migration(GROUP, SUPERGROUP)
    fake_telegram.push_text("sau khi nâng cấp", chat_id=SUPERGROUP)
    migrated, text = await sink.wait(2)
    assert migrated.kind is Kind.EVENT
    assert migrated.payload == f"migrated:{SUPERGROUP}"
    assert migrated.address.chat_id == str(GROUP)
    # The service message in the new supergroup is not an event of its own.
    assert text.text == "sau khi nâng cấp"
    assert len(sink.items) == 2


@pytest.mark.parametrize(
    ("chat_id", "status", "old_status", "payload"),
    [
        (GROUP, "kicked", "member", "removed"),
        (SUPERGROUP, "left", "administrator", "removed"),
        (GROUP, "member", "left", "added"),
        (USER, "kicked", "member", "removed"),  # a private chat: the user blocked the bot
    ],
)
async def test_bot_membership_changes_become_events(
    polling: TelegramChannel,
    fake_telegram: FakeTelegramServer,
    sink: RecordingSink,
    chat_id: int,
    status: str,
    old_status: str,
    payload: str,
) -> None:
    fake_telegram.push_member_status(chat_id, "administrator", old_status="member")  # ignored
    fake_telegram.push_member_status(chat_id, status, old_status=old_status)
    [event] = await sink.wait(1)
    assert (event.kind, event.payload) == (Kind.EVENT, payload)
    assert event.address.chat_id == str(chat_id)
    assert event.address.is_private == (chat_id > 0)


# -- receiving: polling lifecycle --------------------------------------------------------------


async def test_polling_deletes_webhook_and_keeps_updates_sent_while_down(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_text("gửi lúc bot tắt")
    channel = _channel(fake_telegram)
    await channel.start(sink)
    try:
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "gửi lúc bot tắt"
    methods = [c.method for c in fake_telegram.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert fake_telegram.calls_of("deleteWebhook")[0].params["drop_pending_updates"] is False
    # Stopping confirmed what was fetched: a restart does not see it again.
    assert fake_telegram.pending_updates == []


async def test_sink_failure_does_not_stop_polling(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    async def flaky(incoming: object) -> None:
        if not sink.items and getattr(incoming, "text", "") == "boom":
            raise RuntimeError("handler bug")
        await sink(incoming)  # type: ignore[arg-type]

    channel = _channel(fake_telegram)
    await channel.start(flaky)
    try:
        fake_telegram.push_text("boom")
        fake_telegram.push_text("vẫn chạy")
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "vẫn chạy"
